/**
 * The common vocabulary of serving KPIs: one name, unit and set of dimensions per KPI, filled in by the triton,
 * vllm and neuron modules where their data allows and consumed by the Micrometer binder and the CloudWatch writer,
 * so that the same KPI has the same name everywhere. Start with {@link io.github.infermetrics.core.kpi.Kpi}.
 */
package io.github.infermetrics.core.kpi;

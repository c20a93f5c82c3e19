/**
 * Spring Boot auto-configuration of infermetrics: {@link io.github.infermetrics.spring.InfermetricsAutoConfiguration}
 * runs a {@link io.github.infermetrics.core.pipeline.KpiPipeline} over the targets of
 * {@link io.github.infermetrics.spring.InfermetricsProperties} ({@code infermetrics.*}), shows its KPIs in the
 * application's meter registries and its state in the {@code infermetrics} health indicator, and ships the KPIs to
 * CloudWatch EMF and Prometheus remote write when asked. Everything but the auto-configuration, the properties and
 * {@link io.github.infermetrics.spring.KpiPipelineCustomizer} is package-private.
 */
package io.github.infermetrics.spring;

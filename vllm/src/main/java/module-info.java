/** infermetrics vllm module: typed view and KPIs over vLLM metrics, across vLLM versions. */
module io.github.infermetrics.vllm {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only VllmMetrics (the binder) uses it

  exports io.github.infermetrics.vllm;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.vllm.VllmSource;
}

/** infermetrics ray module: typed view and KPIs over Ray Serve metrics, joined with Serve LLM's vLLM engines. */
module io.github.infermetrics.ray {
  requires transitive io.github.infermetrics.core;
  requires io.github.infermetrics.vllm;
  requires static micrometer.core; // optional: only RayMetrics (the binder) uses it

  exports io.github.infermetrics.ray;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.ray.RayServeSource;
}

/** infermetrics triton module: typed view and KPIs over NVIDIA Triton Inference Server metrics. */
module io.github.infermetrics.triton {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only TritonMetrics (the binder) uses it

  exports io.github.infermetrics.triton;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.triton.TritonSource;
}

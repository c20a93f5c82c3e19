/** infermetrics sglang module: typed view and KPIs over SGLang's {@code sglang:*} metrics. */
module io.github.infermetrics.sglang {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only SglangMetrics (the binder) uses it

  exports io.github.infermetrics.sglang;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.sglang.SglangSource;
}

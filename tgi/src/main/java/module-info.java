/** infermetrics tgi module: typed view and KPIs over HuggingFace text-generation-inference's {@code tgi_*} metrics. */
module io.github.infermetrics.tgi {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only TgiMetrics (the binder) uses it

  exports io.github.infermetrics.tgi;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.tgi.TgiSource;
}

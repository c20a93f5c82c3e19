/** infermetrics dcgm module: typed view and KPIs over NVIDIA GPUs through dcgm-exporter. */
module io.github.infermetrics.dcgm {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only DcgmMetrics (the binder) uses it

  exports io.github.infermetrics.dcgm;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.dcgm.DcgmSource;
}

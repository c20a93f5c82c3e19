/**
 * infermetrics core: the Prometheus text / OpenMetrics parser, the snapshot model, the scraper, series math and
 * the common KPI vocabulary. No runtime dependencies beyond the JDK; Micrometer is optional (the binder).
 */
module io.github.infermetrics.core {
  requires java.net.http;
  requires static micrometer.core; // optional: only the binders in core.micrometer use it

  exports io.github.infermetrics.core.exposition;
  exports io.github.infermetrics.core.snapshot;
  exports io.github.infermetrics.core.scrape;
  exports io.github.infermetrics.core.series;
  exports io.github.infermetrics.core.kpi;
  exports io.github.infermetrics.core.micrometer;
}

/**
 * infermetrics core: the Prometheus text / OpenMetrics parser, the snapshot model, the scraper, series math, the
 * common KPI vocabulary with the {@link io.github.infermetrics.core.kpi.KpiSource} interface every source module
 * implements, the per-target pipeline, and the Micrometer binders. No runtime dependencies beyond the JDK;
 * Micrometer is optional (the binders).
 */
@SuppressWarnings("module") // the qualified exports name modules built after this one
module io.github.infermetrics.core {
  requires java.net.http;
  requires static micrometer.core; // optional: only the binders in core.micrometer use it

  exports io.github.infermetrics.core.exposition;
  exports io.github.infermetrics.core.snapshot;
  exports io.github.infermetrics.core.scrape;
  exports io.github.infermetrics.core.series;
  exports io.github.infermetrics.core.kpi;
  exports io.github.infermetrics.core.dashboard;
  exports io.github.infermetrics.core.pipeline;
  exports io.github.infermetrics.core.micrometer;
  exports io.github.infermetrics.core.discovery;
  // internal: the shared JSON, number and Prometheus text encodings, for the modules that write them
  exports io.github.infermetrics.core.internal.text to
      io.github.infermetrics.cloudwatch,
      io.github.infermetrics.neuron,
      io.github.infermetrics.remotewrite,
      io.github.infermetrics.cli;

  uses io.github.infermetrics.core.kpi.KpiSource;
}

/**
 * infermetrics core: the Prometheus text / OpenMetrics parser, the snapshot model, the scraper and series math. No runtime
 * dependencies beyond the JDK.
 */
module io.github.infermetrics.core {
  requires java.net.http;

  exports io.github.infermetrics.core.exposition;
  exports io.github.infermetrics.core.snapshot;
  exports io.github.infermetrics.core.scrape;
  exports io.github.infermetrics.core.series;
}

/**
 * infermetrics core: the Prometheus text / OpenMetrics parser and the snapshot model. No runtime dependencies.
 */
module io.github.infermetrics.core {
  exports io.github.infermetrics.core.exposition;
  exports io.github.infermetrics.core.snapshot;
}

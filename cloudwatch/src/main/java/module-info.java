/** infermetrics cloudwatch module: EMF writer and sinks, PutMetricData publisher. */
module io.github.infermetrics.cloudwatch {
  requires transitive io.github.infermetrics.core;

  exports io.github.infermetrics.cloudwatch;
}

/** infermetrics neuron module: the neuron-monitor JSON model, its stream reader and its metric mappings. */
module io.github.infermetrics.neuron {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only NeuronMetrics (the binder) uses it
  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver; // the /metrics endpoint of NeuronPrometheusExporter

  exports io.github.infermetrics.neuron;
  exports io.github.infermetrics.neuron.scrape;

  provides io.github.infermetrics.core.kpi.KpiSource with io.github.infermetrics.neuron.NeuronSource;
}

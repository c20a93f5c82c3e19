/** infermetrics neuron module. */
module io.github.infermetrics.neuron {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only NeuronMetrics (the binder) uses it
  requires com.fasterxml.jackson.databind;

  exports io.github.infermetrics.neuron.scrape;
}

/** infermetrics neuron module. Its API package is exported once it holds its first type. */
module io.github.infermetrics.neuron {
  requires transitive io.github.infermetrics.core;
}

/** infermetrics vllm module. */
module io.github.infermetrics.vllm {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only VllmMetrics (the binder) uses it
}

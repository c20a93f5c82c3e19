/** infermetrics triton module. */
module io.github.infermetrics.triton {
  requires transitive io.github.infermetrics.core;
  requires static micrometer.core; // optional: only TritonMetrics (the binder) uses it
}

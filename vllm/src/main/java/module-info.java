/** infermetrics vllm module. Its API package is exported once it holds its first type. */
module io.github.infermetrics.vllm {
  requires transitive io.github.infermetrics.core;
}

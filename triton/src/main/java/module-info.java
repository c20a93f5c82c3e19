/** infermetrics triton module. Its API package is exported once it holds its first type. */
module io.github.infermetrics.triton {
  requires transitive io.github.infermetrics.core;
}

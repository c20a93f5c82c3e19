/** infermetrics cloudwatch module. Its API package is exported once it holds its first type. */
module io.github.infermetrics.cloudwatch {
  requires transitive io.github.infermetrics.core;
}

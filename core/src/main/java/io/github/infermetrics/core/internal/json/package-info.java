/**
 * A small, strict, bounded JSON reader (and the tree it builds) for configuration-sized inputs such as Prometheus
 * {@code file_sd} and {@code http_sd} target lists. Not exported: internal to the core module.
 */
package io.github.infermetrics.core.internal.json;

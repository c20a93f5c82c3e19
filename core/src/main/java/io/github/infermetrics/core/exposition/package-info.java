/**
 * A streaming, allocation-free parser for the Prometheus text format 0.0.4 (with Prometheus 3 quoted UTF-8
 * names) and OpenMetrics 1.0.
 *
 * <p>Start with {@link io.github.infermetrics.core.exposition.ExpositionParser}: it reports family metadata and
 * samples as a pull stream of {@link io.github.infermetrics.core.exposition.ExpositionEvent}s, with names as
 * canonical {@code String}s and label values as views over the input bytes.
 */
package io.github.infermetrics.core.exposition;

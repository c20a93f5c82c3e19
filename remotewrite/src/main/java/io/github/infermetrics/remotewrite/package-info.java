/**
 * Prometheus remote write 1.0: {@link io.github.infermetrics.remotewrite.RemoteWriteSink} sends KPI sets (and,
 * optionally, raw scraped series) to Prometheus, Amazon Managed Service for Prometheus, Mimir, Thanos or
 * VictoriaMetrics, batched, with retries, through a bounded queue.
 */
package io.github.infermetrics.remotewrite;

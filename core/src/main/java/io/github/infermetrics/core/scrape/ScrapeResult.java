package io.github.infermetrics.core.scrape;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one scrape: the snapshot when it worked, the error when it did not, and what Prometheus records
 * about every scrape ({@code up}, duration, size, samples).
 *
 * <pre>{@code
 * ScrapeResult r = scraper.scrape(target);
 * upGauge.set(r.up() ? 1 : 0);
 * durationTimer.record(r.duration());
 * if (r.up()) {
 *   r.snapshot().family("gpu_utilization").ifPresent(f -> ...);
 * } else {
 *   log.warn(r.target().name() + " down: " + r.error());
 * }
 * }</pre>
 *
 * @param target the target scraped
 * @param start when the scrape started (the natural timestamp of its samples)
 * @param duration how long it took, including redirects and parsing
 * @param status the HTTP status of the last response, 0 when there was none
 * @param bytes the body bytes received on the wire for the last response (compressed, when gzip)
 * @param samples the samples parsed (on failure, those parsed before it)
 * @param contentType the {@code Content-Type} of the last response, {@code null} when absent or no response
 * @param format the format the body was read as, {@code null} when it was not read that far
 * @param snapshot the snapshot when the scrape succeeded, else {@code null}
 * @param error why the scrape failed, {@code null} when it succeeded
 */
public record ScrapeResult(
    ScrapeTarget target,
    Instant start,
    Duration duration,
    int status,
    long bytes,
    long samples,
    String contentType,
    ExpositionFormat format,
    MetricSnapshot snapshot,
    ScrapeError error) {

  /**
   * Validates the components.
   *
   * @param target the target scraped
   * @param start when the scrape started
   * @param duration how long it took
   * @param status the HTTP status of the last response, or 0
   * @param bytes the body bytes received on the wire
   * @param samples the samples parsed
   * @param contentType the {@code Content-Type}, or {@code null}
   * @param format the format the body was read as, or {@code null}
   * @param snapshot the snapshot, or {@code null} on failure
   * @param error the error, or {@code null} on success
   * @throws NullPointerException when {@code target}, {@code start} or {@code duration} is null
   * @throws IllegalArgumentException when not exactly one of {@code snapshot} and {@code error} is set
   */
  public ScrapeResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    if ((snapshot == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of snapshot and error must be set");
    }
  }

  /**
   * Whether the scrape succeeded, Prometheus's {@code up}.
   *
   * @return true when {@link #snapshot()} is set
   */
  public boolean up() {
    return error == null;
  }
}

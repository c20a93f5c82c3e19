package io.github.infermetrics.core.scrape;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;

/** One scrape in progress: its deadline, and what is known so far for the result. Confined to one thread. */
final class Attempt {
  final ScrapeTarget target;
  final Instant start;
  final long startNanos;
  /** {@link System#nanoTime()} at which the total timeout ends. */
  final long deadline;
  /** What the scrape is doing, for the timeout message. */
  String phase = "connecting";
  int status;
  long bytes;
  long samples;
  String contentType;
  ExpositionFormat format;

  Attempt(ScrapeTarget target) {
    this.target = target;
    this.start = Instant.now();
    this.startNanos = System.nanoTime();
    this.deadline = startNanos + target.timeout().toNanos();
  }

  long remainingNanos() {
    return deadline - System.nanoTime();
  }

  /** Throws the timeout error once the deadline has passed, whether or not data is flowing. */
  void checkDeadline() throws ScrapeAbort {
    if (remainingNanos() <= 0) {
      throw timeout();
    }
  }

  ScrapeAbort timeout() {
    return new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.TIMEOUT,
        "timeout of " + Durations.format(target.timeout()) + " exceeded while " + phase + " (ScrapeTarget.timeout)",
        "ScrapeTarget.timeout"));
  }

  ScrapeResult success(MetricSnapshot snapshot) {
    return new ScrapeResult(target, start, elapsed(), status, bytes, samples, contentType, format, snapshot, null);
  }

  ScrapeResult failure(ScrapeError error) {
    return new ScrapeResult(target, start, elapsed(), status, bytes, samples, contentType, format, null, error);
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}

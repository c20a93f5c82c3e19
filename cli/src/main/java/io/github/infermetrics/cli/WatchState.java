package io.github.infermetrics.cli;

import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code watch} knows of one target: its last good scrape, the KPIs of the window that ended with it, and why
 * it is down when it is. Scrapes arrive on scraper threads and the table is drawn on another, so every method is
 * synchronized; {@link #status()} hands out an immutable copy.
 */
final class WatchState {
  /** One target's status at one moment. */
  record Status(WatchTarget target, SourceKpis.Source source, String down, SourceKpis.Report report, long windows) {
    boolean up() {
      return down == null;
    }
  }

  private final WatchTarget target;
  private SourceKpis.Source source;
  private MetricSnapshot lastSnapshot;
  private Instant lastStart;
  private String down;
  private SourceKpis.Report report;
  private long windows;
  private boolean fresh;

  WatchState(WatchTarget target) {
    this.target = target;
    this.source = target.source();
  }

  WatchTarget target() {
    return target;
  }

  /**
   * Takes a scrape: a failure marks the target down; a success after an earlier one gives a new window's KPIs.
   *
   * @return the new report, or null when this scrape gave none
   */
  synchronized SourceKpis.Report accept(ScrapeResult r) {
    if (!r.up()) {
      down = (r.status() != 0 ? "HTTP " + r.status() + ", " : "") + r.error().kind().name().toLowerCase(
          java.util.Locale.ROOT).replace('_', ' ') + ": " + r.error().message();
      return null;
    }
    MetricSnapshot snapshot = r.snapshot();
    if (source == SourceKpis.Source.AUTO || source == SourceKpis.Source.GENERIC) {
      source = SourceKpis.detect(snapshot);
    }
    if (source == SourceKpis.Source.GENERIC) {
      down = "no Triton (nv_*), vLLM (vllm:*) or neuron-monitor-prometheus families; name the source (vllm=URL)";
      return null;
    }
    down = null;
    SourceKpis.Report next = null;
    if (lastSnapshot != null && r.start().isAfter(lastStart)) {
      double seconds = Duration.between(lastStart, r.start()).toNanos() / 1e9;
      try {
        next = SourceKpis.compute(source, lastSnapshot, snapshot, seconds, target.name(), r.start());
        report = next;
        windows++;
        fresh = true;
      } catch (IllegalArgumentException e) {
        down = e.getMessage();
      }
    }
    lastSnapshot = snapshot;
    lastStart = r.start();
    return next;
  }

  synchronized Status status() {
    return new Status(target, source, down, report, windows);
  }

  /** Whether a report arrived since the last call. */
  synchronized boolean takeFresh() {
    boolean f = fresh;
    fresh = false;
    return f;
  }
}

package io.github.infermetrics.core.scrape;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One target on a {@link ScrapeScheduler}'s schedule, with its counters.
 *
 * <pre>{@code
 * ScheduledScrape s = scheduler.schedule(target, Duration.ofSeconds(5), results::add);
 * ...
 * if (s.skipped() > 0) log.warn(target.name() + ": " + s.skipped() + " ticks skipped, scrapes too slow");
 * s.cancel();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ScheduledScrape {
  private static final System.Logger LOG = System.getLogger(ScrapeScheduler.class.getName());

  private final ScrapeScheduler scheduler;
  private final ScrapeTarget target;
  private final Duration interval;
  private final Consumer<? super ScrapeResult> listener;
  /** Set from the tick that starts a scrape until its listener returned: the no-overlap guard. */
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private volatile boolean cancelled;
  private volatile ScheduledFuture<?> ticks;

  ScheduledScrape(ScrapeScheduler scheduler, ScrapeTarget target, Duration interval,
      Consumer<? super ScrapeResult> listener) {
    this.scheduler = scheduler;
    this.target = target;
    this.interval = interval;
    this.listener = listener;
  }

  void start(ScheduledFuture<?> ticks) {
    this.ticks = ticks;
    if (cancelled) {
      ticks.cancel(false);
    }
  }

  /** On the timer thread: starts a scrape on a worker unless the previous one is still running. */
  void tick() {
    if (cancelled) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      skipped.incrementAndGet();
      return;
    }
    if (!scheduler.submit(this::scrapeOnce)) {
      running.set(false);
    }
  }

  private void scrapeOnce() {
    try {
      ScrapeResult result = scheduler.scraper().scrape(target);
      completed.incrementAndGet();
      if (cancelled || scheduler.isClosed()) {
        return;
      }
      try {
        listener.accept(result);
      } catch (RuntimeException e) {
        // the first failure with its stack trace; a listener failing on every tick would flood the log
        boolean first = listenerFailures.getAndIncrement() == 0;
        LOG.log(first ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
            "scrape listener of " + target.name() + " failed" + (first ? "; later failures are logged at DEBUG" : ""),
            e);
      }
    } finally {
      running.set(false);
    }
  }

  /**
   * The target.
   *
   * @return the target
   */
  public ScrapeTarget target() {
    return target;
  }

  /**
   * The interval between scrapes.
   *
   * @return the interval
   */
  public Duration interval() {
    return interval;
  }

  /**
   * Scrapes done (up or not).
   *
   * @return the count
   */
  public long completed() {
    return completed.get();
  }

  /**
   * Ticks skipped because the previous scrape (or its listener) was still running, or waiting for a thread.
   *
   * @return the count
   */
  public long skipped() {
    return skipped.get();
  }

  /**
   * Times the listener threw.
   *
   * @return the count
   */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /**
   * Whether {@link #cancel()} was called or the scheduler closed.
   *
   * @return true when no more scrapes start
   */
  public boolean isCancelled() {
    return cancelled || scheduler.isClosed();
  }

  /** Stops scraping this target; a scrape in progress finishes, without calling the listener. */
  public void cancel() {
    cancelled = true;
    ScheduledFuture<?> t = ticks;
    if (t != null) {
      t.cancel(false);
    }
    scheduler.remove(this);
  }

  @Override
  public String toString() {
    return "ScheduledScrape[" + target.name() + " every " + Durations.format(interval) + ", completed="
        + completed() + ", skipped=" + skipped() + "]";
  }
}

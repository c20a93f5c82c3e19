package io.github.infermetrics.core.scrape;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scrapes many targets, each on its own interval, with a fixed number of threads.
 *
 * <pre>{@code
 * try (Scraper scraper = Scraper.create();
 *      ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(8).scraper(scraper).build()) {
 *   for (URI uri : pods) {
 *     ScrapeTarget t = ScrapeTarget.builder(uri).timeout(Duration.ofSeconds(4)).build();
 *     scheduler.schedule(t, Duration.ofSeconds(5), result -> {
 *       if (result.up()) kpis.update(result.target().name(), result.snapshot());
 *     });
 *   }
 *   awaitShutdown();
 * }
 * }</pre>
 *
 * <p><b>Timing.</b> Each target's first scrape comes at a random offset within its interval, so a fleet of
 * targets added together does not scrape in lock-step; after that, scrapes follow at fixed rate. Offsets fall on a
 * grid of 32 slots per interval (slots of at most 250 ms), so that targets due together share a wake-up of the
 * timer.
 *
 * <p><b>No overlap.</b> A target is never scraped twice at once: when a tick comes while the previous scrape (or
 * its listener) is still running or still waiting for a thread, the tick is skipped and counted
 * ({@link ScheduledScrape#skipped()}), as Prometheus does; there is no burst to catch up.
 *
 * <p><b>Threads.</b> Scrapes run on {@link Builder#threads(int)} daemon threads; a timer thread only starts them.
 * Scrapes mostly wait on the network, so size the pool to about {@code targets * scrape time / interval}, with
 * room for slow targets (each bounded by its {@link ScrapeTarget#timeout()}).
 *
 * <p><b>Listeners</b> run on the scraping thread, one call at a time per target. One that throws is counted
 * ({@link ScheduledScrape#listenerFailures()}) and logged through {@link System.Logger} (the first failure per
 * target at WARNING, later ones at DEBUG); the schedule goes on.
 *
 * <p>{@link #close()} stops the timer, interrupts scrapes in progress (they end at once with
 * {@link ScrapeError.Kind#CANCELLED} and their listeners are not called), and waits briefly for the threads.
 */
public final class ScrapeScheduler implements AutoCloseable {
  private static final AtomicInteger SCHEDULERS = new AtomicInteger();

  /** First ticks fall on a grid of this many slots per interval ... */
  private static final long SLOTS = 32;
  /** ... but no coarser than this. */
  private static final long MAX_SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final Scraper scraper;
  private final boolean ownsScraper;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor workers;
  private final Map<ScrapeTarget, ScheduledScrape> scheduled = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ScrapeScheduler(Builder b) {
    this.ownsScraper = b.scraper == null;
    this.scraper = ownsScraper ? Scraper.create() : b.scraper;
    int id = SCHEDULERS.incrementAndGet();
    this.timer = new ScheduledThreadPoolExecutor(1, daemon("infermetrics-scrape-timer-" + id));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    // unbounded queue, but each target has at most one scrape queued or running (the no-overlap guard)
    this.workers = new ThreadPoolExecutor(b.threads, b.threads, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(),
        daemon("infermetrics-scrape-" + id + "-"));
  }

  /**
   * A builder: 4 threads, a scraper of its own.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scrapes {@code target} every {@code interval}, the first time at a random offset within the interval.
   *
   * @param target the target, not already scheduled here
   * @param interval the interval; a {@link ScrapeTarget#timeout()} longer than it leads to skipped ticks
   * @param listener receives every result, on the scraping thread
   * @return the handle, to cancel and for counters
   * @throws IllegalArgumentException when the target is already scheduled or the interval is not positive
   * @throws IllegalStateException when the scheduler is closed
   */
  public ScheduledScrape schedule(ScrapeTarget target, Duration interval, Consumer<? super ScrapeResult> listener) {
    Objects.requireNonNull(target, "target");
    Durations.positive("interval", interval);
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException("scheduler is closed");
    }
    ScheduledScrape s = new ScheduledScrape(this, target, interval, listener);
    if (scheduled.putIfAbsent(target, s) != null) {
      throw new IllegalArgumentException("target " + target.name() + " is already scheduled");
    }
    long period = interval.toNanos();
    long first = System.nanoTime() + ThreadLocalRandom.current().nextLong(period);
    // first ticks on a grid of a 32nd of the interval: targets due at about the same time then share one wake-up of
    // the timer, which costs more than their ticks (a timed wait is some 15 us of CPU on a virtual machine)
    long slot = Math.min(period / SLOTS, MAX_SLOT_NANOS);
    if (slot > 1) {
      first = Math.floorDiv(first, slot) * slot + slot;
    }
    try {
      s.start(timer.scheduleAtFixedRate(s::tick, first - System.nanoTime(), period, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      scheduled.remove(target, s);
      throw new IllegalStateException("scheduler is closed", e);
    }
    return s;
  }

  /**
   * The scheduled targets.
   *
   * @return a snapshot of the handles
   */
  public List<ScheduledScrape> scheduled() {
    return List.copyOf(scheduled.values());
  }

  Scraper scraper() {
    return scraper;
  }

  boolean isClosed() {
    return closed;
  }

  boolean submit(Runnable scrape) {
    try {
      workers.execute(scrape);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  void remove(ScheduledScrape s) {
    scheduled.remove(s.target(), s);
  }

  /**
   * Stops scheduling, interrupts scrapes in progress, and waits up to a second for the threads to end. Closes
   * the scraper when the scheduler created it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduled.clear();
    if (ownsScraper) {
      scraper.close();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link ScrapeScheduler}. */
  public static final class Builder {
    private int threads = 4;
    private Scraper scraper;

    private Builder() {}

    /**
     * The number of scraping threads. Default 4.
     *
     * @param threads 1 to 1024
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be between 1 and 1024: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The scraper to use; the caller keeps ownership and closes it. Default: one of the scheduler's own, closed
     * with it.
     *
     * @param scraper the scraper
     * @return this builder
     */
    public Builder scraper(Scraper scraper) {
      this.scraper = Objects.requireNonNull(scraper, "scraper");
      return this;
    }

    /**
     * Builds the scheduler.
     *
     * @return a new scheduler
     */
    public ScrapeScheduler build() {
      return new ScrapeScheduler(this);
    }
  }
}

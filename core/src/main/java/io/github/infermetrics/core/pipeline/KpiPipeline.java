package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.scrape.ScheduledScrape;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeScheduler;
import io.github.infermetrics.core.scrape.Scraper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a fleet: scrapes every target on an interval, keeps each one's previous scrape, picks its sources,
 * computes each window's KPIs and hands them to the consumers. What {@code infermetrics watch} does, in a few lines
 * of a Java service:
 *
 * <pre>{@code
 * VllmMetrics binder = ...;   // or KpiMetrics, an EMF sink, ...
 * try (KpiPipeline pipeline = KpiPipeline.builder()
 *     .interval(Duration.ofSeconds(15))
 *     .target(PipelineTarget.of(URI.create("http://vllm-0:8000/metrics")))
 *     .consumer(window -> window.kpiSets().forEach(emf::write))
 *     .build()) {
 *   pipeline.start();
 *   ...
 *   pipeline.status().forEach(s -> System.out.println(s.name() + " " + s.state()));
 * }
 * }</pre>
 *
 * <p>Targets can come and go while it runs ({@link #add}, {@link #remove}, {@link #replaceTargets} for discovery):
 * a new target starts its own window; a removed one is dropped with its state, and consumers are told
 * ({@link KpiConsumer#removed}). Thread-safe.
 */
public final class KpiPipeline implements AutoCloseable {
  private final Duration interval;
  private final KpiSources sources;
  private final int threads;
  private final Scraper scraper;
  private final boolean ownsScraper;
  private final List<KpiConsumer> consumers;
  private final List<Slo> slos;
  private final Shard shard;
  private final Map<String, Entry> targets = new LinkedHashMap<>();
  private final AtomicLong consumerFailures = new AtomicLong();
  private ScrapeScheduler scheduler;
  private boolean closed;

  private static final class Entry {
    final TargetPipeline pipeline;
    ScheduledScrape schedule;

    Entry(TargetPipeline pipeline) {
      this.pipeline = pipeline;
    }
  }

  private KpiPipeline(Builder b) {
    this.interval = b.interval;
    this.sources = b.sources != null ? b.sources : KpiSources.installed();
    this.threads = b.threads;
    this.ownsScraper = b.scraper == null;
    this.scraper = ownsScraper ? Scraper.create() : b.scraper;
    this.consumers = new CopyOnWriteArrayList<>(b.consumers);
    this.slos = List.copyOf(b.slos);
    this.shard = b.shard;
    for (PipelineTarget t : b.targets) {
      if (shard.owns(t)) {
        addEntry(t);
      }
    }
  }

  /**
   * A builder: 10 s interval, the installed sources, 4 threads.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts scraping every target on the interval (each at a random offset within it, then at a fixed rate).
   *
   * @throws IllegalStateException when started already or closed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("pipeline is closed");
    }
    if (scheduler != null) {
      throw new IllegalStateException("pipeline is started already");
    }
    scheduler = ScrapeScheduler.builder().threads(threads).scraper(scraper).build();
    for (Entry e : targets.values()) {
      schedule(e);
    }
  }

  /**
   * Scrapes every target once now, all at once on the pipeline's threads, and returns when all are done: two calls
   * an interval apart give one window per target (what {@code watch --once} does).
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void scrapeAll() throws InterruptedException {
    List<Entry> all;
    synchronized (this) {
      all = new ArrayList<>(targets.values());
    }
    if (all.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, all.size()), r -> {
      Thread t = new Thread(r, "infermetrics-pipeline-scrape");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (Entry e : all) {
        running.add(CompletableFuture.runAsync(() -> accept(e, scraper.scrape(e.pipeline.target().scrape())), pool));
      }
      try {
        CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a scrape failed unexpectedly", e.getCause());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Adds a target; once started, it is scheduled at once. A target of another shard ({@link Builder#shard(Shard)}) is left
   * out.
   *
   * @param target the target, named unlike every other
   * @throws IllegalArgumentException when a target of that name is there, or it names an unknown source
   */
  public synchronized void add(PipelineTarget target) {
    if (!shard.owns(target)) {
      return;
    }
    Entry e = addEntry(target);
    if (scheduler != null) {
      schedule(e);
    }
  }

  /**
   * Removes a target: its schedule stops, its state is dropped, and consumers are told.
   *
   * @param name the target's name
   * @return whether it was there
   */
  public boolean remove(String name) {
    Entry e;
    synchronized (this) {
      e = targets.remove(name);
      if (e == null) {
        return false;
      }
      if (e.schedule != null) {
        e.schedule.cancel();
      }
    }
    for (KpiConsumer c : consumers) {
      try {
        c.removed(name);
      } catch (RuntimeException ex) {
        consumerFailures.incrementAndGet();
      }
    }
    return true;
  }

  /**
   * Makes the targets exactly these, as discovery reports them: new names are added, missing ones removed, and a
   * target whose settings changed (a pod's new IP) is replaced and starts a new window. Only the targets of the
   * pipeline's shard are kept.
   *
   * @param wanted the targets now
   */
  public void replaceTargets(Collection<PipelineTarget> wanted) {
    Map<String, PipelineTarget> byName = new LinkedHashMap<>();
    for (PipelineTarget t : wanted) {
      if (byName.putIfAbsent(t.name(), t) != null) {
        throw new IllegalArgumentException("two targets are named " + t.name());
      }
    }
    byName.values().removeIf(t -> !shard.owns(t));
    List<String> gone = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, Entry> e : targets.entrySet()) {
        PipelineTarget now = byName.get(e.getKey());
        if (now == null || !same(now, e.getValue().pipeline.target())) {
          gone.add(e.getKey());
        }
      }
    }
    gone.forEach(this::remove);
    synchronized (this) {
      for (PipelineTarget t : byName.values()) {
        if (!targets.containsKey(t.name())) {
          add(t);
        }
      }
    }
  }

  private static boolean same(PipelineTarget a, PipelineTarget b) {
    return a.uri().equals(b.uri()) && a.sources().equals(b.sources()) && a.pod().equals(b.pod())
        && a.labels().equals(b.labels()) && a.scrape().timeout().equals(b.scrape().timeout());
  }

  /**
   * Adds a consumer for the windows to come.
   *
   * @param consumer the consumer
   */
  public void addConsumer(KpiConsumer consumer) {
    consumers.add(Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * Every target's state, in the order they were added.
   *
   * @return one per target
   */
  public List<TargetStatus> status() {
    List<TargetPipeline> all;
    synchronized (this) {
      all = targets.values().stream().map(e -> e.pipeline).toList();
    }
    List<TargetStatus> out = new ArrayList<>(all.size());
    for (TargetPipeline p : all) {
      out.add(p.status());
    }
    return out;
  }

  /**
   * The sources the pipeline detects from and finds named ones in.
   *
   * @return the sources
   */
  public KpiSources sources() {
    return sources;
  }

  /**
   * The shard of the fleet this pipeline scrapes.
   *
   * @return the shard; {@link Shard#ALL} unless set
   */
  public Shard shard() {
    return shard;
  }

  /**
   * The scrape interval, which is also the KPI window.
   *
   * @return the interval
   */
  public Duration interval() {
    return interval;
  }

  /**
   * Consumer calls that threw.
   *
   * @return the count
   */
  public long consumerFailures() {
    return consumerFailures.get();
  }

  /**
   * Ticks skipped because a target's previous scrape was still running (the schedule fell behind).
   *
   * @return the count over the targets there now
   */
  public synchronized long skippedScrapes() {
    long n = 0;
    for (Entry e : targets.values()) {
      n += e.schedule == null ? 0 : e.schedule.skipped();
    }
    return n;
  }

  /** Stops scraping; closes the scraper when the pipeline made it. */
  @Override
  public void close() {
    ScrapeScheduler s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = scheduler;
    }
    if (s != null) {
      s.close();
    }
    if (ownsScraper) {
      scraper.close();
    }
  }

  private Entry addEntry(PipelineTarget target) {
    Objects.requireNonNull(target, "target");
    if (targets.containsKey(target.name())) {
      throw new IllegalArgumentException("two targets are named " + target.name() + "; name them apart");
    }
    Entry e = new Entry(new TargetPipeline(target, sources, slos));
    targets.put(target.name(), e);
    return e;
  }

  private void schedule(Entry e) {
    e.schedule = scheduler.schedule(e.pipeline.target().scrape(), interval, r -> accept(e, r));
  }

  private void accept(Entry e, ScrapeResult r) {
    e.pipeline.accept(r).ifPresent(w -> {
      for (KpiConsumer c : consumers) {
        try {
          c.accept(w);
        } catch (RuntimeException ex) {
          consumerFailures.incrementAndGet();
        }
      }
    });
  }

  /** Builds a {@link KpiPipeline}; not thread-safe. */
  public static final class Builder {
    private Duration interval = Duration.ofSeconds(10);
    private KpiSources sources;
    private int threads = 4;
    private Scraper scraper;
    private final List<KpiConsumer> consumers = new ArrayList<>();
    private final List<PipelineTarget> targets = new ArrayList<>();
    private final List<Slo> slos = new ArrayList<>();
    private Shard shard = Shard.ALL;

    private Builder() {}

    /**
     * Scrapes only the targets of one shard of the fleet ({@link Shard}: by the hash of each target's URL), listed
     * and discovered alike; several processes with the same targets and different shards split them between them.
     *
     * @param mine this process's shard; default {@link Shard#ALL}
     * @return this
     */
    public Builder shard(Shard mine) {
      this.shard = Objects.requireNonNull(mine, "shard");
      return this;
    }

    /**
     * Same as {@code shard(new Shard(index, count))}.
     *
     * @param index this process's shard, from 0
     * @param count the number of shards
     * @return this
     */
    public Builder shard(int index, int count) {
      return shard(new Shard(index, count));
    }

    /**
     * Objectives whose goodput every window gets ({@link io.github.infermetrics.core.kpi.SloGoodput}).
     *
     * @param objectives for example {@code Slo.parseAll("ttft=500ms,e2e=20s")}
     * @return this
     */
    public Builder slos(List<Slo> objectives) {
      slos.addAll(objectives);
      return this;
    }

    /**
     * The scrape interval and KPI window.
     *
     * @param every positive
     * @return this
     */
    public Builder interval(Duration every) {
      Objects.requireNonNull(every, "interval");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("interval must be positive: " + every);
      }
      this.interval = every;
      return this;
    }

    /**
     * The sources to detect from; default {@link KpiSources#installed()}.
     *
     * @param known the sources
     * @return this
     */
    public Builder sources(KpiSources known) {
      this.sources = Objects.requireNonNull(known, "sources");
      return this;
    }

    /**
     * Threads that scrape (mostly waiting on the network).
     *
     * @param n at least 1
     * @return this
     */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + n);
      }
      this.threads = n;
      return this;
    }

    /**
     * A scraper to share; by default the pipeline makes (and closes) its own.
     *
     * @param shared the scraper
     * @return this
     */
    public Builder scraper(Scraper shared) {
      this.scraper = Objects.requireNonNull(shared, "scraper");
      return this;
    }

    /**
     * Adds a consumer.
     *
     * @param consumer the consumer
     * @return this
     */
    public Builder consumer(KpiConsumer consumer) {
      consumers.add(Objects.requireNonNull(consumer, "consumer"));
      return this;
    }

    /**
     * Adds a target.
     *
     * @param target the target
     * @return this
     */
    public Builder target(PipelineTarget target) {
      targets.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    /**
     * Builds the pipeline (not started).
     *
     * @return the pipeline
     * @throws IllegalArgumentException when two targets share a name or a target names an unknown source
     */
    public KpiPipeline build() {
      return new KpiPipeline(this);
    }
  }
}

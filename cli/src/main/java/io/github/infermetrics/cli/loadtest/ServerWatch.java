package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.kpi.WindowHistogram;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetPipeline;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server's side of a load test: the model server's {@code /metrics} and any other targets (dcgm-exporter,
 * neuron-monitor) scraped every interval by a {@link KpiPipeline}, as {@code watch} does, whose windows go to the
 * report's timeline and to the outputs (EMF, remote write); and a scrape of every target at the start and the end of
 * each step's measurement, which gives one window per target over exactly the step. Thread-safe.
 */
final class ServerWatch implements AutoCloseable {
  private final List<PipelineTarget> targets;
  private final String server;
  private final KpiSources sources;
  private final List<Slo> slos;
  private final String model;
  private final Instant origin;
  private final Scraper scraper = Scraper.create();
  /** The step boundaries' own scraper and targets: a target refuses a second scrape while one is running. */
  private final Scraper markScraper = Scraper.create();
  private final Map<String, ScrapeTarget> markTargets = new LinkedHashMap<>();
  private final KpiPipeline pipeline;
  private final ExecutorService marks;
  private final List<ServerSample> timeline = new ArrayList<>();
  private final Map<String, Set<String>> sourcesSeen = new ConcurrentHashMap<>();
  private final Map<String, Boolean> everUp = new ConcurrentHashMap<>();
  private final Map<String, String> lastProblem = new ConcurrentHashMap<>();

  /**
   * A watch, not started.
   *
   * @param targets the targets, the server's first when it is watched
   * @param server the name of the model server's target, or null when its metrics are not watched
   * @param sources the installed sources
   * @param slos the objectives (the server's goodput is computed for them)
   * @param interval the pipeline's interval
   * @param outputs where the pipeline's windows go besides the report (EMF, remote write)
   * @param model the model under test
   * @param origin the run's start
   */
  ServerWatch(List<PipelineTarget> targets, String server, KpiSources sources, List<Slo> slos, Duration interval,
      List<KpiConsumer> outputs, String model, Instant origin) {
    this.targets = List.copyOf(targets);
    this.server = server;
    this.sources = sources;
    this.slos = List.copyOf(slos);
    this.model = model;
    this.origin = origin;
    KpiPipeline.Builder b = KpiPipeline.builder().interval(interval).sources(sources).slos(slos).scraper(scraper)
        .threads(Math.max(1, Math.min(4, targets.size())));
    targets.forEach(b::target);
    b.consumer(this::accept);
    outputs.forEach(b::consumer);
    this.pipeline = b.build();
    for (PipelineTarget t : targets) {
      markTargets.put(t.name(), twin(t.scrape()));
    }
    this.marks = Executors.newFixedThreadPool(Math.max(1, Math.min(4, targets.size())), r -> {
      Thread t = new Thread(r, "loadtest-step-scrape");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the pipeline. */
  void start() {
    if (!targets.isEmpty()) {
      pipeline.start();
    }
  }

  /**
   * Scrapes every target now, on the watch's threads.
   *
   * @return each target's scrape, by name, when all are done
   */
  CompletableFuture<Map<String, ScrapeResult>> mark() {
    Map<String, CompletableFuture<ScrapeResult>> running = new LinkedHashMap<>();
    for (PipelineTarget t : targets) {
      running.put(t.name(), CompletableFuture.supplyAsync(() -> markScraper.scrape(markTargets.get(t.name())), marks));
    }
    return CompletableFuture.allOf(running.values().toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Map<String, ScrapeResult> out = new LinkedHashMap<>();
      running.forEach((name, f) -> {
        ScrapeResult r = f.join();
        out.put(name, r);
        note(name, r);
      });
      return out;
    });
  }

  /**
   * A target scraped the same way as another, with its own busy flag. Credentials are not copied: the targets of a
   * load test (a URL, --watch specs) carry none.
   */
  private static ScrapeTarget twin(ScrapeTarget t) {
    ScrapeTarget.Builder b = ScrapeTarget.builder(t.uri()).name(t.name()).timeout(t.timeout())
        .bodySizeLimit(t.bodySizeLimit()).sampleLimit(t.sampleLimit()).maxRedirects(t.maxRedirects());
    t.headers().forEach(b::header);
    if (t.sslContext() != null) {
      b.sslContext(t.sslContext());
    }
    if (t.format() != null) {
      b.format(t.format());
    }
    return b.build();
  }

  private void note(String target, ScrapeResult r) {
    if (r.up()) {
      everUp.put(target, true);
      List<String> found = sources.detect(r.snapshot()).stream().map(s -> s.name()).toList();
      if (!found.isEmpty()) {
        sourcesSeen.computeIfAbsent(target, k -> ConcurrentHashMap.newKeySet()).addAll(found);
      } else {
        lastProblem.put(target, "up, but no known source in what it exposes (known: " + String.join(", ",
            sources.names()) + ")");
      }
    } else {
      everUp.putIfAbsent(target, false);
      lastProblem.put(target, (r.status() != 0 ? "HTTP " + r.status() + ", " : "")
          + r.error().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.error().message());
    }
  }

  /** A pipeline window: into the timeline. */
  private void accept(TargetWindow w) {
    double t = Duration.between(origin, w.at()).toNanos() / 1e9;
    ServerSample s = ServerSample.of(t, w.target(), w.kpiSets(), model);
    everUp.put(w.target(), true);
    w.sources().forEach(sw -> sourcesSeen.computeIfAbsent(w.target(), k -> ConcurrentHashMap.newKeySet())
        .add(sw.source()));
    synchronized (timeline) {
      timeline.add(s);
    }
  }

  /**
   * The server's side of a step.
   *
   * @param start the scrapes at the end of the warm-up
   * @param end the scrapes at the end of the drain
   * @param measureStart the measurement's start, seconds from the run's start
   * @param measureEnd the measurement's end, seconds from the run's start
   * @return the statistics
   */
  ServerStats step(Map<String, ScrapeResult> start, Map<String, ScrapeResult> end, double measureStart,
      double measureEnd) {
    List<String> problems = new ArrayList<>();
    List<TargetWindow> windows = new ArrayList<>();
    for (PipelineTarget t : targets) {
      ScrapeResult a = start.get(t.name());
      ScrapeResult b = end.get(t.name());
      if (a == null || b == null) {
        continue;
      }
      if (!a.up() || !b.up()) {
        ScrapeResult down = a.up() ? b : a;
        problems.add(t.name() + ": no window over the step: its scrape at the step's " + (a.up() ? "end" : "start")
            + " failed (" + (down.status() != 0 ? "HTTP " + down.status() + ", " : "") + down.error().kind().name()
            .toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + down.error().message() + ")");
        continue;
      }
      TargetPipeline p = new TargetPipeline(t, sources, slos);
      p.accept(a);
      Optional<TargetWindow> w = p.accept(b);
      if (w.isPresent()) {
        windows.add(w.get());
        w.get().problems().forEach(problem -> problems.add(t.name() + ": " + problem));
      } else {
        TargetStatus s = p.status();
        problems.add(t.name() + ": no window over the step (" + s.reason().orElse(s.state().name()
            .toLowerCase(Locale.ROOT)) + ")");
      }
    }
    Map<ServerSample.Gauge, ServerStats.Spread> gauges = gauges(measureStart, measureEnd);
    if (windows.isEmpty()) {
      return new ServerStats(false, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(), gauges, problems);
    }
    List<KpiSet> sets = new ArrayList<>();
    List<WindowHistogram> histograms = new ArrayList<>();
    double window = Double.NaN;
    for (TargetWindow w : windows) {
      for (SourceWindow s : w.sources()) {
        sets.add(s.kpis());
        histograms.addAll(s.window().histograms());
      }
      if (w.target().equals(server) || Double.isNaN(window)) {
        window = w.window().toNanos() / 1e9;
      }
    }
    Summary e2e = latency(histograms, Kpi.END_TO_END_LATENCY);
    return new ServerStats(true, latency(histograms, Kpi.TIME_TO_FIRST_TOKEN),
        latency(histograms, Kpi.INTER_TOKEN_LATENCY), e2e, latency(histograms, Kpi.QUEUE_TIME),
        e2e.count() > 0 || !Double.isNaN(e2e.mean()) ? e2e.count() : Double.NaN,
        ServerSample.modelLevel(sets, Kpi.ERROR_RATE, model, true),
        ServerSample.modelLevel(sets, Kpi.GENERATION_TOKEN_RATE, model, true),
        ServerSample.modelLevel(sets, Kpi.PROMPT_TOKEN_RATE, model, true), window, goodput(sets), gauges, problems);
  }

  /** The model-level histogram of a latency, of the model under test when the server has several. */
  private Summary latency(List<WindowHistogram> histograms, Kpi kpi) {
    BucketCounts chosen = null;
    for (WindowHistogram h : histograms) {
      if (h.kpi() != kpi || !(h.dimensions().isEmpty() || ServerSample.isModelLevel(h.dimensions()))) {
        continue;
      }
      boolean ours = model.equals(h.dimensions().get(KpiDimension.MODEL));
      if (chosen == null || ours) {
        chosen = h.increase();
        if (ours) {
          break;
        }
      }
    }
    if (chosen == null || !(chosen.count() > 0)) {
      return Summary.EMPTY;
    }
    OptionalDouble mean = chosen.mean();
    return new Summary((int) Math.round(chosen.count()), mean.isPresent() ? mean.getAsDouble() : Double.NaN,
        chosen.quantile(0.5), chosen.quantile(0.9), chosen.quantile(0.95), chosen.quantile(0.99), Double.NaN);
  }

  private Map<String, Double> goodput(List<KpiSet> sets) {
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, Double> any = new LinkedHashMap<>();
    for (KpiSet set : sets) {
      for (KpiValue v : set.values(Kpi.SLO_GOODPUT, KpiStatistic.VALUE)) {
        Labels d = v.dimensions().without(KpiDimension.SLO);
        String slo = v.dimensions().get(KpiDimension.SLO);
        if (slo == null || !(d.isEmpty() || ServerSample.isModelLevel(d))) {
          continue;
        }
        any.putIfAbsent(slo, v.value());
        if (model.equals(d.get(KpiDimension.MODEL))) {
          out.put(slo, v.value());
        }
      }
    }
    return out.isEmpty() ? any : out;
  }

  /** Every gauge over the pipeline windows that ended within the measured time, all targets together. */
  private Map<ServerSample.Gauge, ServerStats.Spread> gauges(double from, double to) {
    List<ServerSample> in = new ArrayList<>();
    synchronized (timeline) {
      for (ServerSample s : timeline) {
        if (s.seconds() >= from && s.seconds() <= to) {
          in.add(s);
        }
      }
    }
    Map<ServerSample.Gauge, ServerStats.Spread> out = new EnumMap<>(ServerSample.Gauge.class);
    for (ServerSample.Gauge g : ServerSample.Gauge.values()) {
      List<double[]> points = new ArrayList<>();
      for (ServerSample s : in) {
        double v = s.get(g);
        if (!Double.isNaN(v)) {
          points.add(new double[] {s.seconds(), v});
        }
      }
      if (!points.isEmpty()) {
        double[] times = new double[points.size()];
        double[] values = new double[points.size()];
        for (int i = 0; i < times.length; i++) {
          times[i] = points.get(i)[0];
          values[i] = points.get(i)[1];
        }
        out.put(g, ServerStats.Spread.of(times, values));
      }
    }
    return out;
  }

  /**
   * The timeline so far.
   *
   * @return every pipeline window's sample, in arrival order
   */
  List<ServerSample> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /**
   * What became of each target.
   *
   * @return one per target, in order
   */
  List<TargetReport> targets() {
    List<TargetReport> out = new ArrayList<>();
    Map<String, TargetStatus> status = new LinkedHashMap<>();
    for (TargetStatus s : pipeline.status()) {
      status.put(s.name(), s);
    }
    for (PipelineTarget t : targets) {
      TargetStatus s = status.get(t.name());
      Set<String> seen = new LinkedHashSet<>(t.sources());
      seen.addAll(sourcesSeen.getOrDefault(t.name(), Set.of()));
      boolean up = everUp.getOrDefault(t.name(), false);
      String problem = lastProblem.get(t.name());
      if (s != null && s.reason().isPresent()) {
        problem = s.reason().get();
      }
      out.add(new TargetReport(t.name(), t.uri().toString(), t.name().equals(server), List.copyOf(seen), up,
          s == null ? 0 : s.windows(), up && problem != null && s != null && s.state() == TargetStatus.State.UP
          ? null : problem));
    }
    return out;
  }

  /**
   * A watched target in the report.
   *
   * @param name its name
   * @param url its endpoint
   * @param server whether it is the model server's metrics
   * @param sources the sources found in it
   * @param everUp whether any scrape of it succeeded
   * @param windows pipeline windows computed
   * @param problem its last problem, or null
   */
  record TargetReport(String name, String url, boolean server, List<String> sources, boolean everUp, long windows,
      String problem) {}

  @Override
  public void close() {
    pipeline.close();
    marks.shutdownNow();
    markScraper.close();
    scraper.close();
  }
}

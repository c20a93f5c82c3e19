package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.FamilyIncreases;
import io.github.infermetrics.core.series.Grouping;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * SGLang's serving KPIs between two scrapes of one server: per model and per scheduler rank. Latency percentiles
 * are PromQL's {@code histogram_quantile(q, sum by (le, model_name) (irate(x_bucket[w])))} over the two scrapes;
 * counters follow PromQL's reset rule, so a restart between the scrapes gives no negative rates.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * SglangSnapshot before = SglangSnapshot.of(reader.read(Files.readAllBytes(Path.of("prev.prom"))));
 * SglangSnapshot after = SglangSnapshot.of(reader.read(Files.readAllBytes(Path.of("curr.prom"))));
 * SglangKpis kpis = SglangKpis.between(before, after, 15);
 * for (SglangWindow m : kpis.models()) {
 *   System.out.printf("%s TTFT p95 %s s, %s tokens/s (server says %s), KV cache %s%n", m.model(),
 *       m.timeToFirstToken().p95(), m.get(SglangMeasure.GENERATION_TOKEN_RATE),
 *       m.get(SglangMeasure.SERVER_GENERATION_THROUGHPUT), m.get(SglangMeasure.KV_CACHE_USAGE));
 * }
 * KpiSet shared = kpis.toKpiSet("sglang-0:30000", Instant.now());   // for EMF, remote write, Micrometer
 * }</pre>
 *
 * <p>Rows: one per model ({@code model}), and one per scheduler rank ({@code model}, {@code engine} = its
 * {@code dp_rank} or {@code "0"} without data parallelism, {@code tp_rank}, {@code pp_rank}) on releases that label
 * their schedulers so. The request-level families (tokens, requests, TTFT, inter-token and end-to-end latency) come
 * from SGLang's tokenizer and exist per model only; the scheduler families (running and waiting requests, KV cache,
 * the server's own hit rate and throughput, queue time, retractions) per rank and per model. A data-parallel rank
 * that reports from several TP or PP ranks ({@code --enable-metrics-for-all-schedulers}) reports one scheduler's
 * state several times, so a model's value averages those copies, then adds the data-parallel ranks up (requests,
 * tokens, throughput) or averages them (usage, hit rates), as {@code sum by (model_name) (avg by (model_name,
 * dp_rank) (...))} does. A series that first appears in the window counts from zero (SGLang creates a labelled
 * series at its first increment). Immutable.
 */
public final class SglangKpis implements KpiWindow {
  /** The source name in {@link KpiSet}s. */
  public static final String SOURCE = "sglang";
  /** The dimension of a rank's tensor-parallel rank (SGLang's label, kept as it is). */
  public static final String TP_RANK = "tp_rank";
  /** The dimension of a rank's pipeline-parallel rank (SGLang's label, kept as it is). */
  public static final String PP_RANK = "pp_rank";

  private final Duration window;
  private final double windowSeconds;
  private final List<String> dropped;
  private final boolean reset;
  private final List<SglangWindow> models;
  private final List<SglangWindow> ranks;

  private SglangKpis(Duration window, List<String> dropped, boolean reset, List<SglangWindow> models,
      List<SglangWindow> ranks) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.dropped = List.copyOf(dropped);
    this.reset = reset;
    this.models = Collections.unmodifiableList(models);
    this.ranks = Collections.unmodifiableList(ranks);
  }

  /**
   * The KPIs between two scrapes of the same server.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param windowSeconds the time between them, in seconds
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not a positive finite number of seconds
   */
  public static SglangKpis between(SglangSnapshot previous, SglangSnapshot current, double windowSeconds) {
    return between(previous, current, MeasuredWindow.duration(windowSeconds));
  }

  /**
   * The KPIs between two scrapes of the same server.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not positive
   */
  public static SglangKpis between(SglangSnapshot previous, SglangSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Calc calc = new Calc(previous, current, MeasuredWindow.seconds(window));
    List<SglangWindow> models = calc.models();
    List<SglangWindow> ranks = calc.ranks();
    return new SglangKpis(window, current.nonFinite(), calc.increases.reset(), models, ranks);
  }

  /**
   * The window length.
   *
   * @return seconds
   */
  public double windowSeconds() {
    return windowSeconds;
  }

  /**
   * Whether a counter or histogram went down in the window (the server restarted between the scrapes); the
   * numbers are then PromQL's, counted from zero after the restart.
   *
   * @return true after a reset
   */
  public boolean resetDetected() {
    return reset;
  }

  /**
   * One entry per model, over all its schedulers.
   *
   * @return the models, in scrape order
   */
  public List<SglangWindow> models() {
    return models;
  }

  /**
   * One entry per scheduler rank; empty on releases whose schedulers have no rank labels.
   *
   * @return the ranks, in scrape order
   */
  public List<SglangWindow> ranks() {
    return ranks;
  }

  /**
   * One model.
   *
   * @param model the served model name
   * @return its entry, or empty
   */
  public Optional<SglangWindow> model(String model) {
    return models.stream().filter(w -> w.model().equals(model)).findFirst();
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Duration window() {
    return window;
  }

  @Override
  public List<String> dropped() {
    return dropped;
  }

  /**
   * Every value, for binders and the KPI set: per model and per rank each {@link SglangMeasure} it has and each
   * latency's mean and percentiles ({@link SglangLatencyMeasure}, with their {@link Bound}s).
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    List<MeasureValue> out = new ArrayList<>();
    List<SglangWindow> all = new ArrayList<>(models);
    all.addAll(ranks);
    for (SglangWindow w : all) {
      for (SglangMeasure m : SglangMeasure.values()) {
        OptionalDouble v = w.get(m);
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          out.add(new MeasureValue(m, w.key(), v.getAsDouble()));
        }
      }
      for (SglangLatency l : SglangLatency.values()) {
        LatencyStats s = w.latency(l);
        for (KpiStatistic stat : LatencyStats.STATISTICS) {
          OptionalDouble v = s.get(stat);
          if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
            out.add(new MeasureValue(SglangLatencyMeasure.of(l, stat), w.key(), v.getAsDouble(), s.bound(stat)));
          }
        }
      }
    }
    return out;
  }

  /**
   * The KPIs in the shared vocabulary, named and split as the vllm module's: request, error, prompt-token and
   * generation-token rates, the error ratio, KV-cache usage, the running requests as the batch size and the waiting
   * ones as the queue depth, and the mean, p50, p90, p95 and p99 of time to first token, inter-token latency,
   * end-to-end latency and queue time; dimension {@code model}, and for a rank also {@code engine},
   * {@code tp_rank}, {@code pp_rank}.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@code sglang}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  /**
   * Everything computed, for people: {@code models} and {@code ranks} (every {@link SglangMeasure}; a rank only
   * the scheduler ones), {@code model_latencies} and {@code rank_latencies} (one row per latency: observations per
   * second, mean, p50, p90, p95, p99).
   *
   * @return the tables
   */
  @Override
  public List<KpiTable> tables() {
    List<SglangMeasure> perRank = new ArrayList<>();
    for (SglangMeasure m : SglangMeasure.values()) {
      if (m.perRank()) {
        perRank.add(m);
      }
    }
    return List.of(
        measureTable("models", models, List.of(SglangMeasure.values()), KpiDimension.MODEL),
        latencyTable("model_latencies", models, KpiDimension.MODEL, "latency"),
        measureTable("ranks", ranks, perRank, KpiDimension.MODEL, KpiDimension.ENGINE, TP_RANK, PP_RANK),
        latencyTable("rank_latencies", ranks, KpiDimension.MODEL, KpiDimension.ENGINE, TP_RANK, PP_RANK,
            "latency"));
  }

  private static KpiTable measureTable(String name, List<SglangWindow> rows, List<SglangMeasure> columns,
      String... keys) {
    KpiTable.Builder b = KpiTable.builder(name, keys);
    columns.forEach(b::column);
    for (SglangWindow w : rows) {
      List<OptionalDouble> values = new ArrayList<>();
      for (SglangMeasure m : columns) {
        values.add(w.get(m));
      }
      b.row(w.key(), values);
    }
    return b.build();
  }

  private static KpiTable latencyTable(String name, List<SglangWindow> rows, String... keys) {
    KpiTable.Builder b = KpiTable.builder(name, keys).column(new KpiTable.Column("observations_per_second",
        "OBS/S", Optional.of(KpiUnit.PER_SECOND), KpiStatistic.VALUE));
    for (KpiStatistic stat : LatencyStats.STATISTICS) {
      b.column(new KpiTable.Column("seconds_" + stat.suffix(), stat == KpiStatistic.MEAN ? "MEAN s"
          : stat.suffix().toUpperCase(java.util.Locale.ROOT) + " s", Optional.of(KpiUnit.SECONDS), stat));
    }
    for (SglangWindow w : rows) {
      for (SglangLatency l : SglangLatency.values()) {
        LatencyStats s = w.latency(l);
        if (s.equals(LatencyStats.ABSENT)) {
          continue; // a histogram this release or row does not have: no row rather than a row of blanks
        }
        Map<Integer, Bound> bounds = new TreeMap<>();
        for (int i = 0; i < LatencyStats.STATISTICS.size(); i++) {
          int column = i + 1;
          s.bound(LatencyStats.STATISTICS.get(i)).ifPresent(x -> bounds.put(column, x));
        }
        b.row(w.key().with("latency", l.id()), List.of(s.perSecond(), s.mean(), s.p50(), s.p90(), s.p95(),
            s.p99()), bounds);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "SglangKpis{" + windowSeconds + " s, " + models.size() + " models, " + ranks.size() + " ranks}";
  }

  /** The arithmetic of one {@link #between} call. */
  private static final class Calc {
    private static final Grouping BY_MODEL = Grouping.by(SglangKeys.MODEL_NAME);
    private static final Grouping BY_RANK = Grouping.by(SglangKeys.RANK_LABELS);

    final FamilyIncreases increases = new FamilyIncreases();
    private final SglangSnapshot previous;
    private final SglangSnapshot current;
    private final double seconds;

    Calc(SglangSnapshot previous, SglangSnapshot current, double seconds) {
      this.previous = previous;
      this.current = current;
      this.seconds = seconds;
    }

    private boolean has(SglangMetric m) {
      return current.family(m) != null;
    }

    /** A counter's rate per key of {@code grouping}, or null when the scrape does not have the family. */
    private Map<Labels, Double> rates(SglangMetric m, boolean perRank) {
      if (!has(m)) {
        return null;
      }
      Map<Labels, Double> sums = (perRank ? BY_RANK : BY_MODEL).sum(
          increases.counter(previous.family(m), current.family(m)));
      Map<Labels, Double> out = new LinkedHashMap<>();
      sums.forEach((group, inc) -> out.merge(perRank ? SglangKeys.rank(group) : SglangKeys.model(group),
          inc / seconds, Double::sum));
      return out;
    }

    /** A histogram's bucket increases per key. */
    private Map<Labels, BucketCounts> histograms(SglangMetric m, boolean perRank) {
      Map<Labels, BucketCounts> sums = (perRank ? BY_RANK : BY_MODEL).sumHistograms(
          increases.histogram(previous.family(m), current.family(m)));
      Map<Labels, BucketCounts> out = new LinkedHashMap<>();
      sums.forEach((group, b) -> out.put(perRank ? SglangKeys.rank(group) : SglangKeys.model(group), b));
      return out;
    }

    /** A gauge of every scheduler, NaN where it is not finite (so that what it feeds is left out). */
    private Map<Labels, Double> gauges(SglangMetric m, java.util.function.DoublePredicate keep) {
      Map<Labels, Double> out = new LinkedHashMap<>();
      for (SglangScheduler s : current.schedulers()) {
        Double v = s.raw(m);
        if (v != null && (!Double.isFinite(v) || keep.test(v))) {
          out.put(s.key(), Double.isFinite(v) ? v : Double.NaN);
        }
      }
      return out;
    }

    private Map<Labels, Double> gauges(SglangMetric m) {
      return gauges(m, v -> true);
    }

    /**
     * Per model from per-rank values: the mean of a data-parallel rank's copies (its TP and PP ranks report the
     * same scheduler), then the sum or the mean over the data-parallel ranks.
     */
    private static Map<Labels, Double> toModels(Map<Labels, Double> perRank, boolean additive) {
      if (perRank == null) {
        return null;
      }
      Map<Labels, double[]> engines = new LinkedHashMap<>();
      perRank.forEach((k, v) -> accumulate(engines, SglangKeys.engine(k), v));
      Map<Labels, double[]> models = new LinkedHashMap<>();
      engines.forEach((k, a) -> accumulate(models, SglangKeys.modelOf(k), a[0] / a[1]));
      Map<Labels, Double> out = new LinkedHashMap<>();
      models.forEach((k, a) -> out.put(k, additive ? a[0] : a[0] / a[1]));
      return out;
    }

    private static void accumulate(Map<Labels, double[]> into, Labels key, double v) {
      double[] a = into.computeIfAbsent(key, k -> new double[2]);
      a[0] += v;
      a[1]++;
    }

    List<SglangWindow> models() {
      Map<Labels, Double> requests = rates(SglangMetric.REQUESTS, false);
      if (requests == null && has(SglangMetric.E2E_REQUEST_LATENCY)) {
        // releases before num_requests_total: each finished request is one end-to-end observation
        requests = new LinkedHashMap<>();
        for (Map.Entry<Labels, BucketCounts> e : histograms(SglangMetric.E2E_REQUEST_LATENCY, false).entrySet()) {
          requests.put(e.getKey(), e.getValue().count() / seconds);
        }
      }
      Map<Labels, Double> aborted = rates(SglangMetric.ABORTED_REQUESTS, false);
      Map<Labels, Double> prompt = rates(SglangMetric.PROMPT_TOKENS, false);
      Map<Labels, Double> generation = rates(SglangMetric.GENERATION_TOKENS, false);
      Map<Labels, Double> cached = rates(SglangMetric.CACHED_TOKENS, false);
      Scheduled s = new Scheduled(toModels(rates(SglangMetric.RETRACTED_REQUESTS, true), true), false);
      Map<SglangLatency, Map<Labels, BucketCounts>> latencies = new EnumMap<>(SglangLatency.class);
      for (SglangLatency l : SglangLatency.values()) {
        latencies.put(l, histograms(l.metric(), false));
      }

      Set<Labels> keys = new LinkedHashSet<>();
      for (String model : current.models()) {
        keys.add(Labels.of(KpiDimension.MODEL, model));
      }
      for (Map<Labels, Double> m : java.util.Arrays.asList(requests, prompt, generation, s.running, s.waiting,
          s.kv)) {
        if (m != null) {
          keys.addAll(m.keySet());
        }
      }
      List<SglangWindow> out = new ArrayList<>();
      for (Labels key : keys) {
        Map<SglangMeasure, OptionalDouble> m = new EnumMap<>(SglangMeasure.class);
        OptionalDouble req = counted(requests, key);
        OptionalDouble abort = counted(aborted, key);
        m.put(SglangMeasure.REQUEST_RATE, req);
        m.put(SglangMeasure.ERROR_RATE, abort);
        if (req.isPresent() && abort.isPresent()) {
          m.put(SglangMeasure.ERROR_RATIO, ratio(abort, OptionalDouble.of(req.getAsDouble() + abort.getAsDouble())));
        }
        OptionalDouble promptRate = counted(prompt, key);
        OptionalDouble generationRate = counted(generation, key);
        m.put(SglangMeasure.PROMPT_TOKEN_RATE, promptRate);
        m.put(SglangMeasure.GENERATION_TOKEN_RATE, generationRate);
        m.put(SglangMeasure.PROMPT_TOKENS_PER_REQUEST, ratio(promptRate, req));
        m.put(SglangMeasure.GENERATION_TOKENS_PER_REQUEST, ratio(generationRate, req));
        m.put(SglangMeasure.PREFIX_CACHE_HIT_RATIO, ratio(counted(cached, key), promptRate));
        s.fill(m, key);
        out.add(new SglangWindow(key, m, stats(latencies, key)));
      }
      return out;
    }

    List<SglangWindow> ranks() {
      Scheduled s = new Scheduled(rates(SglangMetric.RETRACTED_REQUESTS, true), true);
      Map<Labels, BucketCounts> queue = histograms(SglangMetric.QUEUE_TIME, true);
      Set<Labels> keys = new LinkedHashSet<>();
      for (SglangScheduler sch : current.schedulers()) {
        keys.add(sch.key());
      }
      keys.addAll(queue.keySet());
      if (s.retractions != null) {
        keys.addAll(s.retractions.keySet());
      }
      List<SglangWindow> out = new ArrayList<>();
      for (Labels key : keys) {
        if (!SglangKeys.isRank(key)) {
          continue; // a release without rank labels: its schedulers are the model rows
        }
        Map<SglangMeasure, OptionalDouble> m = new EnumMap<>(SglangMeasure.class);
        s.fill(m, key);
        Map<SglangLatency, Map<Labels, BucketCounts>> latencies = new EnumMap<>(SglangLatency.class);
        latencies.put(SglangLatency.QUEUE_TIME, queue);
        out.add(new SglangWindow(key, m, stats(latencies, key)));
      }
      return out;
    }

    private Map<SglangLatency, LatencyStats> stats(Map<SglangLatency, Map<Labels, BucketCounts>> latencies,
        Labels key) {
      Map<SglangLatency, LatencyStats> out = new EnumMap<>(SglangLatency.class);
      latencies.forEach((l, byKey) -> {
        BucketCounts b = byKey.get(key);
        if (b != null) {
          out.put(l, LatencyStats.of(b, seconds));
        }
      });
      return out;
    }

    /** The scheduler measures, per rank or per model. */
    private final class Scheduled {
      final Map<Labels, Double> running;
      final Map<Labels, Double> waiting;
      final Map<Labels, Double> kv;
      final Map<Labels, Double> used;
      final Map<Labels, Double> capacity;
      final Map<Labels, Double> hit;
      final Map<Labels, Double> throughput;
      final Map<Labels, Double> retractions;
      final Map<Labels, Double> specRate;
      final Map<Labels, Double> specLength;

      Scheduled(Map<Labels, Double> retractions, boolean perRank) {
        this.running = level(gauges(SglangMetric.RUNNING_REQUESTS), perRank, true);
        this.waiting = level(gauges(SglangMetric.QUEUED_REQUESTS), perRank, true);
        this.kv = level(gauges(SglangMetric.TOKEN_USAGE), perRank, false);
        this.used = level(gauges(SglangMetric.USED_TOKENS), perRank, true);
        this.capacity = level(gauges(SglangMetric.MAX_TOTAL_TOKENS), perRank, true);
        this.hit = level(gauges(SglangMetric.CACHE_HIT_RATE), perRank, false);
        this.throughput = level(gauges(SglangMetric.GEN_THROUGHPUT), perRank, true);
        this.retractions = retractions;
        // SGLang writes 0 to both gauges without speculative decoding, whose accepted length is at least 1
        Set<Labels> speculating = gauges(SglangMetric.SPEC_ACCEPT_LENGTH, v -> v > 0).keySet();
        Map<Labels, Double> rate = gauges(SglangMetric.SPEC_ACCEPT_RATE);
        rate.keySet().retainAll(speculating);
        this.specRate = level(rate, perRank, false);
        this.specLength = level(gauges(SglangMetric.SPEC_ACCEPT_LENGTH, v -> v > 0), perRank, false);
      }

      private Map<Labels, Double> level(Map<Labels, Double> perScheduler, boolean perRank, boolean additive) {
        return perRank ? perScheduler : toModels(perScheduler, additive);
      }

      void fill(Map<SglangMeasure, OptionalDouble> m, Labels key) {
        OptionalDouble run = get(running, key);
        OptionalDouble wait = get(waiting, key);
        m.put(SglangMeasure.REQUESTS_RUNNING, run);
        m.put(SglangMeasure.REQUESTS_WAITING, wait);
        if (run.isPresent() && wait.isPresent()) {
          m.put(SglangMeasure.QUEUE_PRESSURE, ratio(wait, OptionalDouble.of(run.getAsDouble() + wait.getAsDouble())));
        }
        OptionalDouble usage = get(kv, key);
        m.put(SglangMeasure.KV_CACHE_USAGE, usage);
        m.put(SglangMeasure.KV_CACHE_HEADROOM, map(usage, u -> 1 - u));
        m.put(SglangMeasure.KV_CACHE_USED_TOKENS, get(used, key));
        m.put(SglangMeasure.KV_CACHE_CAPACITY_TOKENS, get(capacity, key));
        m.put(SglangMeasure.SERVER_CACHE_HIT_RATIO, get(hit, key));
        m.put(SglangMeasure.SERVER_GENERATION_THROUGHPUT, get(throughput, key));
        m.put(SglangMeasure.RETRACTION_RATE, counted(retractions, key));
        m.put(SglangMeasure.SPEC_DECODE_ACCEPTANCE_RATE, get(specRate, key));
        m.put(SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH, get(specLength, key));
      }
    }

    /** A key's value; empty when the map (the family) or the key is missing, or the value is NaN. */
    private static OptionalDouble get(Map<Labels, Double> m, Labels key) {
      Double v = m == null ? null : m.get(key);
      return v == null || v.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * A counter's rate for a key: 0 when the scrape has the family but not the key's series (SGLang creates a
     * series at its first increment, so nothing happened yet); empty when the scrape does not have the family.
     */
    private static OptionalDouble counted(Map<Labels, Double> m, Labels key) {
      return m == null ? OptionalDouble.empty() : m.containsKey(key) ? get(m, key) : OptionalDouble.of(0);
    }

    private static OptionalDouble map(OptionalDouble v, java.util.function.DoubleUnaryOperator f) {
      return v.isPresent() ? OptionalDouble.of(f.applyAsDouble(v.getAsDouble())) : v;
    }

    /** A ratio of two window quantities; empty when either is absent or the denominator is 0 (nothing happened). */
    private static OptionalDouble ratio(OptionalDouble numerator, OptionalDouble denominator) {
      if (numerator.isEmpty() || denominator.isEmpty() || !(denominator.getAsDouble() > 0)) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble());
    }
  }
}

package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.kpi.WindowHistogram;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.Grouping;
import io.github.infermetrics.core.series.SeriesChange;
import io.github.infermetrics.core.series.SnapshotComparison;
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

/**
 * vLLM's serving KPIs between two scrapes of one server: per model (summed over its data-parallel engines, as
 * {@code sum by (model_name)} does) and per engine. Latency percentiles are PromQL's
 * {@code histogram_quantile(q, sum by (le, ...) (irate(x_bucket[w])))} over the two scrapes; rates follow PromQL's
 * counter-reset rule, so a server restart between the scrapes does not give negative rates.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * VllmSnapshot before = VllmSnapshot.of(reader.read(Files.readAllBytes(Path.of("prev.prom"))));
 * VllmSnapshot after = VllmSnapshot.of(reader.read(Files.readAllBytes(Path.of("curr.prom"))));
 * VllmKpis kpis = VllmKpis.between(before, after, 15);
 * for (VllmWindow m : kpis.models()) {
 *   System.out.printf("%s TTFT p95 %s s, %s tokens/s, KV cache %s%n", m.model(),
 *       m.timeToFirstToken().p95(), m.generationTokensPerSecond(), m.kvCacheUsage());
 * }
 * KpiSet shared = kpis.toKpiSet("vllm-0:8000", Instant.now());   // for KpiMetrics, EMF, CloudWatch
 * }</pre>
 *
 * <p>Per model, gauges are summed over engines (running, waiting) except the KV-cache usage, which is the mean of
 * the engines' (each engine has its own cache). Counts and latencies are read under whichever name the current
 * scrape uses ({@link VllmMetric}); a series that exists in one scrape only has no rate. Immutable.
 */
public final class VllmKpis implements KpiWindow {
  /** The {@code finished_reason} values vLLM pre-creates; the tables have a column for each. */
  public static final List<String> FINISHED_REASONS = List.of("stop", "length", "abort", "error", "repetition");
  /** The {@code finished_reason} values that count as errors (and are left out of goodput). */
  public static final Set<String> FAILED_REASONS = Set.of("abort", "error");
  /** The source name in {@link KpiSet}s. */
  public static final String SOURCE = "vllm";

  private final Duration window;
  private final double windowSeconds;
  private final List<String> dropped;
  private final VllmGeneration generation;
  private final VllmNaming naming;
  private final boolean reset;
  private final List<VllmWindow> models;
  private final List<VllmWindow> engines;
  private final List<VllmNeuronBucketKpis> neuronBuckets;

  private VllmKpis(Duration window, List<String> dropped, VllmGeneration generation, VllmNaming naming,
      boolean reset, List<VllmWindow> models, List<VllmWindow> engines, List<VllmNeuronBucketKpis> neuronBuckets) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.dropped = List.copyOf(dropped);
    this.generation = generation;
    this.naming = naming;
    this.reset = reset;
    this.models = Collections.unmodifiableList(models);
    this.engines = Collections.unmodifiableList(engines);
    this.neuronBuckets = Collections.unmodifiableList(neuronBuckets);
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
  public static VllmKpis between(VllmSnapshot previous, VllmSnapshot current, double windowSeconds) {
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("windowSeconds must be a positive finite number of seconds: "
          + windowSeconds);
    }
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
  public static VllmKpis between(VllmSnapshot previous, VllmSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    double windowSeconds = MeasuredWindow.seconds(window);
    Calc calc = new Calc(current, SnapshotComparison.compare(previous.source(), current.source(), windowSeconds),
        windowSeconds);
    List<VllmWindow> models = calc.windows(false);
    List<VllmWindow> engines = calc.windows(true);
    List<VllmNeuronBucketKpis> neuron = calc.neuron();
    return new VllmKpis(window, current.nonFinite(), current.generation(), current.naming(), calc.reset, models,
        engines, neuron);
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
   * The generation of names the current scrape uses.
   *
   * @return the generation
   */
  public VllmGeneration generation() {
    return generation;
  }

  /**
   * How the current scrape spells vLLM's names.
   *
   * @return the naming, for example {@link VllmNaming#RAY_UNDERSCORE}
   */
  public VllmNaming naming() {
    return naming;
  }

  /**
   * Whether a counter or histogram restarted in the window (the server restarted between the scrapes). The numbers
   * are then PromQL's, which count from zero after the restart; treat them with care.
   *
   * @return true after a reset
   */
  public boolean resetDetected() {
    return reset;
  }

  /**
   * One entry per model (and Triton model version), summed over its engines.
   *
   * @return the models, in scrape order
   */
  public List<VllmWindow> models() {
    return models;
  }

  /**
   * One entry per engine; empty when the scrapes have no {@code engine} label (V0, Triton).
   *
   * @return the engines, in scrape order
   */
  public List<VllmWindow> engines() {
    return engines;
  }

  /**
   * One model.
   *
   * @param model the served model name
   * @return its first entry (the first version behind Triton), or empty
   */
  public Optional<VllmWindow> model(String model) {
    return models.stream().filter(w -> w.model().equals(model)).findFirst();
  }

  /**
   * One engine of a model.
   *
   * @param model the served model name
   * @param engine the engine index
   * @return the entry, or empty
   */
  public Optional<VllmWindow> engine(String model, String engine) {
    return engines.stream().filter(w -> w.model().equals(model) && w.engine().orElse("").equals(engine))
        .findFirst();
  }

  /**
   * The vLLM-Neuron buckets.
   *
   * @return one entry per model, bucket and rank; empty outside vLLM-Neuron
   */
  public List<VllmNeuronBucketKpis> neuronBuckets() {
    return neuronBuckets;
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
   * Every value, for binders and the KPI set: per model and per engine each {@link VllmMeasure} and each latency's
   * mean and percentiles ({@link LatencyMeasure}); dimensions {@code model} (plus {@code model_version} behind
   * Triton) and {@code engine} for an engine. Values that are not finite (a server's {@code +Inf} gauge) are left
   * out; {@link #dropped()} counts their samples.
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    List<MeasureValue> out = new ArrayList<>();
    List<VllmWindow> all = new ArrayList<>(models);
    all.addAll(engines);
    for (VllmWindow w : all) {
      Labels dims = w.key();
      for (VllmMeasure m : VllmMeasure.values()) {
        OptionalDouble v = w.get(m);
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          out.add(new MeasureValue(m, dims, v.getAsDouble()));
        }
      }
      for (VllmLatency l : VllmLatency.values()) {
        LatencyStats s = w.latency(l);
        for (KpiStatistic stat : LatencyMeasure.STATISTICS) {
          OptionalDouble v = s.get(stat);
          if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
            out.add(new MeasureValue(LatencyMeasure.of(l, stat), dims, v.getAsDouble(), s.bound(stat)));
          }
        }
      }
    }
    return out;
  }

  /**
   * The window's histograms of time to first token, inter-token latency, end-to-end latency and queue time, per
   * model and per engine, for SLO goodput.
   *
   * @return the histograms
   */
  @Override
  public List<WindowHistogram> histograms() {
    List<WindowHistogram> out = new ArrayList<>();
    List<VllmWindow> all = new ArrayList<>(models);
    all.addAll(engines);
    for (VllmWindow w : all) {
      for (VllmLatency l : VllmLatency.values()) {
        Optional<BucketCounts> b = w.histogram(l);
        if (l.kpi().isPresent() && b.isPresent()) {
          out.add(new WindowHistogram(l.kpi().get(), w.key(), b.get()));
        }
      }
    }
    return out;
  }

  /**
   * The KPIs in the shared vocabulary: latencies (mean, p50, p90, p95, p99) of time to first token, inter-token
   * latency, end-to-end latency and queue time; request, error, prompt-token and generation-token rates; the error
   * ratio; KV-cache usage; the running requests as the batch size (in continuous batching the running requests are
   * the batch) and the waiting ones as the queue depth. Dimensions {@code model} (plus {@code model_version} behind
   * Triton) for each model and also {@code engine} for each engine.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@code vllm}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  /**
   * Everything computed, for people: tables {@code models} and {@code engines} (every {@link VllmMeasure} and the
   * request rate of each {@link #FINISHED_REASONS finished reason}), {@code model_latencies} and
   * {@code engine_latencies} (one row per {@link VllmLatency}: observations per second, mean, p50, p90, p95, p99),
   * and {@code neuron_buckets} on vLLM-Neuron. Absent values are empty.
   *
   * @return the tables
   */
  public List<KpiTable> tables() {
    List<KpiTable> out = new ArrayList<>();
    out.add(measureTable("models", models, KpiDimension.MODEL, KpiDimension.MODEL_VERSION));
    out.add(latencyTable("model_latencies", models, KpiDimension.MODEL, KpiDimension.MODEL_VERSION, "latency"));
    out.add(measureTable("engines", engines, KpiDimension.MODEL, KpiDimension.MODEL_VERSION, KpiDimension.ENGINE));
    out.add(latencyTable("engine_latencies", engines, KpiDimension.MODEL, KpiDimension.MODEL_VERSION,
        KpiDimension.ENGINE, "latency"));
    if (!neuronBuckets.isEmpty()) {
      KpiTable.Builder b = KpiTable.builder("neuron_buckets", KpiDimension.MODEL, "bucket_name", "rank_id")
          .column("neff_executions_per_second", "NEFF/S")
          .column("seqs_padding_mean", "PAD SEQS")
          .column("batched_tokens_padding_mean", "PAD TOK")
          .column("compilation_time_seconds", "COMPILE s");
      for (VllmNeuronBucketKpis n : neuronBuckets) {
        List<String> pairs = new ArrayList<>();
        addPair(pairs, KpiDimension.MODEL, n.model());
        addPair(pairs, "bucket_name", n.bucketName());
        addPair(pairs, "rank_id", n.rankId());
        b.row(Labels.of(pairs.toArray(new String[0])), n.neffExecutionsPerSecond(), n.meanSeqsPadding(),
            n.meanBatchedTokensPadding(), n.compilationTimeSeconds());
      }
      out.add(b.build());
    }
    return out;
  }

  private static void addPair(List<String> pairs, String name, String value) {
    if (!value.isEmpty()) {
      pairs.add(name);
      pairs.add(value);
    }
  }

  private static KpiTable measureTable(String name, List<VllmWindow> rows, String... keys) {
    KpiTable.Builder b = KpiTable.builder(name, keys);
    for (VllmMeasure m : VllmMeasure.values()) {
      b.column(m);
    }
    for (String reason : FINISHED_REASONS) {
      b.column(new KpiTable.Column("requests_" + reason + "_per_second",
          reason.toUpperCase(java.util.Locale.ROOT) + "/S", Optional.of(KpiUnit.PER_SECOND), KpiStatistic.VALUE));
    }
    for (VllmWindow w : rows) {
      List<OptionalDouble> values = new ArrayList<>();
      for (VllmMeasure m : VllmMeasure.values()) {
        values.add(w.get(m));
      }
      for (String reason : FINISHED_REASONS) {
        Double r = w.requestRateByReason().get(reason);
        values.add(r == null ? OptionalDouble.empty() : OptionalDouble.of(r));
      }
      b.row(w.key(), values);
    }
    return b.build();
  }

  private static KpiTable latencyTable(String name, List<VllmWindow> rows, String... keys) {
    KpiTable.Builder b = KpiTable.builder(name, keys)
        .column(new KpiTable.Column("observations_per_second", "OBS/S", Optional.of(KpiUnit.PER_SECOND),
            KpiStatistic.VALUE));
    for (KpiStatistic stat : LatencyMeasure.STATISTICS) {
      b.column(new KpiTable.Column("seconds_" + stat.suffix(), stat == KpiStatistic.MEAN ? "MEAN s"
          : stat.suffix().toUpperCase(java.util.Locale.ROOT) + " s", Optional.of(KpiUnit.SECONDS), stat));
    }
    for (VllmWindow w : rows) {
      for (VllmLatency l : VllmLatency.values()) {
        LatencyStats s = w.latency(l);
        if (s.equals(LatencyStats.ABSENT)) {
          continue; // a histogram this vLLM does not have: no row rather than a row of blanks
        }
        java.util.Map<Integer, Bound> bounds = new java.util.TreeMap<>();
        for (int i = 0; i < LatencyMeasure.STATISTICS.size(); i++) {
          int column = i + 1;
          s.bound(LatencyMeasure.STATISTICS.get(i)).ifPresent(x -> bounds.put(column, x));
        }
        b.row(w.key().with("latency", l.id()), List.of(s.perSecond(), s.mean(), s.p50(), s.p90(), s.p95(),
            s.p99()), bounds);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "VllmKpis{" + windowSeconds + " s, " + models.size() + " models, " + engines.size() + " engines}";
  }

  /** The arithmetic of one {@link #between} call. */
  private static final class Calc {
    /** Grouping-only label names: a series' detail value and its position (never a KPI dimension). */
    private static final String DETAIL = "detail";
    private static final String POSITION = "position";

    private final VllmSnapshot current;
    private final SnapshotComparison comparison;
    private final double seconds;
    private boolean reset;

    Calc(VllmSnapshot current, SnapshotComparison comparison, double seconds) {
      this.current = current;
      this.comparison = comparison;
      this.seconds = seconds;
    }

    List<SeriesChange> series(VllmMetric m) {
      Optional<String> name = current.familyName(m);
      if (name.isEmpty()) {
        return List.of();
      }
      List<SeriesChange> s = comparison.series(name.get());
      for (SeriesChange c : s) {
        reset |= c.reset();
      }
      return s;
    }

    /**
     * {@code sum by (model, model_version[, engine][, detail])} over the series' keys rather than their raw labels:
     * Ray's engine is made of two labels, and Ray's other labels must not split a group.
     */
    static Grouping grouping(boolean perEngine, String detail) {
      List<String> by = new ArrayList<>(List.of(KpiDimension.MODEL, KpiDimension.MODEL_VERSION));
      if (perEngine) {
        by.add(KpiDimension.ENGINE);
      }
      if (detail != null) {
        by.add(DETAIL);
      }
      return Grouping.by(by.toArray(new String[0]));
    }

    /**
     * A series' key with its detail value, made unique by its position so that series of one key stay apart until
     * the grouping sums them.
     */
    static Labels groupable(Labels raw, String detail, int position) {
      Labels k = SeriesKeys.key(raw);
      if (detail != null) {
        k = k.with(DETAIL, SeriesKeys.detail(raw, detail));
      }
      return k.with(POSITION, Integer.toString(position));
    }

    /** Rates per key, by detail value when {@code byDetail} (else under {@code ""}). */
    Map<Labels, Map<String, Double>> ratesBy(VllmMetric m, boolean perEngine, boolean byDetail) {
      String detail = byDetail ? m.detailLabel() : null;
      Map<Labels, Double> perSeries = new LinkedHashMap<>();
      List<SeriesChange> changes = series(m);
      for (int i = 0; i < changes.size(); i++) {
        SeriesChange s = changes.get(i);
        if (s.rate().isPresent()) {
          perSeries.put(groupable(s.labels(), detail, i), s.rate().getAsDouble());
        }
      }
      Map<Labels, Map<String, Double>> out = new LinkedHashMap<>();
      grouping(perEngine, detail).sum(perSeries).forEach((group, v) -> {
        Labels key = group.without(DETAIL);
        if (!perEngine || key.contains(KpiDimension.ENGINE)) {
          out.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(SeriesKeys.detail(group, DETAIL), v,
              Double::sum);
        }
      });
      return out;
    }

    Map<Labels, Double> rates(VllmMetric m, boolean perEngine) {
      Map<Labels, Double> out = new LinkedHashMap<>();
      ratesBy(m, perEngine, false).forEach((k, v) -> out.put(k, v.get("")));
      return out;
    }

    Map<Labels, BucketCounts> histograms(VllmMetric m, boolean perEngine) {
      Map<Labels, BucketCounts> perSeries = new LinkedHashMap<>();
      List<SeriesChange> changes = series(m);
      for (int i = 0; i < changes.size(); i++) {
        SeriesChange s = changes.get(i);
        if (s.buckets().isPresent()) {
          perSeries.put(groupable(s.labels(), null, i), s.buckets().get());
        }
      }
      Map<Labels, BucketCounts> out = new LinkedHashMap<>();
      grouping(perEngine, null).sumHistograms(perSeries).forEach((key, b) -> {
        if (!perEngine || key.contains(KpiDimension.ENGINE)) {
          out.put(key, b);
        }
      });
      return out;
    }

    List<VllmWindow> windows(boolean perEngine) {
      Set<Labels> keys = new LinkedHashSet<>();
      Map<Labels, double[]> running = new LinkedHashMap<>();
      Map<Labels, double[]> waiting = new LinkedHashMap<>();
      Map<Labels, double[]> kv = new LinkedHashMap<>();
      for (VllmEngine e : current.engines()) {
        Labels key = perEngine ? e.key() : SeriesKeys.modelKey(e.key());
        if (perEngine && !key.contains(KpiDimension.ENGINE)) {
          continue;
        }
        keys.add(key);
        accumulate(running, key, e.runningRequests());
        accumulate(waiting, key, e.waitingRequests());
        accumulate(kv, key, e.kvCacheUsage());
      }
      Map<Labels, Double> total = rates(VllmMetric.REQUEST_SUCCESS, perEngine);
      Map<Labels, Map<String, Double>> byReason = ratesBy(VllmMetric.REQUEST_SUCCESS, perEngine, true);
      Map<Labels, Double> prompt = rates(VllmMetric.PROMPT_TOKENS, perEngine);
      Map<Labels, Double> generation = rates(VllmMetric.GENERATION_TOKENS, perEngine);
      Map<Labels, Double> preemptions = rates(VllmMetric.PREEMPTIONS, perEngine);
      Map<Labels, Double> pcQueries = rates(VllmMetric.PREFIX_CACHE_QUERIES, perEngine);
      Map<Labels, Double> pcHits = rates(VllmMetric.PREFIX_CACHE_HITS, perEngine);
      Map<Labels, Double> extQueries = rates(VllmMetric.EXTERNAL_PREFIX_CACHE_QUERIES, perEngine);
      Map<Labels, Double> extHits = rates(VllmMetric.EXTERNAL_PREFIX_CACHE_HITS, perEngine);
      Map<Labels, Double> mmQueries = rates(VllmMetric.MM_CACHE_QUERIES, perEngine);
      Map<Labels, Double> mmHits = rates(VllmMetric.MM_CACHE_HITS, perEngine);
      Map<Labels, Double> drafts = rates(VllmMetric.SPEC_DECODE_DRAFTS, perEngine);
      Map<Labels, Double> draftTokens = rates(VllmMetric.SPEC_DECODE_DRAFT_TOKENS, perEngine);
      Map<Labels, Double> accepted = rates(VllmMetric.SPEC_DECODE_ACCEPTED_TOKENS, perEngine);
      Map<Labels, BucketCounts> promptPerRequest = histograms(VllmMetric.REQUEST_PROMPT_TOKENS, perEngine);
      Map<Labels, BucketCounts> generationPerRequest = histograms(VllmMetric.REQUEST_GENERATION_TOKENS, perEngine);
      Map<Labels, BucketCounts> iteration = histograms(VllmMetric.ITERATION_TOKENS, perEngine);
      Map<VllmLatency, Map<Labels, BucketCounts>> latencies = new EnumMap<>(VllmLatency.class);
      for (VllmLatency l : VllmLatency.values()) {
        latencies.put(l, histograms(l.metric(), perEngine));
      }
      keys.addAll(total.keySet());
      keys.addAll(generation.keySet());

      List<VllmWindow> out = new ArrayList<>();
      for (Labels key : keys) {
        Map<VllmMeasure, OptionalDouble> m = new EnumMap<>(VllmMeasure.class);
        Map<String, Double> reasons = byReason.getOrDefault(key, Map.of());
        OptionalDouble all = get(total, key);
        m.put(VllmMeasure.REQUEST_RATE, all);
        if (all.isPresent()) {
          double failed = 0;
          double good = 0;
          for (Map.Entry<String, Double> r : reasons.entrySet()) {
            if (FAILED_REASONS.contains(r.getKey())) {
              failed += r.getValue();
            } else {
              good += r.getValue();
            }
          }
          m.put(VllmMeasure.ERROR_RATE, OptionalDouble.of(failed));
          m.put(VllmMeasure.GOODPUT, OptionalDouble.of(good));
          m.put(VllmMeasure.ERROR_RATIO, ratio(OptionalDouble.of(failed), all));
        }
        m.put(VllmMeasure.PROMPT_TOKEN_RATE, get(prompt, key));
        m.put(VllmMeasure.GENERATION_TOKEN_RATE, get(generation, key));
        m.put(VllmMeasure.PREEMPTION_RATE, get(preemptions, key));
        m.put(VllmMeasure.PREFIX_CACHE_HIT_RATIO, ratio(get(pcHits, key), get(pcQueries, key)));
        m.put(VllmMeasure.EXTERNAL_PREFIX_CACHE_HIT_RATIO, ratio(get(extHits, key), get(extQueries, key)));
        m.put(VllmMeasure.MM_CACHE_HIT_RATIO, ratio(get(mmHits, key), get(mmQueries, key)));
        OptionalDouble kvNow = mean(kv.get(key));
        m.put(VllmMeasure.KV_CACHE_USAGE, kvNow);
        m.put(VllmMeasure.KV_CACHE_HEADROOM, kvNow.isPresent() ? OptionalDouble.of(1 - kvNow.getAsDouble())
            : OptionalDouble.empty());
        OptionalDouble run = sum(running.get(key));
        OptionalDouble wait = sum(waiting.get(key));
        m.put(VllmMeasure.REQUESTS_RUNNING, run);
        m.put(VllmMeasure.REQUESTS_WAITING, wait);
        if (run.isPresent() && wait.isPresent()) {
          m.put(VllmMeasure.QUEUE_PRESSURE, ratio(wait, OptionalDouble.of(run.getAsDouble() + wait.getAsDouble())));
        }
        m.put(VllmMeasure.PROMPT_TOKENS_PER_REQUEST, mean(promptPerRequest.get(key)));
        m.put(VllmMeasure.GENERATION_TOKENS_PER_REQUEST, mean(generationPerRequest.get(key)));
        m.put(VllmMeasure.BATCH_TOKENS_PER_STEP, mean(iteration.get(key)));
        OptionalDouble acc = get(accepted, key);
        m.put(VllmMeasure.SPEC_DECODE_ACCEPTANCE_RATE, ratio(acc, get(draftTokens, key)));
        OptionalDouble perDraft = ratio(acc, get(drafts, key));
        m.put(VllmMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH, perDraft.isPresent()
            ? OptionalDouble.of(1 + perDraft.getAsDouble()) : OptionalDouble.empty());
        Map<VllmLatency, LatencyStats> stats = new EnumMap<>(VllmLatency.class);
        Map<VllmLatency, BucketCounts> buckets = new EnumMap<>(VllmLatency.class);
        latencies.forEach((l, byKey) -> {
          BucketCounts b = byKey.get(key);
          if (b != null) {
            stats.put(l, LatencyStats.of(b, seconds));
            buckets.put(l, b);
          }
        });
        out.add(new VllmWindow(key, m, stats, reasons, buckets));
      }
      return out;
    }

    List<VllmNeuronBucketKpis> neuron() {
      Map<List<String>, Double> executions = new LinkedHashMap<>();
      for (SeriesChange s : series(VllmMetric.NEURON_NEFF_EXECUTIONS)) {
        s.rate().ifPresent(r -> executions.merge(VllmSnapshot.neuronRow(s.labels()), r, Double::sum));
      }
      Map<List<String>, BucketCounts> seqs = neuronHistograms(VllmMetric.NEURON_NUM_SEQS_PADDING);
      Map<List<String>, BucketCounts> tokens = neuronHistograms(VllmMetric.NEURON_NUM_BATCHED_TOKENS_PADDING);
      List<VllmNeuronBucketKpis> out = new ArrayList<>();
      for (VllmNeuronBucket b : current.neuronBuckets()) {
        List<String> row = List.of(b.model(), b.bucketName(), b.rankId());
        Double exec = executions.get(row);
        out.add(new VllmNeuronBucketKpis(b.model(), b.bucketName(), b.rankId(),
            exec == null ? OptionalDouble.empty() : OptionalDouble.of(exec), mean(seqs.get(row)),
            mean(tokens.get(row)), b.compilationTimeSeconds()));
      }
      return out;
    }

    private Map<List<String>, BucketCounts> neuronHistograms(VllmMetric m) {
      Map<List<String>, BucketCounts> out = new LinkedHashMap<>();
      for (SeriesChange s : series(m)) {
        s.buckets().ifPresent(b -> out.put(VllmSnapshot.neuronRow(s.labels()), b));
      }
      return out;
    }

    private static void accumulate(Map<Labels, double[]> into, Labels key, OptionalDouble v) {
      if (v.isPresent()) {
        double[] a = into.computeIfAbsent(key, k -> new double[2]);
        a[0] += v.getAsDouble();
        a[1]++;
      }
    }

    private static OptionalDouble sum(double[] a) {
      return a == null ? OptionalDouble.empty() : OptionalDouble.of(a[0]);
    }

    private static OptionalDouble mean(double[] a) {
      return a == null ? OptionalDouble.empty() : OptionalDouble.of(a[0] / a[1]);
    }

    private static OptionalDouble mean(BucketCounts b) {
      if (b == null) {
        return OptionalDouble.empty();
      }
      OptionalDouble m = b.mean();
      return m.isPresent() && Double.isFinite(m.getAsDouble()) ? m : OptionalDouble.empty();
    }

    private static OptionalDouble get(Map<Labels, Double> m, Labels key) {
      Double v = m.get(key);
      return v == null || v.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** A ratio of two window quantities; empty when the denominator is absent or 0 (nothing happened). */
    private static OptionalDouble ratio(OptionalDouble numerator, OptionalDouble denominator) {
      if (numerator.isEmpty() || denominator.isEmpty() || !(denominator.getAsDouble() > 0)) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble());
    }
  }
}

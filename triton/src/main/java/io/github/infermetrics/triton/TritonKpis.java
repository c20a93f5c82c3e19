package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.kpi.WindowHistogram;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.Rates;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Triton's KPIs between two scrapes of one server: per model series ({@link ModelKpis}), per GPU
 * ({@link GpuKpis}) and for the whole server ({@link ServerKpis}), as typed values, as the shared
 * {@link KpiSet} and as {@link KpiTable}s for people.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * TritonSnapshot before = TritonSnapshot.of(reader.read(Files.readAllBytes(Path.of("prev.prom"))));
 * TritonSnapshot after = TritonSnapshot.of(reader.read(Files.readAllBytes(Path.of("curr.prom"))));
 * TritonKpis kpis = TritonKpis.between(before, after, 15);
 * for (ModelKpis m : kpis.models()) {
 *   System.out.printf("%s v%s: %.1f req/s, queue %s s%n", m.key().model(), m.key().version(),
 *       m.requestRate().orElse(0), m.queueTimeSeconds());
 * }
 * KpiSet shared = kpis.toKpiSet("triton-0:8002", Instant.now());   // for TritonMetrics, CloudWatch, JSON
 * }</pre>
 *
 * <p>Counter increases follow PromQL ({@link Rates#increase}): a counter that went down restarted from zero, so
 * a server restart between the scrapes gives the increase since the restart and flags the series
 * ({@link ModelKpis#reset()}). A model series only in the current scrape has its gauges but no rates; one only in
 * the previous scrape is left out. Averages per request divide by the window's successful requests (Triton adds
 * to its duration counters only on success); without any they are absent. Time to first response comes from
 * {@code nv_inference_first_response_histogram_ms} ({@code histogram_quantile} over the bucket increases),
 * request-time percentiles from {@code nv_inference_request_summary_us} when the server has summaries on.
 * Immutable.
 */
public final class TritonKpis implements KpiWindow {
  /** The {@link KpiSet#source()} of Triton KPIs. */
  public static final String SOURCE = "triton";
  /** The KPI dimension for Triton's {@code namespace} label (with {@code --model-namespacing}). */
  public static final String NAMESPACE_DIMENSION = KpiDimension.NAMESPACE;

  private static final ModelCounter[] COUNTERS = ModelCounter.values();
  private static final double MICROS = 1e6;
  private static final double MILLIS = 1e3;
  private static final Map<ModelMeasure, KpiStatistic> TTFT = new EnumMap<>(Map.of(
      ModelMeasure.TIME_TO_FIRST_RESPONSE_P50, KpiStatistic.P50,
      ModelMeasure.TIME_TO_FIRST_RESPONSE_P90, KpiStatistic.P90,
      ModelMeasure.TIME_TO_FIRST_RESPONSE_P95, KpiStatistic.P95,
      ModelMeasure.TIME_TO_FIRST_RESPONSE_P99, KpiStatistic.P99));
  private static final Map<ModelMeasure, KpiStatistic> REQUEST_PERCENTILES = new EnumMap<>(Map.of(
      ModelMeasure.REQUEST_LATENCY_P50, KpiStatistic.P50,
      ModelMeasure.REQUEST_LATENCY_P90, KpiStatistic.P90,
      ModelMeasure.REQUEST_LATENCY_P95, KpiStatistic.P95,
      ModelMeasure.REQUEST_LATENCY_P99, KpiStatistic.P99));

  private final Duration window;
  private final double windowSeconds;
  private final List<ModelKpis> models;
  private final List<GpuKpis> gpus;
  private final ServerKpis server;
  private final List<TrtLlmGauges> trtLlm;
  private final Map<ModelKey, Map<String, Double>> trtLlmRates;
  private final List<String> dropped;

  private TritonKpis(Duration window, List<ModelKpis> models, List<GpuKpis> gpus, ServerKpis server,
      List<TrtLlmGauges> trtLlm, Map<ModelKey, Map<String, Double>> trtLlmRates, List<String> dropped) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.models = Collections.unmodifiableList(models);
    this.gpus = Collections.unmodifiableList(gpus);
    this.server = server;
    this.trtLlm = trtLlm;
    this.trtLlmRates = trtLlmRates;
    this.dropped = List.copyOf(dropped);
  }

  /**
   * Computes the KPIs between two scrapes of the same server.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param windowSeconds the time between them in seconds
   * @return the KPIs
   * @throws IllegalArgumentException when {@code windowSeconds} is not a positive finite number
   */
  public static TritonKpis between(TritonSnapshot previous, TritonSnapshot current, double windowSeconds) {
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("windowSeconds must be a positive number of seconds: " + windowSeconds);
    }
    return between(previous, current, MeasuredWindow.duration(windowSeconds));
  }

  /**
   * Computes the KPIs between two scrapes of the same server.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not positive
   */
  public static TritonKpis between(TritonSnapshot previous, TritonSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    double windowSeconds = MeasuredWindow.seconds(window);
    Map<ModelKey, ModelStats> before = new LinkedHashMap<>();
    previous.models().forEach(m -> before.put(m.key(), m));
    List<ModelKpis> models = new ArrayList<>();
    Map<String, Double> inferencesByGpu = new LinkedHashMap<>();
    double inferences = 0;
    boolean anyInferences = false;
    for (ModelStats now : current.models()) {
      ModelStats then = before.get(now.key());
      models.add(model(then, now, windowSeconds));
      double inc = then == null ? Double.NaN : increase(then, now, ModelCounter.INFERENCE_COUNT);
      if (!Double.isNaN(inc)) {
        inferences += inc;
        anyInferences = true;
        now.key().gpuUuid().ifPresent(g -> inferencesByGpu.merge(g, inc, Double::sum));
      }
    }
    Map<String, GpuStats> gpusBefore = new LinkedHashMap<>();
    previous.gpus().forEach(g -> gpusBefore.put(g.uuid(), g));
    List<GpuKpis> gpus = new ArrayList<>();
    double energy = 0;
    boolean anyEnergy = false;
    for (GpuStats now : current.gpus()) {
      GpuStats then = gpusBefore.get(now.uuid());
      double joules = then == null ? Double.NaN : increase(then.energyJoules(), now.energyJoules());
      if (!Double.isNaN(joules)) {
        energy += joules;
        anyEnergy = true;
      }
      gpus.add(gpu(now, joules, inferencesByGpu.getOrDefault(now.uuid(), Double.NaN), windowSeconds));
    }
    Map<ServerMeasure, Double> s = new EnumMap<>(ServerMeasure.class);
    current.cpu().ifPresent(c -> {
      put(s, ServerMeasure.CPU_UTILIZATION, c.utilization());
      put(s, ServerMeasure.CPU_MEMORY_USED, c.memoryUsedBytes());
      put(s, ServerMeasure.CPU_MEMORY_TOTAL, c.memoryTotalBytes());
      put(s, ServerMeasure.CPU_MEMORY_USED_RATIO, ratio(c.memoryUsedBytes(), c.memoryTotalBytes()));
    });
    current.pinnedMemory().ifPresent(p -> {
      put(s, ServerMeasure.PINNED_MEMORY_USED, p.usedBytes());
      put(s, ServerMeasure.PINNED_MEMORY_TOTAL, p.totalBytes());
    });
    current.responseCache().ifPresent(c -> {
      put(s, ServerMeasure.RESPONSE_CACHE_UTILIZATION, c.utilization());
      put(s, ServerMeasure.RESPONSE_CACHE_ENTRIES, c.entries());
      previous.responseCache().ifPresent(p -> {
        // the plugin's counts are gauges but cumulative: the same reset rule applies
        double hits = increase(p.hits(), c.hits());
        double misses = increase(p.misses(), c.misses());
        put(s, ServerMeasure.RESPONSE_CACHE_HIT_RATIO, hits / (hits + misses));
      });
    });
    if (anyInferences) {
      put(s, ServerMeasure.INFERENCE_RATE, inferences / windowSeconds);
    }
    if (anyEnergy) {
      put(s, ServerMeasure.AVERAGE_POWER, energy / windowSeconds);
      if (anyInferences) {
        put(s, ServerMeasure.INFERENCES_PER_JOULE, inferences / energy);
      }
    }
    return new TritonKpis(window, models, gpus, new ServerKpis(s), current.trtLlm(),
        trtLlmRates(previous, current, windowSeconds), current.nonFinite());
  }

  /** Rates of the TRT-LLM families of TYPE counter, per model and {@code family.type}. */
  private static Map<ModelKey, Map<String, Double>> trtLlmRates(TritonSnapshot previous, TritonSnapshot current,
      double seconds) {
    Map<ModelKey, TrtLlmGauges> before = new LinkedHashMap<>();
    previous.trtLlm().forEach(g -> before.put(g.key(), g));
    Map<ModelKey, Map<String, Double>> out = new LinkedHashMap<>();
    for (TrtLlmGauges now : current.trtLlm()) {
      TrtLlmGauges then = before.get(now.key());
      if (then == null) {
        continue;
      }
      now.families().forEach((family, values) -> {
        if (!now.isCounter(family)) {
          return;
        }
        Map<String, Double> was = then.family(family);
        values.forEach((type, value) -> {
          Double w = was.get(type);
          if (w != null && Double.isFinite(w) && Double.isFinite(value)) {
            out.computeIfAbsent(now.key(), k -> new LinkedHashMap<>())
                .put(family + "." + type, Rates.increase(w, value) / seconds);
          }
        });
      });
    }
    return out;
  }

  private static ModelKpis model(ModelStats then, ModelStats now, double seconds) {
    Map<ModelMeasure, Double> v = new EnumMap<>(ModelMeasure.class);
    Map<ModelMeasure, Bound> bounds = new EnumMap<>(ModelMeasure.class);
    Map<String, Double> failuresByReason = new LinkedHashMap<>();
    boolean reset = false;
    if (then != null) {
      for (ModelCounter c : COUNTERS) {
        reset |= then.has(c) && now.has(c) && now.value(c) < then.value(c);
      }
      double success = increase(then, now, ModelCounter.REQUEST_SUCCESS);
      // per series, then summed, as sum(increase(...)): one reason's reset must not hide another's failures
      double failures = Double.NaN;
      for (Map.Entry<String, Double> e : now.failureSeries().entrySet()) {
        Double was = then.failureSeries().get(e.getKey());
        if (was != null) {
          reset |= e.getValue() < was;
          double inc = Rates.increase(was, e.getValue());
          failures = Double.isNaN(failures) ? inc : failures + inc;
          if (!e.getKey().isEmpty()) {
            failuresByReason.put(e.getKey(), inc / seconds);
          }
        }
      }
      double requests = Double.isNaN(failures) ? success : success + failures;
      double inferences = increase(then, now, ModelCounter.INFERENCE_COUNT);
      double executions = increase(then, now, ModelCounter.EXEC_COUNT);
      put(v, ModelMeasure.REQUEST_RATE, requests / seconds);
      put(v, ModelMeasure.SUCCESS_RATE, success / seconds);
      put(v, ModelMeasure.ERROR_RATE, failures / seconds);
      put(v, ModelMeasure.ERROR_RATIO, failures / requests);
      put(v, ModelMeasure.INFERENCE_RATE, inferences / seconds);
      put(v, ModelMeasure.EXECUTION_RATE, executions / seconds);

      double requestUs = increase(then, now, ModelCounter.REQUEST_DURATION_US);
      double queueUs = increase(then, now, ModelCounter.QUEUE_DURATION_US);
      put(v, ModelMeasure.REQUEST_LATENCY_MEAN, requestUs / success / MICROS);
      put(v, ModelMeasure.QUEUE_TIME_MEAN, queueUs / success / MICROS);
      put(v, ModelMeasure.QUEUE_SHARE, queueUs / requestUs);

      // cache hits count as successes but are never computed
      double hits = increase(then, now, ModelCounter.CACHE_HITS);
      double computed = Double.isNaN(hits) ? success : success - hits;
      double inputUs = increase(then, now, ModelCounter.COMPUTE_INPUT_DURATION_US);
      double inferUs = increase(then, now, ModelCounter.COMPUTE_INFER_DURATION_US);
      double outputUs = increase(then, now, ModelCounter.COMPUTE_OUTPUT_DURATION_US);
      double computeUs = inputUs + inferUs + outputUs;
      if (Double.isNaN(computeUs)) {
        computeUs = increase(then, now, ModelCounter.COMPUTE_DURATION_US);
      }
      put(v, ModelMeasure.COMPUTE_INPUT_MEAN, inputUs / computed / MICROS);
      put(v, ModelMeasure.COMPUTE_INFER_MEAN, inferUs / computed / MICROS);
      put(v, ModelMeasure.COMPUTE_OUTPUT_MEAN, outputUs / computed / MICROS);
      put(v, ModelMeasure.COMPUTE_MEAN, computeUs / computed / MICROS);
      put(v, ModelMeasure.LOAD_RATIO, requestUs / computeUs);
      if (!v.containsKey(ModelMeasure.LOAD_RATIO)) {
        Optional<HistogramPoint> a = then.loadRatioHistogram();
        Optional<HistogramPoint> b = now.loadRatioHistogram();
        if (a.isPresent() && b.isPresent()) {
          put(v, ModelMeasure.LOAD_RATIO, BucketCounts.increase(a.get(), b.get()).mean());
        }
      }

      put(v, ModelMeasure.BATCH_SIZE, inferences / executions);
      put(v, ModelMeasure.REQUESTS_PER_EXECUTION, success / executions);
      double misses = increase(then, now, ModelCounter.CACHE_MISSES);
      put(v, ModelMeasure.CACHE_HIT_RATIO, hits / (hits + misses));

      Optional<HistogramPoint> a = then.firstResponseHistogramMs();
      Optional<HistogramPoint> b = now.firstResponseHistogramMs();
      if (a.isPresent() && b.isPresent()) {
        BucketCounts window = BucketCounts.increase(a.get(), b.get());
        reset |= window.reset();
        if (window.mean().isPresent()) {
          put(v, ModelMeasure.TIME_TO_FIRST_RESPONSE_MEAN, window.mean().getAsDouble() / MILLIS);
        }
        TTFT.forEach((m, stat) -> {
          put(v, m, window.quantile(stat.quantile()) / MILLIS);
          if (v.containsKey(m)) {
            window.quantileBound(stat.quantile()).ifPresent(bound -> bounds.put(m, bound.scaled(1 / MILLIS)));
          }
        });
      }
    }
    BucketCounts firstResponse = null;
    if (then != null) {
      Optional<HistogramPoint> a = then.firstResponseHistogramMs();
      Optional<HistogramPoint> b = now.firstResponseHistogramMs();
      if (a.isPresent() && b.isPresent()) {
        firstResponse = BucketCounts.increase(a.get(), b.get()).scaled(1 / MILLIS);
      }
    }
    Optional<SummaryPoint> summary = now.summary(ModelSummary.REQUEST);
    if (summary.isPresent() && servedInWindow(then, summary.get())) {
      REQUEST_PERCENTILES.forEach((m, stat) -> put(v, m, summaryQuantile(summary.get(), stat.quantile()) / MICROS));
    }
    put(v, ModelMeasure.PENDING_REQUESTS, now.pendingRequests());
    put(v, ModelMeasure.LOAD_DURATION, now.loadDurationSeconds());
    return new ModelKpis(now.key(), v, bounds, failuresByReason, reset, then == null, firstResponse);
  }

  /**
   * Whether the request summary saw requests in the window. Its quantiles cover the server's own sliding window,
   * so without a new observation since the previous scrape ({@code _count} unchanged) they describe requests from
   * before this window and are left out, as latency without executions is. A series new in this window counts as
   * served.
   */
  private static boolean servedInWindow(ModelStats then, SummaryPoint now) {
    if (then == null) {
      return true;
    }
    Optional<SummaryPoint> before = then.summary(ModelSummary.REQUEST);
    return before.isEmpty() || !before.get().hasCount() || !now.hasCount() || now.count() != before.get().count();
  }

  private static GpuKpis gpu(GpuStats now, double joules, double inferences, double seconds) {
    Map<GpuMeasure, Double> v = new EnumMap<>(GpuMeasure.class);
    put(v, GpuMeasure.UTILIZATION, now.utilization());
    put(v, GpuMeasure.MEMORY_USED, now.memoryUsedBytes());
    put(v, GpuMeasure.MEMORY_TOTAL, now.memoryTotalBytes());
    put(v, GpuMeasure.MEMORY_USED_RATIO, ratio(now.memoryUsedBytes(), now.memoryTotalBytes()));
    put(v, GpuMeasure.POWER, now.powerWatts());
    put(v, GpuMeasure.POWER_LIMIT, now.powerLimitWatts());
    put(v, GpuMeasure.AVERAGE_POWER, joules / seconds);
    put(v, GpuMeasure.INFERENCES_PER_JOULE, inferences / joules);
    return new GpuKpis(now.uuid(), v);
  }

  /** A summary's value at exactly this quantile; NaN when the server does not report it. */
  private static double summaryQuantile(SummaryPoint p, double q) {
    for (int i = 0; i < p.quantileCount(); i++) {
      if (p.quantile(i) == q) {
        return p.quantileValue(i);
      }
    }
    return Double.NaN;
  }

  /** PromQL's increase of one of the model's counters between two scrapes; NaN when either lacks it. */
  private static double increase(ModelStats then, ModelStats now, ModelCounter c) {
    return then.has(c) && now.has(c) ? Rates.increase(then.value(c), now.value(c)) : Double.NaN;
  }

  /** PromQL's increase of a counter between two scrapes; NaN when either lacks it. */
  private static double increase(OptionalDouble then, OptionalDouble now) {
    return then.isPresent() && now.isPresent() ? Rates.increase(then.getAsDouble(), now.getAsDouble())
        : Double.NaN;
  }

  private static double ratio(OptionalDouble part, OptionalDouble whole) {
    return part.isPresent() && whole.isPresent() ? part.getAsDouble() / whole.getAsDouble() : Double.NaN;
  }

  /** Keeps finite values only: 0/0 (no traffic), x/0 and NaN inputs all mean "the window cannot say". */
  private static <K> void put(Map<K, Double> m, K key, double value) {
    if (Double.isFinite(value)) {
      m.put(key, value);
    }
  }

  private static <K> void put(Map<K, Double> m, K key, OptionalDouble value) {
    if (value.isPresent()) {
      put(m, key, value.getAsDouble());
    }
  }

  /**
   * The window length.
   *
   * @return seconds between the two scrapes
   */
  public double windowSeconds() {
    return windowSeconds;
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
   * Every value, for binders and the KPI set: per model series its {@link ModelMeasure}s (dimensions as
   * {@link #dimensions(ModelKey)}; the error rate split by {@code reason} where Triton says why), per GPU its
   * {@link GpuMeasure}s ({@code device}), the server's {@link ServerMeasure}s, and with TensorRT-LLM the KV-cache
   * usage ({@code kv_cache_block_metrics{fraction}}), the rates of its counter families and its gauges
   * ({@link TrtLlmMeasure}).
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    List<MeasureValue> out = new ArrayList<>();
    for (ModelKpis m : models) {
      Labels dims = dimensions(m.key());
      m.values().forEach((measure, value) -> {
        if (measure == ModelMeasure.ERROR_RATE && !m.failureRateByReason().isEmpty()) {
          m.failureRateByReason().forEach((reason, rate) -> out.add(new MeasureValue(ModelMeasure.ERROR_RATE,
              dims.with(KpiDimension.REASON, reason), rate)));
        } else {
          out.add(new MeasureValue(measure, dims, value, m.bound(measure)));
        }
      });
    }
    for (GpuKpis g : gpus) {
      Labels dims = Labels.of(KpiDimension.DEVICE, g.uuid());
      g.values().forEach((measure, value) -> out.add(new MeasureValue(measure, dims, value)));
    }
    server.values().forEach((measure, value) -> out.add(new MeasureValue(measure, Labels.EMPTY, value)));
    for (TrtLlmGauges g : trtLlm) {
      Labels dims = dimensions(g.key());
      Double fraction = g.kvCacheBlockMetrics().get("fraction");
      if (fraction != null && Double.isFinite(fraction)) {
        out.add(new MeasureValue(TrtLlmMeasure.KV_CACHE_USAGE, dims, fraction));
      }
      g.families().forEach((family, values) -> {
        if (!g.isCounter(family)) {
          values.forEach((type, value) -> {
            if (Double.isFinite(value)) {
              out.add(new MeasureValue(TrtLlmMeasure.GAUGE, dims.with("metric", family).with("type", type), value));
            }
          });
        }
      });
      trtLlmRates.getOrDefault(g.key(), Map.of()).forEach((metric, rate) -> {
        int dot = metric.indexOf('.');
        out.add(new MeasureValue(TrtLlmMeasure.COUNTER_RATE, dims.with("metric", metric.substring(0, dot))
            .with("type", metric.substring(dot + 1)), rate));
      });
    }
    return out;
  }

  /**
   * The first-response histograms of the window (Triton 24.07+ with the histogram on), as time to first token, per
   * model series, for SLO goodput.
   *
   * @return the histograms in seconds
   */
  @Override
  public List<WindowHistogram> histograms() {
    List<WindowHistogram> out = new ArrayList<>();
    for (ModelKpis m : models) {
      m.firstResponse().ifPresent(b -> out.add(new WindowHistogram(Kpi.TIME_TO_FIRST_TOKEN, dimensions(m.key()), b)));
    }
    return out;
  }

  /**
   * The model series of the current scrape, in its order.
   *
   * @return an unmodifiable list
   */
  public List<ModelKpis> models() {
    return models;
  }

  /**
   * One model series.
   *
   * @param key the series
   * @return its KPIs, or empty
   */
  public Optional<ModelKpis> model(ModelKey key) {
    Objects.requireNonNull(key, "key");
    for (ModelKpis m : models) {
      if (m.key().equals(key)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The GPUs of the current scrape.
   *
   * @return an unmodifiable list
   */
  public List<GpuKpis> gpus() {
    return gpus;
  }

  /**
   * One GPU.
   *
   * @param uuid its {@code gpu_uuid}
   * @return its KPIs, or empty
   */
  public Optional<GpuKpis> gpu(String uuid) {
    Objects.requireNonNull(uuid, "uuid");
    for (GpuKpis g : gpus) {
      if (g.uuid().equals(uuid)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /**
   * The whole server.
   *
   * @return its KPIs; empty values when the server exposes no host, cache or GPU families
   */
  public ServerKpis server() {
    return server;
  }

  /**
   * The TensorRT-LLM backend's gauges at the end of the window.
   *
   * @return an unmodifiable list; empty without that backend
   */
  public List<TrtLlmGauges> trtLlm() {
    return trtLlm;
  }

  /**
   * The KPI dimensions of a model series: {@code model}, {@code model_version}, {@code device} (its GPU),
   * {@code namespace}, and any {@code _<tag>} labels as they are.
   *
   * @param key the series
   * @return the dimensions
   */
  public static Labels dimensions(ModelKey key) {
    Map<String, String> dims = new LinkedHashMap<>();
    Labels l = key.labels();
    for (int i = 0; i < l.size(); i++) {
      String name = l.name(i);
      String value = l.value(i);
      if (value.isEmpty()) {
        continue; // a dimension that does not apply is absent, never empty
      }
      switch (name) {
        case TritonFamilies.MODEL:
          dims.put(KpiDimension.MODEL, value);
          break;
        case TritonFamilies.VERSION:
          dims.put(KpiDimension.MODEL_VERSION, value);
          break;
        case TritonFamilies.GPU_UUID:
          dims.put(KpiDimension.DEVICE, value);
          break;
        case TritonFamilies.NAMESPACE:
          dims.put(NAMESPACE_DIMENSION, value);
          break;
        default:
          dims.put(name, value);
      }
    }
    return Labels.of(dims);
  }

  /**
   * The KPIs that fit the shared vocabulary: request, error and inference rates, error ratio, latency, queue time,
   * time to first response, batch size per model series; utilisation, memory and power per GPU; KV-cache usage
   * with TensorRT-LLM. Failures come by {@link KpiDimension#REASON} when the server has the label. Non-finite
   * samples are counted in {@link KpiSet#dropped()}.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@value #SOURCE}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  /**
   * Everything computed, for people: {@code models} (keyed by model, version, namespace and gpu_uuid where
   * present; one column per {@link ModelMeasure}, then one {@code error_rate_<reason>_per_second} column per
   * failure reason seen), {@code gpus} (keyed by gpu_uuid; one column per {@link GpuMeasure}), {@code server}
   * (one row; {@link ServerMeasure}) and, with the TensorRT-LLM backend, {@code trt_llm} (one row per gauge).
   * Absent values are empty.
   *
   * @return the tables
   */
  public List<KpiTable> tables() {
    List<KpiTable> out = new ArrayList<>();
    out.add(modelTable());
    KpiTable.Builder gpuTable = KpiTable.builder("gpus", TritonFamilies.GPU_UUID);
    for (GpuMeasure m : GpuMeasure.values()) {
      gpuTable.column(m);
    }
    for (GpuKpis g : gpus) {
      List<OptionalDouble> row = new ArrayList<>();
      for (GpuMeasure m : GpuMeasure.values()) {
        row.add(g.get(m));
      }
      gpuTable.row(Labels.of(TritonFamilies.GPU_UUID, g.uuid()), row);
    }
    out.add(gpuTable.build());
    KpiTable.Builder serverTable = KpiTable.builder("server");
    List<OptionalDouble> row = new ArrayList<>();
    for (ServerMeasure m : ServerMeasure.values()) {
      serverTable.column(m);
      row.add(server.get(m));
    }
    if (!server.values().isEmpty()) {
      serverTable.row(Labels.EMPTY, row);
    }
    out.add(serverTable.build());
    if (!trtLlm.isEmpty()) {
      out.add(trtLlmTable());
    }
    return Collections.unmodifiableList(out);
  }

  private KpiTable modelTable() {
    Set<String> keys = new LinkedHashSet<>(List.of(TritonFamilies.MODEL, TritonFamilies.VERSION));
    Set<String> reasons = new LinkedHashSet<>();
    boolean namespaces = false;
    boolean gpuUuids = false;
    Set<String> tags = new LinkedHashSet<>();
    for (ModelKpis m : models) {
      Labels l = m.key().labels();
      namespaces |= l.contains(TritonFamilies.NAMESPACE);
      gpuUuids |= l.contains(TritonFamilies.GPU_UUID);
      for (int i = 0; i < l.size(); i++) {
        if (!isStandardKey(l.name(i))) {
          tags.add(l.name(i));
        }
      }
      reasons.addAll(m.failureRateByReason().keySet());
    }
    if (namespaces) {
      keys.add(TritonFamilies.NAMESPACE);
    }
    if (gpuUuids) {
      keys.add(TritonFamilies.GPU_UUID);
    }
    keys.addAll(tags);
    KpiTable.Builder t = KpiTable.builder("models", keys.toArray(new String[0]));
    for (ModelMeasure m : ModelMeasure.values()) {
      t.column(m);
    }
    for (String r : reasons) {
      t.column(new KpiTable.Column("error_rate_" + r.toLowerCase(Locale.ROOT) + "_per_second", r + "/S",
          Optional.of(KpiUnit.PER_SECOND), KpiStatistic.VALUE));
    }
    for (ModelKpis m : models) {
      List<OptionalDouble> row = new ArrayList<>();
      Map<Integer, Bound> bounds = new LinkedHashMap<>();
      for (ModelMeasure measure : ModelMeasure.values()) {
        row.add(m.get(measure));
        int column = row.size() - 1;
        m.bound(measure).ifPresent(b -> bounds.put(column, b));
      }
      for (String r : reasons) {
        Double v = m.failureRateByReason().get(r);
        row.add(v == null ? OptionalDouble.empty() : OptionalDouble.of(v));
      }
      t.row(m.key().labels(), row, bounds);
    }
    return t.build();
  }

  private static boolean isStandardKey(String name) {
    return name.equals(TritonFamilies.MODEL) || name.equals(TritonFamilies.VERSION)
        || name.equals(TritonFamilies.NAMESPACE) || name.equals(TritonFamilies.GPU_UUID);
  }

  private KpiTable trtLlmTable() {
    KpiTable.Builder t = KpiTable.builder("trt_llm", TritonFamilies.MODEL, TritonFamilies.VERSION,
        TritonFamilies.NAMESPACE, TritonFamilies.GPU_UUID, "metric").column("value", "VALUE");
    for (TrtLlmGauges g : trtLlm) {
      Labels base = g.key().labels();
      // only the key columns: model tags stay out of this table
      for (int i = 0; i < base.size(); i++) {
        if (!isStandardKey(base.name(i))) {
          base = base.without(base.name(i--));
        }
      }
      Labels key = base;
      Map<String, Double> rates = trtLlmRates.getOrDefault(g.key(), Map.of());
      g.families().forEach((family, values) -> values.forEach((type, value) -> {
        String metric = type.isEmpty() ? family : family + "." + type;
        if (g.isCounter(family)) {
          // a counter's level says little; its rate over the window is the number to read
          Double rate = rates.get(family + "." + type);
          t.row(key.with("metric", metric + "_per_second"),
              rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate));
        } else {
          t.row(key.with("metric", metric), Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty());
        }
      }));
    }
    return t.build();
  }

  @Override
  public String toString() {
    return "TritonKpis{" + windowSeconds + " s, " + models.size() + " model series, " + gpus.size() + " GPUs}";
  }
}

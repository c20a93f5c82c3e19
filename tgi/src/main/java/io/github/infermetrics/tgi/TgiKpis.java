package io.github.infermetrics.tgi;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * text-generation-inference's serving KPIs between two scrapes of one server: for the server, per batch
 * {@code method} ({@code prefill}, {@code decode}) and per failure reason. Percentiles are PromQL's
 * {@code histogram_quantile(q, sum by (le) (irate(x_bucket[w])))} over the two scrapes; counters follow PromQL's
 * reset rule.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * TgiSnapshot before = TgiSnapshot.of(reader.read(Files.readAllBytes(Path.of("prev.prom"))));
 * TgiSnapshot after = TgiSnapshot.of(reader.read(Files.readAllBytes(Path.of("curr.prom"))));
 * TgiKpis kpis = TgiKpis.between(before, after, 15);
 * kpis.get(TgiMeasure.REQUEST_RATE);                       // requests/s, successful or failed
 * kpis.latency(TgiLatency.QUEUE_TIME).p95();               // seconds
 * kpis.latency(TgiLatency.BATCH_FORWARD_TIME, "prefill");  // a prefill batch's forward pass
 * kpis.failureRateByReason();                              // {validation=0.2, overloaded=0.1}
 * kpis.get(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR);          // not a TTFT: see the measure
 * KpiSet shared = kpis.toKpiSet("tgi-0:8080", Instant.now());
 * }</pre>
 *
 * <p>TGI measures no time to first token, so the KPI set has none ({@code time_to_first_token_*} stays empty, as
 * it would for any server without the data); {@link TgiMeasure#TIME_TO_FIRST_TOKEN_FLOOR} gives the part TGI does
 * measure, under its own name. Its inter-token latency is each request's mean time per token, so its percentiles
 * are over requests. Token rates are the sums of the per-request token histograms, counted when requests finish.
 * TGI writes a series only after its first increment: a series that appears in the window counts from zero, and a
 * request or token family the scrape does not have yet counts 0. Values have no model dimension: TGI's
 * {@code /metrics} does not name its model. Immutable.
 */
public final class TgiKpis implements KpiWindow {
  /** The source name in {@link KpiSet}s. */
  public static final String SOURCE = "tgi";
  /** The dimension of the batch measures and durations: TGI's {@code method}, {@code prefill} or {@code decode}. */
  public static final String METHOD = "method";
  private static final String ERR = "err";

  private final Duration window;
  private final double windowSeconds;
  private final List<String> dropped;
  private final boolean reset;
  private final Map<TgiMeasure, OptionalDouble> server;
  private final Map<TgiLatency, LatencyStats> latencies;
  private final Map<String, Map<TgiMeasure, OptionalDouble>> methods;
  private final Map<String, Map<TgiLatency, LatencyStats>> methodLatencies;
  private final Map<String, Double> failures;

  private TgiKpis(Duration window, Calc c, List<String> dropped) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.dropped = List.copyOf(dropped);
    this.server = Collections.unmodifiableMap(c.server);
    this.latencies = Collections.unmodifiableMap(c.latencies);
    this.methods = Collections.unmodifiableMap(c.methods);
    this.methodLatencies = Collections.unmodifiableMap(c.methodLatencies);
    this.failures = Collections.unmodifiableMap(c.failures);
    this.reset = c.increases.reset();
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
  public static TgiKpis between(TgiSnapshot previous, TgiSnapshot current, double windowSeconds) {
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
  public static TgiKpis between(TgiSnapshot previous, TgiSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Calc c = new Calc(previous, current, MeasuredWindow.seconds(window));
    c.compute();
    return new TgiKpis(window, c, current.nonFinite());
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
   * Whether a counter or histogram went down in the window (the server restarted between the scrapes).
   *
   * @return true after a reset
   */
  public boolean resetDetected() {
    return reset;
  }

  /**
   * A server measure.
   *
   * @param measure a measure of scope {@link TgiMeasure.Scope#SERVER}
   * @return its value, or empty
   */
  public OptionalDouble get(TgiMeasure measure) {
    return server.getOrDefault(Objects.requireNonNull(measure, "measure"), OptionalDouble.empty());
  }

  /**
   * A batch measure of one method.
   *
   * @param measure a measure of scope {@link TgiMeasure.Scope#METHOD}
   * @param method {@code prefill} or {@code decode}
   * @return its value, or empty
   */
  public OptionalDouble get(TgiMeasure measure, String method) {
    return methods.getOrDefault(method, Map.of()).getOrDefault(Objects.requireNonNull(measure, "measure"),
        OptionalDouble.empty());
  }

  /**
   * A request duration of the server.
   *
   * @param latency a request duration (not per method)
   * @return its stats; {@link LatencyStats#ABSENT} when the scrape does not have it
   */
  public LatencyStats latency(TgiLatency latency) {
    return latencies.getOrDefault(Objects.requireNonNull(latency, "latency"), LatencyStats.ABSENT);
  }

  /**
   * A batch duration of one method.
   *
   * @param latency a batch duration
   * @param method {@code prefill} or {@code decode}
   * @return its stats; {@link LatencyStats#ABSENT} when the scrape does not have it
   */
  public LatencyStats latency(TgiLatency latency, String method) {
    return methodLatencies.getOrDefault(method, Map.of()).getOrDefault(Objects.requireNonNull(latency, "latency"),
        LatencyStats.ABSENT);
  }

  /**
   * The batch methods the scrapes have.
   *
   * @return for example {@code [prefill, decode]}: prefill, decode, then others by name
   */
  public Set<String> methods() {
    Set<String> out = new java.util.TreeSet<>(METHOD_ORDER);
    out.addAll(methods.keySet());
    out.addAll(methodLatencies.keySet());
    return Collections.unmodifiableSet(out);
  }

  /** Prefill, then decode, then any other method by name. */
  private static final java.util.Comparator<String> METHOD_ORDER = java.util.Comparator
      .comparingInt((String m) -> m.equals("prefill") ? 0 : m.equals("decode") ? 1 : 2)
      .thenComparing(java.util.Comparator.naturalOrder());

  /**
   * Failed requests per second by reason (TGI's {@code err}).
   *
   * @return reason to rate, in scrape order; empty when nothing has failed yet
   */
  public Map<String, Double> failureRateByReason() {
    return failures;
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
   * Every value: the server's measures and request durations (no dimension), the batch measures and durations
   * ({@code method}), the failure rates ({@code reason}).
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    List<MeasureValue> out = new ArrayList<>();
    addMeasures(out, server, Labels.EMPTY);
    addLatencies(out, latencies, Labels.EMPTY);
    methods().forEach(m -> {
      Labels dims = Labels.of(METHOD, m);
      addMeasures(out, methods.getOrDefault(m, Map.of()), dims);
      addLatencies(out, methodLatencies.getOrDefault(m, Map.of()), dims);
    });
    failures.forEach((reason, rate) -> {
      if (Double.isFinite(rate)) {
        out.add(new MeasureValue(TgiMeasure.FAILURE_RATE, Labels.of(KpiDimension.REASON, reason), rate));
      }
    });
    return out;
  }

  private static void addMeasures(List<MeasureValue> out, Map<TgiMeasure, OptionalDouble> values, Labels dims) {
    for (TgiMeasure m : TgiMeasure.values()) {
      OptionalDouble v = values.getOrDefault(m, OptionalDouble.empty());
      if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
        out.add(new MeasureValue(m, dims, v.getAsDouble()));
      }
    }
  }

  private static void addLatencies(List<MeasureValue> out, Map<TgiLatency, LatencyStats> stats, Labels dims) {
    stats.forEach((l, s) -> {
      for (KpiStatistic stat : LatencyStats.STATISTICS) {
        OptionalDouble v = s.get(stat);
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          out.add(new MeasureValue(TgiLatencyMeasure.of(l, stat), dims, v.getAsDouble(), s.bound(stat)));
        }
      }
    });
  }

  /**
   * The KPIs in the shared vocabulary, named as the vllm module's: request, error, prompt-token and
   * generation-token rates, the error ratio, the batch size, the queue depth, and the mean, p50, p90, p95 and p99 of
   * end-to-end latency, queue time and inter-token latency; no dimension. No time to first token (TGI measures
   * none) and no KV-cache usage (TGI exports none).
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@code tgi}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  /**
   * Everything computed, for people: {@code server} (every server measure), {@code methods} (batches and batch
   * failures per second per method), {@code failures} (per reason) and {@code latencies} (one row per duration and
   * method: observations per second, mean, p50, p90, p95, p99).
   *
   * @return the tables
   */
  @Override
  public List<KpiTable> tables() {
    List<TgiMeasure> serverColumns = new ArrayList<>();
    List<TgiMeasure> methodColumns = new ArrayList<>();
    for (TgiMeasure m : TgiMeasure.values()) {
      if (m.scope() == TgiMeasure.Scope.SERVER) {
        serverColumns.add(m);
      } else if (m.scope() == TgiMeasure.Scope.METHOD) {
        methodColumns.add(m);
      }
    }
    KpiTable.Builder s = KpiTable.builder("server");
    serverColumns.forEach(s::column);
    List<OptionalDouble> row = new ArrayList<>();
    serverColumns.forEach(m -> row.add(get(m)));
    s.row(Labels.EMPTY, row);

    KpiTable.Builder m = KpiTable.builder("methods", METHOD);
    methodColumns.forEach(m::column);
    for (String method : methods()) {
      List<OptionalDouble> values = new ArrayList<>();
      methodColumns.forEach(c -> values.add(get(c, method)));
      m.row(Labels.of(METHOD, method), values);
    }

    KpiTable.Builder f = KpiTable.builder("failures", KpiDimension.REASON).column(TgiMeasure.FAILURE_RATE);
    failures.forEach((reason, rate) -> f.row(Labels.of(KpiDimension.REASON, reason),
        Double.isFinite(rate) ? OptionalDouble.of(rate) : OptionalDouble.empty()));

    KpiTable.Builder l = KpiTable.builder("latencies", "latency", METHOD).column(new KpiTable.Column(
        "observations_per_second", "OBS/S", Optional.of(KpiUnit.PER_SECOND), KpiStatistic.VALUE));
    for (KpiStatistic stat : LatencyStats.STATISTICS) {
      l.column(new KpiTable.Column("seconds_" + stat.suffix(), stat == KpiStatistic.MEAN ? "MEAN s"
          : stat.suffix().toUpperCase(java.util.Locale.ROOT) + " s", Optional.of(KpiUnit.SECONDS), stat));
    }
    latencies.forEach((lat, st) -> latencyRow(l, Labels.of("latency", lat.id()), st));
    for (TgiLatency lat : TgiLatency.values()) {
      for (String method : methods()) {
        LatencyStats st = latency(lat, method);
        if (!st.equals(LatencyStats.ABSENT)) {
          latencyRow(l, Labels.of("latency", lat.id(), METHOD, method), st);
        }
      }
    }
    return List.of(s.build(), m.build(), f.build(), l.build());
  }

  private static void latencyRow(KpiTable.Builder b, Labels key, LatencyStats s) {
    Map<Integer, Bound> bounds = new TreeMap<>();
    for (int i = 0; i < LatencyStats.STATISTICS.size(); i++) {
      int column = i + 1;
      s.bound(LatencyStats.STATISTICS.get(i)).ifPresent(x -> bounds.put(column, x));
    }
    b.row(key, List.of(s.perSecond(), s.mean(), s.p50(), s.p90(), s.p95(), s.p99()), bounds);
  }

  @Override
  public String toString() {
    return "TgiKpis{" + windowSeconds + " s, " + server + "}";
  }

  /** The arithmetic of one {@link #between} call. */
  private static final class Calc {
    final FamilyIncreases increases = new FamilyIncreases();
    final Map<TgiMeasure, OptionalDouble> server = new EnumMap<>(TgiMeasure.class);
    final Map<TgiLatency, LatencyStats> latencies = new EnumMap<>(TgiLatency.class);
    final Map<String, Map<TgiMeasure, OptionalDouble>> methods = new LinkedHashMap<>();
    final Map<String, Map<TgiLatency, LatencyStats>> methodLatencies = new LinkedHashMap<>();
    final Map<String, Double> failures = new LinkedHashMap<>();
    private final TgiSnapshot previous;
    private final TgiSnapshot current;
    private final double seconds;

    Calc(TgiSnapshot previous, TgiSnapshot current, double seconds) {
      this.previous = previous;
      this.current = current;
      this.seconds = seconds;
    }

    /** A counter's rate by its detail label's value ({@code ""} for an unlabelled family); empty when absent. */
    private Map<String, Double> rates(TgiMetric m) {
      String detail = m.detailLabel();
      Map<Labels, Double> sums = (detail == null ? Grouping.by() : Grouping.by(detail)).sum(
          increases.counter(previous.family(m), current.family(m)));
      Map<String, Double> out = new LinkedHashMap<>();
      sums.forEach((group, inc) -> out.merge(detail == null ? "" : Objects.requireNonNullElse(group.get(detail),
          ""), inc / seconds, Double::sum));
      return out;
    }

    /** A counter's total rate: 0 when TGI has not written it yet. */
    private double total(TgiMetric m) {
      double sum = 0;
      for (double r : rates(m).values()) {
        sum += r;
      }
      return sum;
    }

    /** A histogram's bucket increases by its detail label's value ({@code ""} for an unlabelled family). */
    private Map<String, BucketCounts> histograms(TgiMetric m) {
      String detail = m.detailLabel();
      Map<Labels, BucketCounts> sums = (detail == null ? Grouping.by() : Grouping.by(detail)).sumHistograms(
          increases.histogram(previous.family(m), current.family(m)));
      Map<String, BucketCounts> out = new LinkedHashMap<>();
      sums.forEach((group, b) -> out.put(detail == null ? "" : Objects.requireNonNullElse(group.get(detail), ""),
          b));
      return out;
    }

    void compute() {
      double success = total(TgiMetric.REQUEST_SUCCESS);
      double failed = 0;
      for (Map.Entry<String, Double> e : rates(TgiMetric.REQUEST_FAILURE).entrySet()) {
        // TGI always says why; a failure without err is kept under "unknown" rather than lost
        failures.merge(e.getKey().isEmpty() ? "unknown" : e.getKey(), e.getValue(), Double::sum);
        failed += e.getValue();
      }
      put(TgiMeasure.REQUEST_RATE, success + failed);
      put(TgiMeasure.ERROR_RATE, failed);
      server.put(TgiMeasure.ERROR_RATIO, ratio(failed, success + failed));
      put(TgiMeasure.GOODPUT, success);
      put(TgiMeasure.ARRIVAL_RATE, total(TgiMetric.REQUEST_COUNT));

      BucketCounts input = histograms(TgiMetric.REQUEST_INPUT_LENGTH).get("");
      BucketCounts generated = histograms(TgiMetric.REQUEST_GENERATED_TOKENS).get("");
      put(TgiMeasure.PROMPT_TOKEN_RATE, input == null ? 0 : input.sum() / seconds);
      put(TgiMeasure.GENERATION_TOKEN_RATE, generated == null ? 0 : generated.sum() / seconds);
      server.put(TgiMeasure.PROMPT_TOKENS_PER_REQUEST, mean(input));
      server.put(TgiMeasure.GENERATION_TOKENS_PER_REQUEST, mean(generated));
      server.put(TgiMeasure.MAX_NEW_TOKENS_PER_REQUEST, mean(histograms(TgiMetric.REQUEST_MAX_NEW_TOKENS).get("")));
      server.put(TgiMeasure.NEXT_BATCH_SIZE, mean(histograms(TgiMetric.BATCH_NEXT_SIZE).get("")));

      OptionalDouble queue = current.value(TgiMetric.QUEUE_SIZE);
      OptionalDouble batch = current.value(TgiMetric.BATCH_CURRENT_SIZE);
      server.put(TgiMeasure.QUEUE_SIZE, queue);
      server.put(TgiMeasure.BATCH_SIZE, batch);
      if (queue.isPresent() && batch.isPresent()) {
        server.put(TgiMeasure.QUEUE_PRESSURE, ratio(queue.getAsDouble(), queue.getAsDouble() + batch.getAsDouble()));
      }
      OptionalDouble maxTokens = current.value(TgiMetric.BATCH_CURRENT_MAX_TOKENS);
      OptionalDouble budget = current.value(TgiMetric.BATCH_MAX_TOTAL_TOKENS);
      server.put(TgiMeasure.BATCH_MAX_TOKENS, maxTokens);
      server.put(TgiMeasure.BATCH_TOKEN_BUDGET, budget);
      if (maxTokens.isPresent() && budget.isPresent()) {
        server.put(TgiMeasure.BATCH_TOKEN_BUDGET_USAGE, ratio(maxTokens.getAsDouble(), budget.getAsDouble()));
      }

      for (TgiLatency l : TgiLatency.values()) {
        Map<String, BucketCounts> byMethod = histograms(l.metric());
        if (!l.perMethod()) {
          BucketCounts b = byMethod.get("");
          if (b != null) {
            latencies.put(l, LatencyStats.of(b, seconds));
          }
          continue;
        }
        byMethod.forEach((method, b) -> methodLatencies.computeIfAbsent(method,
            k -> new EnumMap<>(TgiLatency.class)).put(l, LatencyStats.of(b, seconds)));
      }
      server.put(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR, floor());

      Map<String, Double> calls = rates(TgiMetric.BATCH_INFERENCE_COUNT);
      Map<String, Double> succeeded = rates(TgiMetric.BATCH_INFERENCE_SUCCESS);
      boolean both = current.family(TgiMetric.BATCH_INFERENCE_COUNT) != null
          && current.family(TgiMetric.BATCH_INFERENCE_SUCCESS) != null;
      calls.forEach((method, rate) -> {
        Map<TgiMeasure, OptionalDouble> m = methods.computeIfAbsent(method, k -> new EnumMap<>(TgiMeasure.class));
        m.put(TgiMeasure.BATCH_RATE, finite(rate));
        if (both) {
          m.put(TgiMeasure.BATCH_FAILURE_RATE, finite(Math.max(0, rate - succeeded.getOrDefault(method, 0.0))));
        }
      });
    }

    /** Mean queue + mean validation + mean prefill forward (when TGI has it); empty without requests. */
    private OptionalDouble floor() {
      OptionalDouble queue = latencies.getOrDefault(TgiLatency.QUEUE_TIME, LatencyStats.ABSENT).mean();
      OptionalDouble validation = latencies.getOrDefault(TgiLatency.VALIDATION_TIME, LatencyStats.ABSENT)
          .mean();
      if (queue.isEmpty() || validation.isEmpty()) {
        return OptionalDouble.empty();
      }
      OptionalDouble prefill = methodLatencies.getOrDefault("prefill", Map.of())
          .getOrDefault(TgiLatency.BATCH_FORWARD_TIME, LatencyStats.ABSENT).mean();
      return finite(queue.getAsDouble() + validation.getAsDouble() + prefill.orElse(0));
    }

    private void put(TgiMeasure m, double v) {
      server.put(m, finite(v));
    }

    private static OptionalDouble finite(double v) {
      return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    private static OptionalDouble mean(BucketCounts b) {
      return b == null ? OptionalDouble.empty() : finite(b.mean().orElse(Double.NaN));
    }

    /** A ratio of two window quantities; empty when the denominator is 0 (nothing happened). */
    private static OptionalDouble ratio(double numerator, double denominator) {
      return denominator > 0 ? finite(numerator / denominator) : OptionalDouble.empty();
    }
  }
}

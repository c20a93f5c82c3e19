package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Saturation;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The last windows of every target, summed up for the live page's charts: a bounded ring per target (the oldest
 * window leaves when a new one comes), dropped when the target leaves the pipeline. Each point is one window of the
 * whole target: requests/s and tokens/s summed over its models, TTFT p95, KV cache and saturation the largest over
 * its models, goodput per objective the smallest, accelerator use the target's (its overall value, else the mean
 * over its devices). A target's numbers come from its first source that has them, so Triton and its vLLM backend do
 * not count the same requests twice. Thread-safe.
 */
final class KpiHistory implements KpiConsumer {
  /** The charted series, by metric name, in the page's order. */
  private static final List<String> SERIES = List.of(
      Kpi.TIME_TO_FIRST_TOKEN.metricName(KpiStatistic.P95),
      Kpi.REQUEST_RATE.metricName(KpiStatistic.VALUE),
      Kpi.GENERATION_TOKEN_RATE.metricName(KpiStatistic.VALUE),
      Kpi.KV_CACHE_USAGE.metricName(KpiStatistic.VALUE),
      Kpi.ACCELERATOR_UTILIZATION.metricName(KpiStatistic.VALUE),
      Kpi.SATURATION.metricName(KpiStatistic.VALUE));

  /**
   * One window of one target: NaN where the target had no such value, and the bound of a value that is only one (a
   * TTFT p95 in a histogram's first bucket).
   */
  record Point(Instant at, double[] values, Bound[] bounds, Map<String, Double> goodput) {}

  private final int capacity;
  private final Map<String, ArrayDeque<Point>> targets = new LinkedHashMap<>();
  /** Each target's latest window, to which a later window of other sources for the same moment is added. */
  private final Map<String, TargetWindow> latest = new HashMap<>();

  /**
   * A history.
   *
   * @param capacity windows kept per target, at least 2
   */
  KpiHistory(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("history must keep at least 2 windows: " + capacity);
    }
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  @Override
  public synchronized void accept(TargetWindow window) {
    ArrayDeque<Point> ring = targets.computeIfAbsent(window.target(), k -> new ArrayDeque<>(capacity));
    TargetWindow last = latest.get(window.target());
    if (last != null && last.at().equals(window.at()) && !ring.isEmpty() && disjoint(last, window)) {
      // a second window of the same moment (an AcceleratorJoin's GPU values of the pod): one point, not two
      List<SourceWindow> sources = new ArrayList<>(last.sources());
      sources.addAll(window.sources());
      List<String> problems = new ArrayList<>(last.problems());
      problems.addAll(window.problems());
      window = new TargetWindow(window.target(), window.at(), window.window(), sources, problems);
      ring.removeLast();
    } else if (ring.size() == capacity) {
      ring.removeFirst();
    }
    latest.put(window.target(), window);
    ring.addLast(point(window));
  }

  private static boolean disjoint(TargetWindow a, TargetWindow b) {
    for (SourceWindow s : b.sources()) {
      if (a.source(s.source()).isPresent()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void removed(String target) {
    targets.remove(target);
    latest.remove(target);
  }

  /** Each target's latest window of GPUs joined by {@link AcceleratorJoin}, for the table's accelerator column. */
  synchronized Map<String, TargetWindow> joined() {
    Map<String, TargetWindow> out = new HashMap<>();
    latest.forEach((target, w) -> w.source(AcceleratorJoin.SOURCE).ifPresent(gpus -> out.put(target,
        new TargetWindow(target, w.at(), w.window(), List.of(gpus), List.of()))));
    return out;
  }

  /** The points of one target, oldest first. */
  synchronized List<Point> points(String target) {
    ArrayDeque<Point> ring = targets.get(target);
    return ring == null ? List.of() : List.copyOf(ring);
  }

  /** Sums a window up. */
  static Point point(TargetWindow w) {
    double[] values = new double[SERIES.size()];
    Bound[] bounds = new Bound[SERIES.size()];
    java.util.Arrays.fill(values, Double.NaN);
    Map<String, Double> goodput = new LinkedHashMap<>();
    for (SourceWindow sw : w.sources()) {
      KpiSet set = sw.kpis();
      fill(values, bounds, 0, largest(set, Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95));
      fill(values, bounds, 1, total(set, Kpi.REQUEST_RATE));
      fill(values, bounds, 2, total(set, Kpi.GENERATION_TOKEN_RATE));
      fill(values, bounds, 3, largest(set, Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE));
      fill(values, bounds, 5, largest(set, Kpi.SATURATION, KpiStatistic.VALUE));
      Map<String, Double> mine = new LinkedHashMap<>();
      for (KpiValue v : set.values(Kpi.SLO_GOODPUT, KpiStatistic.VALUE)) {
        String slo = v.dimensions().get(KpiDimension.SLO);
        if (slo != null && isModelLevel(v.dimensions().without(KpiDimension.SLO))) {
          mine.merge(slo, v.value(), Math::min);
        }
      }
      mine.forEach(goodput::putIfAbsent);
    }
    OptionalDouble accelerator = Saturation.accelerator(w.kpiSets());
    if (accelerator.isPresent()) {
      values[4] = accelerator.getAsDouble();
    } else {
      // a model server's own pod GPUs, joined by AcceleratorJoin
      w.source(AcceleratorJoin.SOURCE).ifPresent(s -> fill(values, bounds, 4,
          largest(s.kpis(), Kpi.ACCELERATOR_UTILIZATION)));
    }
    return new Point(w.at(), values, bounds, goodput);
  }

  private static void fill(double[] values, Bound[] bounds, int i, Optional<KpiValue> v) {
    if (Double.isNaN(values[i]) && v.isPresent()) {
      values[i] = v.get().value();
      bounds[i] = v.get().bound().orElse(null);
    }
  }

  /** The largest value over the set's models, else its whole-target value. */
  private static Optional<KpiValue> largest(KpiSet set, Kpi kpi, KpiStatistic statistic) {
    KpiValue max = null;
    KpiValue whole = null;
    for (KpiValue v : set.values(kpi, statistic)) {
      if (isModelLevel(v.dimensions())) {
        max = max == null || v.value() > max.value() ? v : max;
      } else if (v.dimensions().isEmpty()) {
        whole = v;
      }
    }
    return Optional.ofNullable(max != null ? max : whole);
  }

  /** The largest value of a KPI in the set, whatever its dimensions. */
  private static Optional<KpiValue> largest(KpiSet set, Kpi kpi) {
    KpiValue max = null;
    for (KpiValue v : set.values(kpi, KpiStatistic.VALUE)) {
      max = max == null || v.value() > max.value() ? v : max;
    }
    return Optional.ofNullable(max);
  }

  /** The sum over the set's models, else its whole-target value. */
  private static Optional<KpiValue> total(KpiSet set, Kpi kpi) {
    double sum = 0;
    boolean any = false;
    KpiValue whole = null;
    for (KpiValue v : set.values(kpi, KpiStatistic.VALUE)) {
      if (isModelLevel(v.dimensions())) {
        sum += v.value();
        any = true;
      } else if (v.dimensions().isEmpty()) {
        whole = v;
      }
    }
    return any ? Optional.of(new KpiValue(kpi, KpiStatistic.VALUE, Labels.EMPTY, sum)) : Optional.ofNullable(whole);
  }

  /** A value of a whole model (and version): no engine, device, runtime, reason or objective split. */
  static boolean isModelLevel(Labels d) {
    return d.get(KpiDimension.MODEL) != null && d.get(KpiDimension.ENGINE) == null
        && d.get(KpiDimension.DEVICE) == null && d.get(KpiDimension.RUNTIME) == null
        && d.get(KpiDimension.REASON) == null && d.get(KpiDimension.SLO) == null;
  }

  /**
   * The live page's data in one answer, so that the table and the charts are of the same moment: {@code {"at",
   * "interval_seconds", "capacity", "table": [[header...], [row...]], "targets": [{"target", "state", "sources",
   * "error"?, "points": {"at": [epoch ms...], METRIC: [value|null...]}, "goodput": {SLO: [value|null...]},
   * "bounds": {METRIC: {"bound": "upper"|"lower", "limit": x}}}]}}; {@code bounds} is of the latest point only.
   * The table is {@code watch}'s; targets no longer in {@code statuses} are forgotten here.
   *
   * @param at now
   * @param interval the pipeline's interval
   * @param statuses every target's state
   * @return the JSON object
   */
  String json(Instant at, Duration interval, List<TargetStatus> statuses) {
    Map<String, List<Point>> copy = new HashMap<>();
    synchronized (this) {
      Set<String> current = new HashSet<>();
      statuses.forEach(s -> current.add(s.name()));
      targets.keySet().retainAll(current); // a window that raced its target's removal
      latest.keySet().retainAll(current);
      targets.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    }
    StringBuilder sb = new StringBuilder(16 * 1024);
    sb.append("{\"at\":\"").append(at).append("\",\"interval_seconds\":")
        .append(KpiCommand.number(interval.toNanos() / 1e9)).append(",\"capacity\":").append(capacity)
        .append(",\"table\":[");
    List<String[]> rows = WatchView.rows(statuses, joined());
    for (int r = 0; r < rows.size(); r++) {
      sb.append(r > 0 ? ",[" : "[");
      String[] row = rows.get(r);
      for (int c = 0; c < row.length; c++) {
        sb.append(c > 0 ? "," : "");
        JsonString.appendGo(sb, row[c]);
      }
      sb.append(']');
    }
    sb.append("],\"targets\":[");
    for (int t = 0; t < statuses.size(); t++) {
      TargetStatus s = statuses.get(t);
      sb.append(t > 0 ? ",{\"target\":" : "{\"target\":");
      JsonString.appendGo(sb, s.name());
      sb.append(",\"state\":\"").append(s.state().name().toLowerCase(Locale.ROOT)).append("\",\"sources\":[");
      for (int i = 0; i < s.sources().size(); i++) {
        sb.append(i > 0 ? "," : "");
        JsonString.appendGo(sb, s.sources().get(i));
      }
      sb.append(']');
      if (s.reason().isPresent()) {
        sb.append(",\"error\":");
        JsonString.appendGo(sb, s.reason().get());
      }
      List<Point> points = copy.getOrDefault(s.name(), List.of());
      sb.append(",\"points\":{\"at\":[");
      for (int i = 0; i < points.size(); i++) {
        sb.append(i > 0 ? "," : "").append(points.get(i).at().toEpochMilli());
      }
      sb.append(']');
      for (int k = 0; k < SERIES.size(); k++) {
        sb.append(",\"").append(SERIES.get(k)).append("\":[");
        for (int i = 0; i < points.size(); i++) {
          sb.append(i > 0 ? "," : "").append(number(points.get(i).values()[k]));
        }
        sb.append(']');
      }
      sb.append("},\"goodput\":{");
      Set<String> slos = new LinkedHashSet<>();
      points.forEach(p -> slos.addAll(p.goodput().keySet()));
      int n = 0;
      for (String slo : slos) {
        sb.append(n++ > 0 ? "," : "");
        JsonString.appendGo(sb, slo);
        sb.append(":[");
        for (int i = 0; i < points.size(); i++) {
          Double v = points.get(i).goodput().get(slo);
          sb.append(i > 0 ? "," : "").append(v == null ? "null" : KpiCommand.number(v));
        }
        sb.append(']');
      }
      sb.append("},\"bounds\":{");
      if (!points.isEmpty()) {
        Bound[] latest = points.get(points.size() - 1).bounds();
        int b = 0;
        for (int k = 0; k < SERIES.size(); k++) {
          if (latest[k] != null) {
            sb.append(b++ > 0 ? ",\"" : "\"").append(SERIES.get(k)).append("\":{\"bound\":\"")
                .append(latest[k].side().id()).append("\",\"limit\":").append(KpiCommand.number(latest[k].limit()))
                .append('}');
          }
        }
      }
      sb.append("}}");
    }
    return sb.append("]}").toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "null" : KpiCommand.number(v);
  }
}

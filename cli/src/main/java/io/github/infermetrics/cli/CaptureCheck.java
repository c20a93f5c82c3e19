package io.github.infermetrics.cli;

import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether two captures that {@code kpi} compares can belong to one server, one after the other. Rates over two
 * captures of different servers are numbers without meaning, so:
 *
 * <ul>
 *   <li>refused: no labelled series in common (two servers of different models), or a machine label
 *       ({@code gpu_uuid} of Triton, {@code instance_id} of neuron-monitor-prometheus) with no value in common;
 *   <li>warned about: {@code process_start_time_seconds} or a series' {@code _created} time changed, which a restart
 *       between the captures does as well as a second server; counters are then read as reset, as PromQL does.
 * </ul>
 *
 * Series every process exports alike ({@code process_*}, {@code python_*}, {@code go_*}, {@code *_info}) do not
 * count as being in common.
 */
record CaptureCheck(Optional<String> refusal, List<String> warnings) {
  /** Labels whose values name a machine: two captures of one server share them. */
  private static final List<String> MACHINE_LABELS = List.of("gpu_uuid", "instance_id");

  static CaptureCheck of(MetricSnapshot previous, MetricSnapshot current) {
    List<String> warnings = new ArrayList<>();
    Set<String> before = labelledSeries(previous);
    Set<String> after = labelledSeries(current);
    if (!before.isEmpty() && !after.isEmpty() && before.stream().noneMatch(after::contains)) {
      return new CaptureCheck(Optional.of("the captures have no series in common (" + before.size() + " and "
          + after.size() + " labelled series): captures of two different servers cannot be compared; capture one"
          + " server twice"), warnings);
    }
    for (String label : MACHINE_LABELS) {
      Set<String> a = labelValues(previous, label);
      Set<String> b = labelValues(current, label);
      if (!a.isEmpty() && !b.isEmpty() && a.stream().noneMatch(b::contains)) {
        return new CaptureCheck(Optional.of("the captures come from different machines (" + label + " " + a
            + " then " + b + "): capture one server twice"), warnings);
      }
    }
    double startBefore = processStart(previous);
    double startAfter = processStart(current);
    if (!Double.isNaN(startBefore) && !Double.isNaN(startAfter) && startBefore != startAfter) {
      warnings.add("process_start_time_seconds changed (" + startBefore + " then " + startAfter + "): the server"
          + " restarted between the captures, or they come from two servers; counters are read as reset");
    } else {
      List<String> recreated = recreated(previous, current);
      if (!recreated.isEmpty()) {
        warnings.add(recreated.size() + " series were created again between the captures (their _created time"
            + " changed, " + recreated.get(0) + " first): a restart, or two servers; counters are read as reset");
      }
    }
    return new CaptureCheck(Optional.empty(), warnings);
  }

  private static boolean perProcess(String family) {
    return family.startsWith("process_") || family.startsWith("python_") || family.startsWith("go_")
        || family.endsWith("_info");
  }

  private static Set<String> labelledSeries(MetricSnapshot s) {
    Set<String> keys = new HashSet<>();
    for (MetricFamily f : s.families()) {
      if (perProcess(f.name())) {
        continue;
      }
      for (MetricPoint p : f.points()) {
        if (!p.labels().isEmpty()) {
          keys.add(f.name() + p.labels());
        }
      }
    }
    return keys;
  }

  private static Set<String> labelValues(MetricSnapshot s, String label) {
    Set<String> values = new TreeSet<>();
    for (MetricFamily f : s.families()) {
      for (MetricPoint p : f.points()) {
        String v = p.labels().get(label);
        if (v != null && !v.isEmpty()) {
          values.add(v);
        }
      }
    }
    return values;
  }

  private static double processStart(MetricSnapshot s) {
    return s.family("process_start_time_seconds").filter(f -> f.points().size() == 1)
        .map(f -> f.points().get(0) instanceof GaugePoint g ? g.value() : Double.NaN).orElse(Double.NaN);
  }

  /** Series whose {@code _created} time differs between the captures, as {@code name{labels}}. */
  private static List<String> recreated(MetricSnapshot previous, MetricSnapshot current) {
    Map<String, Double> before = createdTimes(previous);
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, Double> e : createdTimes(current).entrySet()) {
      Double was = before.get(e.getKey());
      if (was != null && !was.equals(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    return changed;
  }

  /** OpenMetrics' {@code _created} of counters, histograms and summaries, and Prometheus text's {@code *_created} gauges. */
  private static Map<String, Double> createdTimes(MetricSnapshot s) {
    Map<String, Double> created = new HashMap<>();
    for (MetricFamily f : s.families()) {
      for (MetricPoint p : f.points()) {
        double t = p instanceof CounterPoint c ? c.createdSeconds()
            : p instanceof HistogramPoint h ? h.createdSeconds()
            : p instanceof SummaryPoint m ? m.createdSeconds()
            : p instanceof GaugePoint g && f.name().endsWith("_created") ? g.value() : Double.NaN;
        if (!Double.isNaN(t)) {
          created.put(f.name() + p.labels(), t);
        }
      }
    }
    return created;
  }
}

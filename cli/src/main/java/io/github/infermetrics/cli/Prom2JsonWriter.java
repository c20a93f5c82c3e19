package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.Exemplar;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.InfoPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.StateSetPoint;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a snapshot as the JSON that prom2json (github.com/prometheus/prom2json) prints, so that
 * {@code infermetrics parse --json} can replace it.
 *
 * <p>The shape: an array of families sorted by name, each {@code {"name","help","type","metrics"}} with the type
 * in upper case; a counter, gauge or untyped metric is {@code {"labels","timestamp_ms","value"}}, a summary
 * {@code {"labels","timestamp_ms","quantiles","count","sum"}}, a histogram
 * {@code {"labels","timestamp_ms","buckets","count","sum"}}. Every number is a string formatted like Go's
 * {@code fmt.Sprint}; counts are printed as the integers prom2json prints. Map keys are sorted like Go's
 * encoder sorts them (byte order), empty maps and absent timestamps are left out, families without samples are
 * left out (prom2json's parser drops them), and the output is compact with a final line feed.
 *
 * <p>Where OpenMetrics carries more than prom2json's model, extra keys appear only when there is something to
 * show, so Prometheus text output stays identical: {@code "unit"} on a family, {@code "created"} (seconds) and
 * {@code "exemplar"} on a counter metric, {@code "created"} and {@code "exemplars"} (by bucket) on a histogram.
 * Gauge histograms use the histogram shape with type {@code GAUGE_HISTOGRAM}; info and state set families use
 * the value shape with types {@code INFO} and {@code STATESET}, one metric per state.
 */
final class Prom2JsonWriter {
  /** Go compares strings by bytes: for UTF-8 that is code point order. */
  static final Comparator<String> GO_ORDER = Prom2JsonWriter::compareCodePoints;

  private Prom2JsonWriter() {}

  static String write(MetricSnapshot snapshot) {
    List<MetricFamily> families = new ArrayList<>(snapshot.families());
    families.removeIf(f -> f.points().isEmpty());
    families.sort((a, b) -> compareCodePoints(a.name(), b.name()));
    StringBuilder out = new StringBuilder(4096);
    out.append('[');
    for (int i = 0; i < families.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      family(out, families.get(i));
    }
    return out.append("]\n").toString();
  }

  private static void family(StringBuilder out, MetricFamily f) {
    out.append("{\"name\":");
    JsonString.appendGo(out, f.name());
    out.append(",\"help\":");
    JsonString.appendGo(out, f.help() == null ? "" : f.help());
    out.append(",\"type\":\"").append(typeName(f.type())).append('"');
    if (f.unit() != null) {
      out.append(",\"unit\":");
      JsonString.appendGo(out, f.unit());
    }
    out.append(",\"metrics\":[");
    boolean first = true;
    for (MetricPoint p : f.points()) {
      if (p instanceof StateSetPoint) {
        StateSetPoint s = (StateSetPoint) p;
        for (Map.Entry<String, Boolean> e : s.states().entrySet()) {
          first = comma(out, first);
          valueMetric(out, s.labels().with(f.name(), e.getKey()), p.timestampMillis(), e.getValue() ? 1 : 0);
          out.append('}');
        }
        continue;
      }
      first = comma(out, first);
      metric(out, p);
    }
    out.append("]}");
  }

  private static boolean comma(StringBuilder out, boolean first) {
    if (!first) {
      out.append(',');
    }
    return false;
  }

  private static void metric(StringBuilder out, MetricPoint p) {
    if (p instanceof HistogramPoint) {
      HistogramPoint h = (HistogramPoint) p;
      head(out, h.labels(), h.timestampMillis());
      TreeMap<String, String> buckets = new TreeMap<>(GO_ORDER);
      TreeMap<String, Exemplar> exemplars = new TreeMap<>(GO_ORDER);
      for (int i = 0; i < h.bucketCount(); i++) {
        String le = FloatFormats.go(h.upperBound(i));
        buckets.put(le, formatUint(h.cumulativeCount(i)));
        if (h.exemplar(i) != null) {
          exemplars.put(le, h.exemplar(i));
        }
      }
      if (!buckets.isEmpty()) {
        sep(out).append("\"buckets\":");
        stringMap(out, buckets);
      }
      sep(out).append("\"count\":\"").append(formatUint(h.hasCount() ? h.count() : 0)).append('"');
      out.append(",\"sum\":\"").append(FloatFormats.go(h.hasSum() ? h.sum() : 0)).append('"');
      if (!Double.isNaN(h.createdSeconds())) {
        out.append(",\"created\":\"").append(FloatFormats.go(h.createdSeconds())).append('"');
      }
      if (!exemplars.isEmpty()) {
        out.append(",\"exemplars\":{");
        boolean first = true;
        for (Map.Entry<String, Exemplar> e : exemplars.entrySet()) {
          first = comma(out, first);
          JsonString.appendGo(out, e.getKey());
          out.append(':');
          exemplar(out, e.getValue());
        }
        out.append('}');
      }
      out.append('}');
    } else if (p instanceof SummaryPoint) {
      SummaryPoint s = (SummaryPoint) p;
      head(out, s.labels(), s.timestampMillis());
      TreeMap<String, String> quantiles = new TreeMap<>(GO_ORDER);
      for (int i = 0; i < s.quantileCount(); i++) {
        quantiles.put(FloatFormats.go(s.quantile(i)), FloatFormats.go(s.quantileValue(i)));
      }
      if (!quantiles.isEmpty()) {
        sep(out).append("\"quantiles\":");
        stringMap(out, quantiles);
      }
      sep(out).append("\"count\":\"").append(formatUint(s.hasCount() ? s.count() : 0)).append('"');
      out.append(",\"sum\":\"").append(FloatFormats.go(s.hasSum() ? s.sum() : 0)).append('"');
      if (!Double.isNaN(s.createdSeconds())) {
        out.append(",\"created\":\"").append(FloatFormats.go(s.createdSeconds())).append('"');
      }
      out.append('}');
    } else if (p instanceof CounterPoint) {
      CounterPoint c = (CounterPoint) p;
      valueMetric(out, c.labels(), c.timestampMillis(), c.value());
      if (c.hasCreated()) {
        out.append(",\"created\":\"").append(FloatFormats.go(c.createdSeconds())).append('"');
      }
      if (c.exemplar() != null) {
        out.append(",\"exemplar\":");
        exemplar(out, c.exemplar());
      }
      out.append('}');
    } else {
      double v = p instanceof GaugePoint ? ((GaugePoint) p).value()
          : p instanceof UnknownPoint ? ((UnknownPoint) p).value() : p instanceof InfoPoint ? 1 : 0;
      valueMetric(out, p.labels(), p.timestampMillis(), v);
      out.append('}');
    }
  }

  /** Opens a value metric and writes up to its value; the caller closes it. */
  private static void valueMetric(StringBuilder out, Labels labels, long ts, double value) {
    head(out, labels, ts);
    sep(out).append("\"value\":\"").append(FloatFormats.go(value)).append('"');
  }

  private static void head(StringBuilder out, Labels labels, long ts) {
    out.append('{');
    if (!labels.isEmpty()) {
      out.append("\"labels\":");
      labels(out, labels);
    }
    if (ts != MetricPoint.NO_TIMESTAMP) {
      sep(out).append("\"timestamp_ms\":\"").append(ts).append('"');
    }
  }

  /** A comma unless the object was just opened. */
  private static StringBuilder sep(StringBuilder out) {
    if (out.charAt(out.length() - 1) != '{') {
      out.append(',');
    }
    return out;
  }

  /** Labels as a JSON object sorted as Go sorts map keys (also used by {@code kpi --json}). */
  static void labels(StringBuilder out, Labels labels) {
    TreeMap<String, String> m = new TreeMap<>(GO_ORDER);
    for (int i = 0; i < labels.size(); i++) {
      m.put(labels.name(i), labels.value(i));
    }
    stringMap(out, m);
  }

  private static void stringMap(StringBuilder out, Map<String, String> m) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : m.entrySet()) {
      first = comma(out, first);
      JsonString.appendGo(out, e.getKey());
      out.append(':');
      JsonString.appendGo(out, e.getValue());
    }
    out.append('}');
  }

  private static void exemplar(StringBuilder out, Exemplar e) {
    out.append('{');
    if (!e.labels().isEmpty()) {
      out.append("\"labels\":");
      labels(out, e.labels());
    }
    if (e.hasTimestamp()) {
      sep(out).append("\"timestamp_ms\":\"").append(e.timestampMillis()).append('"');
    }
    sep(out).append("\"value\":\"").append(FloatFormats.go(e.value())).append("\"}");
  }

  static String typeName(MetricType t) {
    switch (t) {
      case UNKNOWN:
        return "UNTYPED";
      default:
        return t.name();
    }
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * Formats a summary or histogram count the way prom2json prints it: Go converts the {@code
   * float64} count to {@code uint64} (truncating toward zero) and prints that integer.
   *
   * <p>For finite {@code v} with {@code -1 < v < 2^64} the result is the truncated integer in
   * decimal, exact even beyond {@link Long#MAX_VALUE} (so {@code 1.8e19} prints as {@code
   * 18000000000000000000}); a value in {@code (-1, 0]} truncates to {@code 0}, which Go defines
   * too. For every other value (at most {@code -1}, NaN, infinite, or at least {@code 2^64}) Go's
   * conversion is implementation-dependent; it is deliberately not reproduced, and the value is
   * printed with {@link FloatFormats#go(double)} instead.
   *
   * @param v the count
   * @return the text to print for it
   */
  static String formatUint(double v) {
    if (Double.isFinite(v) && v > -1 && v < 0x1p64) { // 2^64: the first value a uint64 cannot hold
      if (v < 0x1p63) {
        return Long.toString((long) v);
      }
      BigInteger truncated = new BigDecimal(v).toBigInteger();
      return truncated.toString();
    }
    return FloatFormats.go(v);
  }
}

package io.github.infermetrics.cli.simulate;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.PrometheusText;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Writes Prometheus text 0.0.4 the way one of two real client libraries does, byte for byte in the parts that
 * differ: Python's prometheus_client (vLLM) and prometheus-cpp (Triton). Not thread-safe.
 */
final class ExpositionText {
  /** Which library's bytes to write. */
  enum Style {
    /**
     * prometheus_client: labels sorted by name ({@code le} among them), floats as {@code 3.0}, counters as
     * {@code _total} plus a separate {@code _created} gauge family, histogram buckets then {@code _count} and
     * {@code _sum}.
     */
    PYTHON_CLIENT,
    /**
     * prometheus-cpp: labels sorted by name with {@code le}/{@code quantile} last, integers without a decimal
     * point, no {@code _total}, histograms and summaries as {@code _count}, {@code _sum}, then buckets/quantiles.
     */
    PROMETHEUS_CPP
  }

  /** One series of a counter or gauge: its labels, value and (prometheus_client counters) creation time. */
  record Series(SortedMap<String, String> labels, double value, double createdSeconds) {}

  /** One series of a histogram. */
  record HistogramSeries(SortedMap<String, String> labels, Histogram.Snapshot histogram, double createdSeconds) {}

  private final Style style;
  private final UnaryOperator<String> names;
  private final StringBuilder out = new StringBuilder(32 * 1024);

  ExpositionText(Style style) {
    this(style, UnaryOperator.identity());
  }

  /** A writer that spells every family name it is given through {@code names} (the vLLM simulator's namings). */
  ExpositionText(Style style, UnaryOperator<String> names) {
    this.style = style;
    this.names = names;
  }

  /** Labels from name/value pairs, sorted by name. */
  static SortedMap<String, String> labels(String... nameValuePairs) {
    SortedMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      m.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return m;
  }

  /** A counter: prometheus_client adds {@code _total} and a {@code _created} family; prometheus-cpp neither. */
  void counter(String family, String help, List<Series> series) {
    String name = names.apply(family);
    String exposed = style == Style.PYTHON_CLIENT ? name + "_total" : name;
    header(exposed, help, "counter");
    for (Series s : series) {
      sample(exposed, s.labels(), s.value());
    }
    if (style == Style.PYTHON_CLIENT) {
      header(name + "_created", help, "gauge");
      for (Series s : series) {
        sample(name + "_created", s.labels(), s.createdSeconds());
      }
    }
  }

  void gauge(String family, String help, List<Series> series) {
    String name = names.apply(family);
    header(name, help, "gauge");
    for (Series s : series) {
      sample(name, s.labels(), s.value());
    }
  }

  void histogram(String family, String help, List<HistogramSeries> series) {
    String name = names.apply(family);
    header(name, help, "histogram");
    for (HistogramSeries s : series) {
      Histogram.Snapshot h = s.histogram();
      if (style == Style.PROMETHEUS_CPP) {
        sample(name + "_count", s.labels(), h.count());
        sample(name + "_sum", s.labels(), h.sum());
      }
      for (int i = 0; i < h.cumulative().length; i++) {
        String le = i < h.bounds().length ? number(h.bounds()[i]) : "+Inf";
        sample(name + "_bucket", s.labels(), "le", le, h.cumulative()[i]);
      }
      if (style == Style.PYTHON_CLIENT) {
        sample(name + "_count", s.labels(), h.count());
        sample(name + "_sum", s.labels(), h.sum());
      }
    }
    if (style == Style.PYTHON_CLIENT) {
      header(name + "_created", help, "gauge");
      for (HistogramSeries s : series) {
        sample(name + "_created", s.labels(), s.createdSeconds());
      }
    }
  }

  /** A prometheus-cpp summary: {@code _count}, {@code _sum}, then one sample per quantile (NaN when empty). */
  void summary(String name, SortedMap<String, String> labels, long count, double sum, double[] quantiles,
      double[] values) {
    sample(name + "_count", labels, count);
    sample(name + "_sum", labels, sum);
    for (int i = 0; i < quantiles.length; i++) {
      sample(name, labels, "quantile", number(quantiles[i]), values[i]);
    }
  }

  void header(String name, String help, String type) {
    PrometheusText.appendHeader(out, name, help, type, false);
  }

  void sample(String name, SortedMap<String, String> labels, double value) {
    sample(name, labels, null, null, value);
  }

  private void sample(String name, SortedMap<String, String> labels, String extraName, String extraValue,
      double value) {
    out.append(name);
    Map<String, String> all = labels;
    if (extraName != null && style == Style.PYTHON_CLIENT) {
      SortedMap<String, String> sorted = new TreeMap<>(labels);
      sorted.put(extraName, extraValue);
      all = sorted;
    }
    boolean first = true;
    if (!all.isEmpty() || extraName != null) {
      out.append('{');
      for (Map.Entry<String, String> e : all.entrySet()) {
        first = label(first, e.getKey(), e.getValue());
      }
      if (extraName != null && style == Style.PROMETHEUS_CPP) {
        label(first, extraName, extraValue);
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
  }

  private boolean label(boolean first, String name, String value) {
    if (!first) {
      out.append(',');
    }
    PrometheusText.appendLabel(out, name, value);
    return false;
  }

  private String number(double v) {
    return style == Style.PYTHON_CLIENT ? FloatFormats.pythonClient(v) : NumberText.prometheusCpp(v);
  }

  /** The text written so far. */
  String text() {
    return out.toString();
  }
}

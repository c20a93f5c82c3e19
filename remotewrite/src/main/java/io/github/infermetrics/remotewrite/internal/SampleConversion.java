package io.github.infermetrics.remotewrite.internal;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.CounterPoint;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This class is internal and is hence not for public use. Its APIs are unstable and can change at any time.
 *
 * <p>Turns KPI sets and scraped snapshots into remote-write samples. A KPI value becomes a series named
 * {@code prefix + KpiValue.metricName()} with its dimensions as labels, plus {@code source} and {@code target} from
 * the set (as the EMF writer adds them) and the external labels; labels already on the series win over both, as
 * Prometheus does with external labels. Immutable.
 */
public final class SampleConversion {
  private static final String NAME = "__name__";

  private final String prefix;
  private final Labels externalLabels;

  /**
   * A conversion.
   *
   * @param prefix prepended to every metric name, may be empty
   * @param externalLabels added to every series that does not have them
   */
  public SampleConversion(String prefix, Labels externalLabels) {
    this.prefix = prefix;
    this.externalLabels = externalLabels;
  }

  /**
   * The samples of a KPI set, stamped with its {@link KpiSet#at()}.
   *
   * @param set the KPIs
   * @return one sample per value
   */
  public List<EncodedSample> samples(KpiSet set) {
    long t = set.at().toEpochMilli();
    List<EncodedSample> out = new ArrayList<>(set.values().size());
    SeriesLabels w = new SeriesLabels();
    for (KpiValue v : set.values()) {
      // the dimensions, then source and target as every sink has them (KpiSet.labels), then the external labels;
      // added straight into one sorted list rather than through Labels.with and maps, since this runs per value
      w.clear();
      Labels d = v.dimensions();
      for (int i = 0; i < d.size(); i++) {
        w.addIfAbsent(d.name(i), d.value(i));
      }
      w.addIfAbsent(KpiDimension.SOURCE, set.source());
      w.addIfAbsent(KpiDimension.TARGET, set.target());
      for (int i = 0; i < externalLabels.size(); i++) {
        w.addIfAbsent(externalLabels.name(i), externalLabels.value(i));
      }
      w.put(NAME, v.metricName());
      out.add(new EncodedSample(w.encode(prefix), v.value(), t));
    }
    return out;
  }

  /**
   * The labels of one series being built: names and values kept sorted by name, empty values left out (an empty
   * value is an absent label in Prometheus), and encoded as the repeated {@code Label} fields of a
   * {@code TimeSeries} by {@link LabelFields}. Reused for every value of a set.
   */
  static final class SeriesLabels {
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int size;

    void clear() {
      size = 0;
    }

    /** Adds a label unless one of that name is there or the value is empty. */
    void addIfAbsent(String name, String value) {
      if (value.isEmpty()) {
        return;
      }
      int i = find(name);
      if (i < 0) {
        insert(-i - 1, name, value);
      }
    }

    /** Sets a label, replacing one of that name. */
    void put(String name, String value) {
      int i = find(name);
      if (i >= 0) {
        values[i] = value;
      } else {
        insert(-i - 1, name, value);
      }
    }

    /** The index of {@code name}, or {@code -(insertion point) - 1}. */
    private int find(String name) {
      int i = 0;
      while (i < size) {
        int c = names[i].compareTo(name);
        if (c == 0) {
          return i;
        }
        if (c > 0) {
          break;
        }
        i++;
      }
      return -i - 1;
    }

    private void insert(int at, String name, String value) {
      if (size == names.length) {
        names = java.util.Arrays.copyOf(names, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      System.arraycopy(names, at, names, at + 1, size - at);
      System.arraycopy(values, at, values, at + 1, size - at);
      names[at] = name;
      values[at] = value;
      size++;
    }

    /**
     * The encoded labels, as {@link WriteRequestEncoder#encodeLabels} writes them, with {@code prefix} before the
     * value of {@code __name__}.
     */
    byte[] encode(String prefix) {
      int name = prefix.isEmpty() ? -1 : find(NAME);
      return LabelFields.encode(names, values, size, name, prefix);
    }
  }

  /**
   * The raw series of a scraped snapshot, in the classic Prometheus naming (counters with {@code _total}, histograms
   * as {@code _bucket}/{@code _sum}/{@code _count}, summaries with {@code quantile}), all stamped with the scrape
   * time; {@code _created} series are left out, as Prometheus leaves them out by default.
   *
   * @param snapshot the scrape
   * @param targetLabels labels of the target (for example {@code job} and {@code instance}), added where absent
   * @param timestampMillis the scrape time
   * @return the samples
   */
  public List<EncodedSample> samples(MetricSnapshot snapshot, Labels targetLabels, long timestampMillis) {
    List<EncodedSample> out = new ArrayList<>();
    boolean openMetrics = snapshot.format() == ExpositionFormat.OPENMETRICS;
    TreeMap<String, String> target = labels(targetLabels); // without empty values, like the point's own
    for (MetricFamily f : snapshot.families()) {
      String name = prefix + f.name();
      for (MetricPoint p : f.points()) {
        TreeMap<String, String> base = labels(p.labels());
        target.forEach(base::putIfAbsent);
        addExternalLabels(base); // once per point; le, quantile and state-set labels still override them
        if (p instanceof CounterPoint c) {
          String n = openMetrics && !name.endsWith("_total") ? name + "_total" : name;
          out.add(sample(n, base, c.value(), timestampMillis));
        } else if (p instanceof GaugePoint g) {
          out.add(sample(name, base, g.value(), timestampMillis));
        } else if (p instanceof UnknownPoint u) {
          out.add(sample(name, base, u.value(), timestampMillis));
        } else if (p instanceof HistogramPoint h) {
          histogram(out, name, f.type() == MetricType.GAUGE_HISTOGRAM, base, h, timestampMillis);
        } else if (p instanceof SummaryPoint s) {
          for (int i = 0; i < s.quantileCount(); i++) {
            TreeMap<String, String> l = new TreeMap<>(base);
            l.put("quantile", formatBound(s.quantile(i)));
            out.add(sample(name, l, s.quantileValue(i), timestampMillis));
          }
          if (s.hasSum()) {
            out.add(sample(name + "_sum", base, s.sum(), timestampMillis));
          }
          if (s.hasCount()) {
            out.add(sample(name + "_count", base, s.count(), timestampMillis));
          }
        } else if (p instanceof InfoPoint) {
          String n = name.endsWith("_info") ? name : name + "_info";
          out.add(sample(n, base, 1, timestampMillis));
        } else if (p instanceof StateSetPoint s) {
          for (Map.Entry<String, Boolean> e : s.states().entrySet()) {
            TreeMap<String, String> l = new TreeMap<>(base);
            l.put(f.name(), e.getKey());
            out.add(sample(name, l, e.getValue() ? 1 : 0, timestampMillis));
          }
        }
      }
    }
    return out;
  }

  private void histogram(List<EncodedSample> out, String name, boolean gauge, TreeMap<String, String> base,
      HistogramPoint h, long t) {
    for (int i = 0; i < h.bucketCount(); i++) {
      TreeMap<String, String> l = new TreeMap<>(base);
      l.put("le", formatBound(h.upperBound(i)));
      out.add(sample(name + "_bucket", l, h.cumulativeCount(i), t));
    }
    if (h.hasSum()) {
      out.add(sample(name + (gauge ? "_gsum" : "_sum"), base, h.sum(), t));
    }
    double count = h.hasCount() ? h.count() : h.bucketCount() > 0 ? h.cumulativeCount(h.bucketCount() - 1) : 0;
    out.add(sample(name + (gauge ? "_gcount" : "_count"), base, count, t));
  }

  /** {@code le} and {@code quantile} values in the shortest plain form: {@code 0.005}, {@code 1}, {@code +Inf}. */
  static String formatBound(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return FloatFormats.plain(v);
  }

  private TreeMap<String, String> labels(Labels labels) {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.value(i).isEmpty()) { // an empty value is an absent label in Prometheus
        map.put(labels.name(i), labels.value(i));
      }
    }
    return map;
  }

  /** The sink's external labels, where the series has no label of that name. */
  private void addExternalLabels(TreeMap<String, String> labels) {
    for (int i = 0; i < externalLabels.size(); i++) {
      labels.putIfAbsent(externalLabels.name(i), externalLabels.value(i));
    }
  }

  /** A sample of labels that already hold the external labels (the map is not changed). */
  private EncodedSample sample(String name, TreeMap<String, String> labels, double value, long t) {
    TreeMap<String, String> all = new TreeMap<>(labels);
    all.put(NAME, name);
    String[] names = all.keySet().toArray(new String[0]);
    String[] values = all.values().toArray(new String[0]);
    return EncodedSample.of(names, values, value, t);
  }
}

package io.github.infermetrics.core.snapshot;

import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.exposition.SampleKind;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads expositions into {@link MetricSnapshot}s. Keep one reader per scrape target: it reuses its parser's
 * symbol tables and keeps the {@link Labels} of every series, so a re-scrape allocates the new points and values
 * but not their labels.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();            // lenient, format from the input
 * MetricSnapshot s = reader.read(Files.readAllBytes(path));
 * s.family("gpu_utilization").ifPresent(f -> ...);
 * }</pre>
 *
 * <p>Beyond the parser's own rules, the reader rejects what it cannot represent: a histogram bucket without a
 * numeric {@code le}, a summary sample without a numeric {@code quantile}, a repeated bucket, quantile, count or
 * sum in one point, a state set sample without its state label or with a value other than 0 or 1, an info value
 * other than 1. These go through {@link ExpositionParser#rejectCurrentLine(String)}, so the parser's
 * {@link io.github.infermetrics.core.exposition.BadLinePolicy} decides whether they end the read or skip the line.
 *
 * <p>Not thread-safe.
 */
public final class SnapshotReader {
  private final ExpositionParser parser;
  private final LabelsCache labelsCache = new LabelsCache();
  private FamilyBuild[] builds = new FamilyBuild[64];
  private boolean openMetrics;

  /** A reader with a lenient parser that detects the format. */
  public SnapshotReader() {
    this(ExpositionParser.create());
  }

  /**
   * A reader over a configured parser.
   *
   * @param parser the parser; the reader owns it from now on
   */
  public SnapshotReader(ExpositionParser parser) {
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  /**
   * The parser, for its counters ({@link ExpositionParser#skippedLines()}) and configuration.
   *
   * @return the parser
   */
  public ExpositionParser parser() {
    return parser;
  }

  /**
   * Reads a whole exposition.
   *
   * @param exposition the bytes
   * @return the snapshot
   * @throws ExpositionParseException when the exposition is invalid
   */
  public MetricSnapshot read(byte[] exposition) {
    parser.reset(exposition);
    return build();
  }

  /**
   * Reads an exposition in a known format.
   *
   * @param exposition the bytes
   * @param format the format, or {@code null} to use the parser's
   * @return the snapshot
   * @throws ExpositionParseException when the exposition is invalid
   */
  public MetricSnapshot read(byte[] exposition, ExpositionFormat format) {
    parser.reset(exposition, 0, exposition.length, format);
    return build();
  }

  /**
   * Reads {@code exposition[offset, offset + length)} in a known format.
   *
   * @param exposition the bytes
   * @param offset where the exposition starts
   * @param length its length
   * @param format the format, or {@code null} to use the parser's
   * @return the snapshot
   * @throws ExpositionParseException when the exposition is invalid
   */
  public MetricSnapshot read(byte[] exposition, int offset, int length, ExpositionFormat format) {
    parser.reset(exposition, offset, length, format);
    return build();
  }

  /**
   * Reads the remaining bytes of a buffer.
   *
   * @param exposition the bytes
   * @return the snapshot
   * @throws ExpositionParseException when the exposition is invalid
   */
  public MetricSnapshot read(ByteBuffer exposition) {
    parser.reset(exposition);
    return build();
  }

  /**
   * Reads an exposition from a stream (not closed), with bounded memory for the text.
   *
   * @param exposition the stream
   * @param format the format (for example from the {@code Content-Type}), or {@code null} to use the parser's
   * @return the snapshot
   * @throws ExpositionParseException when the exposition is invalid
   * @throws java.io.UncheckedIOException when reading fails
   */
  public MetricSnapshot read(InputStream exposition, ExpositionFormat format) {
    parser.reset(exposition, format);
    return build();
  }

  private MetricSnapshot build() {
    labelsCache.beginRead();
    int used = 0;
    try {
      for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
        if (used == 0) {
          openMetrics = parser.format() == ExpositionFormat.OPENMETRICS;
        }
        int f = parser.familyOrdinal();
        while (used <= f) {
          buildFor(used).reset(parser.familyName(used));
          used++;
        }
        if (e == ExpositionEvent.SAMPLE) {
          sample(builds[f], parser.familyType(f));
        }
      }
      int n = parser.familyCount();
      while (used < n) {
        buildFor(used).reset(parser.familyName(used));
        used++;
      }
      List<MetricFamily> families = new ArrayList<>(n);
      for (int f = 0; f < n; f++) {
        families.add(builds[f].finish(parser.familyName(f), parser.familyType(f), parser.familyHelp(f),
            parser.familyUnit(f)));
      }
      return new MetricSnapshot(parser.format(), families, parser.sampleCount(), parser.skippedLines());
    } finally {
      for (int f = 0; f < used; f++) {
        builds[f].release();
      }
    }
  }

  private FamilyBuild buildFor(int f) {
    if (f >= builds.length) {
      builds = Arrays.copyOf(builds, Math.max(builds.length * 2, f + 1));
    }
    FamilyBuild b = builds[f];
    if (b == null) {
      b = builds[f] = new FamilyBuild();
    }
    return b;
  }

  // ---- one sample ---------------------------------------------------------------------------------------------

  private void sample(FamilyBuild fb, MetricType type) {
    ExpositionParser p = parser;
    SampleKind kind = p.kind();
    long ts = p.hasTimestamp() ? p.timestampMillis() : MetricPoint.NO_TIMESTAMP;
    double v = p.value();
    switch (type) {
      case GAUGE:
        fb.points.add(new GaugePoint(labels(null), v, ts));
        return;
      case UNKNOWN:
        fb.points.add(new UnknownPoint(labels(null), v, ts));
        return;
      case INFO:
        if (v != 1) {
          p.rejectCurrentLine("info value must be 1, got " + v);
          return;
        }
        fb.points.add(new InfoPoint(labels(null), ts));
        return;
      case COUNTER:
        if (!openMetrics) {
          fb.points.add(new CounterPoint(labels(null), v, Double.NaN, null, ts));
          return;
        }
        counter(fb, kind, v, ts);
        return;
      case HISTOGRAM:
      case GAUGE_HISTOGRAM:
        distribution(fb, kind, v, ts, "le");
        return;
      case SUMMARY:
        distribution(fb, kind, v, ts, "quantile");
        return;
      default:
        stateSet(fb, v, ts);
    }
  }

  private void counter(FamilyBuild fb, SampleKind kind, double v, long ts) {
    Acc a = fb.acc(labels(null), ts, this);
    if (kind == SampleKind.CREATED) {
      if (!Double.isNaN(a.created) && (a = fb.repeat(a, ts, "_created", this)) == null) {
        return;
      }
      a.created = v;
      return;
    }
    if (a.hasValue && (a = fb.repeat(a, ts, "value", this)) == null) {
      return;
    }
    a.hasValue = true;
    a.value = v;
    a.exemplar = exemplar();
  }

  /** Histogram and gauge histogram buckets (by {@code le}) or summary quantiles, with count, sum and created. */
  private void distribution(FamilyBuild fb, SampleKind kind, double v, long ts, String boundLabel) {
    ExpositionParser p = parser;
    switch (kind) {
      case BUCKET:
      case QUANTILE: {
        int li = p.labelIndex(boundLabel);
        String what = kind == SampleKind.BUCKET ? "histogram bucket " : "summary sample ";
        if (li < 0) {
          p.rejectCurrentLine(what + p.name() + " has no " + boundLabel + " label");
          return;
        }
        double bound;
        try {
          bound = p.labelValueAsDouble(li);
        } catch (ExpositionParseException e) {
          p.rejectCurrentLine(boundLabel + " of " + p.name() + " is not a number: \"" + p.labelValue(li) + "\"");
          return;
        }
        if (Double.isNaN(bound)) {
          p.rejectCurrentLine(boundLabel + " of " + p.name() + " is NaN");
          return;
        }
        Acc a = fb.acc(labels(boundLabel), ts, this);
        if (a.indexOf(bound) >= 0
            && (a = fb.repeat(a, ts, (kind == SampleKind.BUCKET ? "bucket " : "")
                + boundLabel + "=\"" + p.labelValue(li) + "\"", this)) == null) {
          return;
        }
        a.add(bound, v, kind == SampleKind.BUCKET ? exemplar() : null);
        return;
      }
      case COUNT: {
        Acc a = fb.acc(labels(null), ts, this);
        if (a.countSet && (a = fb.repeat(a, ts, p.name(), this)) == null) {
          return;
        }
        a.countSet = true;
        a.count = v;
        return;
      }
      case SUM: {
        Acc a = fb.acc(labels(null), ts, this);
        if (a.sumSet && (a = fb.repeat(a, ts, p.name(), this)) == null) {
          return;
        }
        a.sumSet = true;
        a.sum = v;
        return;
      }
      default:
        fb.acc(labels(null), ts, this).created = v;
    }
  }

  private void stateSet(FamilyBuild fb, double v, long ts) {
    ExpositionParser p = parser;
    String family = p.familyName();
    int si = p.labelIndex(family);
    if (si < 0) {
      p.rejectCurrentLine("state set sample " + p.name() + " has no " + family + " label");
      return;
    }
    if (v != 0 && v != 1) {
      p.rejectCurrentLine("state set value must be 0 or 1, got " + v);
      return;
    }
    String state = p.labelValueString(si);
    Acc a = fb.acc(labels(family), ts, this);
    if (a.states == null) {
      a.states = new TreeMap<>();
    }
    if (a.states.containsKey(state) && (a = fb.repeat(a, ts, "state " + state, this)) == null) {
      return;
    }
    if (a.states == null) {
      a.states = new TreeMap<>();
    }
    a.states.put(state, v == 1);
  }

  private Exemplar exemplar() {
    ExpositionParser p = parser;
    if (!p.hasExemplar()) {
      return null;
    }
    int n = p.exemplarLabelCount();
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = p.exemplarLabelName(i);
      values[i] = p.exemplarLabelValueString(i);
    }
    return new Exemplar(Labels.ofArrays(names, values), p.exemplarValue(),
        p.exemplarHasTimestamp() ? p.exemplarTimestampMillis() : MetricPoint.NO_TIMESTAMP);
  }

  /** The labels of the current sample without {@code excluded}, shared with earlier reads when unchanged. */
  private Labels labels(String excluded) {
    return labelsCache.labels(parser, excluded);
  }

  void reject(String reason) {
    parser.rejectCurrentLine(reason);
  }

  // ---- per-family state ---------------------------------------------------------------------------------------

  private static final double[] NO_DOUBLES = new double[0];

  /** A point being assembled from several samples; pooled and reused from read to read. */
  static final class Acc {
    Labels labels;
    long ts;
    int index;
    boolean countSet;
    boolean sumSet;
    double count;
    double sum;
    double created;
    // counter
    boolean hasValue;
    double value;
    Exemplar exemplar;
    // buckets by le, or quantiles, kept sorted; sized on first use, and exemplars only when there are any: a reader
    // keeps its accumulators between reads, one per point of a histogram or summary family, for every target a
    // process watches
    double[] bounds = NO_DOUBLES;
    double[] values = NO_DOUBLES;
    Exemplar[] exemplars;
    int n;
    boolean anyExemplar;
    // state set
    TreeMap<String, Boolean> states;

    void reset(Labels labels, long ts, int index) {
      this.labels = labels;
      this.ts = ts;
      this.index = index;
      countSet = false;
      sumSet = false;
      count = Double.NaN;
      sum = Double.NaN;
      created = Double.NaN;
      hasValue = false;
      value = Double.NaN;
      exemplar = null;
      if (anyExemplar) {
        java.util.Arrays.fill(exemplars, 0, n, null);
      }
      n = 0;
      anyExemplar = false;
      states = null;
    }

    int indexOf(double bound) {
      for (int i = 0; i < n; i++) {
        if (bounds[i] == bound) {
          return i;
        }
      }
      return -1;
    }

    void add(double bound, double v, Exemplar e) {
      if (n == bounds.length) {
        int size = Math.max(4, n * 2);
        bounds = Arrays.copyOf(bounds, size);
        values = Arrays.copyOf(values, size);
        if (exemplars != null) {
          exemplars = Arrays.copyOf(exemplars, size);
        }
      }
      if (e != null && exemplars == null) {
        exemplars = new Exemplar[bounds.length];
      }
      int i = n;
      while (i > 0 && bounds[i - 1] > bound) {
        bounds[i] = bounds[i - 1];
        values[i] = values[i - 1];
        if (exemplars != null) {
          exemplars[i] = exemplars[i - 1];
        }
        i--;
      }
      bounds[i] = bound;
      values[i] = v;
      if (exemplars != null) {
        exemplars[i] = e;
      }
      anyExemplar |= e != null;
      n++;
    }

    MetricPoint build(MetricType type, FamilyBuild fb) {
      switch (type) {
        case COUNTER:
          return new CounterPoint(labels, value, created, exemplar, ts);
        case HISTOGRAM:
        case GAUGE_HISTOGRAM:
          return new HistogramPoint(labels, fb.sharedBounds(labels, bounds, n), Arrays.copyOf(values, n),
              anyExemplar ? Arrays.copyOf(exemplars, n) : null, count, sum, created, ts);
        case SUMMARY:
          return new SummaryPoint(labels, fb.sharedBounds(labels, bounds, n), Arrays.copyOf(values, n), count, sum,
              created, ts);
        default:
          return new StateSetPoint(labels, states == null ? Map.of() : states, ts);
      }
    }
  }

  /** The points of one family (by ordinal) of the exposition being read, and what it keeps between reads. */
  static final class FamilyBuild {
    List<MetricPoint> points;
    private String name;
    private int lastSize = 4;
    /** Open points by their labels; labels are canonical within a read, so identity is enough. Made lazily. */
    private IdentityHashMap<Labels, Acc> open;
    private Acc[] pool = new Acc[0];
    private int used;
    private MetricType accType;
    /** The bucket bounds (or quantiles) of each series at the last read, shared while they do not change. */
    private IdentityHashMap<Labels, double[]> bounds;

    void reset(String familyName) {
      if (!familyName.equals(name)) {
        bounds = null;
        name = familyName;
      }
      points = new ArrayList<>(lastSize);
      if (open != null && !open.isEmpty()) {
        open.clear();
      }
      used = 0;
      accType = null;
    }

    void release() {
      if (points != null) {
        lastSize = Math.max(4, points.size());
      }
      points = null;
    }

    Acc acc(Labels labels, long ts, SnapshotReader r) {
      if (accType == null) {
        accType = r.parser.familyType();
      }
      if (open == null) {
        open = new IdentityHashMap<>();
      }
      Acc a = open.get(labels);
      if (a != null && a.ts != ts) {
        if (r.openMetrics) {
          // OpenMetrics: a new timestamp is a new point of the metric
          close(a);
          a = null;
        } else if (ts != MetricPoint.NO_TIMESTAMP) {
          // Prometheus text merges a metric's samples and the latest timestamp wins, as expfmt does
          a.ts = ts;
        }
      }
      if (a == null) {
        a = newAcc(labels, ts);
        open.put(labels, a);
      }
      return a;
    }

    private Acc newAcc(Labels labels, long ts) {
      if (used == pool.length) {
        pool = Arrays.copyOf(pool, Math.max(8, used * 2));
      }
      Acc a = pool[used];
      if (a == null) {
        a = pool[used] = new Acc();
      }
      used++;
      a.reset(labels, ts, points.size());
      points.add(null);
      return a;
    }

    /**
     * A component of the point came again: a timestamped sample starts the next point (OpenMetrics allows
     * repeated points with equal timestamps); without a timestamp it is a duplicate, rejected.
     */
    Acc repeat(Acc a, long ts, String what, SnapshotReader r) {
      if (ts == MetricPoint.NO_TIMESTAMP) {
        r.reject("duplicate " + what + " for " + r.parser.familyName() + a.labels);
        return null;
      }
      close(a);
      Acc next = newAcc(a.labels, ts);
      open.put(a.labels, next);
      return next;
    }

    private void close(Acc a) {
      points.set(a.index, a.build(accType, this));
    }

    double[] sharedBounds(Labels labels, double[] b, int n) {
      if (bounds == null) {
        bounds = new IdentityHashMap<>();
      }
      double[] prev = bounds.get(labels);
      if (prev != null && prev.length == n && Arrays.equals(prev, 0, n, b, 0, n)) {
        return prev;
      }
      double[] copy = Arrays.copyOf(b, n);
      bounds.put(labels, copy);
      return copy;
    }

    MetricFamily finish(String name, MetricType type, String help, String unit) {
      for (int i = 0; i < used; i++) {
        Acc a = pool[i];
        if (points.get(a.index) == null) {
          close(a);
        }
      }
      List<MetricPoint> list = points;
      if (type == MetricType.COUNTER || type == MetricType.GAUGE) {
        // a lenient Prometheus text exposition typed this family after its first (untyped) samples
        for (int i = 0; i < list.size(); i++) {
          MetricPoint pt = list.get(i);
          if (pt instanceof UnknownPoint) {
            UnknownPoint u = (UnknownPoint) pt;
            list.set(i, type == MetricType.COUNTER
                ? new CounterPoint(u.labels(), u.value(), Double.NaN, null, u.timestampMillis())
                : new GaugePoint(u.labels(), u.value(), u.timestampMillis()));
          }
        }
      }
      return MetricFamily.trusted(name, type, help, unit, Collections.unmodifiableList(list));
    }
  }
}

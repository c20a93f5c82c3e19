package io.github.infermetrics.core.exposition;

import java.util.Arrays;

/**
 * The strict rules that need state across lines, kept out of the parser's hot path.
 *
 * <p>For OpenMetrics: families are not interleaved and not repeated, names do not clash with another family's
 * samples, metadata comes before samples, UNIT fits the name and type, the metrics of a family are not
 * interleaved, timestamps of a metric do not go backwards and are present on all its samples or none, and every
 * metric point follows its type's rules (counter values, cumulative buckets with {@code +Inf}, {@code _count}
 * equal to the {@code +Inf} bucket, quantiles in [0, 1], state set and info values, exemplar placement). For
 * Prometheus text it checks what {@code expfmt} checks beyond syntax: {@code le} and {@code quantile} are numbers.
 */
final class StrictValidator {
  private final ExpositionParser p;

  private boolean[] famDone = new boolean[64];
  private int lastFamily = -1;

  // the metric (label set without le / quantile / state label) being read, and its point
  private boolean inMetric;
  private long metricKey;
  private final LongSet doneMetrics = new LongSet();
  private boolean metricHasTs;
  private long pointTsMs;
  private int pointTsNs;
  private boolean pointStarted;
  private boolean valueSeen;
  private boolean countSeen;
  private boolean sumSeen;
  private boolean createdSeen;
  private double count;
  private double sum;
  private int buckets;
  private double lastLe;
  private double lastBucket;
  private boolean hasInf;
  private double infBucket;
  private boolean negativeBucket;
  private int pointAt;

  StrictValidator(ExpositionParser parser) {
    this.p = parser;
  }

  void reset() {
    Arrays.fill(famDone, false);
    lastFamily = -1;
    inMetric = false;
    doneMetrics.clear();
    resetPoint();
  }

  void growFamilies(int n) {
    famDone = Arrays.copyOf(famDone, n);
  }

  // ---- families -----------------------------------------------------------------------------------------------

  void onNewFamily(int f, int at) {
    if (!p.isOpenMetrics()) {
      return;
    }
    // the new name must not be a sample name of an earlier family: gauge a_created vs counter a
    for (int s = 0; s < ExpositionParser.SUFFIX_COUNT; s++) {
      int g = p.familyBeforeSuffix(f, s);
      if (g >= 0 && g != f && p.acceptsSuffix(p.typeOf(g), s)) {
        throw p.error("family " + p.famName[f] + " clashes with the samples of " + typeName(p.typeOf(g))
            + " family " + p.famName[g], at, true);
      }
    }
  }

  void onMetadata(ExpositionEvent e, int at) {
    int f = p.curFam;
    enterFamily(f, at, "metadata");
    MetricType t = p.typeOf(f);
    if (e == ExpositionEvent.TYPE) {
      for (int s = 0; s < ExpositionParser.SUFFIX_COUNT; s++) {
        if (p.acceptsSuffix(t, s)) {
          int g = p.familyWithSuffix(f, s);
          if (g >= 0 && g != f) {
            throw p.error(typeName(t) + " family " + p.famName[f] + " clashes with family " + p.famName[g], at,
                true);
          }
        }
      }
    }
    if (e == ExpositionEvent.TYPE || e == ExpositionEvent.UNIT) {
      String unit = p.famUnit[f];
      if (unit != null) {
        if (t == MetricType.INFO || t == MetricType.STATESET) {
          throw p.error(typeName(t) + " family " + p.famName[f] + " must not have a unit", at, true);
        }
        String n = p.famName[f];
        if (!(n.length() > unit.length() && n.endsWith(unit) && n.charAt(n.length() - unit.length() - 1) == '_')) {
          throw p.error("unit " + unit + " is not a suffix of the family name " + p.famName[f]
              + " (expected a name ending in _" + unit + ")", at, true);
        }
      }
    }
  }

  private void enterFamily(int f, int at, String what) {
    if (f == lastFamily) {
      return;
    }
    finishFamily(at);
    if (famDone[f]) {
      throw p.error(what + " of family " + p.famName[f] + " after other families: a family's lines must be"
          + " together", at, true);
    }
    lastFamily = f;
  }

  private void finishFamily(int at) {
    if (lastFamily < 0) {
      return;
    }
    if (inMetric) {
      finishPoint(at);
    }
    inMetric = false;
    doneMetrics.clear();
    famDone[lastFamily] = true;
  }

  void end() {
    int at = p.endPosition();
    finishFamily(at);
  }

  // ---- samples ------------------------------------------------------------------------------------------------

  void onSample(int at) {
    int f = p.curFam;
    MetricType t = p.typeOf(f);
    SampleKind k = p.sampleKind;
    if (!p.isOpenMetrics()) {
      textChecks(t, k, at);
      return;
    }
    enterFamily(f, at, "samples");
    if (p.hasExemplar && !(k == SampleKind.BUCKET || k == SampleKind.VALUE && t == MetricType.COUNTER)) {
      throw p.error("exemplars are only allowed on counter _total and histogram _bucket samples", at, true);
    }
    String excluded = k == SampleKind.BUCKET ? "le" : k == SampleKind.QUANTILE ? "quantile"
        : t == MetricType.STATESET ? p.famName[f] : null;
    long key = metricKey(excluded);
    if (!inMetric || key != metricKey) {
      if (inMetric) {
        finishPoint(at);
        doneMetrics.add(metricKey);
      }
      if (doneMetrics.contains(key)) {
        throw p.error("metric " + p.sampleName + labelsText(excluded) + " appears again after other metrics of"
            + " family " + p.famName[f] + ": a metric's samples must be together", at, true);
      }
      inMetric = true;
      metricKey = key;
      metricHasTs = p.hasTimestamp;
      startPoint(at);
    } else {
      if (p.hasTimestamp != metricHasTs) {
        throw p.error("metric " + p.sampleName + " mixes samples with and without timestamps", at, true);
      }
      if (p.hasTimestamp) {
        int cmp = compareTs(p.timestampMillis, p.timestampNanos, pointTsMs, pointTsNs);
        if (cmp < 0) {
          throw p.error("timestamps of metric " + p.sampleName + " go backwards", at, true);
        }
        if (cmp > 0) {
          finishPoint(at);
          startPoint(at);
        }
      }
    }
    sampleChecks(t, k, f, at);
  }

  private void startPoint(int at) {
    resetPoint();
    pointStarted = true;
    pointAt = at;
    pointTsMs = p.timestampMillis;
    pointTsNs = p.timestampNanos;
  }

  private void resetPoint() {
    pointStarted = false;
    valueSeen = false;
    countSeen = false;
    sumSeen = false;
    createdSeen = false;
    buckets = 0;
    lastLe = Double.NEGATIVE_INFINITY;
    lastBucket = 0;
    hasInf = false;
    negativeBucket = false;
  }

  /** A component seen twice in one point: a new point when timestamped (equal timestamps), else an error. */
  private void repeated(int at, String what) {
    if (!metricHasTs) {
      throw p.error("duplicate " + what + " sample for metric " + p.sampleName, at, true);
    }
    finishPoint(at);
    startPoint(at);
  }

  private void sampleChecks(MetricType t, SampleKind k, int f, int at) {
    double v = p.value;
    switch (k) {
      case VALUE:
        if (valueSeen) {
          repeated(at, "value");
        }
        valueSeen = true;
        if (t == MetricType.COUNTER && (v != v || v < 0)) {
          throw p.error("counter value must not be negative or NaN", at, true);
        }
        if (t == MetricType.INFO && v != 1) {
          throw p.error("info value must be 1", at, true);
        }
        if (t == MetricType.STATESET) {
          if (p.labelIndex(p.famName[f]) < 0) {
            throw p.error("state set sample without the label " + p.famName[f], at, true);
          }
          if (v != 0 && v != 1) {
            throw p.error("state set value must be 0 or 1", at, true);
          }
          valueSeen = false; // one sample per state
        }
        break;
      case CREATED:
        if (createdSeen) {
          repeated(at, "_created");
        }
        createdSeen = true;
        break;
      case COUNT:
        if (countSeen) {
          repeated(at, "_count");
        }
        countSeen = true;
        count = v;
        if (v != v || v < 0) {
          throw p.error("count must not be negative or NaN", at, true);
        }
        break;
      case SUM:
        if (sumSeen) {
          repeated(at, "_sum");
        }
        sumSeen = true;
        sum = v;
        if (v != v) {
          throw p.error("sum must not be NaN", at, true);
        }
        if (v < 0 && t != MetricType.GAUGE_HISTOGRAM) {
          throw p.error("sum must not be negative", at, true);
        }
        break;
      case BUCKET:
        bucket(v, at);
        break;
      case QUANTILE: {
        int qi = p.labelIndex("quantile");
        if (qi < 0) {
          throw p.error("summary sample " + p.sampleName + " without a quantile label", at, true);
        }
        double q = number(qi, at);
        if (q != q || q < 0 || q > 1) {
          throw p.error("quantile must be between 0 and 1", at, true);
        }
        if (v < 0) {
          throw p.error("quantile value must not be negative", at, true);
        }
        break;
      }
      default:
        break;
    }
  }

  private void bucket(double v, int at) {
    int li = p.labelIndex("le");
    if (li < 0) {
      throw p.error("bucket " + p.sampleName + " without an le label", at, true);
    }
    double le = leValue(li, at);
    if (le <= lastLe && buckets > 0) {
      if (!metricHasTs) {
        throw p.error("buckets must be in increasing le order", at, true);
      }
      repeated(at, "bucket");
    }
    if (v != v || v < 0) {
      throw p.error("bucket count must not be negative or NaN", at, true);
    }
    if (buckets > 0 && v < lastBucket) {
      throw p.error("bucket counts must be cumulative (not decreasing with le)", at, true);
    }
    buckets++;
    lastLe = le;
    lastBucket = v;
    if (le < 0) {
      negativeBucket = true;
    }
    if (le == Double.POSITIVE_INFINITY) {
      hasInf = true;
      infBucket = v;
    }
  }

  /** An le value: a real number, or exactly +Inf / -Inf (the canonical spelling). */
  private double leValue(int li, int at) {
    CharSequence s = p.labelValue(li);
    if (s.length() == 4 && s.charAt(1) == 'I' && s.charAt(2) == 'n' && s.charAt(3) == 'f') {
      if (s.charAt(0) == '+') {
        return Double.POSITIVE_INFINITY;
      }
      if (s.charAt(0) == '-') {
        return Double.NEGATIVE_INFINITY;
      }
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw p.error("le must be a number (+Inf spelled exactly so): \"" + s + "\"", at, true);
      }
    }
    return number(li, at);
  }

  private double number(int li, int at) {
    if (!p.parseNumber(p.labelBytes(li), p.labelOffset(li), p.labelLength(li))) {
      throw p.error("label " + p.lblName[li] + " must be a number: \"" + p.labelValue(li) + "\"", at, true);
    }
    return p.parsedNumber();
  }

  private void finishPoint(int at) {
    if (!pointStarted) {
      return;
    }
    pointStarted = false;
    MetricType t = p.typeOf(lastFamily);
    String n = p.famName[lastFamily];
    boolean histogram = t == MetricType.HISTOGRAM;
    if (histogram || t == MetricType.GAUGE_HISTOGRAM) {
      String c = histogram ? "_count" : "_gcount";
      String s = histogram ? "_sum" : "_gsum";
      if (buckets == 0) {
        throw p.error(typeName(t) + " " + n + " has a metric point without buckets", at, false);
      }
      if (!hasInf) {
        throw p.error(typeName(t) + " " + n + " has a metric point without the le=\"+Inf\" bucket", at, false);
      }
      if (countSeen != sumSeen) {
        throw p.error(typeName(t) + " " + n + ": " + c + " and " + s + " must both be present or both absent", at,
            false);
      }
      if (countSeen && count != infBucket) {
        throw p.error(typeName(t) + " " + n + ": " + c + " (" + count + ") must equal the +Inf bucket ("
            + infBucket + ")", at, false);
      }
      if (histogram && negativeBucket && sumSeen) {
        throw p.error("histogram " + n + " has negative buckets, so it must not have _sum", at, false);
      }
      if (!histogram && sumSeen && sum < 0 && !negativeBucket) {
        throw p.error("gaugehistogram " + n + ": _gsum is negative without negative buckets", at, false);
      }
    }
  }

  // ---- Prometheus text ----------------------------------------------------------------------------------------

  private void textChecks(MetricType t, SampleKind k, int at) {
    if (t == MetricType.HISTOGRAM && k == SampleKind.BUCKET) {
      int li = p.labelIndex("le");
      if (li >= 0 && !p.parseNumber(p.labelBytes(li), p.labelOffset(li), p.labelLength(li))) {
        throw p.error("expected float as value for 'le' label, got \"" + p.labelValue(li) + "\"", at, true);
      }
    } else if (t == MetricType.SUMMARY && k == SampleKind.QUANTILE) {
      int qi = p.labelIndex("quantile");
      if (qi >= 0 && !p.parseNumber(p.labelBytes(qi), p.labelOffset(qi), p.labelLength(qi))) {
        throw p.error("expected float as value for 'quantile' label, got \"" + p.labelValue(qi) + "\"", at, true);
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private long metricKey(String excluded) {
    long h = 0x5bd1e995L;
    for (int i = 0; i < p.labelCount; i++) {
      String n = p.lblName[i];
      if (excluded != null && n.equals(excluded)) {
        continue;
      }
      long x = n.hashCode() * 0x9E3779B97F4A7C15L ^ bytesHash(p.labelBytes(i), p.labelOffset(i), p.labelLength(i));
      h += mix(x);
    }
    return h;
  }

  private String labelsText(String excluded) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < p.labelCount; i++) {
      if (excluded != null && p.lblName[i].equals(excluded)) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(p.lblName[i]).append("=\"").append(p.labelValue(i)).append('"');
    }
    return sb.append('}').toString();
  }

  private static long bytesHash(byte[] b, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off; i < off + len; i++) {
      h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  private static int compareTs(long ms, int ns, long ms2, int ns2) {
    int c = Long.compare(ms, ms2);
    return c != 0 ? c : Integer.compare(ns, ns2);
  }

  static String typeName(MetricType t) {
    return t == MetricType.GAUGE_HISTOGRAM ? "gaugehistogram" : t.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** An open-addressing set of longs, cleared per family, reusing its arrays. */
  static final class LongSet {
    private long[] keys = new long[16];
    private boolean[] used = new boolean[16];
    private int size;

    void clear() {
      if (size > 0) {
        Arrays.fill(used, false);
        size = 0;
      }
    }

    boolean contains(long k) {
      int m = keys.length - 1;
      int i = (int) mix(k) & m;
      while (used[i]) {
        if (keys[i] == k) {
          return true;
        }
        i = (i + 1) & m;
      }
      return false;
    }

    void add(long k) {
      if ((size + 1) * 2 > keys.length) {
        long[] ok = keys;
        boolean[] ou = used;
        keys = new long[ok.length * 2];
        used = new boolean[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
          if (ou[i]) {
            add(ok[i]);
          }
        }
      }
      int m = keys.length - 1;
      int i = (int) mix(k) & m;
      while (used[i]) {
        if (keys[i] == k) {
          return;
        }
        i = (i + 1) & m;
      }
      used[i] = true;
      keys[i] = k;
      size++;
    }
  }
}

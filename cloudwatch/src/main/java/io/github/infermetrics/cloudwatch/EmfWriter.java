package io.github.infermetrics.cloudwatch;

import io.github.infermetrics.cloudwatch.internal.EncodedNames;
import io.github.infermetrics.cloudwatch.internal.JsonSyntax;
import io.github.infermetrics.core.internal.text.JsonOut;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Writes CloudWatch Embedded Metric Format events, one JSON object per event, into a reusable buffer and hands each
 * complete event to an {@link EmfSink}. Once warm it allocates nothing per event.
 *
 * <pre>{@code
 * EmfWriter emf = EmfWriter.builder("Inference")
 *     .defaultDimension("cluster", "prod")
 *     .sink(EmfSinks.parse("tcp://127.0.0.1:25888"))
 *     .build();
 * emf.begin(System.currentTimeMillis())
 *     .dimension("model", "qwen3")
 *     .dimensionSet("model")                         // metrics by cluster and model
 *     .metric("ttft_p95", "Seconds", 0.231)
 *     .metric("tokens", "Count", new double[] {12, 40, 7}, 0, 3)
 *     .property("requestId", "989ffbf8")
 *     .end();
 * emf.write(kpiSet);                                 // every KPI value, one event per set of dimensions
 * }</pre>
 *
 * <p><b>Rules.</b> Every rule of the specification is enforced ({@link EmfLimits}). Mistakes in what the caller
 * names (an invalid namespace, metric name, unit, dimension key or value, a key used twice or reserved by
 * CloudWatch, a dimension set that names a dimension without a value) throw {@link IllegalArgumentException} at
 * once, naming the field; the open event is then discarded. What depends on the data never throws: a NaN or
 * infinite value, which CloudWatch rejects, is dropped and counted ({@link #nonFiniteDropped()}); more than 100
 * metrics, more than 100 values in one metric, or more bytes than {@link Builder#maxEventBytes(int)} split the
 * event into several, each with the same dimensions and properties ({@link #eventsSplit()}); an event whose
 * timestamp is outside CloudWatch's window (14 days back, 2 hours ahead) or whose dimensions and properties alone do
 * not fit the size limit is dropped and counted ({@link #eventsDropped()}).
 *
 * <p><b>Layout.</b> Dimension values, metric values and properties come first, {@code _aws} last (JSON members have
 * no order), so that an event can be written in one pass. Default dimensions are added to every dimension set (a
 * per-event dimension of the same key replaces the default value).
 *
 * <p><b>Thread-safety.</b> Not thread-safe: use one writer per thread (they may share a sink, which is
 * thread-safe).
 *
 * @since 0.1.0
 */
public final class EmfWriter {
  private static final int DIM = 1;
  private static final int METRIC = 2;
  private static final int PROPERTY = 3;
  private static final int DEFAULT_DIM = 4;

  // what a remembered string was checked as (EncodedNames roles)
  private static final int R_METRIC = 1;
  private static final int R_UNIT = 2;
  private static final int R_DIM_KEY = 4;
  private static final int R_DIM_VALUE = 8;
  private static final int R_PROP_KEY = 16;

  private static final int P_STRING = 0;
  private static final int P_DOUBLE = 1;
  private static final int P_LONG = 2;
  private static final int P_BOOLEAN = 3;
  private static final int P_JSON = 4;
  private static final int P_NULL = 5;

  private static final byte[] AWS_TIMESTAMP = "\"_aws\":{\"Timestamp\":".getBytes(StandardCharsets.US_ASCII);

  /** The metric name of every KPI statistic, made once: {@link KpiValue#metricName()} builds a new String. */
  private static final String[][] KPI_NAMES = kpiNames();

  private final String namespace;
  private final String[] defaultKeys;
  private final boolean targetDimension;
  private final String[] defaultValues;
  private final int maxEventBytes;
  private final int defaultResolution;
  private final String logGroupName;
  private final EmfSink sink;
  private final LongSupplier clock;
  private final Event event = new Event();
  private final JsonOut out;
  private final JsonOut head;
  private final byte[] namespaceJson;
  private final EncodedNames names = new EncodedNames(2048);

  private final AtomicLong nonFiniteDropped = new AtomicLong();
  private final AtomicLong eventsSplit = new AtomicLong();
  private final AtomicLong eventsDropped = new AtomicLong();
  private final AtomicLong eventsWritten = new AtomicLong();

  // the open event
  private boolean open;
  private long timestamp;
  private String[] dimKeys = new String[8];
  private String[] dimValues = new String[8];
  private byte[][] dimKeyJson = new byte[8][];
  private byte[][] dimValueJson = new byte[8][];
  private int dimCount;
  private String[] setKeys = new String[16];
  private int[] setStart = new int[4];
  private int[] setLength = new int[4];
  private int setCount;
  private int setKeyCount;
  private String[] metricNames = new String[16];
  private String[] metricUnits = new String[16];
  private int[] metricResolutions = new int[16];
  private double[][] metricValues = new double[16][];
  private int[] metricValueCounts = new int[16];
  private int[] metricDefinitionBytes = new int[16];
  private byte[][] metricNameJson = new byte[16][];
  private byte[][] metricUnitJson = new byte[16][];
  private int metricCount;
  private String[] propKeys = new String[8];
  private int[] propKinds = new int[8];
  private CharSequence[] propStrings = new CharSequence[8];
  private double[] propDoubles = new double[8];
  private long[] propLongs = new long[8];
  private byte[][] propKeyJson = new byte[8][];
  private int propCount;
  // root member names of the open event: open addressing, kind << 24 | index in the slot
  private String[] keySlots = new String[64];
  private int[] keyEntries = new int[64];
  private int[] usedSlots = new int[32];
  private int usedSlotCount;
  // the _aws block after the timestamp for the last shape written whole (dimension sets; name, unit and resolution
  // of each metric with values): the same KPIs every interval render it once
  private final JsonOut awsTail = new JsonOut(1024);
  private boolean awsTailValid;
  private String[] tailSetKeys = new String[16];
  private int[] tailSetLength = new int[4];
  private int tailSetCount;
  private String[] tailMetricNames = new String[16];
  private String[] tailMetricUnits = new String[16];
  private int[] tailMetricResolutions = new int[16];
  private int tailMetricCount;
  // the last string value of each property slot and its encoding: values such as a route repeat
  private String[] lastPropValue = new String[8];
  private byte[][] lastPropJson = new byte[8][];
  private int[] lastPropJsonLength = new int[8];
  // write(KpiSet): distinct dimension sets and the group of each value
  private Labels[] groups = new Labels[8];
  private int[] valueGroups = new int[64];

  private EmfWriter(Builder b) {
    this.namespace = b.namespace;
    this.defaultKeys = b.defaultKeys.toArray(String[]::new);
    this.targetDimension = b.targetDimension;
    this.defaultValues = b.defaultValues.toArray(String[]::new);
    this.maxEventBytes = b.maxEventBytes;
    this.defaultResolution = b.storageResolution;
    this.logGroupName = b.logGroupName;
    this.sink = b.sink;
    this.clock = b.clock;
    this.out = new JsonOut(Math.min(maxEventBytes, 16 * 1024));
    this.head = new JsonOut(1024);
    JsonOut ns = new JsonOut(64);
    ns.string(namespace);
    this.namespaceJson = Arrays.copyOf(ns.array(), ns.position());
    for (int i = 0; i < defaultKeys.length; i++) {
      names.add(defaultKeys[i], R_DIM_KEY);
      names.add(defaultValues[i], R_DIM_VALUE);
    }
  }

  /**
   * Starts a writer configuration.
   *
   * @param namespace the CloudWatch namespace of every metric: 1 to 255 of {@code A-Z a-z 0-9 . - _ / # :} and
   *     space, not only spaces, not starting with {@code AWS/}
   * @return a builder
   * @throws IllegalArgumentException when the namespace is invalid
   */
  public static Builder builder(String namespace) {
    return new Builder(namespace);
  }

  /**
   * Starts an event. Add dimensions, dimension sets, metrics and properties to the returned handle, then call
   * {@link Event#end()}. The handle is the same object for every event.
   *
   * @param timestampMillis the event's time, milliseconds since the epoch
   * @return the open event
   * @throws IllegalStateException when the previous event was not ended
   * @throws IllegalArgumentException when the timestamp is negative
   */
  public Event begin(long timestampMillis) {
    if (open) {
      reset();
      throw new IllegalStateException("begin: the previous event was not ended (it is discarded)");
    }
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("timestamp must not be negative: " + timestampMillis);
    }
    open = true;
    timestamp = timestampMillis;
    for (int i = 0; i < defaultKeys.length; i++) {
      putKey(defaultKeys[i], DEFAULT_DIM, i);
    }
    return event;
  }

  /**
   * Writes every value of a KPI set: one event per distinct set of dimensions, with those dimensions as its one
   * dimension set (plus the default dimensions) together with the set's {@code source} and {@code target}, as
   * {@link KpiSet#labels(KpiValue)} gives them to every sink (the target as a property instead with
   * {@link Builder#targetDimension(boolean) targetDimension(false)}), each value as the metric
   * {@link KpiValue#metricName()} in the unit {@link io.github.infermetrics.core.kpi.KpiUnit#cloudWatchUnit()}. The
   * timestamp is {@link KpiSet#at()}.
   *
   * <p>Scraped dimension values can be anything: a group whose dimensions break a rule (a value longer than 1024
   * characters, more than 30 dimensions, a reserved name) is dropped and counted in {@link #eventsDropped()}.
   *
   * @param kpis the KPIs
   */
  public void write(KpiSet kpis) {
    List<KpiValue> values = kpis.values();
    int n = values.size();
    if (valueGroups.length < n) {
      valueGroups = new int[Math.max(n, valueGroups.length * 2)];
    }
    int groupCount = 0;
    for (int i = 0; i < n; i++) {
      Labels dims = values.get(i).dimensions();
      int g = 0;
      while (g < groupCount && !groups[g].equals(dims)) {
        g++;
      }
      if (g == groupCount) {
        if (groupCount == groups.length) {
          groups = Arrays.copyOf(groups, groupCount * 2);
        }
        groups[groupCount++] = dims;
      }
      valueGroups[i] = g;
    }
    long at = kpis.at().toEpochMilli();
    for (int g = 0; g < groupCount; g++) {
      Labels dims = groups[g];
      if (!validDimensions(dims)) {
        eventsDropped.incrementAndGet();
        continue;
      }
      try {
        Event e = begin(at);
        for (int i = 0; i < dims.size(); i++) {
          e.dimension(dims.name(i), dims.value(i));
        }
        // source and target identify the values in every sink (KpiSet.labels): dimensions here too, unless the
        // writer keeps the target a property to save one CloudWatch metric per target
        boolean sourceDim = !kpis.source().isEmpty() && !isDefaultKey(KpiDimension.SOURCE);
        boolean targetDim = !kpis.target().isEmpty() && !isDefaultKey(KpiDimension.TARGET);
        if (sourceDim) {
          e.dimension(KpiDimension.SOURCE, kpis.source());
        }
        if (targetDim && targetDimension) {
          e.dimension(KpiDimension.TARGET, kpis.target());
        }
        addSet(dims, sourceDim, targetDim && targetDimension);
        if (targetDim && !targetDimension) {
          e.property(KpiDimension.TARGET, kpis.target());
        }
        for (int i = 0; i < n; i++) {
          if (valueGroups[i] == g) {
            KpiValue v = values.get(i);
            e.metric(KPI_NAMES[v.kpi().ordinal()][v.statistic().ordinal()], v.kpi().unit().cloudWatchUnit(),
                v.value());
          }
        }
        e.end();
      } catch (IllegalArgumentException clash) {
        // a dimension named like a KPI metric, or a label that clashes with a default: data, not a caller's bug
        eventsDropped.incrementAndGet();
      }
    }
    Arrays.fill(groups, 0, groupCount, null);
  }

  private boolean validDimensions(Labels dims) {
    if (dims.size() + defaultKeys.length + 2 > EmfLimits.MAX_DIMENSION_SET_SIZE) {
      return false;
    }
    for (int i = 0; i < dims.size(); i++) {
      if (names.find(dims.name(i), R_DIM_KEY) == null && dimensionKeyProblem(dims.name(i)) != null
          || names.find(dims.value(i), R_DIM_VALUE) == null && dimensionValueProblem(dims.value(i)) != null) {
        return false;
      }
    }
    return true;
  }

  private boolean isDefaultKey(String key) {
    for (String k : defaultKeys) {
      if (k.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Values dropped because they were NaN or infinite, which CloudWatch rejects.
   *
   * @return the count since the writer was built
   */
  public long nonFiniteDropped() {
    return nonFiniteDropped.get();
  }

  /**
   * Events written beyond the first one of an {@link Event#end()} because the event had more than 100 metrics,
   * more than 100 values in a metric, or more bytes than the size limit.
   *
   * @return the count since the writer was built
   */
  public long eventsSplit() {
    return eventsSplit.get();
  }

  /**
   * Events dropped: a timestamp outside CloudWatch's window, dimensions and properties too large for the size
   * limit on their own, or (from {@link #write(KpiSet)}) dimensions that break a rule.
   *
   * @return the count since the writer was built
   */
  public long eventsDropped() {
    return eventsDropped.get();
  }

  /**
   * Events handed to the sink.
   *
   * @return the count since the writer was built
   */
  public long eventsWritten() {
    return eventsWritten.get();
  }

  /**
   * The sink events go to.
   *
   * @return the sink
   */
  public EmfSink sink() {
    return sink;
  }

  /**
   * One open event, returned by {@link EmfWriter#begin(long)}; always the same object for one writer. Values and
   * strings are read when {@link #end()} writes the event, so character sequences must not change before that.
   */
  public final class Event {
    private Event() {}

    /**
     * Adds a dimension: a root member whose string value dimension sets can name.
     *
     * @param key 1 to 250 printable ASCII characters, not starting with {@code :}
     * @param value 1 to 1024 characters, not only whitespace
     * @return this
     * @throws IllegalArgumentException when the key or value is invalid or the key is used already
     */
    public Event dimension(String key, String value) {
      checkOpen();
      if (key == null || value == null) {
        throw fail("dimension " + quote(key) + ": " + (key == null ? "the key is null" : "the value is null"));
      }
      byte[] keyJson = names.find(key, R_DIM_KEY);
      if (keyJson == null) {
        String problem = dimensionKeyProblem(key);
        if (problem != null) {
          throw fail("dimension " + quote(key) + ": " + problem);
        }
        keyJson = names.add(key, R_DIM_KEY);
      }
      byte[] valueJson = names.find(value, R_DIM_VALUE);
      if (valueJson == null) {
        String problem = dimensionValueProblem(value);
        if (problem != null) {
          throw fail("dimension " + quote(key) + ": " + problem);
        }
        valueJson = names.add(value, R_DIM_VALUE);
      }
      if (dimCount == dimKeys.length) {
        int n = dimCount * 2;
        dimKeys = Arrays.copyOf(dimKeys, n);
        dimValues = Arrays.copyOf(dimValues, n);
        dimKeyJson = Arrays.copyOf(dimKeyJson, n);
        dimValueJson = Arrays.copyOf(dimValueJson, n);
      }
      claimKey(key, DIM, dimCount);
      dimKeys[dimCount] = key;
      dimKeyJson[dimCount] = keyJson;
      dimValueJson[dimCount] = valueJson;
      dimValues[dimCount++] = value;
      return this;
    }

    /**
     * Adds a dimension set with no keys of its own: the metrics by the default dimensions only (or with no
     * dimensions at all when there are none).
     *
     * @return this
     */
    public Event dimensionSet() {
      checkOpen();
      startSet();
      return this;
    }

    /**
     * Adds a dimension set of one key.
     *
     * @param key a dimension of this event or a default dimension
     * @return this
     */
    public Event dimensionSet(String key) {
      checkOpen();
      startSet();
      addSetKey(key);
      return this;
    }

    /**
     * Adds a dimension set of two keys.
     *
     * @param key1 a dimension of this event or a default dimension
     * @param key2 another
     * @return this
     */
    public Event dimensionSet(String key1, String key2) {
      checkOpen();
      startSet();
      addSetKey(key1);
      addSetKey(key2);
      return this;
    }

    /**
     * Adds a dimension set of three keys.
     *
     * @param key1 a dimension of this event or a default dimension
     * @param key2 another
     * @param key3 another
     * @return this
     */
    public Event dimensionSet(String key1, String key2, String key3) {
      checkOpen();
      startSet();
      addSetKey(key1);
      addSetKey(key2);
      addSetKey(key3);
      return this;
    }

    /**
     * Adds a dimension set. Every set is a separate CloudWatch metric per metric name (and is billed as such).
     *
     * @param keys dimensions of this event or default dimensions; with the default dimensions at most 30
     * @return this
     */
    public Event dimensionSet(String... keys) {
      checkOpen();
      startSet();
      for (String k : keys) {
        addSetKey(k);
      }
      return this;
    }

    /**
     * Adds a value of a metric at the writer's default storage resolution. A second value of the same name makes
     * the metric an array of values.
     *
     * @param name 1 to 1024 characters, not only whitespace
     * @param unit one of the 27 CloudWatch units ({@link EmfLimits#UNITS}), for example {@code Seconds}
     * @param value the value; NaN and infinities are dropped and counted
     * @return this
     * @throws IllegalArgumentException when the name or unit is invalid, the name is used by a dimension or
     *     property, or the metric was added before with another unit
     */
    public Event metric(String name, String unit, double value) {
      return metric(name, unit, value, defaultResolution);
    }

    /**
     * Adds a value of a metric.
     *
     * @param name 1 to 1024 characters, not only whitespace
     * @param unit one of the 27 CloudWatch units
     * @param value the value; NaN and infinities are dropped and counted
     * @param storageResolution 1 (high resolution) or 60
     * @return this
     * @throws IllegalArgumentException when an argument is invalid or clashes with an earlier one
     */
    public Event metric(String name, String unit, double value, int storageResolution) {
      int m = metricSlot(name, unit, storageResolution);
      if (!Double.isFinite(value)) {
        nonFiniteDropped.incrementAndGet();
        return this;
      }
      appendValue(m, value);
      return this;
    }

    /**
     * Adds values of a metric at the writer's default storage resolution.
     *
     * @param name 1 to 1024 characters, not only whitespace
     * @param unit one of the 27 CloudWatch units
     * @param values the values; NaN and infinities are dropped and counted
     * @param offset the first value
     * @param length how many
     * @return this
     * @throws IllegalArgumentException when an argument is invalid or clashes with an earlier one
     */
    public Event metric(String name, String unit, double[] values, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, values.length);
      int m = metricSlot(name, unit, defaultResolution);
      for (int i = offset; i < offset + length; i++) {
        if (Double.isFinite(values[i])) {
          appendValue(m, values[i]);
        } else {
          nonFiniteDropped.incrementAndGet();
        }
      }
      return this;
    }

    /**
     * Adds a string property: context that is searchable in Logs Insights but is not a metric.
     *
     * @param key a name not used by a dimension or metric of this event and not reserved
     * @param value any string, or null for JSON {@code null}
     * @return this
     */
    public Event property(String key, CharSequence value) {
      int p = propertySlot(key, value == null ? P_NULL : P_STRING);
      propStrings[p] = value;
      return this;
    }

    /**
     * Adds a number property. JSON cannot hold NaN or infinities: such a property is written as {@code null}, and
     * counted in {@link #nonFiniteDropped()}.
     *
     * @param key a name not used by a dimension or metric of this event and not reserved
     * @param value the value
     * @return this
     */
    public Event property(String key, double value) {
      int p = propertySlot(key, Double.isFinite(value) ? P_DOUBLE : P_NULL);
      if (!Double.isFinite(value)) {
        nonFiniteDropped.incrementAndGet();
      }
      propDoubles[p] = value;
      return this;
    }

    /**
     * Adds an integer property.
     *
     * @param key a name not used by a dimension or metric of this event and not reserved
     * @param value the value
     * @return this
     */
    public Event property(String key, long value) {
      int p = propertySlot(key, P_LONG);
      propLongs[p] = value;
      return this;
    }

    /**
     * Adds a boolean property.
     *
     * @param key a name not used by a dimension or metric of this event and not reserved
     * @param value the value
     * @return this
     */
    public Event property(String key, boolean value) {
      int p = propertySlot(key, P_BOOLEAN);
      propLongs[p] = value ? 1 : 0;
      return this;
    }

    /**
     * Adds a property whose value is any JSON value (object, array, string, number, literal), written as given
     * with line breaks between tokens turned into spaces (one event is one line).
     *
     * @param key a name not used by a dimension or metric of this event and not reserved
     * @param json one JSON value
     * @return this
     * @throws IllegalArgumentException when the text is not one JSON value; the message gives the offset
     */
    public Event propertyJson(String key, CharSequence json) {
      checkOpen();
      int error = JsonSyntax.firstError(json);
      if (error >= 0) {
        throw fail("property " + quote(key) + ": not one JSON value (" + JsonSyntax.describe(json, error) + ")");
      }
      int p = propertySlot(key, P_JSON);
      propStrings[p] = json;
      return this;
    }

    /**
     * Writes the event (or several, when it must be split) to the sink and closes it.
     *
     * @throws IllegalArgumentException when a dimension set names a dimension that has no value; nothing is
     *     written then
     */
    public void end() {
      checkOpen();
      try {
        render();
      } finally {
        reset();
      }
    }
  }

  // ---- recording

  private void checkOpen() {
    if (!open) {
      throw new IllegalStateException("no open event: call begin(timestamp) first");
    }
  }

  private IllegalArgumentException fail(String message) {
    reset();
    return new IllegalArgumentException(message + " (the event is discarded)");
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }

  private void startSet() {
    if (setCount == setStart.length) {
      setStart = Arrays.copyOf(setStart, setCount * 2);
      setLength = Arrays.copyOf(setLength, setCount * 2);
    }
    setStart[setCount] = setKeyCount;
    setLength[setCount++] = 0;
  }

  private void addSetKey(String key) {
    if (key == null) {
      throw fail("dimensionSet: a key is null");
    }
    int s = setCount - 1;
    for (int i = setStart[s]; i < setKeyCount; i++) {
      if (setKeys[i].equals(key)) {
        throw fail("dimensionSet: key " + quote(key) + " is named twice");
      }
    }
    if (!isDefaultKey(key) && ownKeys(s) + defaultKeys.length + 1 > EmfLimits.MAX_DIMENSION_SET_SIZE) {
      throw fail("dimensionSet: more than " + EmfLimits.MAX_DIMENSION_SET_SIZE
          + " keys with the default dimensions");
    }
    if (setKeyCount == setKeys.length) {
      setKeys = Arrays.copyOf(setKeys, setKeyCount * 2);
    }
    setKeys[setKeyCount++] = key;
    setLength[s]++;
  }

  /** Keys of a set that are not default dimensions. */
  private int ownKeys(int s) {
    int n = 0;
    for (int i = setStart[s]; i < setStart[s] + setLength[s]; i++) {
      n += isDefaultKey(setKeys[i]) ? 0 : 1;
    }
    return n;
  }

  private void addSet(Labels dims, boolean source, boolean target) {
    startSet();
    for (int i = 0; i < dims.size(); i++) {
      addSetKey(dims.name(i));
    }
    if (source) {
      addSetKey(KpiDimension.SOURCE);
    }
    if (target) {
      addSetKey(KpiDimension.TARGET);
    }
  }

  private int metricSlot(String name, String unit, int resolution) {
    checkOpen();
    byte[] nameJson = name == null ? null : names.find(name, R_METRIC);
    if (nameJson == null) {
      String problem = metricNameProblem(name);
      if (problem != null) {
        throw fail("metric " + quote(name) + ": " + problem);
      }
      nameJson = names.add(name, R_METRIC);
    }
    byte[] unitJson = unit == null ? null : names.find(unit, R_UNIT);
    if (unitJson == null) {
      if (unit == null || !EmfLimits.UNITS.contains(unit)) {
        throw fail("metric " + quote(name) + ": unit " + quote(unit) + " is not a CloudWatch unit; use one of "
            + EmfLimits.UNITS);
      }
      unitJson = names.add(unit, R_UNIT);
    }
    if (resolution != 1 && resolution != 60) {
      throw fail("metric " + quote(name) + ": storage resolution must be 1 or 60, not " + resolution);
    }
    int slot = keySlot(name);
    if (keySlots[slot] != null) {
      int entry = keyEntries[slot];
      if (entry >>> 24 != METRIC) {
        throw fail("metric " + quote(name) + ": the name is already a " + kindName(entry >>> 24));
      }
      int m = entry & 0xffffff;
      if (!metricUnits[m].equals(unit) || metricResolutions[m] != resolution) {
        throw fail("metric " + quote(name) + ": added before with unit " + metricUnits[m] + " and resolution "
            + metricResolutions[m] + ", now " + unit + " and " + resolution);
      }
      return m;
    }
    if (metricCount == metricNames.length) {
      int n = metricCount * 2;
      metricNames = Arrays.copyOf(metricNames, n);
      metricUnits = Arrays.copyOf(metricUnits, n);
      metricResolutions = Arrays.copyOf(metricResolutions, n);
      metricValues = Arrays.copyOf(metricValues, n);
      metricValueCounts = Arrays.copyOf(metricValueCounts, n);
      metricDefinitionBytes = Arrays.copyOf(metricDefinitionBytes, n);
      metricNameJson = Arrays.copyOf(metricNameJson, n);
      metricUnitJson = Arrays.copyOf(metricUnitJson, n);
    }
    int m = metricCount++;
    metricNameJson[m] = nameJson;
    metricUnitJson[m] = unitJson;
    insertKey(slot, name, METRIC, m);
    metricNames[m] = name;
    metricUnits[m] = unit;
    metricResolutions[m] = resolution;
    metricValueCounts[m] = 0;
    if (metricValues[m] == null) {
      metricValues[m] = new double[4];
    }
    return m;
  }

  private void appendValue(int m, double v) {
    double[] a = metricValues[m];
    int c = metricValueCounts[m];
    if (c == a.length) {
      a = Arrays.copyOf(a, c * 2);
      metricValues[m] = a;
    }
    a[c] = v;
    metricValueCounts[m] = c + 1;
  }

  private int propertySlot(String key, int kind) {
    checkOpen();
    byte[] keyJson = key == null ? null : names.find(key, R_PROP_KEY);
    if (keyJson == null) {
      if (key == null || key.isEmpty()) {
        throw fail("property: the key is " + (key == null ? "null" : "empty"));
      }
      if (EmfLimits.RESERVED_KEYS.contains(key)) {
        throw fail("property " + quote(key) + ": the name is reserved by CloudWatch (_aws and the entity fields)");
      }
      String problem = invalidUtf16(key);
      if (problem != null) {
        throw fail("property " + quote(key) + ": " + problem);
      }
      keyJson = names.add(key, R_PROP_KEY);
    }
    if (propCount == propKeys.length) {
      int n = propCount * 2;
      propKeys = Arrays.copyOf(propKeys, n);
      propKinds = Arrays.copyOf(propKinds, n);
      propStrings = Arrays.copyOf(propStrings, n);
      propDoubles = Arrays.copyOf(propDoubles, n);
      propLongs = Arrays.copyOf(propLongs, n);
      propKeyJson = Arrays.copyOf(propKeyJson, n);
      lastPropValue = Arrays.copyOf(lastPropValue, n);
      lastPropJson = Arrays.copyOf(lastPropJson, n);
      lastPropJsonLength = Arrays.copyOf(lastPropJsonLength, n);
    }
    int p = propCount;
    claimKey(key, PROPERTY, p);
    propCount++;
    propKeys[p] = key;
    propKeyJson[p] = keyJson;
    propKinds[p] = kind;
    return p;
  }

  private static String kindName(int kind) {
    return switch (kind) {
      case DIM -> "dimension";
      case METRIC -> "metric";
      case DEFAULT_DIM -> "default dimension";
      default -> "property";
    };
  }

  // ---- root member names of the open event

  private int findKey(String key) {
    int slot = probe(key);
    return keySlots[slot] == null ? -1 : keyEntries[slot];
  }

  /** The slot that holds the key, or the free slot where it goes; the table has room for one more key after it. */
  private int keySlot(String key) {
    if ((usedSlotCount + 1) * 2 > keySlots.length) {
      growKeys();
    }
    return probe(key);
  }

  /** The slot that holds the key, or the first free slot of its probe sequence. */
  private int probe(String key) {
    int mask = keySlots.length - 1;
    int i = key.hashCode() & mask;
    for (String k = keySlots[i]; k != null && k != key && !k.equals(key); k = keySlots[i]) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Puts a new key into the free slot that {@link #keySlot(String)} returned. */
  private void insertKey(int slot, String key, int kind, int index) {
    if (usedSlotCount == usedSlots.length) {
      usedSlots = Arrays.copyOf(usedSlots, usedSlotCount * 2);
    }
    usedSlots[usedSlotCount++] = slot;
    keySlots[slot] = key;
    keyEntries[slot] = kind << 24 | index;
  }

  private void claimKey(String key, int kind, int index) {
    int slot = keySlot(key);
    if (keySlots[slot] != null) {
      int existing = keyEntries[slot];
      if (existing >>> 24 == DEFAULT_DIM && kind == DIM) {
        // an event's own value of a default dimension replaces the default
        keyEntries[slot] = kind << 24 | index;
        return;
      }
      throw fail(kindName(kind) + " " + quote(key) + ": the name is already a " + kindName(existing >>> 24));
    }
    insertKey(slot, key, kind, index);
  }

  /** Puts a key, replacing the entry of one already there. */
  private void putKey(String key, int kind, int index) {
    int slot = keySlot(key);
    if (keySlots[slot] == null) {
      insertKey(slot, key, kind, index);
    } else {
      keyEntries[slot] = kind << 24 | index;
    }
  }

  private void growKeys() {
    String[] oldKeys = keySlots;
    int[] oldEntries = keyEntries;
    int[] oldUsed = usedSlots;
    int oldCount = usedSlotCount;
    keySlots = new String[oldKeys.length * 2];
    keyEntries = new int[oldKeys.length * 2];
    usedSlots = new int[oldKeys.length];
    usedSlotCount = 0;
    for (int u = 0; u < oldCount; u++) {
      int s = oldUsed[u];
      putKey(oldKeys[s], oldEntries[s] >>> 24, oldEntries[s] & 0xffffff);
    }
  }

  private void reset() {
    open = false;
    for (int u = 0; u < usedSlotCount; u++) {
      keySlots[usedSlots[u]] = null;
    }
    usedSlotCount = 0;
    Arrays.fill(dimValues, 0, dimCount, null);
    dimCount = 0;
    setCount = 0;
    setKeyCount = 0;
    Arrays.fill(propStrings, 0, propCount, null);
    propCount = 0;
    metricCount = 0;
  }

  // ---- validation shared by the builder, the event and write(KpiSet)

  static String dimensionKeyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "the key is " + (key == null ? "null" : "empty");
    }
    if (key.length() > EmfLimits.MAX_DIMENSION_KEY_LENGTH) {
      return "the key is longer than " + EmfLimits.MAX_DIMENSION_KEY_LENGTH + " characters";
    }
    if (key.charAt(0) == ':') {
      return "the key must not start with ':'";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "the key must be printable ASCII; character " + i + " is U+" + Integer.toHexString(c);
      }
    }
    if (EmfLimits.RESERVED_KEYS.contains(key)) {
      return "the name is reserved by CloudWatch (_aws and the entity fields)";
    }
    return null;
  }

  static String dimensionValueProblem(String value) {
    if (value == null) {
      return "the value is null";
    }
    if (value.length() > EmfLimits.MAX_DIMENSION_VALUE_LENGTH) {
      return "the value is longer than " + EmfLimits.MAX_DIMENSION_VALUE_LENGTH + " characters";
    }
    if (value.isBlank()) {
      return "the value is empty or blank (CloudWatch rejects it)";
    }
    return null;
  }

  static String metricNameProblem(String name) {
    if (name == null || name.isBlank()) {
      return "the name is " + (name == null ? "null" : "empty or blank");
    }
    if (name.length() > EmfLimits.MAX_METRIC_NAME_LENGTH) {
      return "the name is longer than " + EmfLimits.MAX_METRIC_NAME_LENGTH + " characters";
    }
    if (EmfLimits.RESERVED_KEYS.contains(name)) {
      return "the name is reserved by CloudWatch (_aws and the entity fields)";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      // the schema's pattern ^(.*)$ does not match line terminators (nor, in its validators, NUL); CloudWatch
      // does not take control characters in names anyway
      if (c == '\u2028' || c == '\u2029') {
        return "character " + i + " is a line terminator, which the EMF schema does not allow in names";
      }
      if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
        return "character " + i + " (U+" + String.format("%04X", (int) c) + ") is a control character, which"
            + " CloudWatch does not allow in names";
      }
    }
    return invalidUtf16(name);
  }

  /**
   * Names must be valid UTF-16: a lone surrogate is written as U+FFFD, so two different names could become the same
   * member name.
   */
  static String invalidUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "character " + i + " is a lone surrogate (not valid UTF-16)";
      }
    }
    return null;
  }

  static String namespaceProblem(String ns) {
    if (ns == null || ns.isBlank()) {
      return "the namespace is " + (ns == null ? "null" : "empty or blank");
    }
    if (ns.length() > EmfLimits.MAX_NAMESPACE_LENGTH) {
      return "the namespace is longer than " + EmfLimits.MAX_NAMESPACE_LENGTH + " characters";
    }
    for (int i = 0; i < ns.length(); i++) {
      char c = ns.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
          || c == '_' || c == '/' || c == '#' || c == ':' || c == ' ';
      if (!ok) {
        return "character " + i + " ('" + c + "') is not allowed; use A-Z a-z 0-9 . - _ / # : and space";
      }
    }
    if (ns.startsWith("AWS/")) {
      return "the AWS/ prefix is reserved for AWS services";
    }
    return null;
  }

  // ---- rendering

  private void render() {
    // every dimension set must name dimensions that have values
    for (int i = 0; i < setKeyCount; i++) {
      int entry = findKey(setKeys[i]);
      if (entry < 0 || entry >>> 24 != DIM && entry >>> 24 != DEFAULT_DIM) {
        throw new IllegalArgumentException("dimensionSet names " + quote(setKeys[i]) + ", which "
            + (entry < 0 ? "has no value: add it with dimension(key, value) or as a default dimension"
                : "is a " + kindName(entry >>> 24) + ", not a dimension")
            + " (the event is discarded)");
      }
    }
    long now = clock.getAsLong();
    if (timestamp < now - EmfLimits.MAX_TIMESTAMP_AGE_MILLIS || timestamp > now + EmfLimits.MAX_TIMESTAMP_AHEAD_MILLIS) {
      eventsDropped.incrementAndGet();
      return;
    }
    boolean anyValue = false;
    for (int m = 0; m < metricCount; m++) {
      anyValue |= metricValueCounts[m] > 0;
    }
    if (!anyValue && propCount == 0) {
      return; // nothing to say: no empty events (the reference library writes them)
    }
    out.position(0);
    out.raw('{');
    for (int i = 0; i < defaultKeys.length; i++) {
      if (findKey(defaultKeys[i]) >>> 24 == DEFAULT_DIM) { // not replaced by the event's own value
        name(out, defaultKeys[i], R_DIM_KEY).raw(':');
        name(out, defaultValues[i], R_DIM_VALUE).raw(',');
      }
    }
    for (int i = 0; i < dimCount; i++) {
      json(out, dimKeyJson[i], dimKeys[i]).raw(':');
      json(out, dimValueJson[i], dimValues[i]).raw(',');
    }
    writeProperties();
    int commonEnd = out.position();
    if (anyValue && writeWhole(commonEnd)) {
      return;
    }
    writeHead(anyValue);
    // "]}]}}" closes Metrics, the directive, CloudWatchMetrics, _aws and the event; without metrics "]}}"
    int tail = anyValue ? 5 : 3;
    if (commonEnd + head.position() + tail > maxEventBytes) {
      eventsDropped.incrementAndGet();
      return;
    }
    if (!anyValue) {
      out.raw(head.array(), 0, head.position()).raw("]}}");
      emit();
      return;
    }
    for (int m = 0; m < metricCount; m++) {
      metricDefinitionBytes[m] = definitionBytes(m);
    }
    int m = 0;
    int done = 0; // values of metric m written in earlier events
    boolean first = true;
    while (m < metricCount) {
      out.position(commonEnd);
      int firstMetric = m;
      int count = 0;
      int definitions = 0;
      while (m < metricCount && count < EmfLimits.MAX_METRICS_PER_DIRECTIVE) {
        int total = metricValueCounts[m];
        if (total == 0) {
          m++;
          continue;
        }
        int take = Math.min(EmfLimits.MAX_VALUES_PER_METRIC, total - done);
        int mark = out.position();
        writeMetricValues(m, done, take);
        int definition = metricDefinitionBytes[m] + (count > 0 ? 1 : 0);
        if (out.position() + head.position() + definitions + definition + tail > maxEventBytes) {
          out.position(mark);
          if (count == 0) {
            // not even one metric fits beside the dimensions and properties
            eventsDropped.incrementAndGet();
            return;
          }
          break;
        }
        count++;
        definitions += definition;
        done += take;
        if (done < total) {
          break; // the rest of this metric's values go into the next event
        }
        m++;
        done = 0;
      }
      if (count == 0) {
        break; // only metrics without values were left
      }
      out.raw(head.array(), 0, head.position());
      writeDefinitions(out, firstMetric, count);
      out.raw("]}]}}");
      if (!first) {
        eventsSplit.incrementAndGet();
      }
      first = false;
      emit();
    }
  }

  /**
   * The common case: an event that needs no split, written with the remembered {@code _aws} block when the dimension
   * sets and metrics are those of the last such event.
   *
   * @return false, with the output back at commonEnd, when the event must be split
   */
  private boolean writeWhole(int commonEnd) {
    int withValues = 0;
    for (int m = 0; m < metricCount; m++) {
      int c = metricValueCounts[m];
      if (c > EmfLimits.MAX_VALUES_PER_METRIC) {
        return false;
      }
      withValues += c > 0 ? 1 : 0;
    }
    if (withValues > EmfLimits.MAX_METRICS_PER_DIRECTIVE) {
      return false;
    }
    for (int m = 0; m < metricCount; m++) {
      if (metricValueCounts[m] > 0) {
        writeMetricValues(m, 0, metricValueCounts[m]);
      }
    }
    if (!awsTailValid || !sameShape()) {
      renderAwsTail();
    }
    out.raw(AWS_TIMESTAMP).number(timestamp).raw(awsTail.array(), 0, awsTail.position());
    if (out.position() > maxEventBytes) {
      out.position(commonEnd);
      return false;
    }
    emit();
    return true;
  }

  /** Whether the open event has the dimension sets and metric definitions the remembered _aws block was made of. */
  private boolean sameShape() {
    if (setCount != tailSetCount) {
      return false;
    }
    for (int s = 0; s < setCount; s++) {
      if (setLength[s] != tailSetLength[s]) {
        return false;
      }
    }
    if (setKeyCount > 0 && !same(setKeys, tailSetKeys, setKeyCount)) {
      return false;
    }
    int t = 0;
    for (int m = 0; m < metricCount; m++) {
      if (metricValueCounts[m] == 0) {
        continue;
      }
      if (t == tailMetricCount || metricResolutions[m] != tailMetricResolutions[t]
          || !same(metricNames[m], tailMetricNames[t]) || !same(metricUnits[m], tailMetricUnits[t])) {
        return false;
      }
      t++;
    }
    return t == tailMetricCount;
  }

  private static boolean same(String a, String b) {
    return a == b || a.equals(b);
  }

  private static boolean same(String[] a, String[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  /** Renders and remembers the _aws block after the timestamp for the open event's sets and metrics. */
  private void renderAwsTail() {
    awsTail.position(0);
    writeHeadAfterTimestamp(awsTail, true);
    writeDefinitions(awsTail, 0, Integer.MAX_VALUE);
    awsTail.raw("]}]}}");
    tailSetCount = setCount;
    if (tailSetLength.length < setCount) {
      tailSetLength = new int[Math.max(setCount, tailSetLength.length * 2)];
    }
    System.arraycopy(setLength, 0, tailSetLength, 0, setCount);
    if (tailSetKeys.length < setKeyCount) {
      tailSetKeys = new String[Math.max(setKeyCount, tailSetKeys.length * 2)];
    }
    Arrays.fill(tailSetKeys, null);
    System.arraycopy(setKeys, 0, tailSetKeys, 0, setKeyCount);
    if (tailMetricNames.length < metricCount) {
      int n = Math.max(metricCount, tailMetricNames.length * 2);
      tailMetricNames = new String[n];
      tailMetricUnits = new String[n];
      tailMetricResolutions = new int[n];
    }
    Arrays.fill(tailMetricNames, null);
    Arrays.fill(tailMetricUnits, null);
    int t = 0;
    for (int m = 0; m < metricCount; m++) {
      if (metricValueCounts[m] > 0) {
        tailMetricNames[t] = metricNames[m];
        tailMetricUnits[t] = metricUnits[m];
        tailMetricResolutions[t++] = metricResolutions[m];
      }
    }
    tailMetricCount = t;
    awsTailValid = true;
  }

  /** Writes a remembered encoding, or the string when the name table had no room for it. */
  private static JsonOut json(JsonOut to, byte[] encoded, String s) {
    return encoded != null ? to.raw(encoded, 0, encoded.length) : to.string(s);
  }

  private JsonOut name(JsonOut to, String s, int role) {
    return json(to, names.find(s, role), s);
  }

  private void emit() {
    eventsWritten.lazySet(eventsWritten.get() + 1); // one writing thread: a release store is enough
    sink.accept(out.array(), 0, out.position(), timestamp);
  }

  private void writeProperties() {
    for (int p = 0; p < propCount; p++) {
      json(out, propKeyJson[p], propKeys[p]).raw(':');
      switch (propKinds[p]) {
        case P_STRING -> writePropertyString(p);
        case P_DOUBLE -> out.number(propDoubles[p]);
        case P_LONG -> out.number(propLongs[p]);
        case P_BOOLEAN -> out.raw(propLongs[p] != 0 ? "true" : "false");
        case P_JSON -> out.rawJson(propStrings[p]);
        default -> out.raw("null");
      }
      out.raw(',');
    }
  }

  /** A String value equal to the slot's last one is copied from its encoding; others are encoded and remembered. */
  private void writePropertyString(int p) {
    CharSequence value = propStrings[p];
    if (!(value instanceof String)) {
      out.string(value); // a mutable sequence: never remembered
      return;
    }
    String last = lastPropValue[p];
    if (last != null && same((String) value, last)) {
      out.raw(lastPropJson[p], 0, lastPropJsonLength[p]);
      return;
    }
    int start = out.position();
    out.string(value);
    int length = out.position() - start;
    if (length > 256) {
      lastPropValue[p] = null; // long texts are not worth keeping
      return;
    }
    if (lastPropJson[p] == null || lastPropJson[p].length < length) {
      lastPropJson[p] = new byte[Math.max(64, Integer.highestOneBit(length) * 2)];
    }
    System.arraycopy(out.array(), start, lastPropJson[p], 0, length);
    lastPropJsonLength[p] = length;
    lastPropValue[p] = (String) value;
  }

  private void writeHead(boolean withDirective) {
    head.position(0);
    head.raw(AWS_TIMESTAMP).number(timestamp);
    writeHeadAfterTimestamp(head, withDirective);
  }

  private void writeHeadAfterTimestamp(JsonOut head, boolean withDirective) {
    if (logGroupName != null) {
      head.raw(",\"LogGroupName\":").string(logGroupName);
    }
    head.raw(",\"CloudWatchMetrics\":[");
    if (!withDirective) {
      return;
    }
    head.raw("{\"Namespace\":").raw(namespaceJson, 0, namespaceJson.length).raw(",\"Dimensions\":[");
    if (setCount == 0) {
      writeDefaultSet(head, true);
    } else {
      for (int s = 0; s < setCount; s++) {
        if (s > 0) {
          head.raw(',');
        }
        boolean none = writeDefaultSet(head, false);
        for (int i = setStart[s]; i < setStart[s] + setLength[s]; i++) {
          if (isDefaultKey(setKeys[i])) {
            continue; // already there
          }
          if (!none) {
            head.raw(',');
          }
          name(head, setKeys[i], R_DIM_KEY);
          none = false;
        }
        head.raw(']');
      }
    }
    head.raw("],\"Metrics\":[");
  }

  /** Opens a set with the default keys; returns whether it is still empty. */
  private boolean writeDefaultSet(JsonOut head, boolean close) {
    head.raw('[');
    for (int i = 0; i < defaultKeys.length; i++) {
      if (i > 0) {
        head.raw(',');
      }
      name(head, defaultKeys[i], R_DIM_KEY);
    }
    if (close) {
      head.raw(']');
    }
    return defaultKeys.length == 0;
  }

  private void writeMetricValues(int m, int from, int take) {
    json(out, metricNameJson[m], metricNames[m]).raw(':');
    double[] v = metricValues[m];
    if (metricValueCounts[m] == 1) {
      out.number(v[0]);
    } else {
      out.raw('[');
      for (int i = from; i < from + take; i++) {
        if (i > from) {
          out.raw(',');
        }
        out.number(v[i]);
      }
      out.raw(']');
    }
    out.raw(',');
  }

  private int definitionBytes(int m) {
    // {"Name":<name>,"Unit":"<unit>"} plus ,"StorageResolution":1
    byte[] nameJson = metricNameJson[m];
    return 19 + (nameJson != null ? nameJson.length : JsonOut.stringLength(metricNames[m]))
        + metricUnits[m].length() + (metricResolutions[m] == 1 ? 22 : 0);
  }

  private void writeDefinitions(JsonOut out, int firstMetric, int count) {
    int written = 0;
    for (int m = firstMetric; written < count && m < metricCount; m++) {
      if (metricValueCounts[m] == 0) {
        continue;
      }
      if (written > 0) {
        out.raw(',');
      }
      json(out.raw("{\"Name\":"), metricNameJson[m], metricNames[m]).raw(",\"Unit\":");
      json(out, metricUnitJson[m], metricUnits[m]);
      if (metricResolutions[m] == 1) {
        out.raw(",\"StorageResolution\":1");
      }
      out.raw('}');
      written++;
    }
  }

  private static String[][] kpiNames() {
    String[][] names = new String[Kpi.values().length][KpiStatistic.values().length];
    for (Kpi k : Kpi.values()) {
      for (KpiStatistic s : k.statistics()) {
        names[k.ordinal()][s.ordinal()] = k.metricName(s);
      }
    }
    return names;
  }

  /**
   * Configures an {@link EmfWriter}. Every setting is checked here, so a writer that builds writes valid EMF.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String namespace;
    private final List<String> defaultKeys = new java.util.ArrayList<>();
    private final List<String> defaultValues = new java.util.ArrayList<>();
    private int maxEventBytes = EmfLimits.MAX_EVENT_BYTES;
    private int storageResolution = 60;
    private String logGroupName;
    private EmfSink sink;
    private LongSupplier clock = System::currentTimeMillis;
    private boolean targetDimension = true;

    private Builder(String namespace) {
      String problem = namespaceProblem(namespace);
      if (problem != null) {
        throw new IllegalArgumentException("namespace: " + problem);
      }
      this.namespace = namespace;
    }

    /**
     * Adds a dimension written in every event and added to every dimension set (for example the cluster or the
     * service).
     *
     * @param key 1 to 250 printable ASCII characters, not starting with {@code :}, not reserved
     * @param value 1 to 1024 characters, not only whitespace
     * @return this
     * @throws IllegalArgumentException when the key or value is invalid or the key is added twice
     */
    public Builder defaultDimension(String key, String value) {
      String problem = dimensionKeyProblem(key);
      if (problem == null) {
        problem = dimensionValueProblem(value);
      }
      if (problem == null && defaultKeys.contains(key)) {
        problem = "added twice";
      }
      if (problem == null && defaultKeys.size() == EmfLimits.MAX_DIMENSION_SET_SIZE) {
        problem = "more than " + EmfLimits.MAX_DIMENSION_SET_SIZE + " dimensions";
      }
      if (problem != null) {
        throw new IllegalArgumentException("defaultDimension " + quote(key) + ": " + problem);
      }
      defaultKeys.add(key);
      defaultValues.add(value);
      return this;
    }

    /**
     * The largest event in bytes; larger events are split. Default {@link EmfLimits#MAX_EVENT_BYTES} (1 MiB);
     * {@link EmfLimits#LEGACY_MAX_EVENT_BYTES} (256 KiB) for older pipelines.
     *
     * @param bytes from 4096 to 1 MiB
     * @return this
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxEventBytes(int bytes) {
      if (bytes < 4096 || bytes > EmfLimits.MAX_EVENT_BYTES) {
        throw new IllegalArgumentException("maxEventBytes must be from 4096 to " + EmfLimits.MAX_EVENT_BYTES
            + ": " + bytes);
      }
      this.maxEventBytes = bytes;
      return this;
    }

    /**
     * The storage resolution of metrics that do not give one: 60 (standard, the default) or 1 (high resolution,
     * billed higher).
     *
     * @param seconds 1 or 60
     * @return this
     * @throws IllegalArgumentException when neither
     */
    public Builder storageResolution(int seconds) {
      if (seconds != 1 && seconds != 60) {
        throw new IllegalArgumentException("storageResolution must be 1 or 60: " + seconds);
      }
      this.storageResolution = seconds;
      return this;
    }

    /**
     * The log group written as {@code _aws.LogGroupName}, which the CloudWatch agent reads to choose the log group
     * (it ignores it otherwise). Default: none.
     *
     * @param name the log group
     * @return this
     */
    public Builder logGroupName(String name) {
      if (name == null || name.isBlank() || name.length() > 512) {
        throw new IllegalArgumentException("logGroupName must be 1 to 512 characters: " + quote(name));
      }
      this.logGroupName = name;
      return this;
    }

    /**
     * Whether {@link #write(KpiSet)} makes the KPI set's {@code target} a dimension (the default, as every other sink
     * labels values with it) or writes it as a property only. A dimension gives every scraped endpoint its own
     * CloudWatch metrics (each one billed); as a property, values of all targets land in one metric per model and
     * dimension set, and Logs Insights can still split them by target.
     *
     * @param asDimension false to keep the target a property
     * @return this
     */
    public Builder targetDimension(boolean asDimension) {
      this.targetDimension = asDimension;
      return this;
    }

    /**
     * Where events go. Required.
     *
     * @param sink the sink, for example {@link EmfSinks#parse(String)}
     * @return this
     */
    public Builder sink(EmfSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** The clock for the timestamp window (tests). */
    Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the writer.
     *
     * @return a writer
     * @throws IllegalStateException when no sink is set
     */
    public EmfWriter build() {
      if (sink == null) {
        throw new IllegalStateException("sink is required");
      }
      return new EmfWriter(this);
    }
  }
}

package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A {@link KpiWindow} made of measure values, for sources that need no typed result of their own (and for a
 * source's own code to collect values in). Its builder keeps the rule every source follows: a value the window
 * cannot give (NaN from 0/0, no traffic) is absent, not a drop; a server number that is not finite (a
 * {@code +Inf} gauge) is dropped and counted.
 *
 * <pre>{@code
 * MeasuredWindow.Builder w = MeasuredWindow.builder("myqueue", Duration.ofSeconds(15));
 * w.gauge(WAITING, Labels.of(KpiDimension.MODEL, "qwen3"), 12);      // a server's gauge
 * w.put(REQUEST_RATE, Labels.of(KpiDimension.MODEL, "qwen3"), 42 / 15.0);   // a derived value
 * KpiWindow window = w.build();   // one table, "values", with a column per measure
 * }</pre>
 *
 * <p>Immutable.
 */
public final class MeasuredWindow implements KpiWindow {
  private final String source;
  private final Duration window;
  private final List<MeasureValue> values;
  private final List<KpiTable> tables;
  private final List<String> dropped;

  private MeasuredWindow(Builder b) {
    this.source = b.source;
    this.window = b.window;
    this.values = List.copyOf(b.values);
    this.dropped = List.copyOf(b.dropped);
    if (b.tables.isEmpty()) {
      Set<Measure> measures = new LinkedHashSet<>();
      for (MeasureValue v : values) {
        measures.add(v.measure());
      }
      this.tables = List.of(KpiTable.of("values", List.copyOf(measures), values));
    } else {
      this.tables = List.copyOf(b.tables);
    }
  }

  /**
   * A window of these values, with one table of them all.
   *
   * @param source the source's name
   * @param window the time between the scrapes; positive
   * @param values the values
   * @return the window
   */
  public static MeasuredWindow of(String source, Duration window, List<MeasureValue> values) {
    Builder b = builder(source, window);
    values.forEach(b::add);
    return b.build();
  }

  /**
   * Starts a window.
   *
   * @param source the source's name
   * @param window the time between the scrapes; positive
   * @return a builder
   */
  public static Builder builder(String source, Duration window) {
    return new Builder(source, window);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Duration window() {
    return window;
  }

  @Override
  public List<MeasureValue> values() {
    return values;
  }

  @Override
  public List<KpiTable> tables() {
    return tables;
  }

  @Override
  public List<String> dropped() {
    return dropped;
  }

  @Override
  public String toString() {
    return "MeasuredWindow{" + source + ", " + window + ", " + values.size() + " values"
        + (dropped.isEmpty() ? "" : ", " + dropped.size() + " dropped") + "}";
  }

  /**
   * The window length in seconds, for rate arithmetic.
   *
   * @param window a positive duration
   * @return its seconds, with nanosecond precision
   * @throws IllegalArgumentException when it is not positive
   */
  public static double seconds(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    return window.getSeconds() + window.getNano() / 1e9;
  }

  /**
   * A window length from seconds, as scrape timestamps give it.
   *
   * @param seconds positive and finite
   * @return the duration, rounded to the nanosecond (at least 1 ns)
   * @throws IllegalArgumentException when it is not positive and finite
   */
  public static Duration duration(double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("window must be a positive finite number of seconds: " + seconds);
    }
    long whole = (long) Math.floor(seconds);
    long nanos = Math.round((seconds - whole) * 1e9);
    Duration d = Duration.ofSeconds(whole, nanos);
    return d.isZero() ? Duration.ofNanos(1) : d;
  }

  /** Collects a window's values; not thread-safe. */
  public static final class Builder {
    private final String source;
    private final Duration window;
    private final List<MeasureValue> values = new ArrayList<>();
    private final List<KpiTable> tables = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    private Builder(String source, Duration window) {
      this.source = Objects.requireNonNull(source, "source");
      seconds(window);
      this.window = window;
    }

    /**
     * Adds a value.
     *
     * @param v the value
     * @return this
     */
    public Builder add(MeasureValue v) {
      values.add(Objects.requireNonNull(v, "value"));
      return this;
    }

    /**
     * Adds a derived value: NaN means the window cannot give it (left out, not counted); an infinite value is
     * dropped and counted.
     *
     * @param m the measure
     * @param dimensions what it is of
     * @param value the value
     * @return this
     */
    public Builder put(Measure m, Labels dimensions, double value) {
      return put(m, dimensions, value, Optional.empty());
    }

    /**
     * Adds a derived value that may be a bound, with the rule of {@link #put(Measure, Labels, double)}.
     *
     * @param m the measure
     * @param dimensions what it is of
     * @param value the value
     * @param bound the bound, or empty
     * @return this
     */
    public Builder put(Measure m, Labels dimensions, double value, Optional<Bound> bound) {
      if (Double.isFinite(value)) {
        values.add(new MeasureValue(m, dimensions, value, bound));
      } else if (!Double.isNaN(value)) {
        drop(m, dimensions, value);
      }
      return this;
    }

    /**
     * Adds a derived value when present, with the rule of {@link #put(Measure, Labels, double)}.
     *
     * @param m the measure
     * @param dimensions what it is of
     * @param value the value, or empty
     * @return this
     */
    public Builder put(Measure m, Labels dimensions, OptionalDouble value) {
      return value.isPresent() ? put(m, dimensions, value.getAsDouble()) : this;
    }

    /**
     * Adds a server's number as it is (a gauge): NaN or infinite is dropped and counted.
     *
     * @param m the measure
     * @param dimensions what it is of
     * @param value the value
     * @return this
     */
    public Builder gauge(Measure m, Labels dimensions, double value) {
      if (Double.isFinite(value)) {
        values.add(new MeasureValue(m, dimensions, value));
      } else {
        drop(m, dimensions, value);
      }
      return this;
    }

    /**
     * Counts a value that was not finite.
     *
     * @param m the measure
     * @param dimensions what it is of
     * @param value the value
     * @return this
     */
    public Builder drop(Measure m, Labels dimensions, double value) {
      dropped.add(m.columnName() + (dimensions.isEmpty() ? "" : dimensions.toString()) + " = " + value);
      return this;
    }

    /**
     * Adds a table; without any, {@link #build()} lays out one table of all values.
     *
     * @param table the table
     * @return this
     */
    public Builder table(KpiTable table) {
      tables.add(Objects.requireNonNull(table, "table"));
      return this;
    }

    /**
     * The values so far, for laying out tables from them.
     *
     * @return an unmodifiable view
     */
    public List<MeasureValue> values() {
      return java.util.Collections.unmodifiableList(values);
    }

    /**
     * What was dropped so far.
     *
     * @return an unmodifiable view
     */
    public List<String> dropped() {
      return java.util.Collections.unmodifiableList(dropped);
    }

    /**
     * Builds the window.
     *
     * @return the window
     */
    public MeasuredWindow build() {
      return new MeasuredWindow(this);
    }
  }
}

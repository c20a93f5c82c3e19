package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The KPIs of one source (one target) over one window: what a {@link KpiWindow} gives for a target, and what the
 * binders, the EMF writer and remote write consume. Build one with {@link #builder}, which drops and counts values
 * that are not finite (a server that exports {@code +Inf} for a gauge costs that value, not the whole set).
 *
 * <pre>{@code
 * KpiSet kpis = KpiSet.builder("vllm", "vllm-0:8000", Instant.now(), Duration.ofSeconds(15))
 *     .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "qwen3"), 0.42)
 *     .build();
 * kpis.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, LabelMatcher.eq(KpiDimension.MODEL, "qwen3"))
 *     .ifPresent(v -> System.out.println(v.value() + " s"));
 * }</pre>
 *
 * <p>{@code source} and {@code target} say where every value comes from; values never carry them as their own
 * dimensions, and every sink attaches them the same way, through {@link #labels(KpiValue)}.
 *
 * @param source the source, for example {@code vllm}
 * @param target the scraped endpoint, or {@code ""}
 * @param at the end of the window
 * @param window the window length
 * @param values the values
 * @param dropped the values left out because they were not finite, each as {@code name{dimensions} = value}
 */
public record KpiSet(String source, String target, Instant at, Duration window, List<KpiValue> values,
    List<String> dropped) {
  /**
   * Validates and copies.
   *
   * @param source the source
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @param window the window length; positive
   * @param values the values; no value may carry a {@code source} or {@code target} dimension
   * @param dropped what was left out
   */
  public KpiSet {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    values = List.copyOf(values);
    dropped = List.copyOf(dropped);
    for (KpiValue v : values) {
      if (v.dimensions().get(KpiDimension.SOURCE) != null || v.dimensions().get(KpiDimension.TARGET) != null) {
        throw new IllegalArgumentException(v.metricName() + v.dimensions()
            + ": source and target come from the KPI set, not from a value's dimensions");
      }
    }
  }

  /**
   * A set with nothing dropped.
   *
   * @param source the source
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @param window the window length; positive
   * @param values the values
   */
  public KpiSet(String source, String target, Instant at, Duration window, List<KpiValue> values) {
    this(source, target, at, window, values, List.of());
  }

  /**
   * Starts a set.
   *
   * @param source the source's name
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @param window the window length; positive
   * @return a builder
   */
  public static Builder builder(String source, String target, Instant at, Duration window) {
    return new Builder(source, target, at, window);
  }

  /**
   * A value's dimensions with {@code source} and {@code target} added (each when not empty): the labels, tags or
   * dimensions every sink writes.
   *
   * @param v one of this set's values
   * @return the labels
   */
  public Labels labels(KpiValue v) {
    Labels l = source.isEmpty() ? v.dimensions() : v.dimensions().with(KpiDimension.SOURCE, source);
    return target.isEmpty() ? l : l.with(KpiDimension.TARGET, target);
  }

  /**
   * The values of one KPI and statistic whose dimensions match every matcher.
   *
   * @param kpi the KPI
   * @param statistic the statistic
   * @param matchers dimension matchers
   * @return the values, in order
   */
  public List<KpiValue> values(Kpi kpi, KpiStatistic statistic, LabelMatcher... matchers) {
    List<KpiValue> out = new ArrayList<>();
    for (KpiValue v : values) {
      if (v.kpi() == kpi && v.statistic() == statistic && matchesAll(v, matchers)) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * The first value of one KPI and statistic whose dimensions match every matcher.
   *
   * @param kpi the KPI
   * @param statistic the statistic
   * @param matchers dimension matchers
   * @return the value, or empty
   */
  public Optional<KpiValue> find(Kpi kpi, KpiStatistic statistic, LabelMatcher... matchers) {
    for (KpiValue v : values) {
      if (v.kpi() == kpi && v.statistic() == statistic && matchesAll(v, matchers)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private static boolean matchesAll(KpiValue v, LabelMatcher[] matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(v.dimensions())) {
        return false;
      }
    }
    return true;
  }

  /** Builds a {@link KpiSet}; values that are not finite are dropped and counted. Not thread-safe. */
  public static final class Builder {
    private final String source;
    private final String target;
    private final Instant at;
    private final Duration window;
    private final List<KpiValue> values = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    private Builder(String source, String target, Instant at, Duration window) {
      this.source = Objects.requireNonNull(source, "source");
      this.target = Objects.requireNonNull(target, "target");
      this.at = Objects.requireNonNull(at, "at");
      this.window = Objects.requireNonNull(window, "window");
    }

    /**
     * Adds a value, or counts it as dropped when it is NaN or infinite.
     *
     * @param kpi the KPI
     * @param statistic which statistic
     * @param dimensions its dimensions
     * @param value the value
     * @return this
     */
    public Builder add(Kpi kpi, KpiStatistic statistic, Labels dimensions, double value) {
      return add(kpi, statistic, dimensions, value, Optional.empty());
    }

    /**
     * Adds a value that may be a bound, or counts it as dropped when it is NaN or infinite.
     *
     * @param kpi the KPI
     * @param statistic which statistic
     * @param dimensions its dimensions
     * @param value the value
     * @param bound the bound, or empty
     * @return this
     */
    public Builder add(Kpi kpi, KpiStatistic statistic, Labels dimensions, double value, Optional<Bound> bound) {
      if (Double.isFinite(value)) {
        values.add(new KpiValue(kpi, statistic, dimensions, value, bound));
      } else {
        drop(kpi.metricName(statistic), dimensions, value);
      }
      return this;
    }

    /**
     * Adds a value.
     *
     * @param value the value
     * @return this
     */
    public Builder add(KpiValue value) {
      values.add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a measure value when its measure is a core KPI; a source-only value is left out (it is not part of the
     * shared vocabulary), not counted as dropped.
     *
     * @param value the value
     * @return this
     */
    public Builder add(MeasureValue value) {
      value.toKpiValue().ifPresent(values::add);
      return this;
    }

    /**
     * Counts a value the source could not give because the server's number was not finite, for example
     * {@code requests_running +Inf}.
     *
     * @param name the metric or column name
     * @param dimensions its dimensions
     * @param value the value that was not finite
     * @return this
     */
    public Builder drop(String name, Labels dimensions, double value) {
      dropped.add(name + (dimensions.isEmpty() ? "" : dimensions.toString()) + " = " + value);
      return this;
    }

    /**
     * Counts values dropped elsewhere (for example by the {@link KpiWindow} that computed them).
     *
     * @param what each as {@code name{dimensions} = value}
     * @return this
     */
    public Builder dropped(List<String> what) {
      dropped.addAll(what);
      return this;
    }

    /**
     * Builds the set.
     *
     * @return the set
     */
    public KpiSet build() {
      return new KpiSet(source, target, at, window, values, dropped);
    }
  }
}

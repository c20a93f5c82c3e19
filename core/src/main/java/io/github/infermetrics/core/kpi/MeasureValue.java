package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;
import java.util.Optional;

/**
 * One value of a {@link Measure} over a window, for one thing measured (a model, an engine, a GPU). A
 * {@link KpiWindow} holds every value it computed as these; binders publish them and {@link KpiWindow#toKpiSet}
 * keeps the ones that are core KPIs.
 *
 * @param measure what it is
 * @param dimensions what it is of, with {@link KpiDimension} names ({@code model}, {@code engine}, {@code device})
 * @param value the value in {@link Measure#unit()}; finite
 * @param bound set when the value is only a bound (a quantile in a histogram's first or last bucket)
 */
public record MeasureValue(Measure measure, Labels dimensions, double value, Optional<Bound> bound) {
  /**
   * Validates.
   *
   * @param measure what it is
   * @param dimensions what it is of
   * @param value finite
   * @param bound the bound, or empty
   */
  public MeasureValue {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(bound, "bound");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value of " + measure.columnName() + " must be finite: " + value);
    }
    for (int i = 0; i < dimensions.size(); i++) {
      if (KpiDimension.isReserved(dimensions.name(i))) {
        throw new IllegalArgumentException("dimension " + dimensions.name(i) + " of " + measure.columnName()
            + " is set from the KPI set, not per value");
      }
    }
  }

  /**
   * A value that is not a bound.
   *
   * @param measure what it is
   * @param dimensions what it is of
   * @param value finite
   */
  public MeasureValue(Measure measure, Labels dimensions, double value) {
    this(measure, dimensions, value, Optional.empty());
  }

  /**
   * This value in the shared vocabulary.
   *
   * @return the KPI value, or empty for a source-only measure
   */
  public Optional<KpiValue> toKpiValue() {
    return measure.kpi().map(k -> new KpiValue(k, measure.statistic(), dimensions, value, bound));
  }
}

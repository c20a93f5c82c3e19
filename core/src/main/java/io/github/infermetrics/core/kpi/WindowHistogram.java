package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;

/**
 * A latency histogram's increase over a window, for one set of KPI dimensions: what SLO goodput is computed from
 * ({@link SloGoodput}). Sources with histograms give them through {@link KpiWindow#histograms()}, summed as their
 * KPIs are (per model over its engines, for example).
 *
 * @param kpi the latency it measures, for example {@link Kpi#TIME_TO_FIRST_TOKEN}
 * @param dimensions its dimensions, as on the KPI's values
 * @param increase the buckets' increase over the window, bounds in seconds
 */
public record WindowHistogram(Kpi kpi, Labels dimensions, BucketCounts increase) {
  /**
   * Validates.
   *
   * @param kpi a latency KPI (unit seconds)
   * @param dimensions its dimensions
   * @param increase the buckets, in seconds
   */
  public WindowHistogram {
    Objects.requireNonNull(kpi, "kpi");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(increase, "increase");
    if (kpi.unit() != KpiUnit.SECONDS) {
      throw new IllegalArgumentException("a window histogram measures a latency, not " + kpi.id());
    }
  }
}

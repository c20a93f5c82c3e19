/**
 * Series state and PromQL-exact math over snapshots: counter increases and rates
 * ({@link io.github.infermetrics.core.series.Rates}), classic histogram increases and quantiles
 * ({@link io.github.infermetrics.core.series.BucketCounts}), {@code sum by/without}
 * ({@link io.github.infermetrics.core.series.Grouping}), series identity and per-target state
 * ({@link io.github.infermetrics.core.series.SeriesId}, {@link io.github.infermetrics.core.series.SeriesIndex},
 * {@link io.github.infermetrics.core.series.SeriesTracker}) and the comparison of two snapshots
 * ({@link io.github.infermetrics.core.series.SnapshotComparison}).
 *
 * <p>Summaries carry quantiles computed by the target; they are passed through as they are and cannot be
 * aggregated across series or targets (only their counts and sums can).
 */
package io.github.infermetrics.core.series;

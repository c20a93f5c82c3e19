package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import java.util.Optional;

/**
 * One thing {@link TritonKpis} computes: a column of its tables, a meter of {@link TritonMetrics}, and, where it
 * fits the shared vocabulary, a core {@link Kpi}. Implemented by {@link ModelMeasure}, {@link GpuMeasure} and
 * {@link ServerMeasure}.
 */
public interface TritonMeasure {
  /**
   * The machine name, Prometheus style with its unit; for a measure that maps onto a core KPI it is that KPI's
   * {@link Kpi#metricName(KpiStatistic)}.
   *
   * @return for example {@code queue_time_seconds_mean} or {@code cache_hit_ratio}
   */
  String columnName();

  /**
   * A short header for text tables.
   *
   * @return for example {@code QUEUE s}
   */
  String header();

  /**
   * The core KPI this measure is, if any.
   *
   * @return the KPI, or empty for Triton-only measures
   */
  Optional<Kpi> kpi();

  /**
   * Which statistic of {@link #kpi()} this measure is.
   *
   * @return the statistic; {@link KpiStatistic#VALUE} for Triton-only measures
   */
  KpiStatistic statistic();
}

package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.series.BucketFraction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Server-side SLO goodput: for each objective and each of a window's histograms of that latency, the share of the
 * window's requests that met it, from the bucket increases ({@link io.github.infermetrics.core.series.BucketCounts
 * #fractionAtMost}). No client benchmark is needed: the servers' own histograms say it.
 *
 * <pre>{@code
 * List<MeasureValue> goodput = SloGoodput.of(Slo.parseAll("ttft=500ms,e2e=20s"), window);
 * // slo_goodput_ratio{model="qwen3",slo="ttft<=500ms"} 0.93
 * }</pre>
 *
 * <p>The value is exact when the threshold is a bucket bound, interpolated linearly inside the bucket otherwise
 * (as {@code histogram_quantile} assumes), and a lower bound ({@link Bound.Side#LOWER}) when the threshold is above
 * the last finite bound. A window without requests has no goodput.
 */
public final class SloGoodput {
  /** The measure of every goodput value: {@link Kpi#SLO_GOODPUT}, split by {@link KpiDimension#SLO}. */
  public static final Measure MEASURE = Measure.of(Kpi.SLO_GOODPUT, KpiStatistic.VALUE, "GOODPUT");

  private SloGoodput() {}

  /**
   * The goodput of every objective over a window's histograms.
   *
   * @param slos the objectives
   * @param window the window
   * @return one value per objective and matching histogram, dimensions the histogram's plus {@code slo}
   */
  public static List<MeasureValue> of(List<Slo> slos, KpiWindow window) {
    List<MeasureValue> out = new ArrayList<>();
    if (slos.isEmpty()) {
      return out;
    }
    for (WindowHistogram h : window.histograms()) {
      for (Slo slo : slos) {
        if (slo.kpi() != h.kpi()) {
          continue;
        }
        Optional<BucketFraction> f = h.increase().fractionAtMost(slo.seconds());
        if (f.isPresent()) {
          BucketFraction fraction = f.get();
          Optional<Bound> bound = fraction.precision() == BucketFraction.Precision.AT_LEAST
              ? Optional.of(Bound.above(fraction.value())) : Optional.empty();
          out.add(new MeasureValue(MEASURE, h.dimensions().with(KpiDimension.SLO, slo.name()), fraction.value(),
              bound));
        }
      }
    }
    return out;
  }
}

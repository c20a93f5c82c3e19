package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One number per model for autoscalers: how close its server is to its limit, 0 to 1, the largest of
 *
 * <ul>
 *   <li>queue pressure: requests waiting over waiting plus running ({@link Kpi#QUEUE_DEPTH} over it plus
 *       {@link Kpi#BATCH_SIZE}, where a source gives both — vLLM, SGLang: the batch is the running requests);
 *   <li>KV-cache use ({@link Kpi#KV_CACHE_USAGE});
 *   <li>accelerator use of the target ({@link Kpi#ACCELERATOR_UTILIZATION}: its overall value, else the mean over its
 *       devices), where known.
 * </ul>
 *
 * A server is saturated when its queue grows, its KV cache fills or its accelerator is busy, whichever comes
 * first, so the largest input is the one to scale on; the inputs are KPIs of the same set, so a dashboard or an
 * autoscaler can see which one it was. A model without any input has no saturation.
 *
 * <pre>{@code
 * List<MeasureValue> s = Saturation.of(kpiSet, OptionalDouble.of(0.7));
 * // saturation_ratio{model="qwen3"} 0.82  (its KV cache was 82 % full)
 * }</pre>
 */
public final class Saturation {
  /** The measure of every saturation value. */
  public static final Measure MEASURE = Measure.of(Kpi.SATURATION, KpiStatistic.VALUE, "SAT");

  private Saturation() {}

  /**
   * The saturation of each model of a KPI set (values with a {@code model} and no finer split).
   *
   * @param set the KPIs of one source of one target
   * @param accelerator the target's accelerator use, if known
   * @return one value per model with an input
   */
  public static List<MeasureValue> of(KpiSet set, OptionalDouble accelerator) {
    Map<Labels, double[]> inputs = new LinkedHashMap<>(); // waiting, running, kv
    for (KpiValue v : set.values()) {
      if (v.statistic() != KpiStatistic.VALUE || !isModelLevel(v.dimensions())) {
        continue;
      }
      int slot = switch (v.kpi()) {
        case QUEUE_DEPTH -> 0;
        case BATCH_SIZE -> 1;
        case KV_CACHE_USAGE -> 2;
        default -> -1;
      };
      if (slot >= 0) {
        inputs.computeIfAbsent(v.dimensions(), k -> new double[] {Double.NaN, Double.NaN, Double.NaN})[slot] =
            v.value();
      }
    }
    List<MeasureValue> out = new ArrayList<>();
    inputs.forEach((dims, in) -> {
      double s = Double.NaN;
      if (!Double.isNaN(in[0]) && !Double.isNaN(in[1]) && in[0] + in[1] > 0) {
        s = in[0] / (in[0] + in[1]);
      } else if (!Double.isNaN(in[0]) && !Double.isNaN(in[1])) {
        s = 0; // nothing running and nothing waiting: idle
      }
      if (!Double.isNaN(in[2])) {
        s = Double.isNaN(s) ? in[2] : Math.max(s, in[2]);
      }
      if (accelerator.isPresent() && !Double.isNaN(s)) {
        s = Math.max(s, accelerator.getAsDouble());
      }
      if (Double.isFinite(s)) {
        out.add(new MeasureValue(MEASURE, dims, Math.min(1, Math.max(0, s))));
      }
    });
    return out;
  }

  /** A value of a whole model: a {@code model} dimension and no engine, device, runtime, reason or SLO. */
  static boolean isModelLevel(Labels d) {
    return d.get(KpiDimension.MODEL) != null && d.get(KpiDimension.ENGINE) == null
        && d.get(KpiDimension.DEVICE) == null && d.get(KpiDimension.RUNTIME) == null
        && d.get(KpiDimension.REASON) == null && d.get(KpiDimension.SLO) == null;
  }

  /**
   * A target's accelerator use from its KPI sets: an overall value of any of them, else the mean over the devices.
   *
   * @param sets the target's sets
   * @return 0 to 1, or empty when no set has one
   */
  public static OptionalDouble accelerator(List<KpiSet> sets) {
    double sum = 0;
    int devices = 0;
    for (KpiSet set : sets) {
      for (KpiValue v : set.values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE)) {
        Labels d = v.dimensions();
        if (d.isEmpty()) {
          return OptionalDouble.of(v.value());
        }
        if (d.size() == 1 && d.get(KpiDimension.DEVICE) != null) {
          sum += v.value();
          devices++;
        }
      }
    }
    return devices == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / devices);
  }
}

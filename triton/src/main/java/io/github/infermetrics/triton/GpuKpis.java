package io.github.infermetrics.triton;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One GPU's KPIs over a window ({@link TritonKpis#between}); absent where the server gives nothing. Immutable.
 */
public final class GpuKpis {
  private final String uuid;
  private final Map<GpuMeasure, Double> values;

  GpuKpis(String uuid, Map<GpuMeasure, Double> values) {
    this.uuid = Objects.requireNonNull(uuid, "uuid");
    Map<GpuMeasure, Double> v = new EnumMap<>(GpuMeasure.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
  }

  /**
   * The GPU.
   *
   * @return its {@code gpu_uuid}
   */
  public String uuid() {
    return uuid;
  }

  /**
   * One measure.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(GpuMeasure measure) {
    Double v = values.get(Objects.requireNonNull(measure, "measure"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Every present measure.
   *
   * @return an unmodifiable map in {@link GpuMeasure} order
   */
  public Map<GpuMeasure, Double> values() {
    return values;
  }

  @Override
  public String toString() {
    return "GpuKpis{" + uuid + " " + values + "}";
  }
}

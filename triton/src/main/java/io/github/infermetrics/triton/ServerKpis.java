package io.github.infermetrics.triton;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/** The whole server's KPIs over a window ({@link TritonKpis#between}); absent where it gives nothing. Immutable. */
public final class ServerKpis {
  private final Map<ServerMeasure, Double> values;

  ServerKpis(Map<ServerMeasure, Double> values) {
    Map<ServerMeasure, Double> v = new EnumMap<>(ServerMeasure.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
  }

  /**
   * One measure.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(ServerMeasure measure) {
    Double v = values.get(Objects.requireNonNull(measure, "measure"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Every present measure.
   *
   * @return an unmodifiable map in {@link ServerMeasure} order
   */
  public Map<ServerMeasure, Double> values() {
    return values;
  }

  @Override
  public String toString() {
    return "ServerKpis" + values;
  }
}

package io.github.infermetrics.core.snapshot;

import io.github.infermetrics.core.exposition.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A metric family: name, type, help, unit and its points.
 *
 * <pre>{@code
 * MetricFamily f = snapshot.family("requests_total").orElseThrow();
 * for (MetricPoint p : f.points(LabelMatcher.eq("model", "densenet_onnx"))) {
 *   double total = ((CounterPoint) p).value();
 * }
 * }</pre>
 *
 * <p>The point class follows the type: {@link CounterPoint}, {@link GaugePoint}, {@link HistogramPoint} (also for
 * gauge histograms), {@link SummaryPoint}, {@link InfoPoint}, {@link StateSetPoint}, {@link UnknownPoint}.
 * Immutable.
 */
public final class MetricFamily {
  private final String name;
  private final MetricType type;
  private final String help;
  private final String unit;
  private final List<MetricPoint> points;

  private MetricFamily(String name, MetricType type, String help, String unit, List<MetricPoint> points) {
    this.name = name;
    this.type = type;
    this.help = help;
    this.unit = unit;
    this.points = points;
  }

  /**
   * A family; validates that the points fit the type.
   *
   * @param name the family name (for a counter in OpenMetrics, without {@code _total})
   * @param type the type
   * @param help the help text, or {@code null}
   * @param unit the unit, or {@code null}
   * @param points the points
   * @return the family
   * @throws IllegalArgumentException when the name is empty or a point does not fit the type
   */
  public static MetricFamily of(String name, MetricType type, String help, String unit, List<? extends MetricPoint> points) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("family name is empty");
    }
    List<MetricPoint> copy = List.copyOf(points);
    for (MetricPoint p : copy) {
      if (!fits(type, p)) {
        throw new IllegalArgumentException("family " + name + " of type " + type + " cannot hold a "
            + p.getClass().getSimpleName());
      }
    }
    return new MetricFamily(name, type, help, unit, copy);
  }

  /** Trusted construction by the reader: points already fit. */
  static MetricFamily trusted(String name, MetricType type, String help, String unit, List<MetricPoint> points) {
    return new MetricFamily(name, type, help, unit, points);
  }

  static boolean fits(MetricType type, MetricPoint p) {
    switch (type) {
      case COUNTER:
        return p instanceof CounterPoint;
      case GAUGE:
        return p instanceof GaugePoint;
      case HISTOGRAM:
      case GAUGE_HISTOGRAM:
        return p instanceof HistogramPoint;
      case SUMMARY:
        return p instanceof SummaryPoint;
      case INFO:
        return p instanceof InfoPoint;
      case STATESET:
        return p instanceof StateSetPoint;
      default:
        return p instanceof UnknownPoint;
    }
  }

  /**
   * The family name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The type.
   *
   * @return the type
   */
  public MetricType type() {
    return type;
  }

  /**
   * The help text.
   *
   * @return the text, or {@code null} when the exposition had none
   */
  public String help() {
    return help;
  }

  /**
   * The OpenMetrics unit.
   *
   * @return the unit, or {@code null}
   */
  public String unit() {
    return unit;
  }

  /**
   * The points, in exposition order.
   *
   * @return an unmodifiable list
   */
  public List<MetricPoint> points() {
    return points;
  }

  /**
   * The points whose labels match every matcher.
   *
   * @param matchers the matchers
   * @return the matching points, in exposition order
   */
  public List<MetricPoint> points(LabelMatcher... matchers) {
    List<MetricPoint> out = new ArrayList<>();
    for (MetricPoint p : points) {
      boolean ok = true;
      for (LabelMatcher m : matchers) {
        if (!m.matches(p.labels())) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MetricFamily)) {
      return false;
    }
    MetricFamily f = (MetricFamily) o;
    return name.equals(f.name) && type == f.type && Objects.equals(help, f.help) && Objects.equals(unit, f.unit)
        && points.equals(f.points);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, help, unit, points);
  }

  @Override
  public String toString() {
    return "MetricFamily{" + name + " " + type + ", " + points.size() + " points}";
  }
}

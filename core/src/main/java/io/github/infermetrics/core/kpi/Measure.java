package io.github.infermetrics.core.kpi;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One thing a source computes over a window: a column of its {@link KpiTable}s, a meter of its Micrometer binder,
 * and, where it fits the shared vocabulary, a core {@link Kpi} statistic that goes into the {@link KpiSet} (and from
 * there to EMF, remote write and the dashboards). Each source declares its measures once, usually as enums, and
 * everything else is derived from them.
 *
 * <pre>{@code
 * enum QueueMeasure implements Measure {
 *   WAITING(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, "WAITING"),           // a core KPI: queue_depth
 *   PREEMPTIONS("preemptions", KpiUnit.PER_SECOND, "PREEMPT/S");     // source-only: preemptions_per_second
 *   ...
 * }
 * Measure.of(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, "TTFT p95").columnName();  // time_to_first_token_seconds_p95
 * }</pre>
 *
 * <p>A measure that {@linkplain #kpi() is a core KPI} must have that KPI's {@linkplain Kpi#id() id} and
 * {@linkplain Kpi#unit() unit} and one of its statistics ({@link #check(Measure)} says so).
 */
public interface Measure {
  /**
   * The identifier without unit or statistic, lower case with underscores.
   *
   * @return for example {@code queue_time} or {@code cache_hit}
   */
  String id();

  /**
   * The unit of its values.
   *
   * @return the unit
   */
  KpiUnit unit();

  /**
   * Which statistic it is: {@link KpiStatistic#VALUE} for rates and gauges.
   *
   * @return the statistic
   */
  KpiStatistic statistic();

  /**
   * A short header for text tables.
   *
   * @return for example {@code QUEUE s}
   */
  String header();

  /**
   * The core KPI this measure is, if any.
   *
   * @return the KPI, or empty for source-only measures
   */
  Optional<Kpi> kpi();

  /**
   * One line saying what it measures (meter descriptions, dashboards).
   *
   * @return the description; by default the KPI's, else the header
   */
  default String description() {
    return kpi().map(Kpi::description).orElse(header());
  }

  /**
   * The machine name, Prometheus style, with its unit and statistic: the column name in tables and JSON; for a
   * core KPI its {@link Kpi#metricName(KpiStatistic)}.
   *
   * @return for example {@code queue_time_seconds_mean} or {@code cache_hit_ratio}
   */
  default String columnName() {
    return name(id(), unit(), statistic());
  }

  /**
   * The name of its Micrometer meter: the core KPI's {@link Kpi#meterName(KpiStatistic)}, or for a source-only
   * measure the source's name, the id and the statistic, dotted (the unit goes to the meter's base unit).
   *
   * @param source the source's name, for example {@code triton}
   * @return for example {@code queue.time.mean} or {@code triton.cache.hit}
   */
  default String meterName(String source) {
    Optional<Kpi> k = kpi();
    return k.isPresent() ? k.get().meterName(statistic()) : source + "." + meterName(id(), statistic());
  }

  /**
   * A measure that is a core KPI statistic.
   *
   * @param kpi the KPI
   * @param statistic one of its statistics
   * @param header the text-table header
   * @return the measure
   */
  static Measure of(Kpi kpi, KpiStatistic statistic, String header) {
    return new SimpleMeasure(kpi.id(), kpi.unit(), statistic, header, kpi, kpi.description());
  }

  /**
   * A source-only measure.
   *
   * @param id the identifier, lower case with underscores, without unit or statistic
   * @param unit the unit
   * @param statistic the statistic
   * @param header the text-table header
   * @param description one line saying what it measures
   * @return the measure
   */
  static Measure of(String id, KpiUnit unit, KpiStatistic statistic, String header, String description) {
    return new SimpleMeasure(id, unit, statistic, header, null, description);
  }

  /**
   * Checks a measure's declaration: a lower-case id, a non-blank header, and for a core KPI its id, unit and one of
   * its statistics. Sources call it from tests (or a static initialiser) over all their measures.
   *
   * @param m the measure
   * @return the measure
   * @throws IllegalArgumentException naming what is wrong
   */
  static Measure check(Measure m) {
    Objects.requireNonNull(m, "measure");
    SimpleMeasure.check(m.id(), m.unit(), m.statistic(), m.header(), m.kpi().orElse(null));
    return m;
  }

  /**
   * The Prometheus-style name of an id, unit and statistic: the unit as a suffix (left out for counts and ids that
   * already end with it), then the statistic.
   *
   * @param id the id
   * @param unit the unit
   * @param statistic the statistic
   * @return for example {@code time_to_first_token_seconds_p95}, {@code kv_cache_usage_ratio}, {@code batch_size}
   */
  static String name(String id, KpiUnit unit, KpiStatistic statistic) {
    String base = unit == KpiUnit.COUNT || id.endsWith("_" + unit.baseUnit()) ? id : id + "_" + unit.baseUnit();
    return statistic == KpiStatistic.VALUE ? base : base + "_" + statistic.suffix();
  }

  /**
   * The dotted Micrometer name of an id and statistic, without the unit.
   *
   * @param id the id
   * @param statistic the statistic
   * @return for example {@code time.to.first.token.p95}
   */
  static String meterName(String id, KpiStatistic statistic) {
    String base = id.replace('_', '.');
    return statistic == KpiStatistic.VALUE ? base : base + "." + statistic.suffix();
  }
}

/** The measure {@link Measure#of} makes. */
record SimpleMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header, Kpi kpiOrNull,
    String description) implements Measure {
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  SimpleMeasure {
    Objects.requireNonNull(description, "description");
    check(id, unit, statistic, header, kpiOrNull);
  }

  static void check(String id, KpiUnit unit, KpiStatistic statistic, String header, Kpi kpi) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("measure id must be lower case with underscores: '" + id + "'");
    }
    Objects.requireNonNull(unit, "unit of " + id);
    Objects.requireNonNull(statistic, "statistic of " + id);
    if (header == null || header.isBlank()) {
      throw new IllegalArgumentException("measure " + id + " has no header");
    }
    if (kpi != null && (!kpi.id().equals(id) || kpi.unit() != unit || !kpi.statistics().contains(statistic))) {
      throw new IllegalArgumentException("measure " + id + " (" + unit + ", " + statistic
          + ") does not match its KPI " + kpi.id() + " (" + kpi.unit() + ", " + kpi.statistics() + ")");
    }
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpiOrNull);
  }
}

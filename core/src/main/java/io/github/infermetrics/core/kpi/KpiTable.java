package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A source's KPIs laid out for people: one row per thing measured (a model, a GPU, a NeuronCore), one column per
 * measure. Unlike {@link KpiSet}, which holds only the shared vocabulary, a table holds everything a source computes
 * (Triton's cache hit ratio, vLLM's spec-decode acceptance rate), so the CLI can print any source as a text table or
 * JSON without knowing it. A value that the window could not give (no traffic, a family the server does not expose)
 * is {@link OptionalDouble#empty() absent}, never 0 and never NaN.
 *
 * <pre>{@code
 * KpiTable models = KpiTable.builder("models", "model", "version")
 *     .column("request_rate_per_second", "REQ/S")
 *     .column("queue_time_seconds_mean", "QUEUE s")
 *     .row(Labels.of("model", "resnet50", "version", "1"), OptionalDouble.of(12.5), OptionalDouble.empty())
 *     .build();
 * }</pre>
 *
 * @param name what the rows are, plural, for example {@code models} or {@code gpus}
 * @param keys the label names that identify a row, in display order
 * @param columns the measures, in display order
 * @param rows the rows, in display order
 */
public record KpiTable(String name, List<String> keys, List<Column> columns, List<Row> rows) {
  /**
   * One measure.
   *
   * @param name the machine name, Prometheus style with its unit, for example {@code request_rate_per_second}
   * @param header a short header for text tables, for example {@code REQ/S}
   * @param unit the unit of its values, or empty when it has none the formatter could use
   * @param statistic the statistic of its values ({@link KpiStatistic#MEAN} is shown as a mean)
   */
  public record Column(String name, String header, Optional<KpiUnit> unit, KpiStatistic statistic) {
    /**
     * Validates.
     *
     * @param name the machine name; not blank
     * @param header the header; not blank
     * @param unit the unit, or empty
     * @param statistic the statistic
     */
    public Column {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("column name must not be blank");
      }
      if (Objects.requireNonNull(header, "header").isBlank()) {
        throw new IllegalArgumentException("column header must not be blank (column " + name + ")");
      }
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(statistic, "statistic");
    }

    /**
     * A column without a declared unit.
     *
     * @param name the machine name; not blank
     * @param header the header; not blank
     */
    public Column(String name, String header) {
      this(name, header, Optional.empty(), KpiStatistic.VALUE);
    }

    /**
     * The column of a measure.
     *
     * @param m the measure
     * @return its column: its column name, header, unit and statistic
     */
    public static Column of(Measure m) {
      return new Column(m.columnName(), m.header(), Optional.of(m.unit()), m.statistic());
    }
  }

  /**
   * One row.
   *
   * @param key the values of the table's key labels (a key label without a value is absent from it)
   * @param values one value per column, absent where the window could not give one
   * @param bounds by column index, the values that are only bounds (see {@link Bound}); usually empty
   */
  public record Row(Labels key, List<OptionalDouble> values, Map<Integer, Bound> bounds) {
    /**
     * A row without bounds.
     *
     * @param key the key
     * @param values the values; present values are finite
     */
    public Row(Labels key, List<OptionalDouble> values) {
      this(key, values, Map.of());
    }

    /**
     * Validates and copies.
     *
     * @param key the key
     * @param values the values; present values are finite
     * @param bounds bounds of present values, by column index
     */
    public Row {
      Objects.requireNonNull(key, "key");
      values = List.copyOf(values);
      bounds = Map.copyOf(bounds);
      for (Integer i : bounds.keySet()) {
        if (i < 0 || i >= values.size() || values.get(i).isEmpty()) {
          throw new IllegalArgumentException("row " + key + ": a bound for column " + i + ", which has no value");
        }
      }
      for (OptionalDouble v : values) {
        if (v.isPresent() && !Double.isFinite(v.getAsDouble())) {
          throw new IllegalArgumentException("row " + key + ": a present value must be finite, got "
              + v.getAsDouble() + "; use OptionalDouble.empty() for a value the window could not give");
        }
      }
    }

    /**
     * The value of one column.
     *
     * @param table the table this row belongs to
     * @param columnName the column's name
     * @return the value, or empty when it is absent or the table has no such column
     */
    public OptionalDouble value(KpiTable table, String columnName) {
      int i = table.columnIndex(columnName);
      return i < 0 ? OptionalDouble.empty() : values.get(i);
    }

    /**
     * The bound of one column's value.
     *
     * @param column the column index
     * @return the bound, or empty when the value is an estimate (or absent)
     */
    public Optional<Bound> bound(int column) {
      return Optional.ofNullable(bounds.get(column));
    }
  }

  /**
   * Validates and copies.
   *
   * @param name what the rows are; not blank
   * @param keys the key label names
   * @param columns the columns; distinct names
   * @param rows the rows; each with one value per column and only key labels in its key
   */
  public KpiTable {
    if (Objects.requireNonNull(name, "name").isBlank()) {
      throw new IllegalArgumentException("table name must not be blank");
    }
    keys = List.copyOf(keys);
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    Set<String> seen = new HashSet<>();
    for (Column c : columns) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("table " + name + ": duplicate column " + c.name());
      }
    }
    Set<String> keySet = Set.copyOf(keys);
    for (Row r : rows) {
      if (r.values().size() != columns.size()) {
        throw new IllegalArgumentException("table " + name + ": row " + r.key() + " has " + r.values().size()
            + " values for " + columns.size() + " columns");
      }
      for (int i = 0; i < r.key().size(); i++) {
        if (!keySet.contains(r.key().name(i))) {
          throw new IllegalArgumentException("table " + name + ": row key label " + r.key().name(i)
              + " is not one of the keys " + keys);
        }
      }
    }
  }

  /**
   * The position of a column.
   *
   * @param columnName the column's name
   * @return its index, or -1
   */
  public int columnIndex(String columnName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(columnName)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A table laid out from measure values: one column per measure (in the order given), one row per distinct
   * dimension set (in order of first appearance) among the values of those measures. The keys are {@code keys}
   * followed by any other dimension names the values have, sorted.
   *
   * <pre>{@code
   * KpiTable models = KpiTable.of("models", List.of(MyMeasure.values()), window.values(), KpiDimension.MODEL);
   * }</pre>
   *
   * @param name what the rows are, plural
   * @param measures the columns
   * @param values values; those of other measures are left out
   * @param keys the key label names to put first
   * @return the table
   */
  public static KpiTable of(String name, List<? extends Measure> measures, List<MeasureValue> values,
      String... keys) {
    Map<Measure, Integer> column = new LinkedHashMap<>();
    for (Measure m : measures) {
      column.putIfAbsent(m, column.size());
    }
    Map<Labels, OptionalDouble[]> rows = new LinkedHashMap<>();
    Map<Labels, Map<Integer, Bound>> bounds = new LinkedHashMap<>();
    Set<String> extraKeys = new TreeSet<>();
    Set<String> keySet = Set.of(keys);
    for (MeasureValue v : values) {
      Integer c = column.get(v.measure());
      if (c == null) {
        continue;
      }
      OptionalDouble[] row = rows.computeIfAbsent(v.dimensions(), k -> {
        OptionalDouble[] r = new OptionalDouble[column.size()];
        Arrays.fill(r, OptionalDouble.empty());
        return r;
      });
      row[c] = OptionalDouble.of(v.value());
      v.bound().ifPresent(b -> bounds.computeIfAbsent(v.dimensions(), k -> new TreeMap<>()).put(c, b));
      for (int i = 0; i < v.dimensions().size(); i++) {
        if (!keySet.contains(v.dimensions().name(i))) {
          extraKeys.add(v.dimensions().name(i));
        }
      }
    }
    List<String> allKeys = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(keys)));
    allKeys.addAll(extraKeys);
    Builder b = new Builder(name, allKeys);
    column.keySet().forEach(b::column);
    rows.forEach((key, row) -> b.row(key, Arrays.asList(row), bounds.getOrDefault(key, Map.of())));
    return b.build();
  }

  /**
   * Starts a table.
   *
   * @param name what the rows are, plural
   * @param keys the label names that identify a row
   * @return a builder
   */
  public static Builder builder(String name, String... keys) {
    return new Builder(name, Arrays.asList(keys));
  }

  /** Builds a {@link KpiTable}; columns first, then rows. */
  public static final class Builder {
    private final String name;
    private final List<String> keys;
    private final List<Column> columns = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();

    private Builder(String name, List<String> keys) {
      this.name = name;
      this.keys = List.copyOf(keys);
    }

    /**
     * Adds a column.
     *
     * @param columnName the machine name with its unit
     * @param header the text-table header
     * @return this
     * @throws IllegalStateException when rows were added already
     */
    public Builder column(String columnName, String header) {
      return column(new Column(columnName, header));
    }

    /**
     * Adds a column.
     *
     * @param column the column
     * @return this
     * @throws IllegalStateException when rows were added already
     */
    public Builder column(Column column) {
      if (!rows.isEmpty()) {
        throw new IllegalStateException("table " + name + ": add columns before rows");
      }
      columns.add(Objects.requireNonNull(column, "column"));
      return this;
    }

    /**
     * Adds the column of a measure.
     *
     * @param measure the measure
     * @return this
     */
    public Builder column(Measure measure) {
      return column(Column.of(measure));
    }

    /**
     * Adds a row with bounds.
     *
     * @param key the key labels
     * @param values one per column
     * @param bounds by column index, the values that are only bounds
     * @return this
     */
    public Builder row(Labels key, List<OptionalDouble> values, Map<Integer, Bound> bounds) {
      rows.add(new Row(key, values, bounds));
      return this;
    }

    /**
     * Adds a row.
     *
     * @param key the key labels
     * @param values one per column
     * @return this
     */
    public Builder row(Labels key, OptionalDouble... values) {
      rows.add(new Row(key, Arrays.asList(values)));
      return this;
    }

    /**
     * Adds a row.
     *
     * @param key the key labels
     * @param values one per column
     * @return this
     */
    public Builder row(Labels key, List<OptionalDouble> values) {
      rows.add(new Row(key, values));
      return this;
    }

    /**
     * Builds the table.
     *
     * @return the table
     */
    public KpiTable build() {
      return new KpiTable(name, keys, columns, rows);
    }
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Logs Insights query ({@code queryLanguage=CWLI}), built one command at a time. A {@code Query} is immutable:
 * every method returns a new query with one more command, and checks at once what can be checked (the limit, the
 * place of {@code SOURCE}, {@code dedup} and {@code anomaly}, aggregations only in {@code stats}, the glob's
 * stars against its aliases, the query's length), with an {@link IllegalArgumentException} that starts with the
 * command's name. {@link #text()} is the canonical text: commands joined by a newline and a pipe, field names in
 * backticks when needed, literals escaped so that no value changes the query's structure.
 *
 * <pre>{@code
 * Query q = Query.create()
 *     .fields(Expr.field("@timestamp"), Expr.field("NodeName"), Expr.field("node_cpu_utilization"))
 *     .filter(Expr.field("Type").eq("Node").and(Expr.field("node_cpu_utilization").gt(80)))
 *     .sort(Expr.field("node_cpu_utilization").desc())
 *     .limit(50);
 * q.text();
 * // fields @timestamp, NodeName, node_cpu_utilization
 * // | filter Type = "Node" and node_cpu_utilization > 80
 * // | sort node_cpu_utilization desc
 * // | limit 50
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 *
 * @since 0.1
 */
public final class Query {
  /** The most rows a query returns ({@code limit} and StartQuery's {@code limit}). */
  public static final int MAX_ROWS = 10_000;
  /** The longest query string StartQuery accepts. */
  public static final int MAX_QUERY_CHARS = 10_000;
  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<[A-Za-z][A-Za-z0-9_]*>");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Query EMPTY = new Query(List.of(), "");

  private final List<Command> commands;
  private final String text;

  private Query(List<Command> commands, String text) {
    this.commands = commands;
    this.text = text;
  }

  /**
   * The query without commands, to build on.
   *
   * @return the empty query
   */
  public static Query create() {
    return EMPTY;
  }

  /**
   * The canonical query text.
   *
   * @return the text, commands separated by {@code "\n| "}
   * @throws IllegalStateException when the query has no command
   */
  public String text() {
    if (commands.isEmpty()) {
      throw new IllegalStateException("query: no commands");
    }
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && q.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /**
   * Whether the query starts with {@code SOURCE}, so that StartQuery needs no log group names.
   *
   * @return true when it selects its own log groups
   */
  public boolean hasSource() {
    return !commands.isEmpty() && commands.get(0) instanceof Command.Source;
  }

  /**
   * How many commands it has.
   *
   * @return the count
   */
  public int size() {
    return commands.size();
  }

  // ---- commands

  /**
   * {@code SOURCE logGroups(...)}: must be the first command.
   *
   * @param selection the log groups
   * @return the new query
   */
  public Query source(LogGroupSelection selection) {
    Objects.requireNonNull(selection, "selection");
    if (!commands.isEmpty()) {
      throw new IllegalArgumentException("SOURCE: must be the first command");
    }
    return add(new Command.Source(selection));
  }

  /**
   * {@code fields a, b, expr as alias}.
   *
   * @param items fields, expressions and projections
   * @return the new query
   */
  public Query fields(Selection... items) {
    List<Selection> list = nonEmpty("fields", items);
    noAggregation("fields", list);
    return add(new Command.Fields(list));
  }

  /**
   * {@code fields unmask(field)}: the field with the content data protection masked (needs {@code logs:Unmask}).
   *
   * @param field the masked field, usually {@code @message}
   * @return the new query
   */
  public Query unmask(Expr field) {
    return fields(QueryFunction.UNMASK.call(onlyField("unmask", field)));
  }

  /**
   * {@code display a, b}: which fields the results show (only the last {@code display} counts).
   *
   * @param fields fields
   * @return the new query
   */
  public Query display(Expr... fields) {
    return add(new Command.Display(onlyFields("display", fields)));
  }

  /**
   * {@code filter condition}.
   *
   * @param condition the condition; no aggregation functions
   * @return the new query
   */
  public Query filter(Expr condition) {
    Objects.requireNonNull(condition, "condition");
    noAggregation("filter", List.of(condition));
    return add(new Command.Filter(condition));
  }

  /**
   * {@code filterIndex field = "v"} or {@code filterIndex field in ["a", "b"]}: scans only log groups and events
   * indexed on the field.
   *
   * @param field an indexed field
   * @param values one or more values
   * @return the new query
   */
  public Query filterIndex(Expr field, String... values) {
    onlyField("filterIndex", field);
    if (values.length == 0) {
      throw new IllegalArgumentException("filterIndex: at least one value");
    }
    return add(new Command.FilterIndex(field, Arrays.stream(values).map(Expr::string).toList()));
  }

  /**
   * {@code stats agg, ...} without grouping.
   *
   * @param aggregations aggregation calls, optionally aliased
   * @return the new query
   */
  public Query stats(Selection... aggregations) {
    return stats(Arrays.asList(aggregations), List.of());
  }

  /**
   * {@code stats agg, ... by group, ...}; group by fields, expressions or {@code bin(period)}.
   *
   * @param aggregations aggregation calls, optionally aliased; each must call a stats function
   * @param groupBy what to group by; no aggregation functions
   * @return the new query
   */
  public Query stats(List<? extends Selection> aggregations, List<? extends Selection> groupBy) {
    List<Selection> aggs = nonEmpty("stats", aggregations.toArray(new Selection[0]));
    for (Selection s : aggs) {
      if (!s.expression().aggregates()) {
        throw new IllegalArgumentException("stats: '" + s.expression() + "' calls no aggregation function");
      }
    }
    List<Selection> by = List.copyOf(groupBy);
    noAggregation("stats ... by", by);
    return add(new Command.Stats(aggs, by));
  }

  /**
   * {@code sort key [asc|desc], ...}.
   *
   * @param keys sort keys, see {@link Expr#asc()} and {@link Expr#desc()}
   * @return the new query
   */
  public Query sort(SortKey... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("sort: at least one key");
    }
    return add(new Command.Sort(List.of(keys)));
  }

  /**
   * {@code limit n}.
   *
   * @param rows 1 to {@value #MAX_ROWS}
   * @return the new query
   */
  public Query limit(int rows) {
    if (rows < 1 || rows > MAX_ROWS) {
      throw new IllegalArgumentException("limit: must be between 1 and " + MAX_ROWS + ", was " + rows);
    }
    return add(new Command.Limit(rows));
  }

  /**
   * {@code parse [field] "glob" as a, b}: each {@code *} of the glob becomes the next alias.
   *
   * @param field the field to parse, or null for {@code @message}
   * @param glob the glob, as many {@code *} as aliases
   * @param aliases the new fields
   * @return the new query
   */
  public Query parseGlob(Expr field, String glob, String... aliases) {
    Expr pattern = Expr.string(glob);
    long stars = glob.chars().filter(c -> c == '*').count();
    if (aliases.length == 0 || stars != aliases.length) {
      throw new IllegalArgumentException("parse: the glob has " + stars + " '*' but " + aliases.length
          + " aliases are given");
    }
    for (String a : aliases) {
      FieldRef.checkName("parse", a);
    }
    return add(new Command.Parse(Optional.ofNullable(field).map(f -> onlyField("parse", f)), pattern,
        List.of(aliases)));
  }

  /**
   * {@code parse [field] /regex/}: each named group {@code (?<name>...)} becomes a field.
   *
   * @param field the field to parse, or null for {@code @message}
   * @param regex a pattern with at least one named group
   * @return the new query
   */
  public Query parseRegex(Expr field, String regex) {
    Expr pattern = Expr.regex(regex);
    if (!NAMED_GROUP.matcher(regex).find()) {
      throw new IllegalArgumentException("parse: the regex has no named group (?<name>...): " + regex);
    }
    return add(new Command.Parse(Optional.ofNullable(field).map(f -> onlyField("parse", f)), pattern, List.of()));
  }

  /**
   * {@code dedup a, b}: keeps the first row of each combination; only {@code limit} may follow.
   *
   * @param fields fields
   * @return the new query
   */
  public Query dedup(Expr... fields) {
    return add(new Command.Dedup(onlyFields("dedup", fields)));
  }

  /**
   * {@code pattern expr}: clusters the values into patterns.
   *
   * @param source usually {@code @message}
   * @return the new query
   */
  public Query pattern(Expr source) {
    Objects.requireNonNull(source, "source");
    return add(new Command.Pattern(source));
  }

  /**
   * {@code diff}: compares with the window of equal length just before.
   *
   * @return the new query
   */
  public Query diff() {
    return add(new Command.Diff(Optional.empty()));
  }

  /**
   * {@code diff previousDay|previousWeek|previousMonth}.
   *
   * @param period the earlier window
   * @return the new query
   */
  public Query diff(DiffPeriod period) {
    return add(new Command.Diff(Optional.of(Objects.requireNonNull(period, "period"))));
  }

  /**
   * {@code anomaly}: needs a {@code pattern} command before it.
   *
   * @return the new query
   */
  public Query anomaly() {
    if (commands.stream().noneMatch(c -> c instanceof Command.Pattern)) {
      throw new IllegalArgumentException("anomaly: needs a pattern command before it");
    }
    return add(new Command.Anomaly());
  }

  /**
   * {@code unnest list into item}.
   *
   * @param list a LIST (from {@code jsonParse}); other values count as a one-element list
   * @param into the new field
   * @return the new query
   */
  public Query unnest(Expr list, String into) {
    Objects.requireNonNull(list, "list");
    FieldRef.checkName("unnest", into);
    return add(new Command.Unnest(list, into));
  }

  /**
   * {@code lookup table key as logField OUTPUT out, ...}: joins a CSV lookup table on one key.
   *
   * @param table the lookup table's name
   * @param key the table's key column
   * @param logField the log field it matches
   * @param outputs the table columns to add; none for all
   * @return the new query
   */
  public Query lookup(String table, String key, Expr logField, String... outputs) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("lookup: not a lookup table name: '" + table + "'");
    }
    FieldRef.checkName("lookup", key);
    for (String o : outputs) {
      FieldRef.checkName("lookup", o);
    }
    return add(new Command.Lookup(table, List.of(key), List.of(onlyField("lookup", logField)), List.of(outputs)));
  }

  /**
   * {@code addtotals}: adds row and column totals of the numeric fields.
   *
   * @return the new query
   */
  public Query addTotals() {
    return add(new Command.AddTotals());
  }

  // ----

  private Query add(Command c) {
    if (!commands.isEmpty()) {
      Command last = commands.get(commands.size() - 1);
      boolean afterDedup = commands.stream().anyMatch(x -> x instanceof Command.Dedup);
      if (afterDedup && !(c instanceof Command.Limit)) {
        throw new IllegalArgumentException(c.keyword() + ": only limit may follow dedup");
      }
      if (afterDedup && last instanceof Command.Limit) {
        throw new IllegalArgumentException("limit: dedup may be followed by one limit only");
      }
    }
    StringBuilder sb = new StringBuilder(text.length() + 64).append(text);
    if (!commands.isEmpty()) {
      sb.append("\n| ");
    }
    c.appendTo(sb);
    if (sb.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException(c.keyword() + ": the query would be " + sb.length()
          + " characters, more than the " + MAX_QUERY_CHARS + " StartQuery accepts");
    }
    List<Command> next = new ArrayList<>(commands.size() + 1);
    next.addAll(commands);
    next.add(c);
    return new Query(List.copyOf(next), sb.toString());
  }

  private static List<Selection> nonEmpty(String command, Selection[] items) {
    if (items.length == 0) {
      throw new IllegalArgumentException(command + ": at least one item");
    }
    for (Selection s : items) {
      Objects.requireNonNull(s, command);
    }
    return List.of(items);
  }

  private static void noAggregation(String command, List<? extends Selection> items) {
    for (Selection s : items) {
      if (s.expression().aggregates()) {
        throw new IllegalArgumentException(command + ": '" + s.expression()
            + "' calls a stats function; those are only allowed in stats");
      }
    }
  }

  private static Expr onlyField(String command, Expr e) {
    if (!(Objects.requireNonNull(e, command) instanceof FieldRef)) {
      throw new IllegalArgumentException(command + ": expects a field, got '" + e + "'");
    }
    return e;
  }

  private static List<Expr> onlyFields(String command, Expr[] fields) {
    if (fields.length == 0) {
      throw new IllegalArgumentException(command + ": at least one field");
    }
    for (Expr f : fields) {
      onlyField(command, f);
    }
    return List.of(fields);
  }
}

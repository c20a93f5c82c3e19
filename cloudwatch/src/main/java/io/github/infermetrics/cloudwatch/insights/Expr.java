package io.github.infermetrics.cloudwatch.insights;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Logs Insights expression: a field, a literal, a function call, or operators over them. Expressions are
 * immutable values; rendering them ({@code toString()}) quotes field names and escapes literals so that no value
 * can change the structure of the query it ends up in.
 *
 * <pre>{@code
 * Expr cpu = Expr.field("node_cpu_utilization");
 * Expr e = Expr.field("Type").eq("Node").and(cpu.gt(80));
 * e.toString();   // Type = "Node" and node_cpu_utilization > 80
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface Expr extends Selection permits FieldRef, Literal, Call, Binary, Unary, InList {
  /**
   * A field by its dotted path ({@code @message}, {@code kubernetes.pod_name}); segments with characters other than
   * letters, digits, {@code _} and {@code @} are written in backticks.
   *
   * @param path the path, dot-separated, no empty segment
   * @return the field
   * @throws IllegalArgumentException when a segment is empty or holds a control character
   */
  static Expr field(String path) {
    Objects.requireNonNull(path, "path");
    return new FieldRef(List.of(path.split("\\.", -1)));
  }

  /**
   * A field by its path segments, for names that contain a dot themselves ({@code map.attributes.`a.b`}).
   *
   * @param segments the segments
   * @return the field
   * @throws IllegalArgumentException when there is no segment or one is empty
   */
  static Expr path(String... segments) {
    return new FieldRef(Arrays.asList(segments.clone()));
  }

  /**
   * A string literal.
   *
   * @param value any text without control characters other than newline, carriage return and tab
   * @return the literal, written in double quotes with escapes
   * @throws IllegalArgumentException when the value holds another control character
   */
  static Expr string(String value) {
    return new Literal.Text(value);
  }

  /**
   * A number literal.
   *
   * @param value a finite number
   * @return the literal
   * @throws IllegalArgumentException when the value is NaN or infinite
   */
  static Expr number(double value) {
    return new Literal.Number(value);
  }

  /**
   * A regular expression literal {@code /pattern/} (Hyperscan syntax; {@code (?i)} for case-insensitive matching,
   * {@code (?<name>...)} for the named groups of {@code parse}).
   *
   * @param pattern the pattern, slashes need no escaping
   * @return the literal
   * @throws IllegalArgumentException when the pattern ends with an unpaired backslash
   */
  static Expr regex(String pattern) {
    return new Literal.Regex(pattern);
  }

  /**
   * A time period for {@code bin}, {@code datefloor} and {@code dateceil}: an amount and a unit ({@code 5m},
   * {@code 1h}, {@code 30s}, {@code 1d}, {@code 1mo}).
   *
   * @param period for example {@code 5m}
   * @return the literal
   * @throws IllegalArgumentException when it is not a period
   */
  static Expr period(String period) {
    return new Literal.Period(period);
  }

  /**
   * {@code not e}.
   *
   * @param e the operand
   * @return the negation
   */
  static Expr not(Expr e) {
    return new Unary(Unary.Op.NOT, e);
  }

  /**
   * {@code -e}.
   *
   * @param e the operand
   * @return the arithmetic negation
   */
  static Expr negate(Expr e) {
    return new Unary(Unary.Op.MINUS, e);
  }

  // ---- comparison

  /**
   * {@code this = other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr eq(Expr other) {
    return new Binary(Binary.Op.EQ, this, other);
  }

  /**
   * {@code this = "value"}.
   *
   * @param value a string
   * @return the comparison
   */
  default Expr eq(String value) {
    return eq(string(value));
  }

  /**
   * {@code this = value}.
   *
   * @param value a number
   * @return the comparison
   */
  default Expr eq(double value) {
    return eq(number(value));
  }

  /**
   * {@code this != other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr ne(Expr other) {
    return new Binary(Binary.Op.NE, this, other);
  }

  /**
   * {@code this != "value"}.
   *
   * @param value a string
   * @return the comparison
   */
  default Expr ne(String value) {
    return ne(string(value));
  }

  /**
   * {@code this < other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr lt(Expr other) {
    return new Binary(Binary.Op.LT, this, other);
  }

  /**
   * {@code this < value}.
   *
   * @param value a number
   * @return the comparison
   */
  default Expr lt(double value) {
    return lt(number(value));
  }

  /**
   * {@code this <= other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr le(Expr other) {
    return new Binary(Binary.Op.LE, this, other);
  }

  /**
   * {@code this <= value}.
   *
   * @param value a number
   * @return the comparison
   */
  default Expr le(double value) {
    return le(number(value));
  }

  /**
   * {@code this > other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr gt(Expr other) {
    return new Binary(Binary.Op.GT, this, other);
  }

  /**
   * {@code this > value}.
   *
   * @param value a number
   * @return the comparison
   */
  default Expr gt(double value) {
    return gt(number(value));
  }

  /**
   * {@code this >= other}.
   *
   * @param other the right side
   * @return the comparison
   */
  default Expr ge(Expr other) {
    return new Binary(Binary.Op.GE, this, other);
  }

  /**
   * {@code this >= value}.
   *
   * @param value a number
   * @return the comparison
   */
  default Expr ge(double value) {
    return ge(number(value));
  }

  /**
   * {@code this like pattern}: a substring ({@link #string}) or a {@link #regex}.
   *
   * @param pattern a string or regex literal
   * @return the match
   */
  default Expr like(Expr pattern) {
    return new Binary(Binary.Op.LIKE, this, pattern);
  }

  /**
   * {@code this like "substring"}.
   *
   * @param substring the text to look for
   * @return the match
   */
  default Expr like(String substring) {
    return like(string(substring));
  }

  /**
   * {@code this not like pattern}.
   *
   * @param pattern a string or regex literal
   * @return the negated match
   */
  default Expr notLike(Expr pattern) {
    return new Binary(Binary.Op.NOT_LIKE, this, pattern);
  }

  /**
   * {@code this =~ /regex/}.
   *
   * @param regex the pattern
   * @return the match
   */
  default Expr matches(String regex) {
    return new Binary(Binary.Op.MATCHES, this, regex(regex));
  }

  /**
   * {@code this in ["a", "b"]}.
   *
   * @param values the strings
   * @return the membership test
   */
  default Expr in(String... values) {
    return new InList(this, false, Arrays.stream(values).map(Expr::string).toList());
  }

  /**
   * {@code this in [1, 2]} or any literals.
   *
   * @param values string or number literals
   * @return the membership test
   */
  default Expr in(List<Expr> values) {
    return new InList(this, false, values);
  }

  /**
   * {@code this not in ["a", "b"]}.
   *
   * @param values the strings
   * @return the negated membership test
   */
  default Expr notIn(String... values) {
    return new InList(this, true, Arrays.stream(values).map(Expr::string).toList());
  }

  // ---- boolean

  /**
   * {@code this and other}.
   *
   * @param other the right side
   * @return the conjunction
   */
  default Expr and(Expr other) {
    return new Binary(Binary.Op.AND, this, other);
  }

  /**
   * {@code this or other}.
   *
   * @param other the right side
   * @return the disjunction
   */
  default Expr or(Expr other) {
    return new Binary(Binary.Op.OR, this, other);
  }

  // ---- arithmetic

  /**
   * {@code this + other}.
   *
   * @param other the right side
   * @return the sum
   */
  default Expr plus(Expr other) {
    return new Binary(Binary.Op.PLUS, this, other);
  }

  /**
   * {@code this - other}.
   *
   * @param other the right side
   * @return the difference
   */
  default Expr minus(Expr other) {
    return new Binary(Binary.Op.MINUS, this, other);
  }

  /**
   * {@code this * other}.
   *
   * @param other the right side
   * @return the product
   */
  default Expr times(Expr other) {
    return new Binary(Binary.Op.TIMES, this, other);
  }

  /**
   * {@code this * value}.
   *
   * @param value a number
   * @return the product
   */
  default Expr times(double value) {
    return times(number(value));
  }

  /**
   * {@code this / other}.
   *
   * @param other the right side
   * @return the quotient
   */
  default Expr dividedBy(Expr other) {
    return new Binary(Binary.Op.DIVIDE, this, other);
  }

  /**
   * {@code this / value}.
   *
   * @param value a number
   * @return the quotient
   */
  default Expr dividedBy(double value) {
    return dividedBy(number(value));
  }

  /**
   * {@code this % other}.
   *
   * @param other the right side
   * @return the remainder
   */
  default Expr mod(Expr other) {
    return new Binary(Binary.Op.MOD, this, other);
  }

  /**
   * {@code this ^ other}.
   *
   * @param other the exponent
   * @return the power
   */
  default Expr pow(Expr other) {
    return new Binary(Binary.Op.POW, this, other);
  }

  // ---- naming and sorting

  /**
   * {@code this as alias}.
   *
   * @param alias the new field's name
   * @return the projection
   */
  default Projection as(String alias) {
    return new Projection(this, alias);
  }

  /**
   * {@code this asc}.
   *
   * @return the sort key
   */
  default SortKey asc() {
    return new SortKey(this, false);
  }

  /**
   * {@code this desc}.
   *
   * @return the sort key
   */
  default SortKey desc() {
    return new SortKey(this, true);
  }

  @Override
  default Expr expression() {
    return this;
  }

  /** Writes the canonical text. */
  void appendTo(StringBuilder sb);

  /** Binding strength: higher binds tighter; see {@link Binary.Op}. */
  int precedence();

  /** Whether the expression calls an aggregation or non-aggregation stats function. */
  boolean aggregates();
}

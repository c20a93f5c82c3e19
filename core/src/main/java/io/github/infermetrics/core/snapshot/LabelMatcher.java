package io.github.infermetrics.core.snapshot;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PromQL-style label matcher: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are fully
 * anchored, and an absent label matches as the empty string, as in PromQL.
 *
 * <pre>{@code
 * snapshot.select("requests_total", LabelMatcher.eq("model", "densenet_onnx"),
 *     LabelMatcher.regex("version", "1|2"));
 * }</pre>
 */
public final class LabelMatcher {
  /** How a matcher compares. */
  public enum Op {
    /** {@code =} */
    EQ,
    /** {@code !=} */
    NEQ,
    /** {@code =~} */
    REGEX,
    /** {@code !~} */
    NOT_REGEX
  }

  private final String name;
  private final Op op;
  private final String value;
  private final Pattern pattern;

  private LabelMatcher(String name, Op op, String value) {
    this.name = Objects.requireNonNull(name, "name");
    this.op = op;
    this.value = Objects.requireNonNull(value, "value");
    this.pattern = op == Op.REGEX || op == Op.NOT_REGEX ? Pattern.compile("(?:" + value + ")") : null;
  }

  /**
   * {@code name="value"}.
   *
   * @param name the label
   * @param value the value
   * @return the matcher
   */
  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(name, Op.EQ, value);
  }

  /**
   * {@code name!="value"}.
   *
   * @param name the label
   * @param value the value
   * @return the matcher
   */
  public static LabelMatcher neq(String name, String value) {
    return new LabelMatcher(name, Op.NEQ, value);
  }

  /**
   * {@code name=~"regex"}, fully anchored.
   *
   * @param name the label
   * @param regex a {@link java.util.regex.Pattern} expression
   * @return the matcher
   */
  public static LabelMatcher regex(String name, String regex) {
    return new LabelMatcher(name, Op.REGEX, regex);
  }

  /**
   * {@code name!~"regex"}, fully anchored.
   *
   * @param name the label
   * @param regex a {@link java.util.regex.Pattern} expression
   * @return the matcher
   */
  public static LabelMatcher notRegex(String name, String regex) {
    return new LabelMatcher(name, Op.NOT_REGEX, regex);
  }

  /**
   * Whether the labels match.
   *
   * @param labels the labels
   * @return true when they match
   */
  public boolean matches(Labels labels) {
    String v = labels.get(name);
    if (v == null) {
      v = "";
    }
    switch (op) {
      case EQ:
        return v.equals(value);
      case NEQ:
        return !v.equals(value);
      case REGEX:
        return pattern.matcher(v).matches();
      default:
        return !pattern.matcher(v).matches();
    }
  }

  /**
   * The label name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The comparison.
   *
   * @return the op
   */
  public Op op() {
    return op;
  }

  /**
   * The value or expression.
   *
   * @return the value
   */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    String o = op == Op.EQ ? "=" : op == Op.NEQ ? "!=" : op == Op.REGEX ? "=~" : "!~";
    return name + o + '"' + value + '"';
  }
}

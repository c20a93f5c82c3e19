package io.github.infermetrics.cloudwatch.insights;

import java.util.Objects;

/**
 * One key of a {@code sort} command. Made by {@link Expr#asc()} and {@link Expr#desc()}.
 *
 * @param expression what to sort on
 * @param descending true for {@code desc}
 * @since 0.1
 */
public record SortKey(Expr expression, boolean descending) {
  /**
   * Validates.
   *
   * @param expression what to sort on
   * @param descending true for {@code desc}
   */
  public SortKey {
    Objects.requireNonNull(expression, "expression");
  }

  void appendTo(StringBuilder sb) {
    expression.appendTo(sb);
    sb.append(descending ? " desc" : " asc");
  }
}

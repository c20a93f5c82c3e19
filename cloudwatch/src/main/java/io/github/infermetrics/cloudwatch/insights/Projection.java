package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.Objects;

/**
 * An expression with a name: {@code expr as alias} in {@code fields}, {@code stats} and {@code parse}. Made by
 * {@link Expr#as(String)}.
 *
 * @param expression the expression
 * @param alias the new field's name
 * @since 0.1
 */
public record Projection(Expr expression, String alias) implements Selection {
  /**
   * Validates.
   *
   * @param expression the expression
   * @param alias the new field's name; not blank, no control characters
   * @throws IllegalArgumentException when the alias is blank or holds a control character
   */
  public Projection {
    Objects.requireNonNull(expression, "expression");
    FieldRef.checkName("alias", alias);
  }

  void appendTo(StringBuilder sb) {
    expression.appendTo(sb);
    sb.append(" as ");
    QueryText.appendFieldSegment(sb, alias);
  }
}

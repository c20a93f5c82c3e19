package io.github.infermetrics.cloudwatch.insights;

/**
 * Something a {@code fields} or {@code stats} command lists: an {@link Expr expression}, or an expression with an
 * alias ({@link Projection}).
 *
 * @since 0.1
 */
public sealed interface Selection permits Expr, Projection {
  /**
   * The expression.
   *
   * @return the expression itself, or the aliased one
   */
  Expr expression();
}

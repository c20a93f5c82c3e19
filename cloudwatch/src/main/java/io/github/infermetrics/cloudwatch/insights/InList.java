package io.github.infermetrics.cloudwatch.insights;

import java.util.List;
import java.util.Objects;

/** {@code e in [..]} or {@code e not in [..]}, over literals. */
record InList(Expr operand, boolean negated, List<Expr> values) implements Expr {
  InList {
    Objects.requireNonNull(operand, "operand");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("in: the list must not be empty");
    }
    for (Expr v : values) {
      if (!(v instanceof Literal.Text || v instanceof Literal.Number)) {
        throw new IllegalArgumentException("in: list items must be string or number literals: " + v);
      }
    }
  }

  @Override
  public void appendTo(StringBuilder sb) {
    Binary.wrap(sb, operand, operand.precedence() <= Binary.COMPARISON);
    sb.append(negated ? " not in [" : " in [");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      values.get(i).appendTo(sb);
    }
    sb.append(']');
  }

  @Override
  public int precedence() {
    return Binary.COMPARISON;
  }

  @Override
  public boolean aggregates() {
    return operand.aggregates();
  }

  @Override
  public String toString() {
    return Binary.text(this);
  }
}

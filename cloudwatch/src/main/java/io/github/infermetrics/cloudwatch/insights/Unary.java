package io.github.infermetrics.cloudwatch.insights;

import java.util.Objects;

/** {@code not e} or {@code -e}. */
record Unary(Op op, Expr operand) implements Expr {
  enum Op { NOT, MINUS }

  Unary {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(operand, "operand");
  }

  @Override
  public void appendTo(StringBuilder sb) {
    sb.append(op == Op.NOT ? "not " : "-");
    // "- -x" would read as a decrement in some tokenizers: a nested minus gets parentheses as well
    Binary.wrap(sb, operand, operand.precedence() < precedence() || operand instanceof Unary u && u.op == Op.MINUS
        || operand instanceof Literal.Number n && n.value() < 0);
  }

  @Override
  public int precedence() {
    return op == Op.NOT ? Binary.NOT : Binary.NEG;
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

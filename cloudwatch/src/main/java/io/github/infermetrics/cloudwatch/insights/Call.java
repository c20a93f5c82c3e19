package io.github.infermetrics.cloudwatch.insights;

import java.util.List;
import java.util.Objects;

/** A function call. */
record Call(QueryFunction function, List<Expr> arguments) implements Expr {
  Call {
    Objects.requireNonNull(function, "function");
    arguments = List.copyOf(arguments);
    function.checkArity(arguments.size());
  }

  @Override
  public void appendTo(StringBuilder sb) {
    sb.append(function.functionName()).append('(');
    if (arguments.isEmpty() && function == QueryFunction.COUNT) {
      sb.append('*');
    }
    for (int i = 0; i < arguments.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      arguments.get(i).appendTo(sb);
    }
    sb.append(')');
  }

  @Override
  public int precedence() {
    return Binary.ATOM;
  }

  @Override
  public boolean aggregates() {
    if (function.kind() == QueryFunction.Kind.AGGREGATION || function.kind() == QueryFunction.Kind.NON_AGGREGATION) {
      return true;
    }
    for (Expr a : arguments) {
      if (a.aggregates()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return Binary.text(this);
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.util.Objects;

/** Two operands and an operator; written with the parentheses that the precedence of the operators needs. */
record Binary(Op op, Expr left, Expr right) implements Expr {
  static final int OR = 1;
  static final int AND = 2;
  static final int NOT = 3;
  static final int COMPARISON = 4;
  static final int ADDITIVE = 5;
  static final int MULTIPLICATIVE = 6;
  static final int NEG = 7;
  static final int POW = 8;
  static final int ATOM = 9;

  enum Op {
    OR("or", Binary.OR),
    AND("and", Binary.AND),
    EQ("=", COMPARISON),
    NE("!=", COMPARISON),
    LT("<", COMPARISON),
    LE("<=", COMPARISON),
    GT(">", COMPARISON),
    GE(">=", COMPARISON),
    LIKE("like", COMPARISON),
    NOT_LIKE("not like", COMPARISON),
    MATCHES("=~", COMPARISON),
    PLUS("+", ADDITIVE),
    MINUS("-", ADDITIVE),
    TIMES("*", MULTIPLICATIVE),
    DIVIDE("/", MULTIPLICATIVE),
    MOD("%", MULTIPLICATIVE),
    POW("^", Binary.POW);

    final String symbol;
    final int precedence;

    Op(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    /** a op (b op c) == (a op b) op c, so the right side needs no parentheses at equal precedence. */
    boolean associative() {
      return this == OR || this == AND || this == PLUS || this == TIMES;
    }
  }

  Binary {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    if ((op == Op.LIKE || op == Op.NOT_LIKE) && !(right instanceof Literal.Text || right instanceof Literal.Regex)) {
      throw new IllegalArgumentException(op.symbol + ": the pattern must be a string or regex literal");
    }
  }

  @Override
  public void appendTo(StringBuilder sb) {
    boolean leftParens = left.precedence() < op.precedence
        || (left.precedence() == op.precedence && (op.precedence == COMPARISON || op == Op.POW));
    boolean rightParens = right.precedence() < op.precedence
        || (right.precedence() == op.precedence && !(right instanceof Binary b && b.op == op && op.associative())
            && op != Op.POW);
    wrap(sb, left, leftParens);
    sb.append(' ').append(op.symbol).append(' ');
    wrap(sb, right, rightParens);
  }

  static void wrap(StringBuilder sb, Expr e, boolean parens) {
    if (parens) {
      sb.append('(');
    }
    e.appendTo(sb);
    if (parens) {
      sb.append(')');
    }
  }

  static String text(Expr e) {
    StringBuilder sb = new StringBuilder();
    e.appendTo(sb);
    return sb.toString();
  }

  @Override
  public int precedence() {
    return op.precedence;
  }

  @Override
  public boolean aggregates() {
    return left.aggregates() || right.aggregates();
  }

  @Override
  public String toString() {
    return text(this);
  }
}

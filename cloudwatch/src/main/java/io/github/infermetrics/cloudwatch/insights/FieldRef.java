package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.List;

/** A field, by the segments of its dotted path. */
record FieldRef(List<String> segments) implements Expr {
  FieldRef {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("field: no name");
    }
    String whole = String.join(".", segments);
    for (String s : segments) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("field: empty segment in '" + whole + "'");
      }
      checkName("field", s);
    }
  }

  static void checkName(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + ": must not be blank");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException(what + ": control character at index " + i + " in a name");
      }
    }
  }

  String name() {
    return String.join(".", segments);
  }

  @Override
  public void appendTo(StringBuilder sb) {
    for (int i = 0; i < segments.size(); i++) {
      if (i > 0) {
        sb.append('.');
      }
      QueryText.appendFieldSegment(sb, segments.get(i));
    }
  }

  @Override
  public int precedence() {
    return Binary.ATOM;
  }

  @Override
  public boolean aggregates() {
    return false;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }
}

package io.github.infermetrics.cloudwatch.dashboard.internal;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import io.github.infermetrics.core.internal.text.JsonString;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Internal API, not exported; no compatibility promise. Writes JSON with two-space indentation into a
 * StringBuilder, keeping track of commas; strings are escaped per RFC 8259.
 */
public final class JsonWriter {
  private final StringBuilder sb = new StringBuilder(8192);
  // per open container: whether it already has a member
  private final Deque<boolean[]> stack = new ArrayDeque<>();
  private boolean afterName;

  /** Opens an object. @return this */
  public JsonWriter beginObject() {
    value();
    sb.append('{');
    stack.push(new boolean[1]);
    return this;
  }

  /** Closes an object. @return this */
  public JsonWriter endObject() {
    close('}');
    return this;
  }

  /** Opens an array. @return this */
  public JsonWriter beginArray() {
    value();
    sb.append('[');
    stack.push(new boolean[1]);
    return this;
  }

  /** Closes an array. @return this */
  public JsonWriter endArray() {
    close(']');
    return this;
  }

  /**
   * Writes a member name.
   *
   * @param name the name
   * @return this
   */
  public JsonWriter name(String name) {
    separate();
    JsonString.append(sb, name);
    sb.append(": ");
    afterName = true;
    return this;
  }

  /**
   * Writes a string value.
   *
   * @param v the value
   * @return this
   */
  public JsonWriter value(String v) {
    value();
    JsonString.append(sb, v);
    return this;
  }

  /**
   * Writes a number value.
   *
   * @param v a finite number
   * @return this
   */
  public JsonWriter value(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no " + v);
    }
    value();
    QueryText.appendNumber(sb, v); // the same spelling as numbers in the widgets' Logs Insights queries
    return this;
  }

  /**
   * Writes a boolean value.
   *
   * @param v the value
   * @return this
   */
  public JsonWriter value(boolean v) {
    value();
    sb.append(v);
    return this;
  }

  /**
   * A string member.
   *
   * @param name the name
   * @param v the value
   * @return this
   */
  public JsonWriter member(String name, String v) {
    return name(name).value(v);
  }

  /**
   * A number member.
   *
   * @param name the name
   * @param v the value
   * @return this
   */
  public JsonWriter member(String name, double v) {
    return name(name).value(v);
  }

  /**
   * A boolean member.
   *
   * @param name the name
   * @param v the value
   * @return this
   */
  public JsonWriter member(String name, boolean v) {
    return name(name).value(v);
  }

  @Override
  public String toString() {
    if (!stack.isEmpty()) {
      throw new IllegalStateException("JSON not closed: " + stack.size() + " open");
    }
    return sb.toString() + "\n";
  }

  private void value() {
    if (afterName) {
      afterName = false;
      return;
    }
    separate();
  }

  private void separate() {
    if (stack.isEmpty()) {
      return;
    }
    boolean[] has = stack.peek();
    if (has[0]) {
      sb.append(',');
    }
    has[0] = true;
    newline();
  }

  private void close(char c) {
    boolean[] has = stack.pop();
    if (has[0]) {
      newline();
    }
    sb.append(c);
  }

  private void newline() {
    sb.append('\n');
    for (int i = 0; i < stack.size(); i++) {
      sb.append("  ");
    }
  }
}

package io.github.infermetrics.cli.simulate;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.JsonString;

/**
 * A minimal JSON writer for the simulators' compact one-line documents: neuron-monitor reports (floats as Go
 * prints them) and OpenAI completion chunks. Not thread-safe.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(1024);
  private final boolean[] hasItems = new boolean[64];
  private int depth;
  private boolean afterName;

  JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    hasItems[++depth] = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    depth--;
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    hasItems[++depth] = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    depth--;
    return this;
  }

  JsonWriter name(String name) {
    beforeValue();
    JsonString.append(out, name);
    out.append(':');
    afterName = true;
    return this;
  }

  JsonWriter value(String s) {
    if (s == null) {
      return nullValue();
    }
    beforeValue();
    JsonString.append(out, s);
    return this;
  }

  JsonWriter value(long v) {
    beforeValue();
    out.append(v);
    return this;
  }

  JsonWriter value(double v) {
    beforeValue();
    out.append(FloatFormats.goJson(v));
    return this;
  }

  JsonWriter value(boolean v) {
    beforeValue();
    out.append(v);
    return this;
  }

  JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    return this;
  }

  /** Shorthands for a named member. */
  JsonWriter field(String name, String v) {
    return name(name).value(v);
  }

  JsonWriter field(String name, long v) {
    return name(name).value(v);
  }

  JsonWriter field(String name, double v) {
    return name(name).value(v);
  }

  JsonWriter field(String name, boolean v) {
    return name(name).value(v);
  }

  String text() {
    return out.toString();
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (hasItems[depth]) {
        out.append(',');
      }
      hasItems[depth] = true;
    }
  }
}

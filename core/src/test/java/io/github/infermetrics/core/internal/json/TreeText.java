package io.github.infermetrics.core.internal.json;

import io.github.infermetrics.core.internal.json.JsonValue.JsonArray;
import io.github.infermetrics.core.internal.json.JsonValue.JsonBoolean;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNull;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNumber;
import io.github.infermetrics.core.internal.json.JsonValue.JsonObject;
import io.github.infermetrics.core.internal.json.JsonValue.JsonString;
import io.github.infermetrics.core.internal.json.JsonValue.Member;

/** Test helper: a tree as compact JSON, without offsets, to compare trees. */
public final class TreeText {
  private TreeText() {}

  public static String render(JsonValue v) {
    StringBuilder sb = new StringBuilder();
    render(v, sb);
    return sb.toString();
  }

  private static void render(JsonValue v, StringBuilder sb) {
    if (v instanceof JsonObject) {
      sb.append('{');
      boolean first = true;
      for (Member m : ((JsonObject) v).members()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(m.key(), sb);
        sb.append(':');
        render(m.value(), sb);
      }
      sb.append('}');
    } else if (v instanceof JsonArray) {
      sb.append('[');
      boolean first = true;
      for (JsonValue item : ((JsonArray) v).items()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        render(item, sb);
      }
      sb.append(']');
    } else if (v instanceof JsonString) {
      string(((JsonString) v).value(), sb);
    } else if (v instanceof JsonNumber) {
      sb.append(((JsonNumber) v).text());
    } else if (v instanceof JsonBoolean) {
      sb.append(((JsonBoolean) v).value());
    } else if (v instanceof JsonNull) {
      sb.append("null");
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}

package io.github.infermetrics.core.internal.json;

import java.util.ArrayList;
import java.util.List;

/** A JSON path being walked: {@code $[0].labels.job}, {@code $[1].labels["a.b"]}. Mutable, for one reader. */
public final class JsonPath {
  private final List<Object> segments = new ArrayList<>();

  /**
   * Enters an array item.
   *
   * @param index the item's index
   */
  public void push(int index) {
    segments.add(index);
  }

  /**
   * Enters an object member.
   *
   * @param key the member's key
   */
  public void push(String key) {
    segments.add(key);
  }

  /** Leaves the innermost item or member. */
  public void pop() {
    segments.remove(segments.size() - 1);
  }

  /**
   * The path of an object member, without entering it.
   *
   * @param key the key
   * @return the path
   */
  public String with(String key) {
    push(key);
    String s = toString();
    pop();
    return s;
  }

  /**
   * The path of an array item, without entering it.
   *
   * @param index the index
   * @return the path
   */
  public String with(int index) {
    push(index);
    String s = toString();
    pop();
    return s;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("$");
    for (Object s : segments) {
      if (s instanceof Integer) {
        sb.append('[').append(s).append(']');
      } else {
        String key = (String) s;
        if (isIdentifier(key)) {
          sb.append('.').append(key);
        } else {
          sb.append("[\"");
          for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '"' || c == '\\') {
              sb.append('\\').append(c);
            } else if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
          sb.append("\"]");
        }
      }
    }
    return sb.toString();
  }

  private static boolean isIdentifier(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

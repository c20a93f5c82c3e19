package io.github.infermetrics.cloudwatch.internal;

/**
 * Checks that a text is exactly one JSON value (RFC 8259), without building anything, so that a nested-JSON
 * property can be copied into an event as it is. Nesting deeper than {@link #MAX_DEPTH} is refused.
 */
public final class JsonSyntax {
  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 64;

  private final CharSequence s;
  private int i;

  private JsonSyntax(CharSequence s) {
    this.s = s;
  }

  /**
   * Where the text stops being one JSON value.
   *
   * @param text the text
   * @return the offset of the first error, or -1 when the text is one JSON value (surrounding whitespace allowed)
   */
  public static int firstError(CharSequence text) {
    if (text == null) {
      return 0;
    }
    JsonSyntax p = new JsonSyntax(text);
    p.skipWhitespace();
    if (!p.value(0)) {
      return p.i;
    }
    p.skipWhitespace();
    return p.i == text.length() ? -1 : p.i;
  }

  /**
   * A short description of an error position for messages.
   *
   * @param text the text
   * @param offset from {@link #firstError(CharSequence)}
   * @return for example {@code at offset 7 near "}x"}
   */
  public static String describe(CharSequence text, int offset) {
    if (text == null) {
      return "null";
    }
    int end = Math.min(text.length(), offset + 10);
    return "at offset " + offset + (offset >= text.length() ? ", the end" : " near \"" + text.subSequence(offset,
        end) + "\"");
  }

  private boolean value(int depth) {
    if (i >= s.length()) {
      return false;
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  private boolean object(int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    i++;
    skipWhitespace();
    if (peek() == '}') {
      i++;
      return true;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"' || !string()) {
        return false;
      }
      skipWhitespace();
      if (peek() != ':') {
        return false;
      }
      i++;
      skipWhitespace();
      if (!value(depth)) {
        return false;
      }
      skipWhitespace();
      char c = peek();
      i++;
      if (c == '}') {
        return true;
      }
      if (c != ',') {
        i--;
        return false;
      }
    }
  }

  private boolean array(int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    i++;
    skipWhitespace();
    if (peek() == ']') {
      i++;
      return true;
    }
    while (true) {
      skipWhitespace();
      if (!value(depth)) {
        return false;
      }
      skipWhitespace();
      char c = peek();
      i++;
      if (c == ']') {
        return true;
      }
      if (c != ',') {
        i--;
        return false;
      }
    }
  }

  private boolean string() {
    i++; // the opening quote
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c == '\\') {
        i++;
        char e = peek();
        if (e == 'u') {
          for (int k = 1; k <= 4; k++) {
            if (i + k >= s.length() || Character.digit(s.charAt(i + k), 16) < 0) {
              return false;
            }
          }
          i += 4;
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          return false;
        }
      }
      i++;
    }
    return false;
  }

  private boolean literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (i >= s.length() || s.charAt(i) != word.charAt(k)) {
        return false;
      }
      i++;
    }
    return true;
  }

  private boolean number() {
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else if (!digits()) {
      return false;
    }
    if (peek() == '.') {
      i++;
      if (!digits()) {
        return false;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      return digits();
    }
    return true;
  }

  private boolean digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i > start;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void skipWhitespace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }
}

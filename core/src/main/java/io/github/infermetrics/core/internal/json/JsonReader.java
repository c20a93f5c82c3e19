package io.github.infermetrics.core.internal.json;

import io.github.infermetrics.core.internal.json.JsonValue.JsonArray;
import io.github.infermetrics.core.internal.json.JsonValue.JsonBoolean;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNull;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNumber;
import io.github.infermetrics.core.internal.json.JsonValue.JsonObject;
import io.github.infermetrics.core.internal.json.JsonValue.JsonString;
import io.github.infermetrics.core.internal.json.JsonValue.Member;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON text (RFC 8259) into a {@link JsonValue} tree, strictly: no comments, no trailing commas, no
 * leading byte order mark, no lone surrogates, no control characters in strings, no duplicate keys, and nothing
 * after the value. Errors give the source, line:column and the JSON path. Memory is bounded by the input, which
 * the caller bounds, and nesting by {@link #MAX_DEPTH}.
 *
 * <pre>{@code
 * JsonValue v = JsonReader.read(SourceText.decodeUtf8("targets.json", bytes));
 * }</pre>
 */
public final class JsonReader {
  /** Deepest nesting of arrays and objects accepted; configuration files need a handful of levels. */
  public static final int MAX_DEPTH = 64;

  private final SourceText source;
  private final String s;
  private final int n;
  private final JsonPath path = new JsonPath();
  private int pos;
  private int depth;

  private JsonReader(SourceText source) {
    this.source = source;
    this.s = source.text();
    this.n = s.length();
  }

  /**
   * Reads a JSON text.
   *
   * @param source the text
   * @return the value
   * @throws JsonException when the text is not one valid JSON value
   */
  public static JsonValue read(SourceText source) {
    JsonReader r = new JsonReader(source);
    if (r.n > 0 && r.s.charAt(0) == '\uFEFF') {
      throw source.error(0, null, "byte order mark (U+FEFF) before the JSON text: save the file without it");
    }
    r.skipWhitespace();
    if (r.pos >= r.n) {
      throw source.error(r.pos, null, "empty input, expected a JSON value");
    }
    JsonValue v = r.value();
    r.skipWhitespace();
    if (r.pos < r.n) {
      throw source.error(r.pos, null, "unexpected " + r.describe(r.pos) + " after the JSON value");
    }
    return v;
  }

  private JsonValue value() {
    if (pos >= n) {
      throw error(pos, "unexpected end of input, expected a value");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        int start = pos;
        return new JsonString(string(), start);
      case 't':
        return literal("true", new JsonBoolean(true, pos));
      case 'f':
        return literal("false", new JsonBoolean(false, pos));
      case 'n':
        return literal("null", new JsonNull(pos));
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error(pos, "unexpected " + describe(pos) + ", expected a value");
    }
  }

  private JsonValue object() {
    int start = pos;
    enter(start);
    pos++;
    List<Member> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return new JsonObject(members, start);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error(pos, "unexpected " + describe(pos) + ", expected a key in double quotes");
      }
      int keyOffset = pos;
      String key = string();
      if (!keys.add(key)) {
        throw source.error(keyOffset, path.toString(), "duplicate key \"" + key + "\"");
      }
      skipWhitespace();
      if (peek() != ':') {
        throw error(pos, "unexpected " + describe(pos) + ", expected ':' after the key");
      }
      pos++;
      skipWhitespace();
      path.push(key);
      JsonValue v = value();
      path.pop();
      members.add(new Member(key, keyOffset, v));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
        skipWhitespace();
        if (peek() == '}') {
          throw error(pos, "trailing comma before '}'");
        }
      } else if (c == '}') {
        pos++;
        depth--;
        return new JsonObject(members, start);
      } else {
        throw error(pos, "unexpected " + describe(pos) + ", expected ',' or '}'");
      }
    }
  }

  private JsonValue array() {
    int start = pos;
    enter(start);
    pos++;
    List<JsonValue> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return new JsonArray(items, start);
    }
    while (true) {
      skipWhitespace();
      path.push(items.size());
      items.add(value());
      path.pop();
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
        skipWhitespace();
        if (peek() == ']') {
          throw error(pos, "trailing comma before ']'");
        }
      } else if (c == ']') {
        pos++;
        depth--;
        return new JsonArray(items, start);
      } else {
        throw error(pos, "unexpected " + describe(pos) + ", expected ',' or ']'");
      }
    }
  }

  private void enter(int at) {
    if (++depth > MAX_DEPTH) {
      throw error(at, "nested deeper than " + MAX_DEPTH + " levels (JsonReader.MAX_DEPTH)");
    }
  }

  private String string() {
    int start = pos;
    pos++; // opening quote
    StringBuilder sb = null;
    int runStart = pos;
    while (true) {
      if (pos >= n) {
        throw error(start, "unterminated string");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        String v = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
        pos++;
        return v;
      }
      if (c < 0x20) {
        throw error(pos, String.format("control character U+%04X in a string (escape it)", (int) c));
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(s, runStart, pos);
        escape(sb);
        runStart = pos;
      } else {
        pos++;
      }
    }
  }

  private void escape(StringBuilder sb) {
    int at = pos;
    pos++;
    if (pos >= n) {
      throw error(at, "unterminated escape");
    }
    char e = s.charAt(pos++);
    switch (e) {
      case '"': sb.append('"'); break;
      case '\\': sb.append('\\'); break;
      case '/': sb.append('/'); break;
      case 'b': sb.append('\b'); break;
      case 'f': sb.append('\f'); break;
      case 'n': sb.append('\n'); break;
      case 'r': sb.append('\r'); break;
      case 't': sb.append('\t'); break;
      case 'u':
        char u = hex4(at);
        if (Character.isHighSurrogate(u)) {
          if (pos + 1 < n && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
            int lowAt = pos;
            pos += 2;
            char low = hex4(lowAt);
            if (!Character.isLowSurrogate(low)) {
              throw error(at, String.format("lone surrogate \\u%04X (not followed by a low surrogate)", (int) u));
            }
            sb.append(u).append(low);
          } else {
            throw error(at, String.format("lone surrogate \\u%04X (not followed by a low surrogate)", (int) u));
          }
        } else if (Character.isLowSurrogate(u)) {
          throw error(at, String.format("lone surrogate \\u%04X (no high surrogate before it)", (int) u));
        } else {
          sb.append(u);
        }
        break;
      default:
        throw error(at, "invalid escape \\" + printable(e));
    }
  }

  private char hex4(int escapeStart) {
    if (pos + 4 > n) {
      throw error(escapeStart, "\\u escape needs four hex digits");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(s.charAt(pos + i), 16);
      if (d < 0 || s.charAt(pos + i) > 'f') {
        throw error(escapeStart, "\\u escape needs four hex digits");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private JsonValue number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error(start, "leading zero in a number");
      }
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error(start, "invalid number: expected a digit after '-'");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error(start, "invalid number: expected a digit after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error(start, "invalid number: expected a digit in the exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    return new JsonNumber(s.substring(start, pos), start);
  }

  private JsonValue literal(String word, JsonValue v) {
    if (!s.startsWith(word, pos)) {
      throw error(pos, "unexpected " + describe(pos) + ", expected a value");
    }
    pos += word.length();
    return v;
  }

  private void skipWhitespace() {
    while (pos < n) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private char peek() {
    return pos < n ? s.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private String describe(int at) {
    if (at >= n) {
      return "end of input";
    }
    return "character '" + printable(s.charAt(at)) + "'";
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private JsonException error(int at, String message) {
    return source.error(at, path.toString(), message);
  }
}

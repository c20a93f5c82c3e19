package io.github.infermetrics.core.internal.yaml;

import io.github.infermetrics.core.internal.json.JsonException;
import io.github.infermetrics.core.internal.json.JsonPath;
import io.github.infermetrics.core.internal.json.JsonValue;
import io.github.infermetrics.core.internal.json.JsonValue.JsonArray;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNull;
import io.github.infermetrics.core.internal.json.JsonValue.JsonObject;
import io.github.infermetrics.core.internal.json.JsonValue.JsonString;
import io.github.infermetrics.core.internal.json.JsonValue.Member;
import io.github.infermetrics.core.internal.json.SourceText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the subset of YAML 1.2 that configuration files such as Prometheus {@code file_sd} use into a
 * {@link JsonValue} tree, and rejects the rest with an error naming the construct.
 *
 * <p>Supported: one document (optional {@code ---} and {@code ...}), block sequences and mappings (a sequence may
 * sit at its key's indentation), flow sequences and mappings (also over several lines, trailing comma allowed),
 * plain, single-quoted and double-quoted scalars on one line, comments, {@code \r\n} line ends, a leading byte
 * order mark.
 *
 * <p>Not supported, each an error that says so: anchors, aliases, tags, block scalars ({@code |} and {@code >}),
 * multi-line plain or quoted scalars, explicit and complex keys, implicit mappings inside flow sequences,
 * directives, several documents.
 *
 * <p>Scalars are not typed: a plain {@code 8080} or {@code true} is the string as written (as Go's yaml.v2 gives
 * it to a string field); a plain {@code ~}, {@code null}, {@code Null}, {@code NULL} or an empty value is
 * {@link JsonNull}. Duplicate keys are an error, as in yaml.v2's strict mode. Nesting is bounded by
 * {@link #MAX_DEPTH}.
 */
public final class YamlReader {
  /** Deepest nesting of sequences and mappings accepted. */
  public static final int MAX_DEPTH = 64;

  private final SourceText source;
  private final String s;
  private final int n;
  private final JsonPath path = new JsonPath();
  private int pos;
  private int depth;

  private YamlReader(SourceText source) {
    this.source = source;
    this.s = source.text();
    this.n = s.length();
  }

  /**
   * Reads a YAML document.
   *
   * @param source the text
   * @return the value; {@link JsonNull} for an empty document
   * @throws JsonException when the text is not valid YAML or uses an unsupported construct
   */
  public static JsonValue read(SourceText source) {
    return new YamlReader(source).document();
  }

  private JsonValue document() {
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || c == '\uFFFE' || c == '\uFFFF'
          || (c == '\uFEFF' && i > 0)) {
        throw source.error(i, null, String.format("character U+%04X is not allowed in YAML", (int) c));
      }
    }
    if (n > 0 && s.charAt(0) == '\uFEFF') {
      pos = 1;
    }
    skipToContent();
    if (pos < n && s.charAt(pos) == '%') {
      throw error(pos, "directives (%YAML, %TAG) are not supported");
    }
    if (isMarker("---")) {
      pos += 3;
      skipInline();
      if (atLineEndOrComment()) {
        expectLineEnd();
        skipToContent();
      }
    }
    JsonValue root;
    if (pos >= n || isMarker("...") || isMarker("---")) {
      root = new JsonNull(pos);
    } else {
      root = nodeAt();
    }
    skipToContent();
    if (isMarker("...")) {
      pos += 3;
      expectLineEnd();
      skipToContent();
    }
    if (isMarker("---")) {
      throw error(pos, "a second document (---) is not supported: one document per file");
    }
    if (pos < n) {
      throw error(pos, "unexpected " + describe(pos) + " after the document's top-level value (check the indentation)");
    }
    return root;
  }

  /** A node starting at {@code pos} on the current line (the caller checked that it is indented enough). */
  private JsonValue nodeAt() {
    int col = column(pos);
    char c = s.charAt(pos);
    if (c == '-' && isBlankOrEnd(pos + 1)) {
      return blockSequence(col);
    }
    if (c == '[' || c == '{') {
      JsonValue v = flow();
      skipInline();
      if (peek() == ':') {
        throw error(v.offset(), "a flow collection as a mapping key is not supported");
      }
      expectLineEnd();
      return v;
    }
    rejectUnsupported(c);
    Scalar scalar = blockScalar();
    skipInline();
    if (peek() == ':' && isBlankOrEnd(pos + 1)) {
      return blockMapping(col, scalar);
    }
    expectLineEnd();
    return scalar.value();
  }

  private JsonValue blockMapping(int indent, Scalar firstKey) {
    enter(firstKey.offset);
    List<Member> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    Scalar key = firstKey;
    while (true) {
      pos++; // ':'
      if (!keys.add(key.text)) {
        throw error(key.offset, "duplicate key \"" + key.text + "\"");
      }
      path.push(key.text);
      skipInline();
      JsonValue value;
      if (atLineEndOrComment()) {
        int valueAt = pos;
        expectLineEnd();
        skipToContent();
        if (pos >= n || isMarker("---") || isMarker("...")) {
          value = new JsonNull(valueAt);
        } else {
          int col = column(pos);
          if (col > indent) {
            value = nodeAt();
          } else if (col == indent && isSequenceEntry()) {
            value = blockSequence(indent); // a sequence may sit at its key's indentation
          } else {
            value = new JsonNull(valueAt);
          }
        }
      } else {
        value = inlineValue();
      }
      path.pop();
      members.add(new Member(key.text, key.offset, value));
      skipToContent();
      if (pos >= n || isMarker("---") || isMarker("...")) {
        break;
      }
      int col = column(pos);
      if (col < indent) {
        break;
      }
      if (col > indent) {
        throw error(pos, "unexpected indentation (is a value continued on this line? multi-line plain scalars are"
            + " not supported: write the value on one line, quoted if needed)");
      }
      char c = s.charAt(pos);
      if (c == '-' && isBlankOrEnd(pos + 1)) {
        throw error(pos, "a sequence item where a key of the mapping was expected (check the indentation)");
      }
      if (c == '[' || c == '{') {
        throw error(pos, "a flow collection as a mapping key is not supported");
      }
      rejectUnsupported(c);
      key = blockScalar();
      skipInline();
      if (!(peek() == ':' && isBlankOrEnd(pos + 1))) {
        throw error(key.offset, "expected 'key: value' in the mapping, found \"" + key.text + "\" without ':'");
      }
    }
    depth--;
    return new JsonObject(members, firstKey.offset);
  }

  /** The value after {@code key: } on the same line. */
  private JsonValue inlineValue() {
    char c = s.charAt(pos);
    if (c == '-' && isBlankOrEnd(pos + 1)) {
      throw error(pos, "a block sequence cannot start on the line of its key: put each '- item' on a line of its"
          + " own, or write [a, b]");
    }
    if (c == '[' || c == '{') {
      JsonValue v = flow();
      expectLineEnd();
      return v;
    }
    rejectUnsupported(c);
    Scalar scalar = blockScalar();
    skipInline();
    if (peek() == ':' && isBlankOrEnd(pos + 1)) {
      throw error(pos, "a mapping cannot start on the line of its key (key: key2: value); quote the value if it"
          + " holds ': '");
    }
    expectLineEnd();
    return scalar.value();
  }

  private JsonValue blockSequence(int indent) {
    int start = pos;
    enter(start);
    List<JsonValue> items = new ArrayList<>();
    while (true) {
      int dashAt = pos;
      pos++; // '-'
      path.push(items.size());
      skipInline();
      JsonValue item;
      if (atLineEndOrComment()) {
        expectLineEnd();
        skipToContent();
        if (pos < n && !isMarker("---") && !isMarker("...") && column(pos) > indent) {
          item = nodeAt();
        } else {
          item = new JsonNull(dashAt);
        }
      } else {
        item = nodeAt();
      }
      path.pop();
      items.add(item);
      skipToContent();
      if (pos >= n || isMarker("---") || isMarker("...")) {
        break;
      }
      int col = column(pos);
      if (col < indent || (col == indent && !isSequenceEntry())) {
        break;
      }
      if (col > indent) {
        throw error(pos, "unexpected indentation (is a value continued on this line? multi-line plain scalars are"
            + " not supported: write the value on one line, quoted if needed)");
      }
    }
    depth--;
    return new JsonArray(items, start);
  }

  private JsonValue flow() {
    int start = pos;
    enter(start);
    char open = s.charAt(pos++);
    char close = open == '[' ? ']' : '}';
    List<JsonValue> items = new ArrayList<>();
    List<Member> members = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    while (true) {
      skipFlowSpace(start, close);
      if (peek() == close) {
        pos++;
        break;
      }
      if (open == '[') {
        path.push(items.size());
        JsonValue v = flowNode();
        path.pop();
        items.add(v);
        skipFlowSpace(start, close);
        if (peek() == ':') {
          throw error(pos, "a 'key: value' pair inside a flow sequence is not supported: write [{key: value}]");
        }
      } else {
        char c = peek();
        if (c == '[' || c == '{') {
          throw error(pos, "a flow collection as a mapping key is not supported");
        }
        rejectUnsupported(c);
        if (c == ',') {
          throw error(pos, "an empty entry in a flow mapping");
        }
        Scalar key = flowScalar();
        if (!keys.add(key.text)) {
          throw error(key.offset, "duplicate key \"" + key.text + "\"");
        }
        skipFlowSpace(start, close);
        JsonValue v;
        if (peek() == ':') {
          int colonAt = pos;
          pos++;
          skipFlowSpace(start, close);
          if (peek() == ',' || peek() == '}') {
            v = new JsonNull(colonAt);
          } else {
            path.push(key.text);
            v = flowNode();
            path.pop();
          }
        } else {
          v = new JsonNull(key.offset);
        }
        members.add(new Member(key.text, key.offset, v));
        skipFlowSpace(start, close);
      }
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == close) {
        pos++;
        break;
      } else {
        throw error(pos, "unexpected " + describe(pos) + ", expected ',' or '" + close + "' (is a plain scalar"
            + " continued on another line? multi-line plain scalars are not supported)");
      }
    }
    depth--;
    return open == '[' ? new JsonArray(items, start) : new JsonObject(members, start);
  }

  private JsonValue flowNode() {
    char c = peek();
    if (c == '[' || c == '{') {
      return flow();
    }
    if (c == ',') {
      throw error(pos, "an empty entry in a flow sequence");
    }
    if (c == '-' && isBlankOrEnd(pos + 1)) {
      throw error(pos, "a block sequence entry ('- ') inside a flow collection");
    }
    rejectUnsupported(c);
    return flowScalar().value();
  }

  private Scalar blockScalar() {
    char c = s.charAt(pos);
    if (c == '"' || c == '\'') {
      return quoted();
    }
    if (c == ',' || c == ']' || c == '}' || c == '#') {
      throw error(pos, "unexpected " + describe(pos));
    }
    int start = pos;
    int end = pos;
    while (pos < n) {
      char ch = s.charAt(pos);
      if (ch == '\n' || (ch == '\r' && pos + 1 < n && s.charAt(pos + 1) == '\n')) {
        break;
      }
      if (ch == '#' && pos > start && isBlank(s.charAt(pos - 1))) {
        break;
      }
      if (ch == ':' && isBlankOrEnd(pos + 1)) {
        break;
      }
      pos++;
      if (!isBlank(ch)) {
        end = pos;
      }
    }
    pos = end;
    if (end == start) {
      throw error(start, "unexpected " + describe(start) + ", expected a value");
    }
    return new Scalar(s.substring(start, end), false, start);
  }

  private Scalar flowScalar() {
    char c = peek();
    if (c == '"' || c == '\'') {
      return quoted();
    }
    int start = pos;
    int end = pos;
    while (pos < n) {
      char ch = s.charAt(pos);
      if (ch == '\n' || ch == '\r' || ch == ',' || ch == '[' || ch == ']' || ch == '{' || ch == '}') {
        break;
      }
      if (ch == '#' && pos > start && isBlank(s.charAt(pos - 1))) {
        break;
      }
      if (ch == ':' && (isBlankOrEnd(pos + 1) || isFlowIndicator(s.charAt(pos + 1)))) {
        break;
      }
      pos++;
      if (!isBlank(ch)) {
        end = pos;
      }
    }
    pos = end;
    if (end == start) {
      throw error(start, "unexpected " + describe(start) + ", expected a value");
    }
    return new Scalar(s.substring(start, end), false, start);
  }

  private Scalar quoted() {
    int start = pos;
    char q = s.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= n || s.charAt(pos) == '\n' || s.charAt(pos) == '\r') {
        throw error(start, pos >= n ? "unterminated quoted scalar"
            : "multi-line quoted scalars are not supported: keep the value on one line");
      }
      char c = s.charAt(pos);
      if (q == '\'') {
        if (c == '\'') {
          if (pos + 1 < n && s.charAt(pos + 1) == '\'') {
            sb.append('\'');
            pos += 2;
            continue;
          }
          pos++;
          return new Scalar(sb.toString(), true, start);
        }
        sb.append(c);
        pos++;
      } else {
        if (c == '"') {
          pos++;
          return new Scalar(sb.toString(), true, start);
        }
        if (c == '\\') {
          escape(sb);
        } else {
          sb.append(c);
          pos++;
        }
      }
    }
  }

  private void escape(StringBuilder sb) {
    int at = pos;
    pos++;
    if (pos >= n || s.charAt(pos) == '\n' || s.charAt(pos) == '\r') {
      throw error(at, "an escaped line break (multi-line quoted scalars are not supported)");
    }
    char e = s.charAt(pos++);
    switch (e) {
      case '0': sb.append('\0'); break;
      case 'a': sb.append('\u0007'); break;
      case 'b': sb.append('\b'); break;
      case 't': case '\t': sb.append('\t'); break;
      case 'n': sb.append('\n'); break;
      case 'v': sb.append('\u000B'); break;
      case 'f': sb.append('\f'); break;
      case 'r': sb.append('\r'); break;
      case 'e': sb.append('\u001B'); break;
      case ' ': sb.append(' '); break;
      case '"': sb.append('"'); break;
      case '/': sb.append('/'); break;
      case '\\': sb.append('\\'); break;
      case 'N': sb.append('\u0085'); break;
      case '_': sb.append('\u00A0'); break;
      case 'L': sb.append('\u2028'); break;
      case 'P': sb.append('\u2029'); break;
      case 'x': sb.appendCodePoint(hex(at, 2)); break;
      case 'u': sb.appendCodePoint(hex(at, 4)); break;
      case 'U': sb.appendCodePoint(hex(at, 8)); break;
      default:
        throw error(at, "invalid escape \\" + e + " in a double-quoted scalar");
    }
  }

  private int hex(int at, int digits) {
    if (pos + digits > n) {
      throw error(at, "\\" + s.charAt(at + 1) + " escape needs " + digits + " hex digits");
    }
    long v = 0;
    for (int i = 0; i < digits; i++) {
      char c = s.charAt(pos + i);
      int d = Character.digit(c, 16);
      if (d < 0 || c > 'f') {
        throw error(at, "\\" + s.charAt(at + 1) + " escape needs " + digits + " hex digits");
      }
      v = v * 16 + d;
    }
    if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
      throw error(at, "escape " + s.substring(at, pos + digits) + " is not a Unicode scalar value");
    }
    pos += digits;
    return (int) v;
  }

  private void rejectUnsupported(char c) {
    String what;
    switch (c) {
      case '&': what = "anchors (&name)"; break;
      case '*': what = "aliases (*name)"; break;
      case '!': what = "tags (!tag)"; break;
      case '|': case '>': throw error(pos, "block scalars (| and >) are not supported: write the value on one"
          + " line, quoted if needed");
      case '%': what = "directives (%)"; break;
      case '@': case '`': throw error(pos, "'" + c + "' is reserved in YAML and cannot start a plain scalar: quote"
          + " the value");
      case '?':
        if (isBlankOrEnd(pos + 1)) {
          what = "explicit keys (? key)";
          break;
        }
        return;
      default:
        return;
    }
    throw error(pos, what + " are not supported");
  }

  /** Skips blanks, comments and line ends to the next content; rejects tabs in a content line's indentation. */
  private void skipToContent() {
    boolean atLineStart = pos == 0 || s.charAt(pos - 1) == '\n';
    int tabAt = -1;
    while (pos < n) {
      char c = s.charAt(pos);
      if (c == ' ') {
        pos++;
      } else if (c == '\t') {
        if (atLineStart && tabAt < 0) {
          tabAt = pos;
        }
        pos++;
      } else if (c == '\r' && pos + 1 < n && s.charAt(pos + 1) == '\n') {
        pos++;
      } else if (c == '\n') {
        pos++;
        atLineStart = true;
        tabAt = -1;
      } else if (c == '#' && (pos == 0 || isBlank(s.charAt(pos - 1)) || s.charAt(pos - 1) == '\n')) {
        while (pos < n && s.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        if (tabAt >= 0) {
          throw error(tabAt, "a tab in indentation (YAML indents with spaces)");
        }
        return;
      }
    }
  }

  /** After a value: only blanks and a comment may follow on the line. */
  private void expectLineEnd() {
    skipInline();
    if (pos >= n || s.charAt(pos) == '\n' || (s.charAt(pos) == '\r' && pos + 1 < n && s.charAt(pos + 1) == '\n')) {
      return;
    }
    if (s.charAt(pos) == '#' && isBlank(s.charAt(pos - 1))) {
      while (pos < n && s.charAt(pos) != '\n') {
        pos++;
      }
      return;
    }
    throw error(pos, "unexpected " + describe(pos) + " after the value"
        + (s.charAt(pos) == '#' ? " (a comment needs a blank before '#')" : ""));
  }

  private void skipFlowSpace(int openedAt, char close) {
    while (pos < n) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (c == '#' && (isBlank(s.charAt(pos - 1)) || s.charAt(pos - 1) == '\n')) {
        while (pos < n && s.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
    throw error(openedAt, "unterminated flow collection, expected '" + close + "'");
  }

  private void skipInline() {
    while (pos < n && isBlank(s.charAt(pos))) {
      pos++;
    }
  }

  private boolean atLineEndOrComment() {
    return pos >= n || s.charAt(pos) == '\n' || s.charAt(pos) == '#'
        || (s.charAt(pos) == '\r' && pos + 1 < n && s.charAt(pos + 1) == '\n');
  }

  private boolean isSequenceEntry() {
    return s.charAt(pos) == '-' && isBlankOrEnd(pos + 1);
  }

  private boolean isMarker(String marker) {
    return pos < n && column(pos) == 0 && s.startsWith(marker, pos) && isBlankOrEnd(pos + 3);
  }

  private boolean isBlankOrEnd(int at) {
    if (at >= n) {
      return true;
    }
    char c = s.charAt(at);
    return c == ' ' || c == '\t' || c == '\n' || (c == '\r' && at + 1 < n && s.charAt(at + 1) == '\n');
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isFlowIndicator(char c) {
    return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  private int column(int at) {
    int lineStart = s.lastIndexOf('\n', at - 1) + 1;
    if (lineStart == 0 && n > 0 && s.charAt(0) == '\uFEFF') {
      lineStart = 1; // a byte order mark is not indentation
    }
    return at - lineStart;
  }

  private char peek() {
    return pos < n ? s.charAt(pos) : '\0';
  }

  private void enter(int at) {
    if (++depth > MAX_DEPTH) {
      throw error(at, "nested deeper than " + MAX_DEPTH + " levels (YamlReader.MAX_DEPTH)");
    }
  }

  private String describe(int at) {
    if (at >= n) {
      return "end of input";
    }
    char c = s.charAt(at);
    return c == '\n' || c == '\r' ? "line end" : "character '" + c + "'";
  }

  private JsonException error(int at, String message) {
    return source.error(at, path.toString(), message);
  }

  /** A scalar as read: its text and whether it was quoted (a quoted "null" is a string). */
  private static final class Scalar {
    final String text;
    final boolean quoted;
    final int offset;

    Scalar(String text, boolean quoted, int offset) {
      this.text = text;
      this.quoted = quoted;
      this.offset = offset;
    }

    JsonValue value() {
      if (!quoted && (text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null")
          || text.equals("NULL"))) {
        return new JsonNull(offset);
      }
      return new JsonString(text, offset);
    }
  }
}

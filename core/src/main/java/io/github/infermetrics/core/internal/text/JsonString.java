package io.github.infermetrics.core.internal.text;

/**
 * JSON string literals written into a {@link StringBuilder}, in the two escapings our outputs use. {@link JsonOut}
 * writes them as UTF-8 bytes for the EMF writer, where a lone surrogate has no encoding and becomes U+FFFD.
 */
public final class JsonString {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonString() {}

  /**
   * Appends {@code s} as a JSON string literal with the escapes RFC 8259 requires: {@code "} and {@code \} get a
   * backslash; {@code \n}, {@code \r} and {@code \t} use their short escapes, the other control characters below
   * U+0020 {@code \}{@code u00xx} with lower-case hex digits; everything else, lone surrogates included, is written as
   * it is.
   *
   * @param out where to append
   * @param s the string
   */
  public static void append(StringBuilder out, CharSequence s) {
    out.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Appends {@code s} as a JSON string literal escaped exactly as Go's {@code json.Marshal} does (HTML escaping on),
   * so that what we write reads like Go tools' output: {@code "} and {@code \} get a backslash; {@code \b}, {@code
   * \f}, {@code \n}, {@code \r} and {@code \t} use their short escapes; other control characters below U+0020 and
   * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 become {@code \}{@code u} escapes with lower-case hex digits;
   * an unpaired surrogate (what invalid UTF-8 turns into) becomes {@code \}{@code ufffd}; everything else, DEL and
   * non-ASCII included, is written as it is.
   *
   * @param out where to append
   * @param s the string
   */
  public static void appendGo(StringBuilder out, CharSequence s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(out, c);
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(i + 1));
              i++;
            } else {
              out.append("\\ufffd");
            }
          } else if (Character.isLowSurrogate(c)) {
            out.append("\\ufffd");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}

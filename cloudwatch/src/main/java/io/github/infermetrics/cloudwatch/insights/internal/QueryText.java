package io.github.infermetrics.cloudwatch.insights.internal;

import io.github.infermetrics.core.internal.text.FloatFormats;
import java.util.Locale;
import java.util.Set;

/**
 * Internal API, not exported; no compatibility promise. How names and literals are written in Logs Insights query
 * text so that no value can end its token early: field names in backticks when needed, string literals in double
 * quotes, regex literals between slashes, each with its escapes.
 */
public final class QueryText {
  // words that would be read as operators or keywords when written bare as a field name
  private static final Set<String> RESERVED = Set.of("and", "or", "not", "in", "like", "as", "by", "asc", "desc",
      "into", "output", "true", "false", "null");

  private QueryText() {}

  /**
   * Appends one segment of a field path, in backticks unless it is made only of letters, digits, {@code _} and
   * {@code @}, does not start with a digit and is not a keyword. Inside backticks, a backtick and a backslash are
   * escaped with a backslash.
   *
   * @param sb where to write
   * @param segment the segment, without dots
   */
  public static void appendFieldSegment(StringBuilder sb, String segment) {
    if (isPlain(segment)) {
      sb.append(segment);
      return;
    }
    sb.append('`');
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '`' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('`');
  }

  private static boolean isPlain(String s) {
    if (s.isEmpty() || Character.isDigit(s.charAt(0)) || RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Appends a string literal in the given quotes; the quote, backslash, newline, carriage return and tab are
   * escaped with a backslash.
   *
   * @param sb where to write
   * @param value the value; no other control characters (checked by the caller)
   * @param quote {@code '"'} or {@code '\''}
   */
  public static void appendString(StringBuilder sb, String value, char quote) {
    sb.append(quote);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c == quote) {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
    sb.append(quote);
  }

  /**
   * Appends a regex literal {@code /pattern/}. An unescaped {@code /} is escaped; escape pairs ({@code \x}) are kept
   * as they are, so the pattern means the same; a newline, carriage return or tab becomes its regex escape and any
   * other control character {@code \xHH}.
   *
   * @param sb where to write
   * @param pattern the pattern; must not end with an unpaired backslash (checked by the caller)
   */
  public static void appendRegex(StringBuilder sb, String pattern) {
    sb.append('/');
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        char next = pattern.charAt(++i);
        sb.append('\\');
        appendRegexChar(sb, next);
      } else if (c == '/') {
        sb.append("\\/");
      } else {
        appendRegexChar(sb, c);
      }
    }
    sb.append('/');
  }

  private static void appendRegexChar(StringBuilder sb, char c) {
    if (c == '\n') {
      sb.append("\\n");
    } else if (c == '\r') {
      sb.append("\\r");
    } else if (c == '\t') {
      sb.append("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
    } else {
      sb.append(c);
    }
  }

  /**
   * Whether a regex pattern ends with a backslash that escapes nothing (it would escape the closing slash).
   *
   * @param pattern the pattern
   * @return true when the pattern cannot be written as a literal
   */
  public static boolean endsWithLoneBackslash(String pattern) {
    int n = 0;
    for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
      n++;
    }
    return n % 2 == 1;
  }

  /**
   * The first control character other than newline, carriage return and tab, or -1.
   *
   * @param s the text
   * @return its index, or -1
   */
  public static int badControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Writes a number as queries spell it ({@link FloatFormats#wholeOrJava}): integers without a fraction, others as
   * Java prints them.
   *
   * @param sb where to write
   * @param value a finite number
   */
  public static void appendNumber(StringBuilder sb, double value) {
    sb.append(FloatFormats.wholeOrJava(value));
  }
}

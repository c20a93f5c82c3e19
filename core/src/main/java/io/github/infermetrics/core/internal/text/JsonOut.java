package io.github.infermetrics.core.internal.text;

import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer with the few JSON primitives the EMF writer needs: escaped strings, exact doubles,
 * longs. Once it has grown to the largest event it holds, writing allocates nothing.
 *
 * <p>Strings are escaped as RFC 8259 requires ({@code "}, {@code \}, and the control characters below U+0020);
 * everything else is written as UTF-8. A surrogate that is not part of a pair cannot be encoded in UTF-8, so it is
 * written as U+FFFD, the way {@link String#getBytes(java.nio.charset.Charset)} replaces it. Not thread-safe.
 */
public final class JsonOut {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** ASCII characters written as they are inside a JSON string: not a control character, quote or backslash. */
  private static final boolean[] PLAIN = new boolean[0x80];

  static {
    for (char c = 0x20; c < 0x80; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  private byte[] buf;
  private int pos;

  /**
   * A buffer with an initial capacity.
   *
   * @param initialCapacity bytes
   */
  public JsonOut(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  /**
   * The bytes written so far start at 0 of this array.
   *
   * @return the backing array (valid until the next write)
   */
  public byte[] array() {
    return buf;
  }

  /**
   * How many bytes are written.
   *
   * @return the position
   */
  public int position() {
    return pos;
  }

  /**
   * Moves back (or forward over bytes already written) to a position.
   *
   * @param position from 0 to the current capacity
   */
  public void position(int position) {
    pos = position;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  /**
   * Writes one ASCII byte.
   *
   * @param b the byte
   * @return this
   */
  public JsonOut raw(char b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  /**
   * Writes an ASCII string as it is, without quotes or escaping (for the writer's own fixed JSON).
   *
   * @param ascii only characters below U+0080
   * @return this
   */
  public JsonOut raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /**
   * Copies bytes.
   *
   * @param bytes the source
   * @param offset where to start
   * @param length how many
   * @return this
   */
  public JsonOut raw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
    return this;
  }

  /**
   * Copies all bytes of an array (the writer's fixed JSON, remembered encodings).
   *
   * @param bytes the source
   * @return this
   */
  public JsonOut raw(byte[] bytes) {
    return raw(bytes, 0, bytes.length);
  }

  /**
   * Writes a JSON string: quotes, escapes, UTF-8.
   *
   * @param s any string
   * @return this
   */
  public JsonOut string(CharSequence s) {
    int n = s.length();
    // room for 3 bytes per char (the most UTF-8 needs) and the quotes; escapeSlow keeps that invariant when a
    // control character takes 6
    ensure(2 + 3 * n);
    byte[] b = buf;
    int p = pos;
    b[p++] = '"';
    int i = 0;
    // the common case: printable ASCII that needs no escape, one table look-up per character
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || !PLAIN[c]) {
        break;
      }
      b[p++] = (byte) c;
    }
    pos = p;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80 && PLAIN[c]) {
        buf[pos++] = (byte) c;
      } else {
        i = escapeSlow(s, i, c);
      }
    }
    ensure(1);
    buf[pos++] = '"';
    return this;
  }

  private int escapeSlow(CharSequence s, int i, char c) {
    // 6 bytes for this char at most, then still 3 for each char after it and 1 for a closing quote: the callers
    // write plain ASCII without a check of their own
    ensure(6 + 3 * (s.length() - i - 1) + 1);
    if (c == '"' || c == '\\') {
      buf[pos++] = '\\';
      buf[pos++] = (byte) c;
    } else if (c < 0x20) {
      buf[pos++] = '\\';
      switch (c) {
        case '\n' -> buf[pos++] = 'n';
        case '\r' -> buf[pos++] = 'r';
        case '\t' -> buf[pos++] = 't';
        case '\b' -> buf[pos++] = 'b';
        case '\f' -> buf[pos++] = 'f';
        default -> {
          buf[pos++] = 'u';
          buf[pos++] = '0';
          buf[pos++] = '0';
          buf[pos++] = HEX[c >> 4];
          buf[pos++] = HEX[c & 0xf];
        }
      }
    } else if (c < 0x800) {
      buf[pos++] = (byte) (0xc0 | (c >> 6));
      buf[pos++] = (byte) (0x80 | (c & 0x3f));
    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      buf[pos++] = (byte) (0xf0 | (cp >> 18));
      buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buf[pos++] = (byte) (0x80 | (cp & 0x3f));
      return i + 1;
    } else {
      // a lone surrogate has no UTF-8 encoding: U+FFFD, the replacement character
      int cp = Character.isSurrogate(c) ? 0xfffd : c;
      buf[pos++] = (byte) (0xe0 | (cp >> 12));
      buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buf[pos++] = (byte) (0x80 | (cp & 0x3f));
    }
    return i;
  }

  /**
   * Writes JSON text that is known to be valid as UTF-8, with tabs and line breaks (which valid JSON has only
   * between tokens) turned into spaces so that the text stays on one line.
   *
   * @param json valid JSON text
   * @return this
   */
  public JsonOut rawJson(CharSequence json) {
    int n = json.length();
    ensure(3 * n);
    for (int i = 0; i < n; i++) {
      char c = json.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        buf[pos++] = ' ';
      } else if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else {
        i = escapeSlow(json, i, c);
      }
    }
    return this;
  }

  /**
   * The number of bytes {@link #string(CharSequence)} writes for a string, quotes included.
   *
   * @param s any string
   * @return the byte count
   */
  public static int stringLength(CharSequence s) {
    int n = s.length();
    int len = 2;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80) {
        len += c == '"' || c == '\\' ? 2 : 1;
      } else if (c < 0x20) {
        len += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        len += 4;
        i++;
      } else {
        len += 3;
      }
    }
    return len;
  }

  /**
   * Writes a long in decimal.
   *
   * @param v the value
   * @return this
   */
  public JsonOut number(long v) {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      return raw("-9223372036854775808");
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    pos = ShortestDecimal.writeLong(v, buf, pos);
    return this;
  }

  /**
   * Writes a finite double as the shortest JSON number that parses back to exactly the same double: integers up to
   * 2^53 without a fraction ({@code 42}), other values with up to 22 decimal places in plain notation ({@code 0.0015},
   * {@code 2.466666666666667}), everything else in Java's scientific notation ({@code 1.0E-300}), which JSON
   * accepts. Allocates nothing.
   *
   * @param v a finite value
   * @return this
   * @throws IllegalArgumentException when the value is NaN or infinite, which JSON cannot represent
   */
  public JsonOut number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no representation for " + v);
    }
    ensure(ShortestDecimal.MAX_LENGTH);
    pos = ShortestDecimal.write(v, buf, pos);
    return this;
  }
}

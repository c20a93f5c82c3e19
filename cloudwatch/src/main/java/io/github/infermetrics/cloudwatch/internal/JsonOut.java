package io.github.infermetrics.cloudwatch.internal;

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
  /** Doubles with a magnitude below this and no fraction are written as integers: every such long is exact. */
  private static final double MAX_EXACT_INTEGER = 9.007199254740992E15; // 2^53
  /** 10^0 to 10^22: every one is an exact double. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  private byte[] buf;
  private int pos;
  // JDK 17's StringBuilder.append(double) formats into a thread-local digit buffer and appends the chars, without
  // making a String; reusing this builder keeps writing doubles allocation-free
  private final StringBuilder digits = new StringBuilder(32);

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
   * Writes a JSON string: quotes, escapes, UTF-8.
   *
   * @param s any string
   * @return this
   */
  public JsonOut string(CharSequence s) {
    int n = s.length();
    ensure(2 + 3 * n); // worst case per char: 3 UTF-8 bytes; escapes are at most 6 bytes for 1 char below 0x20
    buf[pos++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
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
    ensure(6);
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
    int start = pos;
    do {
      buf[pos++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    for (int a = start, b = pos - 1; a < b; a++, b--) {
      byte t = buf[a];
      buf[a] = buf[b];
      buf[b] = t;
    }
    return this;
  }

  /**
   * Writes v as the decimal m / 10^k with the smallest k, when there is one with |m| < 2^53 and k <= 22. Both m and
   * 10^k are then exact doubles, so the IEEE quotient m / 10^k is the correctly rounded value of the decimal, the
   * same double a JSON parser reads from it: when it equals v, the digits are exact. JDK 17's
   * {@code Double.toString} allocates for small magnitudes such as 0.0015 (its big-integer path), this does not.
   */
  private boolean scaledDecimal(double v) {
    for (int k = 1; k < POWERS_OF_TEN.length; k++) {
      double scaled = v * POWERS_OF_TEN[k];
      if (Math.abs(scaled) >= MAX_EXACT_INTEGER) {
        return false;
      }
      long m = Math.round(scaled);
      if (m / POWERS_OF_TEN[k] == v) {
        writeScaled(m, k);
        return true;
      }
    }
    return false;
  }

  private void writeScaled(long m, int k) {
    ensure(45);
    if (m < 0) {
      buf[pos++] = '-';
      m = -m;
    }
    // digits of m, then the point k places from the right, with leading zeros as needed
    int start = pos;
    number(m);
    int n = pos - start;
    if (n <= k) {
      int zeros = k - n + 1; // "0." and the zeros after the point
      System.arraycopy(buf, start, buf, start + zeros + 1, n);
      buf[start] = '0';
      buf[start + 1] = '.';
      for (int i = 0; i < zeros - 1; i++) {
        buf[start + 2 + i] = '0';
      }
      pos = start + zeros + 1 + n;
    } else {
      int point = pos - k;
      System.arraycopy(buf, point, buf, point + 1, k);
      buf[point] = '.';
      pos++;
    }
  }

  /**
   * Writes a finite double as a JSON number that parses back to exactly the same double: integers up to 2^53
   * without a fraction ({@code 42}), then the shortest plain decimal with up to 22 places whose digits fit in 2^53
   * ({@code 0.0015}, {@code 2.466666666666667}), and everything else as Java's {@link Double#toString(double)}
   * digits ({@code 1.0E-300}), which JSON accepts. Only that last form may allocate (JDK 17 uses big integers for
   * some of those).
   *
   * @param v a finite value
   * @return this
   * @throws IllegalArgumentException when the value is NaN or infinite, which JSON cannot represent
   */
  public JsonOut number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no representation for " + v);
    }
    if (v == (long) v && Math.abs(v) < MAX_EXACT_INTEGER) {
      if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
        return raw("-0.0");
      }
      return number((long) v);
    }
    if (Math.abs(v) < MAX_EXACT_INTEGER && Math.abs(v) >= 1e-22 && scaledDecimal(v)) {
      return this;
    }
    digits.setLength(0);
    digits.append(v);
    int n = digits.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) digits.charAt(i);
    }
    return this;
  }
}

package io.github.infermetrics.core.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Eight bytes at a time: range equality and byte searches for the parser's hot loops. */
final class Swar {
  static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Swar() {}

  /** {@code a[ao, ao+len) == b[bo, bo+len)}; cheaper than {@code Arrays.equals} for the short keys of names. */
  static boolean equal(byte[] a, int ao, byte[] b, int bo, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      if ((long) LONG_LE.get(a, ao + i) != (long) LONG_LE.get(b, bo + i)) {
        return false;
      }
    }
    if (i == len) {
      return true;
    }
    if (len >= 8) {
      // the last 8 bytes, overlapping what was compared
      return (long) LONG_LE.get(a, ao + len - 8) == (long) LONG_LE.get(b, bo + len - 8);
    }
    if (ao + 8 <= a.length && bo + 8 <= b.length) {
      // a short key: read past it and mask
      long mask = -1L >>> ((8 - len) << 3);
      return (((long) LONG_LE.get(a, ao) ^ (long) LONG_LE.get(b, bo)) & mask) == 0;
    }
    for (; i < len; i++) {
      if (a[ao + i] != b[bo + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many bytes from {@code b[c]} repeat those from {@code b[a]} (a before c), at most {@code max}; reads stay
   * below {@code to}, so near it the answer may be short of the truth, never past it.
   */
  static int commonPrefix(byte[] b, int a, int c, int max, int to) {
    if (max >= 32) {
      // a line's name and labels: the JDK's vectorised comparison, 32 bytes a step with AVX2, pays for its call
      // (measured with BuildRace: faster on Triton and alltypes, level on the short lines of neuron-monitor)
      int len = Math.min(max, to - c);
      int k = Arrays.mismatch(b, a, a + len, b, c, c + len);
      return k < 0 ? len : k;
    }
    int n = Math.min(max, to - c - 7);
    int i = 0;
    for (; i < n; i += 8) {
      long x = (long) LONG_LE.get(b, a + i) ^ (long) LONG_LE.get(b, c + i);
      if (x != 0) {
        return Math.min(i + (Long.numberOfTrailingZeros(x) >>> 3), max);
      }
    }
    return Math.min(i, max);
  }

  /** Non-zero where a byte of {@code x} is zero: the lowest set high bit marks the first zero byte. */
  static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  /**
   * Index of the first byte in {@code b[from, to)} that ends the plain part of a quoted string: a quote, a
   * backslash, a line feed or a non-ASCII byte; or {@code to} when there is none in whole words (the caller
   * finishes byte by byte).
   */
  static int plainRun(byte[] b, int from, int to) {
    int i = from;
    // two words a step: most label values end within the first, and a loop that runs once mispredicts less
    for (; i + 16 <= to; i += 16) {
      long t = special((long) LONG_LE.get(b, i));
      long u = special((long) LONG_LE.get(b, i + 8));
      if ((t | u) != 0) {
        int k = Long.numberOfTrailingZeros(t);
        if (k == 64) {
          k += Long.numberOfTrailingZeros(u);
        }
        return i + (k >>> 3);
      }
    }
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONG_LE.get(b, i);
      long t = special(w);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    return i;
  }

  /** Set in a {@link #valueRun} result when the byte found is the closing quote. */
  static final long QUOTE = 1L << 32;

  /**
   * {@link #plainRun} that also tells, from the masks, whether the byte found is a quote ({@link #QUOTE}): the
   * usual label value then ends without reading its last byte again.
   */
  static long valueRun(byte[] b, int from, int to) {
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long w = (long) LONG_LE.get(b, i);
      long v = (long) LONG_LE.get(b, i + 8);
      long qw = quotes(w);
      long qv = quotes(v);
      long t = (qw | others(w)) & HIGHS;
      long u = (qv | others(v)) & HIGHS;
      if ((t | u) != 0) {
        // the lowest bit of t (or u) is exact, and a quote there if the quote mask has it (its false bits lie
        // above a true quote, which would be lower)
        if (t != 0) {
          long low = t & -t;
          return i + (Long.numberOfTrailingZeros(t) >>> 3) | ((qw & low) != 0 ? QUOTE : 0);
        }
        long low = u & -u;
        return i + 8 + (Long.numberOfTrailingZeros(u) >>> 3) | ((qv & low) != 0 ? QUOTE : 0);
      }
    }
    return plainRun(b, i, to);
  }

  private static long quotes(long w) {
    long q = w ^ 0x2222222222222222L;
    return (q - ONES) & ~q;
  }

  private static long others(long w) {
    long s = w ^ 0x5C5C5C5C5C5C5C5CL;
    long n = w ^ 0x0A0A0A0A0A0A0A0AL;
    return (s - ONES) & ~s | (n - ONES) & ~n | w;
  }

  /**
   * High bits at the quotes, backslashes, line feeds and non-ASCII bytes of {@code w}, exact at the lowest one.
   * One mask for the three searches and the ASCII check: {@code (x - ONES) & ~x} per search, and the high bits
   * taken once.
   */
  private static long special(long w) {
    long q = w ^ 0x2222222222222222L;
    long s = w ^ 0x5C5C5C5C5C5C5C5CL;
    long n = w ^ 0x0A0A0A0A0A0A0A0AL;
    return ((q - ONES) & ~q | (s - ONES) & ~s | (n - ONES) & ~n | w) & HIGHS;
  }

  /**
   * Index of the first byte of {@code b[from, to)} that is not a metric name character ({@code [a-zA-Z0-9_:]}),
   * or {@code to}; eight bytes at a time while eight remain.
   */
  static int nameEnd(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long t = notNameBytes((long) LONG_LE.get(b, i), 0x4545454545454545L);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    while (i < to && isNameByte(b[i], ':')) {
      i++;
    }
    return i;
  }

  /** Like {@link #nameEnd}, for label names ({@code [a-zA-Z0-9_]}: no colon). */
  static int labelNameEnd(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long t = notNameBytes((long) LONG_LE.get(b, i), 0x4646464646464646L);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    while (i < to && isNameByte(b[i], '9')) {
      i++;
    }
    return i;
  }

  private static boolean isNameByte(byte c, char lastDigit) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= lastDigit || c == '_';
  }

  /**
   * High bits at the bytes of {@code w} that are not name characters (letters, digits, underscore, and the colon
   * when {@code aboveDigits} is {@code 0x45...}: {@code 0x7F - ':'}; {@code 0x46...} is {@code 0x7F - '9'}).
   * Ranges are tested on the low seven bits with per-byte additions that cannot carry into the next byte, so every
   * bit is exact; non-ASCII bytes are not name characters.
   */
  private static long notNameBytes(long w, long aboveDigits) {
    long x = w & 0x7F7F7F7F7F7F7F7FL;
    long lower = x | 0x2020202020202020L; // A-Z to a-z; nothing else lands in a-z
    long letter = (lower + 0x1F1F1F1F1F1F1F1FL) & ~(lower + 0x0505050505050505L); // >= 'a' and not > 'z'
    long digit = (x + 0x5050505050505050L) & ~(x + aboveDigits); // >= '0' and not above the last digit
    long underscore = ~((x ^ 0x5F5F5F5F5F5F5F5FL) + 0x7F7F7F7F7F7F7F7FL); // high bit where x == '_'
    return ~((letter | digit | underscore) & ~w) & HIGHS;
  }

  /** Set in a {@link #newlineNoting} result when a backslash or a non-ASCII byte comes before the line feed. */
  static final long NOT_PLAIN = 1L << 32;

  /**
   * Index of the first line feed in {@code b[from, to)} as {@link #indexOfNewline} finds it (-1 when there is none),
   * with {@link #NOT_PLAIN} set when a backslash or a non-ASCII byte comes before it: the pass that finds a comment
   * line's end also tells whether its HELP text needs unescaping or a UTF-8 check.
   */
  static long newlineNoting(byte[] b, int from, int to) {
    long seen = 0;
    int i = from;
    // two words a step while the line goes on: the two searches of each word are independent work
    for (; i + 16 <= to; i += 16) {
      long w = (long) LONG_LE.get(b, i);
      long v = (long) LONG_LE.get(b, i + 8);
      long x = w ^ 0x0A0A0A0A0A0A0A0AL;
      long y = v ^ 0x0A0A0A0A0A0A0A0AL;
      if ((((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS) != 0) {
        break; // the line feed is in one of these words: the single-word loop finds it exactly
      }
      long s = w ^ 0x5C5C5C5C5C5C5C5CL;
      long t = v ^ 0x5C5C5C5C5C5C5C5CL;
      seen |= ((s - ONES) & ~s | (t - ONES) & ~t | w | v) & HIGHS;
    }
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONG_LE.get(b, i);
      long x = w ^ 0x0A0A0A0A0A0A0A0AL;
      long y = w ^ 0x5C5C5C5C5C5C5C5CL;
      long t = (x - ONES) & ~x & HIGHS;
      long u = ((y - ONES) & ~y | w) & HIGHS;
      if (t != 0) {
        int k = Long.numberOfTrailingZeros(t);
        // a false high bit of the borrow trick sits above a true one, so any bit below the line feed is real
        seen |= u & ((1L << k) - 1);
        return i + (k >>> 3) | (seen != 0 ? NOT_PLAIN : 0);
      }
      seen |= u;
    }
    for (; i < to; i++) {
      byte c = b[i];
      if (c == '\n') {
        return i | (seen != 0 ? NOT_PLAIN : 0);
      }
      if (c == '\\' || c < 0) {
        seen = 1;
      }
    }
    return -1;
  }

  /**
   * Index of the first backslash or non-ASCII byte in {@code b[from, to)} in whole words, or the index where
   * the byte-by-byte remainder starts.
   */
  static int textRun(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONG_LE.get(b, i);
      long t = zeroBytes(w ^ 0x5C5C5C5C5C5C5C5CL) | (w & HIGHS);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    return i;
  }

  /**
   * The index of the first byte of {@code b[from, to)} equal to {@code c} or to {@code d}, or -1; each byte given in
   * all eight bytes of a word ({@code 0x2323232323232323L} for {@code '#'}; the same twice for one byte). The lowest
   * marked byte of either mask is exact, so is that of both together.
   */
  static int indexOfEither(byte[] b, int from, int to, long c, long d) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONG_LE.get(b, i);
      long t = zeroBytes(w ^ c) | zeroBytes(w ^ d);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == (byte) c || b[i] == (byte) d) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first line feed in {@code b[from, to)}, or -1; eight bytes at a time. */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long x = (long) LONG_LE.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long y = (long) LONG_LE.get(b, i + 8) ^ 0x0A0A0A0A0A0A0A0AL;
      long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      long u = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
      if ((t | u) != 0) {
        return t != 0 ? i + (Long.numberOfTrailingZeros(t) >>> 3) : i + 8 + (Long.numberOfTrailingZeros(u) >>> 3);
      }
    }
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONG_LE.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Whether the eight bytes of {@code w} are all ASCII digits. */
  static boolean eightDigits(long w) {
    return ((w & 0xF0F0F0F0F0F0F0F0L) | (((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
        == 0x3333333333333333L;
  }

  /** The value of eight ASCII digits read little-endian (first digit in the lowest byte). */
  static long eightDigitsValue(long w) {
    w = (w & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
    w = (w & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
    return (w & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
  }
}

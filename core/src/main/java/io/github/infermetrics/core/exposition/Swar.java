package io.github.infermetrics.core.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONG_LE.get(b, i);
      long t = zeroBytes(w ^ 0x2222222222222222L) | zeroBytes(w ^ 0x5C5C5C5C5C5C5C5CL)
          | zeroBytes(w ^ 0x0A0A0A0A0A0A0A0AL) | (w & HIGHS);
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
    }
    return i;
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

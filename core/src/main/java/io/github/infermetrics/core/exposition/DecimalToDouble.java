package io.github.infermetrics.core.exposition;

import java.math.BigInteger;

/**
 * Correctly rounded conversion of a decimal {@code significand * 10^exponent10} to the nearest double, without
 * allocating.
 *
 * <p>The text parser validates the sample-value grammar itself and collects the decimal digits into a {@code long};
 * {@link Double#parseDouble(String)} would need a {@code String} (an allocation per sample) and would re-validate
 * what was already validated. This is the Eisel-Lemire algorithm (Daniel Lemire, "Number Parsing at a Gigabyte per
 * Second", and the {@code fast_float} library), preceded by Clinger's exact fast path. In the rare cases it cannot
 * decide, it answers {@link Double#NaN} and the caller falls back to {@code Double.parseDouble}.
 */
final class DecimalToDouble {

  private static final int SMALLEST_POWER_OF_TEN = -342;
  private static final int LARGEST_POWER_OF_TEN = 308;
  private static final int MANTISSA_EXPLICIT_BITS = 52;
  private static final int MINIMUM_EXPONENT = -1023;
  private static final int INFINITE_POWER = 0x7FF;
  // Only in this range can a decimal with at most 19 digits fall exactly halfway between two doubles.
  private static final int MIN_EXPONENT_ROUND_TO_EVEN = -4;
  private static final int MAX_EXPONENT_ROUND_TO_EVEN = 23;
  // In this range the 128-bit power of five is exact (q >= 0) or exact enough (q < 0) for a truncated product.
  private static final int MIN_SAFE_EXPONENT = -27;
  private static final int MAX_SAFE_EXPONENT = 55;
  /** Low bits of the high product word that must not all be ones for 55 bits (mantissa + 3) to be certain. */
  private static final long PRECISION_MASK = 0xFFFFFFFFFFFFFFFFL >>> (MANTISSA_EXPLICIT_BITS + 3);
  private static final long MANTISSA_MASK = (1L << MANTISSA_EXPLICIT_BITS) - 1;
  private static final long SIGN_BIT = 0x8000000000000000L;
  private static final long MAX_EXACT_INTEGER = 1L << 53;
  private static final int MAX_EXACT_POWER_OF_TEN = 22;

  /** 10^0 .. 10^22: every one is exactly representable as a double. */
  private static final double[] EXACT_POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** 10^0 .. 10^15: beyond 10^15 no non-zero multiple stays within 2^53. */
  private static final long[] LONG_POWERS_OF_TEN = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
    10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
    1_000_000_000_000_000L
  };

  /** High and low 64 bits of the truncated 128-bit approximation of 5^q, indexed by q - SMALLEST_POWER_OF_TEN. */
  private static final long[] POWER_OF_FIVE_HIGH = new long[LARGEST_POWER_OF_TEN - SMALLEST_POWER_OF_TEN + 1];

  private static final long[] POWER_OF_FIVE_LOW = new long[POWER_OF_FIVE_HIGH.length];

  static {
    // Built once, exactly as fast_float's table generator does, rather than shipping a 1,302-entry literal.
    BigInteger five = BigInteger.valueOf(5);
    BigInteger power5 = BigInteger.ONE;
    for (int q = 0; q <= LARGEST_POWER_OF_TEN; q++) {
      // Normalise into [2^127, 2^128), truncating.
      int excess = power5.bitLength() - 128;
      store(q, excess < 0 ? power5.shiftLeft(-excess) : power5.shiftRight(excess));
      power5 = power5.multiply(five);
    }
    power5 = five;
    for (int q = -1; q >= SMALLEST_POWER_OF_TEN; q--) {
      // 5^-q is never a power of two, so its bit length is the smallest z with 2^z >= 5^-q.
      int z = power5.bitLength();
      BigInteger c;
      if (q >= MIN_SAFE_EXPONENT) {
        c = BigInteger.ONE.shiftLeft(z + 127).divide(power5).add(BigInteger.ONE);
      } else {
        c = BigInteger.ONE.shiftLeft(2 * z + 128).divide(power5).add(BigInteger.ONE);
        int excess = c.bitLength() - 128;
        if (excess > 0) {
          c = c.shiftRight(excess);
        }
      }
      store(q, c);
      power5 = power5.multiply(five);
    }
  }

  private DecimalToDouble() {}

  private static void store(int q, BigInteger value) {
    POWER_OF_FIVE_HIGH[q - SMALLEST_POWER_OF_TEN] = value.shiftRight(64).longValue();
    POWER_OF_FIVE_LOW[q - SMALLEST_POWER_OF_TEN] = value.longValue();
  }

  /**
   * Returns the double nearest to {@code (negative ? -1 : 1) * significand * 10^exponent10} (round half to even),
   * or {@link Double#NaN} when this fast algorithm cannot decide (the caller then falls back to
   * {@link Double#parseDouble(String)} on the validated text). {@code significand} is an unsigned 64-bit value
   * holding at most 19 decimal digits (so it is {@code < 10^19} and may be 0). Never allocates.
   */
  static double toDouble(long significand, int exponent10, boolean negative) {
    if (significand == 0 || exponent10 < SMALLEST_POWER_OF_TEN) {
      return negative ? -0.0 : 0.0;
    }
    // Clinger: both operands are exact doubles, so a single IEEE operation rounds correctly.
    if (significand > 0 && significand <= MAX_EXACT_INTEGER) {
      if (exponent10 >= -MAX_EXACT_POWER_OF_TEN && exponent10 <= MAX_EXACT_POWER_OF_TEN) {
        double value = significand;
        value = exponent10 < 0 ? value / EXACT_POWERS_OF_TEN[-exponent10] : value * EXACT_POWERS_OF_TEN[exponent10];
        return negative ? -value : value;
      }
      int extra = exponent10 - MAX_EXACT_POWER_OF_TEN;
      if (extra > 0 && extra < LONG_POWERS_OF_TEN.length) {
        long scale = LONG_POWERS_OF_TEN[extra];
        if (significand <= MAX_EXACT_INTEGER / scale) {
          double value = (double) (significand * scale) * EXACT_POWERS_OF_TEN[MAX_EXACT_POWER_OF_TEN];
          return negative ? -value : value;
        }
      }
    }
    if (exponent10 > LARGEST_POWER_OF_TEN) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return eiselLemire(significand, exponent10, negative);
  }

  private static double eiselLemire(long significand, int q, boolean negative) {
    int lz = Long.numberOfLeadingZeros(significand);
    long w = significand << lz;
    int index = q - SMALLEST_POWER_OF_TEN;

    long powerHigh = POWER_OF_FIVE_HIGH[index];
    long high = unsignedMultiplyHigh(w, powerHigh);
    long low = w * powerHigh;
    if ((high & PRECISION_MASK) == PRECISION_MASK) {
      // The truncated bits might carry into the 55 bits we keep: add the next 64 bits of the power.
      long secondHigh = unsignedMultiplyHigh(w, POWER_OF_FIVE_LOW[index]);
      low += secondHigh;
      if (Long.compareUnsigned(secondHigh, low) > 0) {
        high++;
      }
    }
    if (low == -1L && (q < MIN_SAFE_EXPONENT || q > MAX_SAFE_EXPONENT)) {
      // The product is still an underestimate that may sit just below a carry: undecided.
      return Double.NaN;
    }

    int upperBit = (int) (high >>> 63);
    int shift = upperBit + 64 - MANTISSA_EXPLICIT_BITS - 3;
    long mantissa = high >>> shift;
    // ((152170 + 65536) * q) >> 16 is floor(q * log2(10)) for q in [-342, 308].
    int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz - MINIMUM_EXPONENT;

    if (power2 <= 0) {
      // Subnormal, unless rounding carries it up to the smallest normal.
      if (-power2 + 1 >= 64) {
        return negative ? -0.0 : 0.0;
      }
      mantissa >>>= -power2 + 1;
      mantissa += mantissa & 1;
      mantissa >>>= 1;
      power2 = mantissa < (1L << MANTISSA_EXPLICIT_BITS) ? 0 : 1;
      return assemble(mantissa, power2, negative);
    }

    // We round up below; an exact tie (nothing below the round bit) must go to even instead.
    if (Long.compareUnsigned(low, 1) <= 0
        && q >= MIN_EXPONENT_ROUND_TO_EVEN
        && q <= MAX_EXPONENT_ROUND_TO_EVEN
        && (mantissa & 3) == 1
        && (mantissa << shift) == high) {
      mantissa &= ~1L;
    }
    mantissa += mantissa & 1;
    mantissa >>>= 1;
    if (mantissa >= (2L << MANTISSA_EXPLICIT_BITS)) {
      // Rounding overflowed into a 54th bit.
      mantissa = 1L << MANTISSA_EXPLICIT_BITS;
      power2++;
    }
    if (power2 >= INFINITE_POWER) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return assemble(mantissa, power2, negative);
  }

  private static double assemble(long mantissa, int power2, boolean negative) {
    long bits = (mantissa & MANTISSA_MASK) | ((long) power2 << MANTISSA_EXPLICIT_BITS);
    return Double.longBitsToDouble(negative ? bits | SIGN_BIT : bits);
  }

  /** Java 17 has only the signed {@link Math#multiplyHigh}; correct it for operands with the top bit set. */
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }
}

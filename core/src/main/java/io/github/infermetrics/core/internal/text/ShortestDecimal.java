package io.github.infermetrics.core.internal.text;

import java.math.BigInteger;

/**
 * Writes a finite double as the shortest decimal that parses back to exactly the same double, without allocating:
 * the Schubfach method (R. Giulietti, "The Schubfach way to render doubles", 2020), written for this writer. The
 * double {@code c * 2^q} is scaled by a 126-bit approximation of {@code 10^-k}, with {@code k} chosen so that its
 * rounding interval spans 1 to 10 units; at most one multiple of ten (one digit shorter) and one or two integers then
 * lie inside it, and the comparisons that pick one are exact (the product is rounded to odd).
 *
 * <p>Layout, as JSON numbers: integers below 2^53 in magnitude without a fraction ({@code 42}); other values with up
 * to 22 decimal places in plain notation ({@code 0.0015}, {@code 2.466666666666667}); the rest in Java's scientific
 * notation ({@code 1.0E-300}, {@code 9.007199254740994E15}). Zero is {@code 0}, negative zero {@code -0.0}. This is
 * the layout of the CloudWatch EMF writer; {@link #digits} gives the same digits to the other programs' layouts in
 * {@link FloatFormats}.
 */
final class ShortestDecimal {
  /** The most bytes {@link #write(double, byte[], int)} writes: sign, 17 digits, point, {@code E-324}. */
  static final int MAX_LENGTH = 26;

  private static final int Q_MIN = -1074;
  private static final long C_MIN = 1L << 52;
  private static final long FRACTION_MASK = C_MIN - 1;
  private static final double EXACT_INTEGERS = 9.007199254740992E15; // 2^53
  private static final int MAX_PLAIN_PLACES = 22;
  // k = floor(log10(2^q)) over every q of a double lies in [K_MIN, K_MAX]
  static final int K_MIN = -324;
  static final int K_MAX = 292;
  /** floor(10^-k * 2^(125 - floor(log2(10^-k)))) + 1 as high 63 and low 63 bits, per k; in (2^125, 2^126]. */
  private static final long[] G1 = new long[K_MAX - K_MIN + 1];
  private static final long[] G0 = new long[K_MAX - K_MIN + 1];
  /** floor(log2(10^-k)) per k. */
  private static final int[] LOG2_POW10 = new int[K_MAX - K_MIN + 1];
  static final long[] POW10 = new long[19];
  private static final byte[] PAIRS = new byte[200];

  static {
    // exact big-integer arithmetic, once at class initialisation
    for (int k = K_MIN; k <= K_MAX; k++) {
      int e = -k;
      BigInteger p = BigInteger.TEN.pow(Math.abs(e));
      int log2 = e >= 0 ? p.bitLength() - 1 : -p.bitLength(); // 10^e, e < 0, is never a power of two
      int shift = 125 - log2;
      BigInteger g;
      if (e >= 0) {
        g = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
      } else {
        g = BigInteger.ONE.shiftLeft(shift).divide(p);
      }
      g = g.add(BigInteger.ONE);
      G1[k - K_MIN] = g.shiftRight(63).longValueExact();
      G0[k - K_MIN] = g.longValue() & Long.MAX_VALUE;
      LOG2_POW10[k - K_MIN] = log2;
    }
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private ShortestDecimal() {}

  /** floor(log10(2^q)), exact for |q| <= 1100 (checked exhaustively by the tests). */
  static int log10Pow2(int q) {
    return (int) (q * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 * 2^q)), exact for |q| <= 1100 (checked exhaustively by the tests). */
  static int log10ThreeQuartersPow2(int q) {
    return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
  }

  /** The 126-bit scale for k, high part (tests). */
  static long g1(int k) {
    return G1[k - K_MIN];
  }

  /** The 126-bit scale for k, low 63 bits (tests). */
  static long g0(int k) {
    return G0[k - K_MIN];
  }

  /**
   * Writes a finite double.
   *
   * @param v a finite value
   * @param buf the target, with at least {@link #MAX_LENGTH} bytes free from pos
   * @param pos where to write
   * @return the position after the number
   */
  static int write(double v, byte[] buf, int pos) {
    long bits = Double.doubleToRawLongBits(v);
    if (bits < 0) {
      buf[pos++] = '-';
    }
    double a = Math.abs(v);
    if (a < EXACT_INTEGERS && a == (long) a) {
      if (a == 0 && bits < 0) {
        buf[pos++] = '0';
        buf[pos++] = '.';
        buf[pos++] = '0';
        return pos;
      }
      return writeLong((long) a, buf, pos);
    }
    return toDecimal(bits, false, buf, pos);
  }

  /**
   * Writes the shortest digits of a double, for the layouts of {@link FloatFormats}: no sign, no point and no
   * trailing zeros, the one closest to the value when two of that length parse back to it. With {@code n} digits
   * {@code d1 d2 ... dn} and the point position {@code p}, the value's magnitude is {@code 0.d1d2...dn * 10^p}.
   *
   * @param v a finite value other than zero; the sign is ignored
   * @param buf the target, with at least 18 bytes free from pos
   * @param pos where to write
   * @return {@code n | p << 5}: read with {@link #count} and {@link #point}
   */
  static int digits(double v, byte[] buf, int pos) {
    return toDecimal(Double.doubleToRawLongBits(v), true, buf, pos);
  }

  /** The number of digits in a result of {@link #digits}. */
  static int count(int digits) {
    return digits & 31;
  }

  /** The point position in a result of {@link #digits}: the decimal exponent of the first digit, plus one. */
  static int point(int digits) {
    return digits >> 5;
  }

  private static int toDecimal(long bits, boolean digitsOnly, byte[] buf, int pos) {
    int biased = (int) (bits >>> 52) & 0x7ff;
    long fraction = bits & FRACTION_MASK;
    if (biased != 0) {
      return toDecimal(biased - 1075, C_MIN | fraction, digitsOnly, buf, pos);
    }
    return toDecimal(Q_MIN, fraction, digitsOnly, buf, pos); // subnormal
  }

  /** The shortest decimal in the rounding interval of c * 2^q (c > 0), closest to it when there are two. */
  private static int toDecimal(int q, long c, boolean digitsOnly, byte[] buf, int pos) {
    int out = (int) c & 1; // an odd c rounds away from the interval's ends: they are excluded
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = log10Pow2(q);
    } else {
      // at a power of two the gap below is half the gap above
      cbl = cb - 1;
      k = log10ThreeQuartersPow2(q);
    }
    int h = q + LOG2_POW10[k - K_MIN] + 2;
    long g1 = G1[k - K_MIN];
    long g0 = G0[k - K_MIN];
    // 4 * (the value and the interval's ends) * 10^-k, rounded to odd
    long vb = roundToOdd(g1, g0, cb << h);
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);
    long s = vb >> 2;
    long f;
    long sp10 = s / 10 * 10;
    long tp10 = sp10 + 10;
    boolean upin = vbl + out <= sp10 << 2;
    boolean wpin = (tp10 << 2) + out <= vbr;
    if (upin != wpin) {
      f = upin ? sp10 : tp10; // one digit shorter
    } else {
      long t = s + 1;
      boolean uin = vbl + out <= s << 2;
      boolean win = (t << 2) + out <= vbr;
      if (uin != win) {
        f = uin ? s : t;
      } else {
        long cmp = vb - (s + t << 1); // the closer one; on a tie the even one
        f = cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t;
      }
    }
    return digitsOnly ? digitsAndPoint(f, k, buf, pos) : layout(f, k, buf, pos);
  }

  /** Writes f's digits without its trailing zeros; f * 10^e = 0.digits * 10^point. */
  private static int digitsAndPoint(long f, int e, byte[] buf, int pos) {
    int n = digitCount(f);
    writeDigits(f, n, buf, pos);
    int point = e + n;
    while (n > 1 && buf[pos + n - 1] == '0') {
      n--;
    }
    return n | point << 5;
  }

  /** floor(g * cp / 2^127), with the lowest bit set when the remainder is not zero. */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & Long.MAX_VALUE) + Long.MAX_VALUE >>> 63;
  }

  /** Writes f * 10^e (f > 0) without f's trailing zeros, in plain or scientific notation. */
  private static int layout(long f, int e, byte[] buf, int pos) {
    // trailing zeros: at most 16; short decimals such as 0.231 arrive as 23100000000000000
    if (f % 100_000_000 == 0) {
      f /= 100_000_000;
      e += 8;
      if (f % 100_000_000 == 0) {
        f /= 100_000_000;
        e += 8;
      }
    }
    if (f <= Integer.MAX_VALUE) {
      int g = (int) f; // int arithmetic from here on
      if (g % 10_000 == 0) {
        g /= 10_000;
        e += 4;
      }
      if (g % 100 == 0) {
        g /= 100;
        e += 2;
      }
      if (g % 10 == 0) {
        g /= 10;
        e += 1;
      }
      f = g;
    } else {
      if (f % 10_000 == 0) {
        f /= 10_000;
        e += 4;
      }
      if (f % 100 == 0) {
        f /= 100;
        e += 2;
      }
      if (f % 10 == 0) {
        f /= 10;
        e += 1;
      }
    }
    int n = digitCount(f);
    if (e < 0 && -e <= MAX_PLAIN_PLACES && n + e <= 16) {
      int places = -e;
      long integer = places < POW10.length ? f / POW10[places] : 0;
      long fractional = places < POW10.length ? f - integer * POW10[places] : f;
      pos = writeLong(integer, buf, pos);
      buf[pos++] = '.';
      writeDigits(fractional, places, buf, pos);
      return pos + places;
    }
    // d.dddE<exponent>, with at least one digit after the point, as Double.toString writes it
    writeDigits(f, n, buf, pos + 1);
    buf[pos] = buf[pos + 1];
    buf[pos + 1] = '.';
    pos += n + 1;
    if (n == 1) {
      buf[pos++] = '0';
    }
    buf[pos++] = 'E';
    int exponent = e + n - 1;
    if (exponent < 0) {
      buf[pos++] = '-';
      exponent = -exponent;
    }
    return writeLong(exponent, buf, pos);
  }

  /** Decimal digits of x >= 0 (1 for 0). */
  static int digitCount(long x) {
    int n = (64 - Long.numberOfLeadingZeros(x)) * 1233 >>> 12; // bits * log10(2)
    return Math.max(1, n < POW10.length && x >= POW10[n] ? n + 1 : n);
  }

  /**
   * Writes x >= 0 in decimal.
   *
   * @return the position after it
   */
  static int writeLong(long x, byte[] buf, int pos) {
    int n = digitCount(x);
    writeDigits(x, n, buf, pos);
    return pos + n;
  }

  /** Writes exactly width digits of x >= 0 (leading zeros when x is shorter), two at a time from the right. */
  private static void writeDigits(long x, int width, byte[] buf, int pos) {
    int i = pos + width;
    while (x > Integer.MAX_VALUE) {
      // eight digits at a time in int arithmetic: at most twice for a long
      long high = x / 100_000_000;
      int low = (int) (x - high * 100_000_000);
      for (int k = 0; k < 4; k++) {
        int r = low % 100;
        low /= 100;
        buf[--i] = PAIRS[2 * r + 1];
        buf[--i] = PAIRS[2 * r];
      }
      x = high;
    }
    int y = (int) x;
    while (i - pos >= 2) {
      int r = y % 100;
      y /= 100;
      buf[--i] = PAIRS[2 * r + 1];
      buf[--i] = PAIRS[2 * r];
    }
    if (i > pos) {
      buf[--i] = (byte) ('0' + y % 10);
    }
  }
}

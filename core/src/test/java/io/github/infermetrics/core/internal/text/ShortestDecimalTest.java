package io.github.infermetrics.core.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The number formatter: every output parses back to the same double, is a JSON number, and is as short as any decimal
 * that does (checked against a brute-force search with exact decimals, and against {@link Double#toString(double)}).
 */
class ShortestDecimalTest {
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  private static final long SEED = 0x5eedL;

  static String format(double v) {
    byte[] buf = new byte[ShortestDecimal.MAX_LENGTH + 4];
    buf[0] = 'x';
    int end = ShortestDecimal.write(v, buf, 1);
    assertThat(end - 1).as("length of %s", v).isLessThanOrEqualTo(ShortestDecimal.MAX_LENGTH);
    return new String(buf, 1, end - 1, StandardCharsets.US_ASCII);
  }

  /** Significant digits of a decimal string, without sign, point, exponent and leading or trailing zeros. */
  static int significantDigits(String s) {
    String mantissa = s.replaceFirst("[eE].*", "").replace("-", "").replace(".", "");
    String stripped = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, stripped.length());
  }

  /**
   * The fewest significant digits of any decimal that parses back to v: when some decimal of p digits does, v
   * rounded down or up to p digits does too (the rounding interval holds v and is an interval).
   */
  static int shortestByBruteForce(double v) {
    BigDecimal exact = new BigDecimal(v).abs();
    for (int p = 1; p <= 17; p++) {
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal d = exact.round(new MathContext(p, mode));
        if (Double.parseDouble(d.toString()) == Math.abs(v)) {
          return p;
        }
      }
    }
    throw new AssertionError("no decimal of up to 17 digits for " + v);
  }

  private static void assertExact(double v) {
    if (!Double.isFinite(v)) {
      return; // the callers of the formatter handle those
    }
    String s = format(v);
    assertThat(JSON_NUMBER.matcher(s).matches()).as("%s is a JSON number (from %s)", s, v).isTrue();
    assertThat(Double.doubleToRawLongBits(Double.parseDouble(s))).as("%s parses back to %s", s, v)
        .isEqualTo(Double.doubleToRawLongBits(v));
    // JDK 17's Double.toString is exact but not always shortest; never be longer than it
    assertThat(significantDigits(s)).as("%s against Double.toString %s", s, Double.toString(v))
        .isLessThanOrEqualTo(significantDigits(Double.toString(v)));
  }

  private static void assertShortest(double v) {
    assertExact(v);
    if (Double.isFinite(v) && v != Math.rint(v) || Math.abs(v) >= 9.007199254740992E15) { // integers below 2^53 are written whole
      assertThat(significantDigits(format(v))).as("digits of %s", v).isEqualTo(shortestByBruteForce(v));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0; 0", "-0.0; -0.0", "1; 1", "-1; -1", "8; 8", "21474836480; 21474836480", "0.231; 0.231",
      "0.0815; 0.0815", "0.0015; 0.0015", "1.75; 1.75", "12.4; 12.4", "873.5; 873.5", "0.731; 0.731",
      "0.1; 0.1", "1e-7; 0.0000001", "123456.789; 123456.789", "2.466666666666667; 2.466666666666667",
      "0.30000000000000004; 0.30000000000000004", "-2.5; -2.5", "1e-22; 0.0000000000000000000001",
      "1.5e-23; 1.5E-23", "9007199254740991; 9007199254740991", "9007199254740992; 9.007199254740992E15",
      "9007199254740994; 9.007199254740994E15", "1e22; 1.0E22", "1e23; 1.0E23", "1e300; 1.0E300",
      "-1e-300; -1.0E-300", "1.7976931348623157e308; 1.7976931348623157E308", "4.9e-324; 5.0E-324",
      "2.2250738585072014E-308; 2.2250738585072014E-308", "4503599627370495.5; 4503599627370495.5",
      "0.000123456789012345; 0.000123456789012345", "1.2345678901234568e-10; 1.2345678901234568E-10"})
  void writesTheseExactly(double v, String expected) {
    assertThat(format(v)).isEqualTo(expected);
    assertExact(v);
  }

  @Test
  void log10OfPowersOfTwoIsExactOverEveryExponent() {
    for (int q = -1100; q <= 1100; q++) {
      // the largest k with 10^k <= 2^q, and with 10^k <= 3/4 * 2^q, by exact integers
      assertThat(ShortestDecimal.log10Pow2(q)).as("q=%d", q).isEqualTo(largestPowerOfTenBelow(q, 4));
      assertThat(ShortestDecimal.log10ThreeQuartersPow2(q)).as("3/4, q=%d", q)
          .isEqualTo(largestPowerOfTenBelow(q, 3));
    }
  }

  /** The largest k with 10^k <= (num / 4) * 2^q. */
  private static int largestPowerOfTenBelow(int q, int num) {
    int k = (int) Math.floor(q * Math.log10(2)) + 2;
    while (compare(k, q, num) > 0) {
      k--;
    }
    return k;
  }

  /** Sign of 10^k - (num / 4) * 2^q, in integers: 4 * 10^k * 2^-q against num. */
  private static int compare(int k, int q, int num) {
    BigInteger left = BigInteger.valueOf(4).multiply(k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE)
        .shiftLeft(Math.max(0, -q));
    BigInteger right = BigInteger.valueOf(num).multiply(k < 0 ? BigInteger.TEN.pow(-k) : BigInteger.ONE)
        .shiftLeft(Math.max(0, q));
    return left.compareTo(right);
  }

  @Test
  void scalesAre126BitApproximationsOfPowersOfTenFromAbove() {
    for (int k = ShortestDecimal.K_MIN; k <= ShortestDecimal.K_MAX; k++) {
      int e = -k;
      BigInteger g = BigInteger.valueOf(ShortestDecimal.g1(k)).shiftLeft(63)
          .or(BigInteger.valueOf(ShortestDecimal.g0(k)));
      // f = floor(log2(10^e)), found from a floating-point guess by exact comparison
      int f = (int) Math.floor(e * (Math.log(10) / Math.log(2)));
      while (ratio(e, -f).compareTo(BigInteger.ONE) < 0) { // 10^e / 2^f < 1
        f--;
      }
      while (ratio(e, -f - 1).compareTo(BigInteger.ONE) >= 0) {
        f++;
      }
      // g - 1 <= 10^e * 2^(125 - f) < g, in integers: (g - 1) * den <= num < g * den
      int r = 125 - f;
      BigInteger num = pow10(Math.max(e, 0)).shiftLeft(Math.max(r, 0));
      BigInteger den = pow10(Math.max(-e, 0)).shiftLeft(Math.max(-r, 0));
      assertThat(g.subtract(BigInteger.ONE).multiply(den)).as("k=%d", k).isLessThanOrEqualTo(num);
      assertThat(g.multiply(den)).as("k=%d", k).isGreaterThan(num);
      assertThat(g.bitLength()).as("k=%d", k).isEqualTo(126);
    }
  }

  private static BigInteger pow10(int n) {
    return BigInteger.TEN.pow(n);
  }

  /** floor(10^e * 2^s). */
  private static BigInteger ratio(int e, int s) {
    BigInteger num = pow10(Math.max(e, 0)).shiftLeft(Math.max(s, 0));
    BigInteger den = pow10(Math.max(-e, 0)).shiftLeft(Math.max(-s, 0));
    return num.divide(den);
  }

  @Test
  void edgeValuesRoundTripAndAreShortest() {
    double[] edges = {Double.MIN_VALUE, 2 * Double.MIN_VALUE, 3 * Double.MIN_VALUE, Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), Math.nextUp(Double.MIN_NORMAL), Double.MAX_VALUE,
        Math.nextDown(Double.MAX_VALUE), 9.007199254740993E15, 1e15, 1e16, 1e17, 5e-324, 1.0 / 3, 2.0 / 3, 0.1,
        0.2, 0.3, 100.0 / 3, 1e-5, 1e-4, 1e-3, 1e-2, 1e6 + 0.5, 1e7 + 0.1, Math.PI, Math.E, Math.sqrt(2)};
    for (double v : edges) {
      assertShortest(v);
      assertShortest(-v);
    }
    // every power of two (the gap below is half the gap above) and its neighbours
    for (int e = -1074; e <= 1023; e++) {
      double p = Math.scalb(1.0, e);
      assertExact(p);
      assertExact(Math.nextUp(p));
      assertExact(Math.nextDown(p));
    }
    // the smallest subnormals, one by one
    for (long bits = 1; bits < 3000; bits++) {
      assertExact(Double.longBitsToDouble(bits));
    }
    for (int e = -325; e <= 308; e++) {
      assertExact(Double.parseDouble("1e" + e));
      assertExact(Double.parseDouble("9.999999999999999e" + e));
    }
  }

  @Test
  void randomBitPatternsRoundTrip() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (Double.isFinite(v)) {
        assertExact(v);
      }
    }
  }

  @Test
  void randomValuesOfTypicalMetricsRoundTrip() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 15_000; i++) {
      assertExact(r.nextDouble() * Math.pow(10, r.nextInt(-12, 13)));
      // short decimals, as latencies and ratios usually are: m / 10^k
      assertExact(r.nextLong(1, 1_000_000) / Math.pow(10, r.nextInt(0, 10)));
      assertExact(r.nextLong() / 1e3);
    }
  }

  @Test
  void randomValuesAreTheShortestDecimal() {
    SplittableRandom r = new SplittableRandom(SEED + 2);
    for (int i = 0; i < 1_500; i++) {
      assertShortest(Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE) % 1e30);
      assertShortest(r.nextLong(1, 1_000_000) / Math.pow(10, r.nextInt(0, 12)));
      double v = Double.longBitsToDouble(r.nextLong());
      if (Double.isFinite(v)) {
        assertShortest(v);
      }
    }
  }

  @Test
  void digitCountAndLongs() {
    for (int i = 0; i < ShortestDecimal.POW10.length; i++) {
      long p = ShortestDecimal.POW10[i];
      assertThat(ShortestDecimal.digitCount(p)).isEqualTo(i + 1);
      assertThat(ShortestDecimal.digitCount(p - 1)).isEqualTo(Math.max(1, i));
    }
    assertThat(ShortestDecimal.digitCount(Long.MAX_VALUE)).isEqualTo(19);
    SplittableRandom r = new SplittableRandom(SEED + 3);
    byte[] buf = new byte[20];
    for (int i = 0; i < 100_000; i++) {
      long x = (r.nextLong() & Long.MAX_VALUE) >>> r.nextInt(64);
      int end = ShortestDecimal.writeLong(x, buf, 0);
      assertThat(new String(buf, 0, end, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(x));
    }
  }
}

package io.github.infermetrics.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.AllocationMeter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalToDoubleTest {

  private static final BigInteger TEN_TO_NINETEEN = BigInteger.TEN.pow(19);
  private static final MathContext NINETEEN_DIGITS_TRUNCATED = new MathContext(19, RoundingMode.DOWN);
  private static final long TEN_TO_NINETEEN_UNSIGNED = TEN_TO_NINETEEN.longValue();
  /** 10^19 - 1, the largest significand the parser hands over (above Long.MAX_VALUE, so unsigned). */
  private static final long NINETEEN_NINES = TEN_TO_NINETEEN_UNSIGNED - 1;

  /** Sink for the allocation test, so the measured loop is not dead code. */
  private double sink;

  private long undecided;
  private long decided;
  private long ties;

  @Test
  void convertsHandPickedHardCasesExactlyLikeParseDouble() {
    long[][] cases = {
      {0, 0}, {0, 400}, {0, -400}, {1, 0}, {1, 1}, {1, -1},
      {9007199254740993L, 0}, {9007199254740992L, 0}, {9007199254740995L, 0}, {9007199254740993L, -15},
      {9007199254740993L, 1}, {9007199254740993L, 100}, {9007199254740993L, -100},
      {NINETEEN_NINES, 0}, {NINETEEN_NINES, 1}, {NINETEEN_NINES, -1},
      {NINETEEN_NINES, 289}, {NINETEEN_NINES, 290}, {NINETEEN_NINES, -342},
      {NINETEEN_NINES, -343}, {NINETEEN_NINES, -326},
      {49, -325}, {5, -324}, {24703282292062327L, -340}, {24703282292062328L, -340},
      {2470328229206232L, -339}, {2470328229206233L, -339},
      {22250738585072011L, -324}, {22250738585072014L, -324}, {22250738585072013L, -324},
      {22250738585072012L, -324}, {2225073858507201L, -323},
      {17976931348623157L, 292}, {17976931348623158L, 292}, {17976931348623159L, 292},
      {1, 308}, {1, 309}, {1, -342}, {1, -343}, {1, -324}, {1, -323},
      {7038531, -32}, {1, 23}, {1, 22}, {1, -22}, {1, -23}, {123456789, 30}, {9007199254740992L, 22},
      {9007199254740992L, 23}, {1, 37}, {1, 38}, {898846567431158L, 293},
      {1, -400}, {1, 400}, {13300656000000001L, -18}, {44985611511L, -9}, {2279966416L, 0},
      {2279966416L, -9}, {1, 3}, {25, -2}, {5, -1}, {3, -1},
      // halfway between doubles, the tie must go to even
      {18014398509481985L, 0}, {18014398509481986L, 0},
      {18014398509481990L, 0}, {45035996273704965L, -1}, {90071992547409925L, -1},
      {5708990770823839524L, 0}, {5708990770823839525L, 0}, {5708990770823839523L, 0},
      {Long.MAX_VALUE, 0}, {Long.parseUnsignedLong("9223372036854775808"), 0},
      {Long.parseUnsignedLong("9223372036854777856"), 0}, {Long.parseUnsignedLong("9223372036854776832"), 0},
      {Long.parseUnsignedLong("9223372036854776833"), 0}, {Long.parseUnsignedLong("9223372036854778880"), 0},
      {4503599627370497L, 0}, {4503599627370496L, -1}, {44942328371557899L, 291},
    };
    for (long[] c : cases) {
      check(c[0], (int) c[1], false);
      check(c[0], (int) c[1], true);
    }
    assertThat(undecided).as("undecided hand-picked cases").isZero();
  }

  @Test
  void hardCasesHaveTheExpectedValues() {
    assertThat(DecimalToDouble.toDouble(9007199254740993L, 0, false)).isEqualTo(9007199254740992.0);
    assertThat(DecimalToDouble.toDouble(9007199254740995L, 0, false)).isEqualTo(9007199254740996.0);
    assertThat(DecimalToDouble.toDouble(49, -325, false)).isEqualTo(Double.MIN_VALUE);
    assertThat(DecimalToDouble.toDouble(5, -324, false)).isEqualTo(Double.MIN_VALUE);
    assertThat(DecimalToDouble.toDouble(24703282292062327L, -340, false)).isEqualTo(0.0);
    assertThat(DecimalToDouble.toDouble(24703282292062328L, -340, false)).isEqualTo(Double.MIN_VALUE);
    assertThat(DecimalToDouble.toDouble(22250738585072014L, -324, false)).isEqualTo(Double.MIN_NORMAL);
    assertThat(DecimalToDouble.toDouble(22250738585072011L, -324, false))
        .isEqualTo(Math.nextDown(Double.MIN_NORMAL));
    assertThat(DecimalToDouble.toDouble(17976931348623157L, 292, false)).isEqualTo(Double.MAX_VALUE);
    assertThat(DecimalToDouble.toDouble(17976931348623158L, 292, false)).isEqualTo(Double.MAX_VALUE);
    assertThat(DecimalToDouble.toDouble(17976931348623159L, 292, false)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(DecimalToDouble.toDouble(1, 400, true)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(DecimalToDouble.toDouble(1, 23, false)).isEqualTo(1e23);
    assertThat(DecimalToDouble.toDouble(7038531, -32, false)).isEqualTo(7.038531e-26);
    assertThat(DecimalToDouble.toDouble(898846567431158L, 293, false)).isEqualTo(8.98846567431158e307);
    assertThat(DecimalToDouble.toDouble(13300656000000001L, -18, false)).isEqualTo(0.013300656000000001);
    assertThat(DecimalToDouble.toDouble(44985611511L, -9, false)).isEqualTo(44.985611511);
    assertThat(DecimalToDouble.toDouble(2279966416L, 0, false)).isEqualTo(2.279966416e+09);
  }

  @Test
  void zeroAndUnderflowKeepTheSign() {
    assertThat(Double.doubleToRawLongBits(DecimalToDouble.toDouble(0, 0, false))).isEqualTo(0L);
    assertThat(Double.doubleToRawLongBits(DecimalToDouble.toDouble(0, 0, true)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits(DecimalToDouble.toDouble(0, 500, true)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits(DecimalToDouble.toDouble(1, -400, true)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits(DecimalToDouble.toDouble(24703282292062327L, -340, true)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void randomSignificandsAndExponentsMatchParseDouble() {
    SplittableRandom random = new SplittableRandom(0x5EEDL);
    int cases = 200_000;
    for (int i = 0; i < cases; i++) {
      long significand = randomSignificand(random, 1 + random.nextInt(19));
      int exponent10 = -350 + random.nextInt(671);
      check(significand, exponent10, random.nextBoolean());
    }
    assertUndecidedIsRare();
  }

  @Test
  void randomDoublesPrintedShortestAndWithMoreOrFewerDigitsMatchParseDouble() {
    SplittableRandom random = new SplittableRandom(0xD0B1EL);
    int cases = 25_000;
    for (int i = 0; i < cases; i++) {
      double d = randomFiniteDouble(random);
      // Shortest round-trip digits, as producers usually print them.
      BigDecimal shortest = new BigDecimal(Double.toString(d));
      check(shortest);
      // The same digits cut short or padded out to 19 digits, landing between doubles.
      int digits = 1 + random.nextInt(19);
      check(shortest.round(new MathContext(digits, RoundingMode.DOWN)));
      check(shortest.round(new MathContext(digits, RoundingMode.HALF_EVEN)));
      check(shortest.subtract(BigDecimal.ONE.movePointLeft(shortest.scale() + 1 + random.nextInt(2))));
    }
    assertUndecidedIsRare();
  }

  @Test
  void randomDoublesExactDigitsRoundedToNineteenDigitsMatchParseDouble() {
    SplittableRandom random = new SplittableRandom(0xB16DL);
    int cases = 30_000;
    for (int i = 0; i < cases; i++) {
      // Exact binary expansions are long only for tiny magnitudes; keep most cases cheap.
      double d = random.nextInt(10) == 0 ? randomFiniteDouble(random) : randomDoubleWithin(random, 1e-30, 1e300);
      BigDecimal exact = new BigDecimal(d);
      int digits = 15 + random.nextInt(5);
      check(exact.round(new MathContext(digits, RoundingMode.DOWN)));
      check(exact.round(new MathContext(digits, RoundingMode.UP)));
      check(exact.round(new MathContext(digits, RoundingMode.HALF_EVEN)));
    }
    assertUndecidedIsRare();
  }

  @Test
  void randomExactHalfwayPointsRoundToEven() {
    SplittableRandom random = new SplittableRandom(0x7E5L);
    BigInteger twoTo53 = BigInteger.ONE.shiftLeft(53);
    int cases = 50_000;
    for (int i = 0; i < cases; i++) {
      // A decimal is a tie exactly when its odd binary part has 54 bits: it then sits halfway between two doubles.
      // With at most 19 digits this only happens for exponents in [-4, 23].
      int exponent10 = -4 + random.nextInt(28);
      BigInteger fivePower = BigInteger.valueOf(5).pow(Math.abs(exponent10));
      BigInteger significand;
      if (exponent10 >= 0) {
        // significand * 5^q must be odd and within [2^53, 2^54)
        BigInteger low = twoTo53.divide(fivePower).add(BigInteger.ONE);
        BigInteger odd = low.add(BigInteger.valueOf(random.nextLong(Math.max(1, low.longValue()))))
            .setBit(0);
        if (odd.multiply(fivePower).bitLength() != 54) {
          continue;
        }
        significand = odd;
      } else {
        // odd / 2^-q with odd in [2^53, 2^54), written as odd * 5^-q / 10^-q
        BigInteger odd = twoTo53.add(BigInteger.valueOf(random.nextLong(1L << 53))).setBit(0);
        significand = odd.multiply(fivePower);
      }
      significand = significand.shiftLeft(random.nextInt(12));
      if (significand.compareTo(TEN_TO_NINETEEN) >= 0) {
        continue;
      }
      long tie = significand.longValue();
      check(tie, exponent10, random.nextBoolean());
      check(tie - 1, exponent10, false);
      check(tie + 1, exponent10, false);
      ties++;
    }
    assertThat(ties).isGreaterThan(cases / 4);
    assertUndecidedIsRare();
  }

  @Test
  void doesNotAllocate() {
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    // Inputs are prepared up front: generating them in the loop (e.g. Long.remainderUnsigned with a divisor
    // above Long.MAX_VALUE, which uses BigInteger on Java 17) would allocate by itself.
    SplittableRandom random = new SplittableRandom(0xA110CL);
    long[] significands = new long[1024];
    int[] exponents = new int[significands.length];
    for (int i = 0; i < significands.length; i++) {
      // fast path, Eisel-Lemire, subnormal, zero and infinite results, 1 to 19 digits
      significands[i] = i % 64 == 0 ? 0 : randomSignificand(random, 1 + random.nextInt(19));
      exponents[i] = i % 3 == 0 ? -22 + random.nextInt(45) : -360 + random.nextInt(700);
    }

    convertMany(significands, exponents, 200_000);
    convertMany(significands, exponents, 200_000);
    meter.measure(() -> { });
    long bytes = meter.fewestOf3(() -> convertMany(significands, exponents, 100_000));

    assertThat(bytes).as("bytes allocated by 100,000 conversions").isZero();
    assertThat(sink).isNotNaN();
  }

  private void convertMany(long[] significands, int[] exponents, int count) {
    double sum = 0;
    int mask = significands.length - 1;
    for (int i = 0; i < count; i++) {
      double value = DecimalToDouble.toDouble(significands[i & mask], exponents[i & mask], (i & 1) == 0);
      if (Double.isFinite(value)) {
        sum += value * 1e-300;
      }
    }
    sink += sum;
  }

  private void check(BigDecimal decimal) {
    // Keep at most 19 digits; the caller's rounding did the interesting part.
    BigDecimal rounded = decimal.round(NINETEEN_DIGITS_TRUNCATED);
    BigDecimal stripped = rounded.signum() == 0 ? BigDecimal.ZERO : rounded.stripTrailingZeros();
    check(stripped.unscaledValue().abs().longValue(), -stripped.scale(), stripped.signum() < 0);
  }

  private void check(long significand, int exponent10, boolean negative) {
    double actual = DecimalToDouble.toDouble(significand, exponent10, negative);
    if (Double.isNaN(actual)) {
      undecided++;
      return;
    }
    decided++;
    assertSameBits(actual, significand, exponent10, negative);
  }

  private static void assertSameBits(double actual, long significand, int exponent10, boolean negative) {
    String text = (negative ? "-" : "") + Long.toUnsignedString(significand) + "e" + exponent10;
    double expected = Double.parseDouble(text);
    if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
      assertThat(actual).as(text).isEqualTo(expected);
      assertThat(Double.doubleToRawLongBits(actual)).as(text).isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  private void assertUndecidedIsRare() {
    assertThat(decided).isPositive();
    assertThat((double) undecided / (undecided + decided)).as("undecided rate").isLessThan(0.001);
  }

  private static long randomSignificand(SplittableRandom random, int digits) {
    if (digits == 19) {
      // [10^18, 10^19): may exceed Long.MAX_VALUE, i.e. use the unsigned range.
      long low = 1_000_000_000_000_000_000L;
      return low + random.nextLong(TEN_TO_NINETEEN_UNSIGNED - low);
    }
    long low = digits == 1 ? 1 : pow10(digits - 1);
    return random.nextLong(low, pow10(digits));
  }

  private static long pow10(int n) {
    long result = 1;
    for (int i = 0; i < n; i++) {
      result *= 10;
    }
    return result;
  }

  private static double randomFiniteDouble(SplittableRandom random) {
    while (true) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(d)) {
        return d;
      }
    }
  }

  private static double randomDoubleWithin(SplittableRandom random, double min, double max) {
    double logMin = Math.log(min);
    double value = Math.exp(logMin + random.nextDouble() * (Math.log(max) - logMin));
    return random.nextBoolean() ? value : -value;
  }
}

package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sample values follow the formats' grammar (Go's ParseFloat minus hex and underscores; the OpenMetrics ABNF),
 * not {@code Double.parseDouble}'s, and convert exactly.
 */
class NumberGrammarTest {
  private final ExpositionParser text = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();
  private final ExpositionParser om = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).build();

  private double textValue(String v) {
    text.reset(("m " + v + "\n").getBytes(UTF_8));
    assertThat(text.next()).isEqualTo(ExpositionEvent.SAMPLE);
    return text.value();
  }

  private double omValue(String v) {
    om.reset(("m " + v + "\n# EOF\n").getBytes(UTF_8));
    assertThat(om.next()).isEqualTo(ExpositionEvent.SAMPLE);
    return om.value();
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      0,                  0.0
      -0,                 -0.0
      08,                 8.0
      1.5,                1.5
      .5,                 0.5
      5.,                 5.0
      -3e3,               -3000.0
      1E-5,               1.0E-5
      +2.5e+2,            250.0
      7.6238e-05,         7.6238E-5
      0.013300656000000001, 0.013300656000000001
      2.279966416e+09,    2.279966416E9
      Inf,                Infinity
      +Inf,               Infinity
      -Inf,               -Infinity
      inf,                Infinity
      infinity,           Infinity
      -INFINITY,          -Infinity
      NaN,                NaN
      nan,                NaN
      1e-400,             0.0
      1.7976931348623157e308, 1.7976931348623157E308
      4.9e-324,           4.9E-324
      2e-324,             0.0
      9007199254740993,   9.007199254740992E15
      99999999999999999999, 1.0E20
      93218875318183890000000000000000000000000, 9.321887531818389E40
      """)
  void acceptedValues(String input, double expected) {
    assertThat(Double.doubleToLongBits(textValue(input))).isEqualTo(Double.doubleToLongBits(expected));
    assertThat(Double.doubleToLongBits(omValue(input))).isEqualTo(Double.doubleToLongBits(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1d", "1f", "0x1p3", "0x1", "0b1", "0o1", "1_000", "+nan", "-NaN", "1e", "1e+", ".", "-",
      "+", "1.2.3", "in", "infinit", "Infinityy", "nanx", "1a", "--1", "0X1P-3"})
  void rejectedValues(String input) {
    text.reset(("m " + input + "\n").getBytes(UTF_8));
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, text::next);
    assertThat(e).as(input).isNotNull();
    assertThat(e.column()).isEqualTo(3);
  }

  /**
   * Finite decimals beyond the double range are errors, as Go's {@code strconv.ParseFloat} (which Prometheus's text
   * and OpenMetrics parsers call) returns a range error for them (issue 17); an infinity is written {@code +Inf}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "1.8e308", "1.7976931348623159e308", "-179769313486231580000000000000"
      + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"})
  void valuesBeyondTheDoubleRangeAreRejected(String input) {
    for (ExpositionParser p : new ExpositionParser[] {text, om}) {
      p.reset(("m " + input + "\n" + (p == om ? "# EOF\n" : "")).getBytes(UTF_8));
      ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, p::next);
      assertThat(e).as(input).isNotNull();
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.column()).isEqualTo(3);
      assertThat(e.reason()).startsWith("number out of range");
    }
  }

  @Test
  void aBoundOutOfRangeIsNotANumber() {
    ExpositionParser strict = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).strict(true).build();
    strict.reset("# TYPE h histogram\nh_bucket{le=\"1e400\"} 1\n".getBytes(UTF_8));
    strict.next();
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, strict::next);
    assertThat(e.reason()).contains("le");
    text.reset("h{le=\"1e400\"} 1\n".getBytes(UTF_8));
    text.next();
    assertThat(catchThrowableOfType(ExpositionParseException.class, () -> text.labelValueAsDouble(0))).isNotNull();
  }

  @Test
  void everyDoublePrintedByJavaReadsBackToItself() {
    SplittableRandom random = new SplittableRandom(42);
    StringBuilder sb = new StringBuilder();
    double[] expected = new double[20_000];
    for (int i = 0; i < expected.length; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        d = random.nextDouble();
      }
      expected[i] = d;
      sb.append("m{i=\"").append(i).append("\"} ").append(i % 2 == 0 ? Double.toString(d)
          : new java.math.BigDecimal(d).toString()).append('\n');
    }
    text.reset(sb.toString().getBytes(UTF_8));
    for (double d : expected) {
      assertThat(text.next()).isEqualTo(ExpositionEvent.SAMPLE);
      assertThat(Double.doubleToRawLongBits(text.value())).as("%s", d).isEqualTo(Double.doubleToRawLongBits(d));
    }
    assertThat(text.next()).isEqualTo(ExpositionEvent.END);
  }

  /** Integers of 1 to 20 digits, signed and with leading zeros, on the fast and the general path alike. */
  @Test
  void integersConvertAsTheirDecimalsDo() {
    SplittableRandom random = new SplittableRandom(18);
    StringBuilder sb = new StringBuilder();
    double[] expected = new double[20_000];
    for (int i = 0; i < expected.length; i++) {
      String v = Long.toString(random.nextLong() & Long.MAX_VALUE);
      v = v.substring(0, 1 + random.nextInt(v.length()));
      if (i % 7 == 0) {
        v = "9007199254740" + v; // about 2^53 and above, where a long's conversion rounds
      }
      if (i % 5 == 0) {
        v = "0" + v;
      }
      if (i % 3 == 0) {
        v = "-" + v;
      }
      expected[i] = new java.math.BigDecimal(v).doubleValue();
      sb.append("m{i=\"").append(i % 2).append("\"} ").append(v).append('\n');
    }
    byte[] input = sb.toString().getBytes(UTF_8);
    for (boolean fast : new boolean[] {true, false}) {
      text.fastPath = fast;
      text.reset(input);
      for (double d : expected) {
        assertThat(text.next()).isEqualTo(ExpositionEvent.SAMPLE);
        assertThat(Double.doubleToRawLongBits(text.value())).as("%s", d).isEqualTo(Double.doubleToRawLongBits(d));
      }
      assertThat(text.next()).isEqualTo(ExpositionEvent.END);
    }
  }

  @Test
  void tenThousandDigitNumbersStillParse() {
    String digits = "1" + "0".repeat(9_999);
    text.reset(("m " + digits + "\n").getBytes(UTF_8));
    assertThat(catchThrowableOfType(ExpositionParseException.class, text::next).reason())
        .startsWith("number out of range");
    // a long mantissa that its exponent brings back into range is fine, as in Go
    assertThat(textValue(digits + "e-9999")).isEqualTo(1.0);
    assertThat(textValue("0." + "0".repeat(9_990) + "1")).isEqualTo(0.0);
    assertThat(textValue("1." + "3".repeat(10_000))).isEqualTo(1.3333333333333333);
  }
}

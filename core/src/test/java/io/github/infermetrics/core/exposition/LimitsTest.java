package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.infermetrics.core.testing.AllocationMeter;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Every limit stops the parse with an error naming the limit and its setting, fails fast on hostile input, and
 * keeps memory bounded on the stream path whatever the input size.
 */
class LimitsTest {

  /** An endless stream: {@code prefix} once, then {@code filler} forever. */
  static final class Endless extends InputStream {
    private final byte[] prefix;
    private final byte[] filler;
    private long pos;
    long served;

    Endless(String prefix, String filler) {
      this.prefix = prefix.getBytes(UTF_8);
      this.filler = filler.getBytes(UTF_8);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++, pos++) {
        b[off + i] = pos < prefix.length ? prefix[(int) pos] : filler[(int) ((pos - prefix.length) % filler.length)];
      }
      served += len;
      return len;
    }
  }

  private static ExpositionParseException errorOf(ExpositionParser p) {
    return catchThrowableOfType(ExpositionParseException.class, () -> Expositions.drain(p));
  }

  @Test
  void anEndlessLineStopsAtTheLineLimitWithBoundedMemory() {
    // the stream would go on for ever (a 1 GB line and more): the parser reads little more than the limit
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();
    Endless in = new Endless("m{a=\"", "x");
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    long[] allocated = new long[1];
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class,
        () -> allocated[0] = meter.measure(() -> Expositions.drain(p.reset(in))));
    assertThat(e.limit()).isEqualTo("maxLineLength");
    assertThat(e.reason()).isEqualTo("line is longer than 1048576 bytes (raise ParserLimits.maxLineLength)");
    assertThat(e.isLineScoped()).isFalse();
    assertThat(in.served).isLessThan(3L << 20);
  }

  @Test
  void aHugeLineInAnArrayFailsWithoutScanningIt() {
    byte[] big = new byte[64 << 20];
    java.util.Arrays.fill(big, (byte) 'a');
    ExpositionParser p = ExpositionParser.builder().limits(ParserLimits.builder().maxLineLength(1000).build()).build();
    ExpositionParseException e = errorOf(p.reset(big));
    assertThat(e.limit()).isEqualTo("maxLineLength");
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(1001);
  }

  @Test
  void aMillionLabelsHitALimit() {
    StringBuilder sb = new StringBuilder("m{");
    for (int i = 0; i < 1_000_000; i++) {
      sb.append('l').append(i).append("=\"v\",");
    }
    sb.append("} 1\n");
    ExpositionParser p = ExpositionParser.builder().build();
    byte[] bytes = sb.toString().getBytes(UTF_8);
    // a stream holds at most a line: the line limit stops it first
    assertThat(errorOf(p.reset(new java.io.ByteArrayInputStream(bytes))).limit()).isEqualTo("maxLineLength");
    // an array is read in place: the label limit comes first; no line beyond maxLineLength is ever reported
    assertThat(errorOf(p.reset(bytes)).limit()).isEqualTo("maxLabelsPerSeries");
    ExpositionParser wide = ExpositionParser.builder()
        .limits(ParserLimits.builder().maxLineLength(64 << 20).build()).build();
    ExpositionParseException e = errorOf(wide.reset(sb.toString().getBytes(UTF_8)));
    assertThat(e.limit()).isEqualTo("maxLabelsPerSeries");
    assertThat(e.reason()).isEqualTo("more than 256 labels (raise ParserLimits.maxLabelsPerSeries)");
  }

  @Test
  void aLongSampleLineInAnArrayIsCheckedAfterItIsRead() {
    ExpositionParser p = ExpositionParser.builder().limits(ParserLimits.builder().maxLineLength(20).build()).build();
    ExpositionParseException e = errorOf(p.reset("m{a=\"12345678901234567890\"} 1\nok 1\n".getBytes(UTF_8)));
    assertThat(e.limit()).isEqualTo("maxLineLength");
    assertThat(e.line()).isEqualTo(1);
  }

  @Test
  void namesAndValuesHaveLengthLimits() {
    ExpositionParser p = ExpositionParser.builder()
        .limits(ParserLimits.builder().maxNameLength(10).maxLabelValueLength(5).build()).build();
    assertThat(errorOf(p.reset("abcdefghijk 1\n".getBytes(UTF_8))).limit()).isEqualTo("maxNameLength");
    assertThat(errorOf(p.reset("m{abcdefghijk=\"v\"} 1\n".getBytes(UTF_8))).limit()).isEqualTo("maxNameLength");
    assertThat(errorOf(p.reset("m{a=\"123456\"} 1\n".getBytes(UTF_8))).limit()).isEqualTo("maxLabelValueLength");
    assertThat(errorOf(p.reset("m{a=\"1234\\n6\"} 1\n".getBytes(UTF_8))).limit()).isEqualTo("maxLabelValueLength");
    Expositions.drain(p.reset("m{a=\"12345\"} 1\n".getBytes(UTF_8)));
  }

  @Test
  void anEndlessBodyOfValidSamplesStopsAtTheSeriesLimit() {
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT)
        .badLinePolicy(BadLinePolicy.SKIP).limits(ParserLimits.builder().maxSeries(100_000).build()).build();
    ExpositionParseException e = errorOf(p.reset(new Endless("", "up{job=\"x\"} 1\n")));
    assertThat(e.limit()).isEqualTo("maxSeries");
    assertThat(e.reason()).isEqualTo("exposition has more than 100000 samples (raise ParserLimits.maxSeries)");
    assertThat(p.sampleCount()).isEqualTo(100_001);
  }

  @Test
  void deeplyRepeatedEscapesAreLinear() {
    String value = "\\\\".repeat(200_000);
    ExpositionParser p = ExpositionParser.builder()
        .limits(ParserLimits.builder().maxLabelValueLength(1 << 20).build()).build();
    p.reset(("m{a=\"" + value + "\"} 1\n").getBytes(UTF_8));
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.labelValue(0).length()).isEqualTo(200_000);
  }

  @Test
  void nulBytesAreOrdinaryCharacters() {
    ExpositionParser p = ExpositionParser.builder().strict(true).format(ExpositionFormat.OPENMETRICS).build();
    p.reset("# HELP a he\0lp\na{b=\"x\0y\"} 1\n# EOF\n".getBytes(UTF_8));
    assertThat(p.next()).isEqualTo(ExpositionEvent.HELP);
    assertThat(p.familyHelp()).isEqualTo("he\0lp");
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.labelValue(0).toString()).isEqualTo("x\0y");
  }

  @Test
  void limitsValidateTheirSettings() {
    assertThatThrownBy(() -> ParserLimits.builder().maxLineLength(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLineLength must be at least 1: 0");
    assertThatThrownBy(() -> ParserLimits.builder().maxSeries(-5)).hasMessage("maxSeries must be at least 1: -5");
    assertThat(ParserLimits.DEFAULTS.toBuilder().maxLabelsPerSeries(3).build().maxLabelsPerSeries()).isEqualTo(3);
  }

  @Test
  void skipPolicyKeepsGoodLinesAndCountsBadOnes() {
    ExpositionParser p = ExpositionParser.builder().badLinePolicy(BadLinePolicy.SKIP).build();
    String text = "# TYPE a gauge\na 1\na{ 2\nb 2 x\nc 3\n";
    assertThat(Expositions.events(p.reset(text.getBytes(UTF_8)))).containsExactly("TYPE a GAUGE",
        "SAMPLE a 1.0 [a GAUGE VALUE]", "SAMPLE c 3.0 [c UNKNOWN VALUE]");
    assertThat(p.skippedLines()).isEqualTo(2);
    assertThat(p.lastSkippedError().line()).isEqualTo(4);
    assertThat(p.lastSkippedError().reason()).isEqualTo("expected an integer timestamp in milliseconds");
  }

  @Test
  void skipPolicyStillFailsOnErrorsOfTheWholeExposition() {
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).strict(true)
        .badLinePolicy(BadLinePolicy.SKIP).build();
    ExpositionParseException e = errorOf(p.reset("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n# EOF\n".getBytes(UTF_8)));
    assertThat(e.reason()).isEqualTo("histogram h has a metric point without the le=\"+Inf\" bucket");
    assertThat(errorOf(p.reset("a 1\n".getBytes(UTF_8))).reason()).startsWith("missing '# EOF'");
  }
}

package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.infermetrics.core.testing.AllocationMeter;
import io.github.infermetrics.core.testing.ChunkedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  /** The same body through an array, a direct buffer, and a stream in 1- and 3-byte chunks. */
  private static List<Object> inputLimitOutcomes(ParserLimits limits, ExpositionFormat format, String body) {
    byte[] bytes = body.getBytes(UTF_8);
    ExpositionParser p = ExpositionParser.builder().format(format).limits(limits).build();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    List<Runnable> resets = List.of(() -> p.reset(bytes), () -> p.reset(direct),
        () -> p.reset(new ChunkedInputStream(bytes, new int[] {1})),
        () -> p.reset(new ChunkedInputStream(bytes, new int[] {3})));
    List<Object> outcomes = new ArrayList<>();
    for (Runnable reset : resets) {
      reset.run();
      List<String> events = new ArrayList<>();
      ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, () -> {
        for (ExpositionEvent ev = p.next(); ev != ExpositionEvent.END; ev = p.next()) {
          events.add(Expositions.describe(p, ev));
        }
      });
      outcomes.add(events + (e == null ? " END"
          : " " + e.line() + ":" + e.column() + ": " + e.reason() + " @" + e.byteOffset()));
    }
    return outcomes;
  }

  @Test
  void anInputLongerThanMaxInputBytesFailsWhereTheLimitCutsIt() {
    // 26 bytes; the limit cuts "b 2" after "b": the first part of a line is never reported as a sample
    ParserLimits limits = ParserLimits.builder().maxInputBytes(20).build();
    List<Object> outcomes = inputLimitOutcomes(limits, ExpositionFormat.PROMETHEUS_TEXT,
        "# TYPE a gauge\na 1\nb 2\nc 3\n");
    assertThat(outcomes).containsOnly("[TYPE a GAUGE, SAMPLE a 1.0 [a GAUGE VALUE]]"
        + " 3:2: exposition is longer than 20 bytes (raise ParserLimits.maxInputBytes) @20");
  }

  @Test
  void anInputCutAtALineFeedStillFails() {
    ParserLimits limits = ParserLimits.builder().maxInputBytes(4).build();
    assertThat(inputLimitOutcomes(limits, ExpositionFormat.PROMETHEUS_TEXT, "a 1\nb 2\n"))
        .containsOnly("[SAMPLE a 1.0 [a UNKNOWN VALUE]]"
            + " 2:1: exposition is longer than 4 bytes (raise ParserLimits.maxInputBytes) @4");
  }

  @Test
  void anInputOfExactlyMaxInputBytesIsRead() {
    ParserLimits limits = ParserLimits.builder().maxInputBytes(8).build();
    assertThat(inputLimitOutcomes(limits, ExpositionFormat.PROMETHEUS_TEXT, "a 1\nb 2\n"))
        .containsOnly("[SAMPLE a 1.0 [a UNKNOWN VALUE], SAMPLE b 2.0 [b UNKNOWN VALUE]] END");
    assertThat(inputLimitOutcomes(limits, ExpositionFormat.PROMETHEUS_TEXT, "a 1\nb 2"))
        .containsOnly("[SAMPLE a 1.0 [a UNKNOWN VALUE], SAMPLE b 2.0 [b UNKNOWN VALUE]] END");
  }

  @Test
  void anOpenMetricsEofBeforeTheLimitWithMoreAfterItFails() {
    // "# EOF" is inside the limit, but the input goes on: that is not the end of the exposition
    ParserLimits limits = ParserLimits.builder().maxInputBytes(10).build();
    assertThat(inputLimitOutcomes(limits, ExpositionFormat.OPENMETRICS, "a 1\n# EOF\n"))
        .containsOnly("[SAMPLE a 1.0 [a UNKNOWN VALUE]] END");
    for (Object outcome : inputLimitOutcomes(limits, ExpositionFormat.OPENMETRICS, "a 1\n# EOF\nb 2\n")) {
      assertThat(outcome.toString()).startsWith("[SAMPLE a 1.0 [a UNKNOWN VALUE]] ").doesNotEndWith(" END");
    }
  }

  @Test
  void anEndlessStreamOfCommentsStopsAtMaxInputBytes() {
    // no other limit counts comment lines: this one ends the parse, having read one byte past it
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT)
        .limits(ParserLimits.builder().maxInputBytes(1 << 20).build()).build();
    Endless in = new Endless("", "# a comment line that never stops coming\n");
    ExpositionParseException e = errorOf(p.reset(in));
    assertThat(e.limit()).isEqualTo("maxInputBytes");
    assertThat(e.byteOffset()).isEqualTo(1 << 20);
    assertThat(in.served).isLessThan((1 << 20) + 64 * 1024);
    assertThatThrownBy(() -> ParserLimits.builder().maxInputBytes(0))
        .hasMessage("maxInputBytes must be at least 1: 0");
    assertThat(ParserLimits.DEFAULTS.maxInputBytes()).isEqualTo(1L << 30);
  }

  @Test
  void repeatedHelpLinesKeepTheLastHelpOfEachFamily() {
    // lenient text keeps the last HELP of a family; replaced texts are reused in place or compacted away, which
    // must never mix up the families' texts
    Random random = new Random(11);
    StringBuilder body = new StringBuilder();
    String[] last = new String[4];
    for (int i = 0; i < 5000; i++) {
      int f = random.nextInt(last.length);
      int len = 1 + random.nextInt(random.nextBoolean() ? 20 : 3000);
      String help = (random.nextInt(10) == 0 ? "é" : "") + ("" + (char) ('a' + f)).repeat(len) + i;
      body.append("# HELP fam").append(f).append(' ').append(help).append('\n');
      last[f] = help;
    }
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();
    Expositions.drain(p.reset(body.toString().getBytes(UTF_8)));
    for (int o = 0; o < p.familyCount(); o++) {
      int f = p.familyName(o).charAt(3) - '0';
      assertThat(p.familyHelp(o)).as(p.familyName(o)).isEqualTo(last[f]);
    }
    assertThat(p.familyCount()).isEqualTo(last.length);
  }

  @Test
  void theHelpLimitCountsTheHelpEachFamilyKeeps() {
    ParserLimits limits = ParserLimits.builder().maxHelpBytes(4096).build();
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).limits(limits).build();
    // a replaced help no longer counts: 1000 lines of 1 KiB for one family keep 1 KiB
    String kib = "h".repeat(1024);
    Expositions.drain(p.reset(("# HELP a " + kib + "\n").repeat(1000).getBytes(UTF_8)));
    Expositions.drain(p.reset(("# HELP a é" + kib + "\n").repeat(1000).getBytes(UTF_8)));
    ExpositionParseException e = errorOf(p.reset(("# HELP a " + kib + "\n# HELP b " + kib + "\n# HELP c " + kib
        + "\n# HELP d " + kib + "\n# HELP e x\n").getBytes(UTF_8)));
    assertThat(e.limit()).isEqualTo("maxHelpBytes");
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.column()).isEqualTo(10);
  }

  @Test
  void skippedHelpLinesCountNothingAgainstTheHelpLimit() {
    // a HELP line rejected for its text keeps nothing, so it must not count: 50 of them are 550 bytes
    ParserLimits limits = ParserLimits.builder().maxHelpBytes(100).build();
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).limits(limits)
        .badLinePolicy(BadLinePolicy.SKIP).build();
    byte[] bad = "# HELP a bad \u00ff\u00fe text\n".getBytes(ISO_8859_1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 50; i++) {
      body.writeBytes(bad);
    }
    body.writeBytes("# HELP a good\na 1\n".getBytes(UTF_8));
    Expositions.drain(p.reset(body.toByteArray()));
    assertThat(p.skippedLines()).isEqualTo(50);
    assertThat(p.lastSkippedError().reason()).contains("UTF-8");
    assertThat(p.familyHelp(0)).isEqualTo("good");
  }

  @Test
  void theFamilyLimitCountsFamiliesWithoutSamples() {
    ParserLimits limits = ParserLimits.builder().maxFamilies(2).build();
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).limits(limits).build();
    ExpositionParseException e = errorOf(p.reset("# HELP a x\n# TYPE b gauge\nb 1\nc 2\n".getBytes(UTF_8)));
    assertThat(e.limit()).isEqualTo("maxFamilies");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(1);
    Expositions.drain(p.reset("# HELP a x\n# TYPE b gauge\nb 1\na 2\n".getBytes(UTF_8)));
  }
}

package io.github.infermetrics.core.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SyntheticInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile bodies for the parser, made up as they are read ({@link SyntheticInputStream}): each ends with the
 * documented error naming the limit, having read little more than the limit. The suite runs in its own surefire
 * execution with {@code -Xmx96m} (see core/pom.xml), which proves the heap bound; each test has a time bound.
 * The scraper's side (a body that never ends, gzip bombs, slow drips) is {@code scrape.HostileServerTest}, which
 * runs in the same execution.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final long GIB = 1L << 30;
  private static final int MIB = 1 << 20;
  private static final byte[] NOTHING = new byte[0];

  @Test
  void aOneGigabyteLineStopsAtTheLineLimit() {
    // 1 GiB of 'x' in a label value: 16,384 pieces of 64 KiB
    SyntheticInputStream in = SyntheticInputStream.repeat("m{a=\"".getBytes(UTF_8), filled('x', 64 * 1024),
        GIB / (64 * 1024), "\"} 1\n".getBytes(UTF_8));
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxLineLength");
    assertThat(e.reason()).contains("raise ParserLimits.maxLineLength");
    assertThat(e.line()).isEqualTo(1);
    // the default limit is 1 MiB: the parser stops within one read of it
    assertThat(in.bytesRead()).isLessThan(2L * MIB);
  }

  @Test
  void aMillionLabelsOnOneSeriesStopAtTheLabelLimit() {
    // "l0="v",l1="v",...": about 13 MB on one line; the line limit is raised so that the label limit speaks
    SyntheticInputStream in = SyntheticInputStream.of("m{", i -> "l" + i + "=\"v\",", 1_000_000, "} 1\n");
    ExpositionParser p = ExpositionParser.builder()
        .limits(ParserLimits.builder().maxLineLength(16 * MIB).build()).build();
    ExpositionParseException e = parseFails(p, in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxLabelsPerSeries");
    assertThat(e.reason()).contains("256").contains("raise ParserLimits.maxLabelsPerSeries");
  }

  @Test
  void aMillionLabelsWithDefaultLimitsStopAtTheLineLimit() {
    SyntheticInputStream in = SyntheticInputStream.of("m{", i -> "l" + i + "=\"v\",", 1_000_000, "} 1\n");
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isIn("maxLineLength", "maxLabelsPerSeries");
    assertThat(in.bytesRead()).isLessThan(2L * MIB);
  }

  @Test
  void aMillionAndOneSeriesStopAtTheSeriesLimit() {
    SyntheticInputStream in = SyntheticInputStream.of("# TYPE m gauge\n", i -> "m{i=\"" + i + "\"} 1\n",
        1_000_001, "");
    ExpositionParser p = ExpositionParser.create();
    ExpositionParseException e = parseFails(p, in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxSeries");
    assertThat(e.reason()).isEqualTo("exposition has more than 1000000 samples (raise ParserLimits.maxSeries)");
    assertThat(p.sampleCount()).isEqualTo(1_000_001);
  }

  @Test
  void endlessSeriesIntoASnapshotStopAtTheSeriesLimitWithinTheHeap() {
    // the reader keeps every point until the end: its heap is proportional to maxSeries, so the limit is what
    // bounds it (100,000 points fit the suite's 96 MB; the default of 1,000,000 needs a few hundred MB)
    SyntheticInputStream in = SyntheticInputStream.of("# TYPE m gauge\n", i -> "m{i=\"" + i + "\"} 1\n",
        SyntheticInputStream.ENDLESS, "");
    SnapshotReader reader = new SnapshotReader(ExpositionParser.builder()
        .limits(ParserLimits.builder().maxSeries(100_000).build()).build());
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class,
        () -> reader.read(in, ExpositionFormat.PROMETHEUS_TEXT));
    assertThat(e.limit()).isEqualTo("maxSeries");
  }

  @Test
  void aGigabyteOfEscapesStopsAtTheLineLimit() {
    SyntheticInputStream in = SyntheticInputStream.repeat("m{a=\"".getBytes(UTF_8), repeated("\\\\", 32 * 1024),
        GIB / (64 * 1024), "\"} 1\n".getBytes(UTF_8));
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxLineLength");
  }

  @Test
  void escapesUpToTheLimitsAreUnescapedInLinearTime() {
    // 4 MiB of "\\" (2 Mi escapes) in one value, limits raised to fit: one pass, well under the time bound
    ParserLimits roomy = ParserLimits.builder().maxLineLength(5 * MIB).maxLabelValueLength(4 * MIB).build();
    SyntheticInputStream in = SyntheticInputStream.repeat("m{a=\"".getBytes(UTF_8), repeated("\\\\", 32 * 1024),
        64, "\"} 1\n".getBytes(UTF_8));
    ExpositionParser p = ExpositionParser.builder().limits(roomy).build();
    long start = System.nanoTime();
    p.reset(in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.labelValue(0).length()).isEqualTo(2 * MIB);
    assertThat(p.next()).isEqualTo(ExpositionEvent.END);
    assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void invalidUtf8IsAnErrorAtItsColumn() {
    // "m{a=\"" is 5 bytes: the bad byte 0xC3 0x28 (a lead byte without its continuation) is column 6 of line 2
    byte[] body = "ok 1\nm{a=\"\u00ff\"} 1\n".getBytes(UTF_8);
    body[10] = (byte) 0xC3;
    body[11] = (byte) 0x28;
    for (boolean strict : new boolean[] {false, true}) {
      ExpositionParser p = ExpositionParser.builder().strict(strict).build();
      ExpositionParseException e = parseFails(p, new ByteArrayInputStream(body),
          ExpositionFormat.PROMETHEUS_TEXT);
      assertThat(e.reason()).containsIgnoringCase("UTF-8");
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(6);
    }
  }

  @Test
  void aGigabyteOfInvalidUtf8StopsAtTheLineLimit() {
    SyntheticInputStream in = SyntheticInputStream.repeat("# HELP m ".getBytes(UTF_8), filled((char) 0xFF, 65536),
        GIB / 65536, "\n".getBytes(UTF_8));
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.line()).isEqualTo(1);
    assertThat(in.bytesRead()).isLessThan(2L * MIB);
  }

  @Test
  void aGigabyteOfNulBytesStopsAtTheLineLimit() {
    // a stream's line is buffered up to its line feed before it is parsed, so the line limit comes first
    SyntheticInputStream in = SyntheticInputStream.repeat(NOTHING, new byte[65536], GIB / 65536, NOTHING);
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxLineLength");
    assertThat(e.line()).isEqualTo(1);
    assertThat(in.bytesRead()).isLessThan(2L * MIB);
  }

  @Test
  void nulBytesInAShortLineAreASyntaxErrorAtTheirColumn() {
    // "m" then NUL: not a valid character after a metric name, column 2
    ExpositionParser p = ExpositionParser.create();
    p.reset("m\0\0\0 1\n".getBytes(UTF_8));
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, p::next);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(2);
  }

  @Test
  void numbersWithTenThousandDigits() {
    String big = "9".repeat(10_000);
    String tiny = "0." + "0".repeat(10_000) + "1";
    String longFraction = "1." + "3".repeat(10_000);
    byte[] body = ("b " + tiny + "\nc " + longFraction + "\na " + big + "\n").getBytes(UTF_8);
    ExpositionParser p = ExpositionParser.create();
    p.reset(body);
    // 1e-10001 is below the smallest subnormal (4.9e-324): 0
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.value()).isEqualTo(0.0);
    // 1.333...3 (10,000 threes) rounds to the double nearest 4/3 - 1/3 * 10^-10000, which is 1.3333333333333333
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.value()).isEqualTo(1.3333333333333333);
    // 9...9 (10,000 digits) is about 1e10000, beyond the largest double: a range error, as Go's ParseFloat gives
    ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class, p::next);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(3);
    assertThat(e.reason()).startsWith("number out of range");
  }

  @Test
  void anEndlessBodyOfCommentsStopsAtTheInputLimit() {
    // comment lines count against no other limit: with the defaults, the parse ends after 1 GiB
    SyntheticInputStream in = SyntheticInputStream.repeat(NOTHING,
        repeated("# HELP m a help text that comes again and again\n", 1024), SyntheticInputStream.ENDLESS, NOTHING);
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxInputBytes");
    assertThat(e.reason()).isEqualTo("exposition is longer than 1073741824 bytes (raise ParserLimits.maxInputBytes)");
    assertThat(e.byteOffset()).isEqualTo(GIB);
    assertThat(in.bytesRead()).isEqualTo(GIB + 1);
  }

  @Test
  void endlessHelpLinesOfNewFamiliesStopAtTheFamilyLimit() {
    // families named only by HELP lines hold no sample, so maxSeries never sees them
    SyntheticInputStream in = SyntheticInputStream.of("", i -> "# HELP family_" + i + " the help of a family\n",
        SyntheticInputStream.ENDLESS, "");
    ExpositionParser p = ExpositionParser.create();
    ExpositionParseException e = parseFails(p, in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxFamilies");
    assertThat(e.reason()).isEqualTo("exposition has more than 100000 metric families (raise ParserLimits.maxFamilies)");
    assertThat(e.line()).isEqualTo(100_001);
    assertThat(p.familyCount()).isEqualTo(100_000);
  }

  @Test
  void helpLinesOfOneFamilyGrowingForeverStayWithinTheHeap() {
    // a lenient second HELP replaces the first: the parser keeps one help per family, not every one it read
    SyntheticInputStream in = SyntheticInputStream.of("", i -> "# HELP m " + "h".repeat((int) (i % 50_000)) + "\n",
        SyntheticInputStream.ENDLESS, "");
    ExpositionParser p = ExpositionParser.builder()
        .limits(ParserLimits.builder().maxInputBytes(1L << 30).build()).build();
    ExpositionParseException e = parseFails(p, in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxInputBytes");
  }

  @Test
  void familiesWithMegabyteHelpTextsStopAtTheHelpLimit() {
    // every HELP line is within the line limit, but the parser keeps each family's help: 8 MiB in all, by default
    String help = "h".repeat(MIB - 64);
    SyntheticInputStream in = SyntheticInputStream.of("", i -> "# HELP family_" + i + " " + help + "\n", 1000, "");
    ExpositionParseException e = parseFails(ExpositionParser.create(), in, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(e.limit()).isEqualTo("maxHelpBytes");
    assertThat(e.reason()).isEqualTo(
        "the help texts of the exposition are longer than 8388608 bytes (raise ParserLimits.maxHelpBytes)");
    assertThat(e.line()).isEqualTo(9);
  }

  private static ExpositionParseException parseFails(ExpositionParser p, InputStream in, ExpositionFormat format) {
    p.reset(in, format);
    return catchThrowableOfType(ExpositionParseException.class, () -> {
      while (p.next() != ExpositionEvent.END) {
        // drain
      }
    });
  }

  private static byte[] filled(char c, int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) c);
    return b;
  }

  private static byte[] repeated(String s, int times) {
    return s.repeat(times).getBytes(UTF_8);
  }
}

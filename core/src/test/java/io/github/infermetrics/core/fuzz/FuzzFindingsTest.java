package io.github.infermetrics.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.fuzz.ParserProperties.Mode;
import io.github.infermetrics.core.testing.AllocationMeter;
import io.github.infermetrics.core.testing.ChunkedInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inputs the fuzz campaigns found (RELIABILITY.md), kept in {@code src/test/resources/.../fuzz/findings}: each
 * now satisfies every property in every mode, and the specific fixes are pinned down.
 */
class FuzzFindingsTest {
  static Stream<Arguments> findings() throws IOException, URISyntaxException {
    Path dir = Paths.get(Objects.requireNonNull(FuzzFindingsTest.class.getResource("findings")).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList().stream()
          .flatMap(f -> Stream.of(Mode.values()).map(m -> Arguments.of(f.getFileName().toString(), m, f)));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("findings")
  void everyFindingSatisfiesTheProperties(String name, Mode mode, Path file) throws IOException {
    byte[] input = Files.readAllBytes(file);
    ParserProperties.Outcome array = ParserProperties.check(mode.newParser(BadLinePolicy.REJECT), input);
    ParserProperties.check(mode.newParser(BadLinePolicy.SKIP), input);
    ParserProperties.Outcome stream = ParserProperties.parse(mode.newParser(BadLinePolicy.REJECT),
        new ChunkedInputStream(input, new int[] {1, 7}), mode.format, input.length);
    assertThat(stream.sameAs(array)).as(array.describe() + " / " + stream.describe()).isTrue();
  }

  /**
   * Found by prometheusTextLenient: a body starting with {@code <} is rejected as HTML, and the excerpt of that
   * error decoded UTF-8 past the end of the input when the body ended inside a multi-byte sequence
   * (ArrayIndexOutOfBoundsException in Utf8.sequenceLength). The last bytes are now shown escaped.
   */
  @Test
  void anHtmlBodyEndingInsideAUtf8SequenceIsReportedAsHtml() throws Exception {
    byte[] input = Files.readAllBytes(file("html_body_with_truncated_utf8_excerpt_1"));
    ExpositionParser p = ExpositionParser.create();
    p.reset(input);
    assertThatThrownBy(p::next).isInstanceOfSatisfying(ExpositionParseException.class, e -> {
      assertThat(e.reason()).startsWith("the input is an HTML or XML page");
      assertThat(e.byteOffset()).isZero();
      assertThat(e.excerpt()).startsWith("<\\xc4`lala\\x18").contains("\\xe1");
    });
  }

  /**
   * Found by replaying the HTML findings through a stream: with a known format, only the stream's first chunk was
   * checked for a foreign body, so a body cut after its first byte gave "invalid metric name" instead of the HTML
   * error. The stream path now reads the same prefix the array path checks.
   */
  @Test
  void anHtmlBodyInOneByteChunksIsReportedAsHtml() {
    byte[] input = "  \n<html><body>502 Bad Gateway</body></html>\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create();
    p.reset(new ChunkedInputStream(input, new int[] {1}), ExpositionFormat.PROMETHEUS_TEXT);
    assertThatThrownBy(p::next).isInstanceOfSatisfying(ExpositionParseException.class,
        e -> assertThat(e.reason()).startsWith("the input is an HTML or XML page"));
  }

  /**
   * Found by prometheusTextLenient's allocation bound: 14,150 bytes with 75 bad lines full of binary bytes
   * allocated 7.9 MB under {@link BadLinePolicy#SKIP}, because every error excerpt spelled each non-printable byte
   * with {@code String.format} (about 35 KB of garbage per skipped line). With a plain hex append it is about
   * 170 KB per parse (12 bytes per input byte); the bound here is 40 bytes per input byte.
   */
  @Test
  void skippedBinaryLinesAllocateLittle() throws Exception {
    byte[] input = Files.readAllBytes(file("skip_policy_binary_lines_allocation"));
    ExpositionParser p = Mode.TEXT_LENIENT.newParser(BadLinePolicy.SKIP);
    Runnable parse = () -> {
      p.reset(input);
      while (p.next() != ExpositionEvent.END) {
        // drain
      }
    };
    parse.run(); // warm up: class loading and the parser's buffers
    long allocated = AllocationMeter.forCurrentThread().measure(parse);
    assertThat(p.skippedLines()).isEqualTo(75);
    assertThat(allocated).isLessThan(40L * input.length);
  }

  /**
   * Found by the streamInRandomChunks campaign (2 inputs, 2 stacks): an OpenMetrics stream without {@code # EOF},
   * read in chunks such that the buffer was compacted before the end of the input was seen. The missing-EOF
   * error then built its excerpt from a line start that the compaction had made negative:
   * ArrayIndexOutOfBoundsException in Swar.indexOfNewline instead of the parse error. An error at the end of an
   * input that ends with a line feed is now reported at the start of the line after the last one, in arrays and
   * streams alike (the input has 94 lines: line 95, column 1).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("refillFindings")
  void aMissingEofAfterABufferCompactionIsAParseError(String name, Mode mode, int[] chunks) throws Exception {
    byte[] input = Files.readAllBytes(file(name));
    ExpositionParser p = mode.newParser(BadLinePolicy.REJECT);
    p.reset(new ChunkedInputStream(input, chunks), mode.format);
    assertThatThrownBy(() -> {
      while (p.next() != ExpositionEvent.END) {
        // drain
      }
    }).isInstanceOfSatisfying(ExpositionParseException.class, e -> {
      assertThat(e.reason()).startsWith("missing '# EOF'");
      assertThat(e.byteOffset()).isEqualTo(input.length);
      assertThat(e.line()).isEqualTo(lineFeeds(input) + 1);
      assertThat(e.column()).isEqualTo(1);
    });
  }

  private static int lineFeeds(byte[] input) {
    int n = 0;
    for (byte b : input) {
      n += b == '\n' ? 1 : 0;
    }
    return n;
  }

  static Stream<Arguments> refillFindings() {
    return Stream.of(
        Arguments.of("openmetrics_missing_eof_after_a_refill_1", Mode.OPENMETRICS_LENIENT,
            new int[] {294, 3228, 2609, 1825, 3318, 3807, 3520}),
        Arguments.of("openmetrics_missing_eof_after_a_refill_2", Mode.OPENMETRICS_STRICT,
            new int[] {2748, 1076, 4424, 4420, 1464, 3520}));
  }

  /**
   * Found by the first regression run of openMetricsStrict: {@code a 1} without a line feed or {@code # EOF} was
   * reported at byte offset 4 of a 3-byte input (the virtual line feed's successor). It is now offset 3, the end.
   */
  @Test
  void aMissingEofIsReportedInsideTheInput() throws Exception {
    byte[] input = Files.readAllBytes(file("openmetrics_missing_eof_offset_past_end"));
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).build();
    p.reset(input);
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThatThrownBy(p::next).isInstanceOfSatisfying(ExpositionParseException.class, e -> {
      assertThat(e.reason()).startsWith("missing '# EOF'");
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.byteOffset()).isEqualTo(3);
    });
  }

  private static Path file(String name) {
    try {
      return Paths.get(Objects.requireNonNull(FuzzFindingsTest.class.getResource("findings/" + name)).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

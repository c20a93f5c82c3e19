package io.github.infermetrics.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.ChunkedInputStream;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real exposition in {@code ../shared} parses leniently with its exact family and sample counts, its format
 * is detected, and every input path (array, heap and direct buffers, a stream fed one byte or random chunks at a
 * time) gives the same events.
 */
class DataFilesTest {

  /**
   * Expected counts: samples are the non-comment lines and families the {@code # TYPE} lines of each file (every
   * sample of these files belongs to a typed family), except where noted.
   */
  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("fixtures/triton/triton_metrics_datadog-fixture.txt", ExpositionFormat.PROMETHEUS_TEXT, 32, 377),
        Arguments.of("fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt", ExpositionFormat.PROMETHEUS_TEXT, 50,
            185),
        Arguments.of("fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt", ExpositionFormat.PROMETHEUS_TEXT, 29,
            120),
        Arguments.of("fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt",
            ExpositionFormat.PROMETHEUS_TEXT, 33, 255),
        // Prometheus's own benchmark files; the README gives 237 families and 1,857 samples
        Arguments.of("conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt",
            ExpositionFormat.PROMETHEUS_TEXT, 237, 1857),
        // no metadata at all, ends with # EOF: every distinct sample name is its own family
        Arguments.of("conformance/prometheus-text/textparse-testdata/alltypes.237mfs.nometa.prom.txt",
            ExpositionFormat.OPENMETRICS, 291, 1857),
        Arguments.of("conformance/prometheus-text/textparse-testdata/alltypes.5mfs.om.txt",
            ExpositionFormat.OPENMETRICS, 5, 53),
        Arguments.of("conformance/prometheus-text/textparse-testdata/1histogram.om.txt",
            ExpositionFormat.OPENMETRICS, 1, 42),
        Arguments.of("conformance/prometheus-text/expfmt-testdata/text", ExpositionFormat.PROMETHEUS_TEXT, 37, 248));
  }

  @ParameterizedTest
  @MethodSource("files")
  void parsesLenientlyWithExactCounts(String file, ExpositionFormat format, int families, int samples)
      throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir(file));
    ExpositionParser parser = ExpositionParser.create();
    List<String> events = Expositions.events(parser.reset(bytes));
    assertThat(parser.format()).isEqualTo(format);
    assertThat(parser.familyCount()).isEqualTo(families);
    assertThat(parser.sampleCount()).isEqualTo(samples);
    assertThat(events.stream().filter(e -> e.startsWith("SAMPLE"))).hasSize(samples);
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyInputPathGivesTheSameEvents(String file, ExpositionFormat format, int families, int samples)
      throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir(file));
    ExpositionParser parser = ExpositionParser.create();
    List<String> expected = Expositions.events(parser.reset(bytes));

    byte[] padded = new byte[bytes.length + 7];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    assertThat(Expositions.events(parser.reset(padded, 3, bytes.length, null))).isEqualTo(expected);
    assertThat(Expositions.events(parser.reset(ByteBuffer.wrap(padded, 3, bytes.length)))).isEqualTo(expected);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 5);
    direct.position(5);
    direct.put(bytes).position(5);
    assertThat(Expositions.events(parser.reset(direct))).isEqualTo(expected);
    assertThat(direct.position()).isEqualTo(5);
    assertThat(Expositions.events(parser.reset(new ChunkedInputStream(bytes, new int[] {1})))).isEqualTo(expected);
    assertThat(Expositions.events(parser.reset(new RandomChunks(bytes, file.hashCode())))).isEqualTo(expected);
    // a stream is detected from its first 64 KiB, which may not reach a final # EOF (the 148 KB nometa file):
    // for that file both formats give the same events
  }

  @ParameterizedTest
  @MethodSource("files")
  void strictModeAcceptsTheValidOnesAndSaysWhyNot(String file, ExpositionFormat format, int families, int samples)
      throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir(file));
    // the Prometheus benchmark files are 0.0.4 (nometa only ends with a # EOF comment)
    ExpositionFormat declared = file.endsWith(".om.txt") ? ExpositionFormat.OPENMETRICS
        : ExpositionFormat.PROMETHEUS_TEXT;
    ExpositionParser strict = ExpositionParser.builder().format(declared).strict(true).build();
    strict.reset(bytes);
    if (file.endsWith("alltypes.5mfs.om.txt")) {
      // client_golang wrote a histogram with negative buckets and a _sum: OpenMetrics forbids that
      // (conformance cases bad_counter_values_8, bad_counter_values_9, bad_histograms_3)
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ExpositionParseException.class,
          () -> Expositions.drain(strict)).reason()).isEqualTo("sum must not be negative");
    } else if (file.startsWith("fixtures/") && bytes[bytes.length - 1] != '\n') {
      // three of the fixtures were captured without the final line feed that 0.0.4 requires
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ExpositionParseException.class,
          () -> Expositions.drain(strict)).reason()).isEqualTo("the last line has no line feed");
    } else {
      assertThat(Expositions.drain(strict)).isEqualTo(samples);
    }
  }

  /** Hands out the bytes in random chunks of 1 to 300 bytes. */
  static final class RandomChunks extends InputStream {
    private final byte[] bytes;
    private final SplittableRandom random;
    private int pos;

    RandomChunks(byte[] bytes, long seed) {
      this.bytes = bytes;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(300)), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}

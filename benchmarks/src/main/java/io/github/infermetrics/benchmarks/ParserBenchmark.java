package io.github.infermetrics.benchmarks;

import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing one whole exposition, held in a {@code byte[]}, with infermetrics and with the Java peers, on the same
 * bytes.
 *
 * <p><b>What is measured.</b> One operation is one full parse of the file named by the {@code file} parameter; the
 * bytes are read once per trial (from the shared data directory, see {@link Fixtures}) and every benchmark of a
 * trial reads the same array. Single thread, average time per operation.
 *
 * <ul>
 *   <li>{@code newlineBaseline}: counts {@code '\n'} bytes with a plain loop. Every parser must at least look at
 *       every byte, so this is the speed limit.
 *   <li>{@code infermetricsStream}: the lenient streaming parser, {@code reset(bytes)} then every event; each
 *       sample is consumed through its name, every label name, every label value view ({@code length()}, no
 *       {@code String} is made) and its value. Returns the sample count.
 *   <li>{@code infermetricsSnapshot}: {@code SnapshotReader.read(bytes)}, the whole exposition materialised as
 *       families, points and label sets (label values as {@code String}s), like the peers do. Returns the
 *       snapshot's sample count.
 *   <li>{@code hawkular}, {@code skywalking}: the peers over a {@code ByteArrayInputStream} of the same bytes,
 *       families pulled until the input is exhausted; see {@link Peers} for how their output is counted.
 *   <li>{@link Strict#infermetricsStrict}: the streaming parser in strict mode (expfmt's rules for Prometheus
 *       text), in the nested class {@link Strict} because strict mode rejects some inputs, see there.
 * </ul>
 *
 * <p>The parsers are told the format ({@code OPENMETRICS} for {@code alltypes-om}, {@code PROMETHEUS_TEXT} for the
 * rest), so format detection is not part of the measurement. Parser objects are built once per trial and reused,
 * which is how infermetrics is meant to be used (one parser per scrape target); the peers have no reusable parser
 * object and build a new one per operation, as they do in their own scrape loops.
 *
 * <p><b>Samples returned.</b> The peers silently drop what they do not understand (samples without {@code # HELP}
 * or {@code # TYPE} metadata, OpenMetrics-style names), so their time per operation may cover less output. At the
 * start of each trial a line like
 * {@code samples-returned: file=alltypes bytes=190191 infermetrics=1857 snapshot=1857 strict=1857 hawkular=1857
 * skywalking=1857} is printed to stdout, so it lands in the run's log ({@code grep '^samples-returned:'}); use it
 * alongside the timings. On {@code alltypes-om}
 * (OpenMetrics, which neither peer supports) the peers still run and return what they could make of it.
 *
 * <p><b>Running</b>, from the project root (the default data directory is {@code ../shared} from the working
 * directory; {@code -Dinfermetrics.benchmarks.data=<dir>} before {@code -jar} overrides it):
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ParserBenchmark -prof gc -rf json -rff parser-benchmark.json
 * java -jar benchmarks/target/benchmarks.jar ParserBenchmark -p file=alltypes -prof gc    # one input
 * </pre>
 *
 * <p>The regular expression {@code ParserBenchmark} also selects {@code ParserBenchmark.Strict}. Fork, warm-up and
 * measurement are pinned by annotations (1 fork with {@code -Xms1g -Xmx1g}, 5 × 1 s warm-up, 5 × 1 s measurement).
 *
 * <p><b>Derived figures</b>, with bytes = the file size (the {@code bytes=} of the samples-returned line) and
 * op = one full parse of the file:
 *
 * <ul>
 *   <li>throughput in MB/s (10<sup>6</sup> bytes per second) = bytes / (µs/op);
 *   <li>ns/sample = 1000 × (µs/op) / samples, with samples = the sample lines of the file (the
 *       {@code infermetrics=} count); for a peer that returned fewer, the figure is per input sample, not per
 *       sample it produced;
 *   <li>allocation per operation is {@code gc.alloc.rate.norm} (B/op) from {@code -prof gc}; per sample, divide
 *       by the same sample count.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ParserBenchmark {

  /** The input, by short name ({@link Fixtures}). */
  @Param({
    "alltypes",
    "alltypes-nometa",
    "alltypes-om",
    "expfmt",
    "triton",
    "vllm",
    "vllm-v04",
    "neuron",
    "node-exporter"
  })
  public String file;

  private byte[] bytes;
  private ExpositionParser parser;
  private SnapshotReader snapshotReader;
  private long now;

  /** Reads the input, builds the parsers and prints how many samples each parser returns for it. */
  @Setup(Level.Trial)
  public void setUp() {
    bytes = Fixtures.load(file);
    ExpositionFormat format = Fixtures.format(file);
    parser = ExpositionParser.builder().format(format).build();
    snapshotReader = new SnapshotReader(ExpositionParser.builder().format(format).build());
    now = System.currentTimeMillis();

    ExpositionParser strict = ExpositionParser.builder().format(format).strict(true).build();
    String strictSamples;
    try {
      strictSamples = Long.toString(drain(strict.reset(bytes), null));
    } catch (ExpositionParseException e) {
      strictSamples = "rejected";
    }
    // JMH has already printed "# Warmup Iteration   1: " without a line end: start a line of our own
    System.out.println();
    System.out.println(
        "samples-returned: file=" + file
            + " bytes=" + bytes.length
            + " infermetrics=" + drain(parser.reset(bytes), null)
            + " snapshot=" + snapshotReader.read(bytes).sampleCount()
            + " strict=" + strictSamples
            + " hawkular=" + Peers.hawkular(bytes)
            + " skywalking=" + Peers.skywalking(bytes, now));
  }

  /**
   * The speed limit: one pass over the bytes.
   *
   * @return the number of line feeds
   */
  @Benchmark
  public int newlineBaseline() {
    byte[] b = bytes;
    int lines = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /**
   * The lenient streaming parser, every sample consumed.
   *
   * @param bh sink for the checksum of what was read
   * @return the number of samples
   */
  @Benchmark
  public long infermetricsStream(Blackhole bh) {
    return drain(parser.reset(bytes), bh);
  }

  /**
   * The snapshot reader: the whole exposition as families and points.
   *
   * @return the number of samples
   */
  @Benchmark
  public long infermetricsSnapshot() {
    return snapshotReader.read(bytes).sampleCount();
  }

  /**
   * Hawkular's text parser.
   *
   * @return the number of samples it produced
   */
  @Benchmark
  public int hawkular() {
    return Peers.hawkular(bytes);
  }

  /**
   * SkyWalking's text parser.
   *
   * @return the number of samples it produced
   */
  @Benchmark
  public int skywalking() {
    return Peers.skywalking(bytes, now);
  }

  /**
   * Pulls every event of a parser that has just been reset, touching each sample's name, label names, label value
   * views and value.
   *
   * @param parser the parser, reset on the input
   * @param bh where the checksum goes, or {@code null} to drop it
   * @return the number of samples
   */
  static long drain(ExpositionParser parser, Blackhole bh) {
    long samples = 0;
    long checksum = 0;
    for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
      if (e == ExpositionEvent.SAMPLE) {
        samples++;
        checksum += parser.name().length();
        for (int i = 0, n = parser.labelCount(); i < n; i++) {
          checksum += parser.labelName(i).length() + parser.labelValue(i).length();
        }
        checksum += Double.doubleToRawLongBits(parser.value());
      }
    }
    if (bh != null) {
      bh.consume(checksum);
    }
    return samples;
  }

  /**
   * The streaming parser in strict mode, on the inputs that strict mode accepts.
   *
   * <p>Strict mode is not measured on {@code alltypes-om} (strict OpenMetrics rejects it: a histogram with negative
   * buckets has a {@code _sum}, which OpenMetrics forbids) nor on {@code triton}, {@code vllm} and
   * {@code vllm-v04} (no line feed after the last line, which expfmt, and so strict Prometheus text, rejects).
   * Naming one of them with {@code -p file=...} fails this benchmark at setup with the parser's message; the
   * {@code strict=} count of the samples-returned line says {@code rejected} for them.
   */
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @State(Scope.Thread)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 1)
  public static class Strict {

    /** The input, by short name ({@link Fixtures}): those that strict mode accepts. */
    @Param({"alltypes", "alltypes-nometa", "expfmt", "neuron", "node-exporter"})
    public String file;

    private byte[] bytes;
    private ExpositionParser parser;

    /** Reads the input, builds the strict parser and checks that it accepts the input. */
    @Setup(Level.Trial)
    public void setUp() {
      bytes = Fixtures.load(file);
      parser = ExpositionParser.builder().format(Fixtures.format(file)).strict(true).build();
      try {
        drain(parser.reset(bytes), null);
      } catch (ExpositionParseException e) {
        throw new IllegalStateException(
            "strict mode rejects file=" + file + ", so it is not measured there: " + e.getMessage(), e);
      }
    }

    /**
     * The strict streaming parser, every sample consumed.
     *
     * @param bh sink for the checksum of what was read
     * @return the number of samples
     */
    @Benchmark
    public long infermetricsStrict(Blackhole bh) {
      return drain(parser.reset(bytes), bh);
    }
  }
}

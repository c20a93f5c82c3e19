package io.github.infermetrics.benchmarks;

import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.EmfWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.StorageResolution;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One EMF event, serialised by infermetrics' {@link EmfWriter} and by the AWS reference library
 * {@code software.amazon.cloudwatchlogs:aws-embedded-metrics:4.2.0}, into a blackhole.
 *
 * <p><b>The event</b> (the same for both): namespace {@code Inference}, 3 dimensions ({@code cluster},
 * {@code model}, {@code engine}) in one dimension set, 10 metrics with CloudWatch units and typical values (latencies
 * such as 0.0015 s, rates, byte counts), 5 properties (two strings, a boolean, an integer, a number), a timestamp.
 *
 * <ul>
 *   <li>{@code infermetrics}: {@code begin(ts)}, the dimensions, the 10 metrics, the 5 properties, {@code end()};
 *       the writer hands the finished UTF-8 bytes to a sink that gives the array and length to the blackhole. One
 *       writer for the whole run, which is how it is meant to be used (one per thread).
 *   <li>{@code awsEmbeddedMetrics}: what {@code MetricsLogger.flush()} does per event without the sink: a fresh
 *       {@code MetricsContext} (the logger makes a new one after every flush), namespace, the dimension set, the
 *       metrics and properties, the timestamp, then {@code serialize()} (its Jackson object mapper) into the list of
 *       JSON strings given to the blackhole. Its sinks would then print or send that string; that part is left out on
 *       both sides.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar EmfWriterBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EmfWriterBenchmark {
  static final String[] NAMES = {"time_to_first_token_seconds_p95", "time_to_first_token_seconds_p50",
      "inter_token_latency_seconds_p95", "end_to_end_latency_seconds_p99", "queue_time_seconds_mean",
      "request_rate_per_second", "generation_token_rate_per_second", "kv_cache_usage_ratio",
      "accelerator_memory_used_bytes", "batch_size"};
  static final String[] UNITS = {"Seconds", "Seconds", "Seconds", "Seconds", "Seconds", "Count/Second",
      "Count/Second", "None", "Bytes", "Count"};
  static final Unit[] AWS_UNITS = {Unit.SECONDS, Unit.SECONDS, Unit.SECONDS, Unit.SECONDS, Unit.SECONDS,
      Unit.COUNT_SECOND, Unit.COUNT_SECOND, Unit.NONE, Unit.BYTES, Unit.COUNT};
  static final double[] VALUES = {0.231, 0.0815, 0.0015, 1.75, 0.0042, 12.4, 873.5, 0.62, 21474836480.0, 8};

  private EmfWriter writer;
  private Blackhole blackhole;
  private long timestamp;

  /** Hands the event's bytes to the blackhole, so that nothing is optimised away. */
  private final class BlackholeSink implements EmfSink {
    @Override
    public void accept(byte[] event, int offset, int length, long timestampMillis) {
      blackhole.consume(event);
      blackhole.consume(length);
    }

    @Override
    public void flush() {}

    @Override
    public long dropped() {
      return 0;
    }

    @Override
    public void close() {}
  }

  @Setup
  public void setUp(Blackhole bh) {
    blackhole = bh;
    timestamp = System.currentTimeMillis();
    writer = EmfWriter.builder("Inference").defaultDimension("cluster", "prod").sink(new BlackholeSink()).build();
  }

  @Benchmark
  public void infermetrics() {
    EmfWriter.Event e = writer.begin(timestamp)
        .dimension("model", "qwen3-8b")
        .dimension("engine", "0")
        .dimensionSet("model", "engine");
    for (int i = 0; i < NAMES.length; i++) {
      e.metric(NAMES[i], UNITS[i], VALUES[i]);
    }
    e.property("requestId", "989ffbf8-9ace-4817-a57c-e4dd734019ee")
        .property("route", "/v1/chat/completions")
        .property("cached", true)
        .property("attempt", 3L)
        .property("score", 0.731)
        .end();
  }

  @Benchmark
  public List<String> awsEmbeddedMetrics() throws Exception {
    MetricsContext c = new MetricsContext();
    c.setNamespace("Inference");
    c.putDimension(DimensionSet.of("cluster", "prod", "model", "qwen3-8b", "engine", "0"));
    for (int i = 0; i < NAMES.length; i++) {
      c.putMetric(NAMES[i], VALUES[i], AWS_UNITS[i], StorageResolution.STANDARD);
    }
    c.putProperty("requestId", "989ffbf8-9ace-4817-a57c-e4dd734019ee");
    c.putProperty("route", "/v1/chat/completions");
    c.putProperty("cached", true);
    c.putProperty("attempt", 3L);
    c.putProperty("score", 0.731);
    c.setTimestamp(Instant.ofEpochMilli(timestamp));
    return c.serialize();
  }
}

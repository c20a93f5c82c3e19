package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.AllocationMeter;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A warm parser allocates nothing: after the first expositions have sized its buffers and filled its symbol
 * tables, parsing the same target again (and reading every name, label and value) costs 0 bytes, in every mode
 * and for every input path. Measured with the thread's allocation counter, as Micrometer's allocation tests do.
 */
class ZeroAllocationTest {
  private static final String OPENMETRICS_SAMPLE = """
      # TYPE vllm:request_success counter
      # HELP vllm:request_success Count of successfully processed requests.
      vllm:request_success_total{finished_reason="stop",model_name="qwen3"} 17 # {trace_id="4bf92f35"} 1 1700000000.5
      vllm:request_success_created{finished_reason="stop",model_name="qwen3"} 1.7e9
      # TYPE vllm:time_to_first_token_seconds histogram
      # UNIT vllm:time_to_first_token_seconds seconds
      vllm:time_to_first_token_seconds_bucket{le="0.01",model_name="qwen3"} 1
      vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="qwen3"} 5 # {trace_id="ab"} 0.05
      vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="qwen3"} 9
      vllm:time_to_first_token_seconds_count{model_name="qwen3"} 9
      vllm:time_to_first_token_seconds_sum{model_name="qwen3"} 1.25
      # TYPE engine info
      engine_info{name="vLLM \\"V1\\"",region="東京"} 1
      # TYPE state stateset
      state{state="a"} 1
      state{state="b"} 0
      # TYPE q summary
      q{quantile="0.5"} 0.1 1700000000.001
      q_count 3 1700000000.001
      q_sum 1 1700000000.001
      # EOF
      """;

  static Stream<Arguments> expositions() {
    return Stream.of(
        Arguments.of("alltypes (text, lenient)", "conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt",
            ExpositionFormat.PROMETHEUS_TEXT, false),
        Arguments.of("alltypes (text, strict)", "conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt",
            ExpositionFormat.PROMETHEUS_TEXT, true),
        Arguments.of("alltypes (detected)", "conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt",
            null, false),
        Arguments.of("triton (no final line feed)", "fixtures/triton/triton_metrics_datadog-fixture.txt",
            ExpositionFormat.PROMETHEUS_TEXT, false),
        Arguments.of("vllm", "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt", null, false),
        Arguments.of("neuron", "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt",
            ExpositionFormat.PROMETHEUS_TEXT, true),
        Arguments.of("openmetrics (lenient)", "conformance/prometheus-text/textparse-testdata/alltypes.5mfs.om.txt",
            ExpositionFormat.OPENMETRICS, false),
        Arguments.of("openmetrics (strict)", "conformance/prometheus-text/textparse-testdata/1histogram.om.txt",
            ExpositionFormat.OPENMETRICS, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expositions")
  void warmParseOfARealExpositionAllocatesNothing(String name, String file, ExpositionFormat format, boolean strict)
      throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir(file));
    assertZeroAllocation(bytes, format, strict);
  }

  @Test
  void warmStrictOpenMetricsWithExemplarsInfoAndStateSetsAllocatesNothing() {
    assertZeroAllocation(OPENMETRICS_SAMPLE.getBytes(UTF_8), ExpositionFormat.OPENMETRICS, true);
    assertZeroAllocation(OPENMETRICS_SAMPLE.getBytes(UTF_8), null, false);
  }

  private static void assertZeroAllocation(byte[] bytes, ExpositionFormat format, boolean strict) {
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    ExpositionParser parser = ExpositionParser.builder().format(format).strict(strict).build();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes);
    direct.flip();
    for (int i = 0; i < 200; i++) {
      consume(parser.reset(bytes));
      consume(parser.reset(direct));
    }
    long[] checksum = new long[1];
    long heap = meter.fewestOf3(() -> {
      for (int i = 0; i < 20; i++) {
        checksum[0] += consume(parser.reset(bytes));
      }
    });
    long direct20 = meter.fewestOf3(() -> {
      for (int i = 0; i < 20; i++) {
        checksum[0] += consume(parser.reset(direct));
      }
    });
    assertThat(heap).as("bytes allocated by 20 warm parses of a byte[]").isZero();
    assertThat(direct20).as("bytes allocated by 20 warm parses of a direct ByteBuffer").isZero();
    assertThat(checksum[0]).isPositive();
  }

  /** Reads everything a consumer would: names, label names and values, value, timestamp, exemplar. */
  static long consume(ExpositionParser p) {
    long sum = 0;
    for (ExpositionEvent e; (e = p.next()) != ExpositionEvent.END; ) {
      if (e != ExpositionEvent.SAMPLE) {
        sum += p.familyName().length() + (p.familyHelp() == null ? 0 : 1);
        continue;
      }
      sum += p.name().length() + p.familyName().length() + p.kind().ordinal() + (long) p.value();
      for (int i = 0; i < p.labelCount(); i++) {
        CharSequence v = p.labelValue(i);
        sum += p.labelName(i).length() + v.length() + (v.length() > 0 ? v.charAt(v.length() - 1) : 0);
        sum += p.labelValueString(i).length();
      }
      if (p.hasTimestamp()) {
        sum += p.timestampMillis() & 1;
      }
      if (p.hasExemplar()) {
        for (int i = 0; i < p.exemplarLabelCount(); i++) {
          sum += p.exemplarLabelName(i).length() + p.exemplarLabelValue(i).length();
        }
        sum += (long) p.exemplarValue();
      }
    }
    return sum + 1;
  }
}

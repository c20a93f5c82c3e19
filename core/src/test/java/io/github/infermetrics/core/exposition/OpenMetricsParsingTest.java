package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenMetrics 1.0: exemplars, created, units, float timestamps, info and state sets, EOF rules. */
class OpenMetricsParsingTest {
  private final ExpositionParser strict =
      ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).strict(true).build();
  private final ExpositionParser lenient = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).build();

  private List<String> strict(String text) {
    return Expositions.events(strict.reset(text.getBytes(UTF_8)));
  }

  private ExpositionParseException strictError(String text) {
    strict.reset(text.getBytes(UTF_8));
    return catchThrowableOfType(ExpositionParseException.class, () -> Expositions.drain(strict));
  }

  private ExpositionParseException lenientError(String text) {
    lenient.reset(text.getBytes(UTF_8));
    return catchThrowableOfType(ExpositionParseException.class, () -> Expositions.drain(lenient));
  }

  @Test
  void countersHaveTotalCreatedAndExemplars() {
    String text = """
        # TYPE vllm:request_success counter
        # HELP vllm:request_success Count of successfully processed requests.
        vllm:request_success_total{finished_reason="stop",model_name="qwen3"} 17 # {trace_id="4bf92f35"} 1 1700000000.5
        vllm:request_success_created{finished_reason="stop",model_name="qwen3"} 1.7e9
        # EOF
        """;
    assertThat(strict(text)).containsExactly(
        "TYPE vllm:request_success COUNTER",
        "HELP vllm:request_success Count of successfully processed requests.",
        "SAMPLE vllm:request_success_total{finished_reason=\"stop\",model_name=\"qwen3\"} 17.0"
            + " # {trace_id=\"4bf92f35\"} 1.0 @1700000000500 [vllm:request_success COUNTER VALUE]",
        "SAMPLE vllm:request_success_created{finished_reason=\"stop\",model_name=\"qwen3\"} 1.7E9"
            + " [vllm:request_success COUNTER CREATED]");
  }

  @Test
  void floatSecondTimestampsBecomeExactMilliseconds() {
    String text = """
        a_total{x="1"} 1 1520879607.789
        a_total{x="2"} 1 1.5e3
        a_total{x="3"} 1 000
        a_total{x="4"} 1 -1.0005
        a_total{x="5"} 1 12345678901234567890.1234567890
        a_total{x="6"} 1 0.0000000001
        # EOF
        """;
    assertThat(strict(text)).containsExactly(
        "SAMPLE a_total{x=\"1\"} 1.0 @1520879607789 [a_total UNKNOWN VALUE]",
        "SAMPLE a_total{x=\"2\"} 1.0 @1500000 [a_total UNKNOWN VALUE]",
        "SAMPLE a_total{x=\"3\"} 1.0 @0 [a_total UNKNOWN VALUE]",
        "SAMPLE a_total{x=\"4\"} 1.0 @-1000 [a_total UNKNOWN VALUE]",
        "SAMPLE a_total{x=\"5\"} 1.0 @9223372036854775807 [a_total UNKNOWN VALUE]",
        "SAMPLE a_total{x=\"6\"} 1.0 @0 [a_total UNKNOWN VALUE]");
  }

  @Test
  void unitsInfoAndStateSets() {
    String text = """
        # TYPE nv_energy_joules counter
        # UNIT nv_energy_joules joules
        nv_energy_joules_total 12.5
        # TYPE build info
        build_info{version="2.51"} 1
        # TYPE engine_state stateset
        engine_state{engine_state="awake"} 1
        engine_state{engine_state="asleep"} 0
        # EOF
        """;
    assertThat(strict(text)).containsExactly(
        "TYPE nv_energy_joules COUNTER",
        "UNIT nv_energy_joules joules",
        "SAMPLE nv_energy_joules_total 12.5 [nv_energy_joules COUNTER VALUE]",
        "TYPE build INFO",
        "SAMPLE build_info{version=\"2.51\"} 1.0 [build INFO VALUE]",
        "TYPE engine_state STATESET",
        "SAMPLE engine_state{engine_state=\"awake\"} 1.0 [engine_state STATESET VALUE]",
        "SAMPLE engine_state{engine_state=\"asleep\"} 0.0 [engine_state STATESET VALUE]");
  }

  @Test
  void gaugeHistogramSuffixes() {
    String text = """
        # TYPE queue gaugehistogram
        queue_bucket{le="1"} 2
        queue_bucket{le="+Inf"} 3 # {id="x"} 0.5
        queue_gcount 3
        queue_gsum 2
        # EOF
        """;
    assertThat(strict(text)).containsExactly(
        "TYPE queue GAUGE_HISTOGRAM",
        "SAMPLE queue_bucket{le=\"1\"} 2.0 [queue GAUGE_HISTOGRAM BUCKET]",
        "SAMPLE queue_bucket{le=\"+Inf\"} 3.0 # {id=\"x\"} 0.5 [queue GAUGE_HISTOGRAM BUCKET]",
        "SAMPLE queue_gcount 3.0 [queue GAUGE_HISTOGRAM COUNT]",
        "SAMPLE queue_gsum 2.0 [queue GAUGE_HISTOGRAM SUM]");
  }

  @Test
  void lenientSkipsSemanticChecksButNotSyntax() {
    lenient.reset("# TYPE a counter\na_total -1\n# EOF\n".getBytes(UTF_8));
    assertThat(Expositions.events(lenient)).hasSize(2);
    assertThat(lenientError("a  1\n# EOF\n").reason()).isEqualTo("more than one space before the value");
    assertThat(lenientError("a 1\n").reason()).startsWith("missing '# EOF'");
  }

  @Test
  void lenientToleratesCrLf() {
    lenient.reset("# TYPE a gauge\r\na 1\r\n# EOF\r\n".getBytes(UTF_8));
    assertThat(Expositions.events(lenient)).containsExactly("TYPE a GAUGE", "SAMPLE a 1.0 [a GAUGE VALUE]");
  }

  @Test
  void textAfterEofIsRejectedInEveryMode() {
    assertThat(lenientError("a 1\n# EOF\n\n").reason()).isEqualTo("text after '# EOF'");
    assertThat(strictError("a 1\n# EOF\nb 1\n").reason()).isEqualTo("text after '# EOF'");
  }

  @Test
  void exemplarSizeLimitCountsCodePoints() {
    String ok = "# TYPE a counter\na_total 1 # {a=\"" + "☃".repeat(127) + "\"} 1\n# EOF\n";
    assertThat(strict(ok)).hasSize(2);
    ExpositionParseException e = strictError("# TYPE a counter\na_total 1 # {ab=\"" + "☃".repeat(127) + "\"} 1\n# EOF\n");
    assertThat(e.reason()).isEqualTo("exemplar labels have 129 code points, more than the 128 OpenMetrics allows");
    ExpositionParseException limit =
        lenientError("# TYPE a counter\na_total 1 # {ab=\"" + "x".repeat(127) + "\"} 1\n# EOF\n");
    assertThat(limit.limit()).isEqualTo("maxExemplarLabelCodePoints");
  }

  static Stream<Arguments> orderingCases() {
    return Stream.of(
        Arguments.of("# TYPE a counter\na_total 1\na_total 2\n# EOF\n", "duplicate value sample for metric a_total"),
        Arguments.of("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n",
            "metric a{x=\"1\"} appears again after other metrics of family a: a metric's samples must be together"),
        Arguments.of("# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 1\ns_count 2\n# EOF\n",
            "duplicate _count sample for metric s_count"),
        Arguments.of("# TYPE a gauge\n# TYPE b gauge\n# HELP a x\n# EOF\n",
            "metadata of family a after other families: a family's lines must be together"),
        Arguments.of("# TYPE a_total gauge\n# TYPE a counter\n# EOF\n", "counter family a clashes with family a_total"));
  }

  @ParameterizedTest
  @MethodSource("orderingCases")
  void strictOrderingAndDuplicateRules(String text, String reason) {
    assertThat(strictError(text).reason()).isEqualTo(reason);
  }

  @Test
  void theOpenMetricsFamilyOfACounterHasNoTotalSuffix() {
    strict.reset("# TYPE a counter\na_total 1\n# EOF\n".getBytes(UTF_8));
    assertThat(strict.next()).isEqualTo(ExpositionEvent.TYPE);
    assertThat(strict.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(strict.familyName()).isEqualTo("a");
    assertThat(strict.name()).isEqualTo("a_total");
    assertThat(strict.next()).isEqualTo(ExpositionEvent.END);
    assertThat(strict.next()).isEqualTo(ExpositionEvent.END);
    assertThat(strict.familyCount()).isEqualTo(1);
  }

  @Test
  void formatIsDetectedFromTheEnd() {
    ExpositionParser detect = ExpositionParser.create();
    detect.reset("# TYPE a counter\na_total 1\n# EOF\n".getBytes(UTF_8));
    Expositions.drain(detect);
    assertThat(detect.format()).isEqualTo(ExpositionFormat.OPENMETRICS);
    detect.reset("# TYPE a counter\na 1\n".getBytes(UTF_8));
    Expositions.drain(detect);
    assertThat(detect.format()).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    detect.reset(new java.io.ByteArrayInputStream("# TYPE a gauge\n# UNIT a_seconds seconds\n".getBytes(UTF_8)));
    catchThrowableOfType(ExpositionParseException.class, () -> Expositions.drain(detect));
    assertThat(detect.format()).isEqualTo(ExpositionFormat.OPENMETRICS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      application/openmetrics-text; version=1.0.0; charset=utf-8 | OPENMETRICS
      application/openmetrics-text;version=0.0.1                 | OPENMETRICS
      text/plain; version=0.0.4; charset=utf-8                   | PROMETHEUS_TEXT
      text/plain;version=1.0.0;escaping=allow-utf-8              | PROMETHEUS_TEXT
      Text/Plain                                                 | PROMETHEUS_TEXT
      """)
  void contentTypesMapToFormats(String contentType, ExpositionFormat format) {
    assertThat(ExpositionFormat.fromContentType(contentType)).contains(format);
  }

  @Test
  void otherContentTypesAreNotFormats() {
    assertThat(ExpositionFormat.fromContentType("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily"))
        .isEmpty();
    assertThat(ExpositionFormat.fromContentType("application/openmetrics-text; version=2.0.0")).isEmpty();
    assertThat(ExpositionFormat.fromContentType("text/html")).isEmpty();
    assertThat(ExpositionFormat.fromContentType(null)).isEmpty();
  }
}

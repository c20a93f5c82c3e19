package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Prometheus text 0.0.4: values, names, escapes, timestamps, families, lenient and strict rules. */
class PrometheusTextParsingTest {
  private final ExpositionParser lenient = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();
  private final ExpositionParser strict =
      ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).strict(true).build();

  private List<String> lenient(String text) {
    return Expositions.events(lenient.reset(text.getBytes(UTF_8)));
  }

  private List<String> strict(String text) {
    return Expositions.events(strict.reset(text.getBytes(UTF_8)));
  }

  private ExpositionParseException strictError(String text) {
    strict.reset(text.getBytes(UTF_8));
    return org.assertj.core.api.Assertions.catchThrowableOfType(ExpositionParseException.class,
        () -> Expositions.drain(strict));
  }

  private ExpositionParseException lenientError(String text) {
    lenient.reset(text.getBytes(UTF_8));
    return org.assertj.core.api.Assertions.catchThrowableOfType(ExpositionParseException.class,
        () -> Expositions.drain(lenient));
  }

  @Test
  void tritonStyleFamiliesAndSamples() {
    String text = """
        # HELP nv_inference_request_success Number of successful inference requests, all batch sizes
        # TYPE nv_inference_request_success counter
        nv_inference_request_success{model="densenet_onnx",version="1"} 4
        # HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
        # TYPE nv_gpu_utilization gauge
        nv_gpu_utilization{gpu_uuid="GPU-0f6b"} 0.25
        """;
    assertThat(strict(text)).containsExactly(
        "HELP nv_inference_request_success Number of successful inference requests, all batch sizes",
        "TYPE nv_inference_request_success COUNTER",
        "SAMPLE nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 4.0"
            + " [nv_inference_request_success COUNTER VALUE]",
        "HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)",
        "TYPE nv_gpu_utilization GAUGE",
        "SAMPLE nv_gpu_utilization{gpu_uuid=\"GPU-0f6b\"} 0.25 [nv_gpu_utilization GAUGE VALUE]");
    assertThat(strict.familyCount()).isEqualTo(2);
  }

  @Test
  void histogramAndSummarySamplesBelongToTheirFamily() {
    String text = """
        # TYPE vllm:e2e_request_latency_seconds histogram
        vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="qwen3"} 1
        vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="qwen3"} 2
        vllm:e2e_request_latency_seconds_count{model_name="qwen3"} 2
        vllm:e2e_request_latency_seconds_sum{model_name="qwen3"} 1.5
        # TYPE rpc summary
        rpc{quantile="0.99"} 0.2
        rpc_count 10
        rpc_sum 1
        """;
    assertThat(strict(text)).containsExactly(
        "TYPE vllm:e2e_request_latency_seconds HISTOGRAM",
        "SAMPLE vllm:e2e_request_latency_seconds_bucket{le=\"0.3\",model_name=\"qwen3\"} 1.0"
            + " [vllm:e2e_request_latency_seconds HISTOGRAM BUCKET]",
        "SAMPLE vllm:e2e_request_latency_seconds_bucket{le=\"+Inf\",model_name=\"qwen3\"} 2.0"
            + " [vllm:e2e_request_latency_seconds HISTOGRAM BUCKET]",
        "SAMPLE vllm:e2e_request_latency_seconds_count{model_name=\"qwen3\"} 2.0"
            + " [vllm:e2e_request_latency_seconds HISTOGRAM COUNT]",
        "SAMPLE vllm:e2e_request_latency_seconds_sum{model_name=\"qwen3\"} 1.5"
            + " [vllm:e2e_request_latency_seconds HISTOGRAM SUM]",
        "TYPE rpc SUMMARY",
        "SAMPLE rpc{quantile=\"0.99\"} 0.2 [rpc SUMMARY QUANTILE]",
        "SAMPLE rpc_count 10.0 [rpc SUMMARY COUNT]",
        "SAMPLE rpc_sum 1.0 [rpc SUMMARY SUM]");
  }

  @Test
  void samplesFindAnEarlierFamilyLikeExpfmt() {
    // expfmt resolves a sample against every family seen so far, not only the last one
    String text = """
        # TYPE a summary
        a{quantile="0.5"} 1
        b 2
        a_count 3
        b_sum 4
        """;
    assertThat(lenient(text)).containsExactly(
        "TYPE a SUMMARY",
        "SAMPLE a{quantile=\"0.5\"} 1.0 [a SUMMARY QUANTILE]",
        "SAMPLE b 2.0 [b UNKNOWN VALUE]",
        "SAMPLE a_count 3.0 [a SUMMARY COUNT]",
        "SAMPLE b_sum 4.0 [b_sum UNKNOWN VALUE]");
    assertThat(lenient.familyCount()).isEqualTo(3);
  }

  @Test
  void samplesWithoutMetadataAreUnknownAndNeverDropped() {
    assertThat(lenient("go_goroutines 42\nup 1\n")).containsExactly(
        "SAMPLE go_goroutines 42.0 [go_goroutines UNKNOWN VALUE]", "SAMPLE up 1.0 [up UNKNOWN VALUE]");
  }

  @Test
  void labelValueEscapesAreDecoded() {
    assertThat(strict("m{a=\"x\\\\y\",b=\"q\\\"q\",c=\"l1\\nl2\"} 1\n")).containsExactly(
        "SAMPLE m{a=\"x\\y\",b=\"q\"q\",c=\"l1\nl2\"} 1.0 [m UNKNOWN VALUE]");
  }

  @Test
  void unknownEscapesAreKeptInLenientAndRejectedInStrict() {
    assertThat(lenient("m{a=\"x\\ty\"} 1\n")).containsExactly("SAMPLE m{a=\"x\\ty\"} 1.0 [m UNKNOWN VALUE]");
    assertThat(strictError("m{a=\"x\\ty\"} 1\n").reason()).isEqualTo("invalid escape sequence '\\t'");
  }

  @Test
  void helpEscapesAreDecoded() {
    assertThat(strict("# HELP m two-line\\n doc  str\\\\ing \\\"q\\\"\n")).containsExactly(
        "HELP m two-line\n doc  str\\ing \"q\"");
    assertThat(strictError("# HELP m bad \\t escape\n").reason()).isEqualTo("invalid escape sequence in HELP text");
    assertThat(lenient("# HELP m kept \\t escape\n")).containsExactly("HELP m kept \\t escape");
  }

  @Test
  void utf8ValuesAndQuotedUtf8Names() {
    String text = """
        # HELP "my.dotted.metric" Latency in µs
        # TYPE "my.dotted.metric" gauge
        {"my.dotted.metric", "error.message"="Not Found", region="東京"} 1
        {"my.dotted.metric"} 2
        """;
    assertThat(strict(text)).containsExactly(
        "HELP my.dotted.metric Latency in µs",
        "TYPE my.dotted.metric GAUGE",
        "SAMPLE my.dotted.metric{error.message=\"Not Found\",region=\"東京\"} 1.0 [my.dotted.metric GAUGE VALUE]",
        "SAMPLE my.dotted.metric 2.0 [my.dotted.metric GAUGE VALUE]");
    strict.reset(text.getBytes(UTF_8));
    strict.next();
    strict.next();
    strict.next();
    CharSequence v = strict.labelValue(1);
    assertThat(v.length()).isEqualTo(2);
    assertThat(v.charAt(1)).isEqualTo('京');
    assertThat(v.toString()).isEqualTo("東京");
    assertThat(strict.labelValueString(1)).isSameAs(strict.labelValueString(1));
  }

  @Test
  void quotedNameErrorsFromExpfmt() {
    assertThat(strictError("{\"one.name\",\"another.name\"} 1\n").reason()).isEqualTo("metric name given twice");
    assertThat(strictError("{\"bad\\tname\"} 1\n").reason()).startsWith("invalid escape sequence");
    assertThat(strictError("{\"my.metric\".a=\"b\"} 1\n").reason()).isEqualTo("expected '=' after label name my.metric");
    assertThat(strictError("{a=\"ok\"} 1\n").reason()).isEqualTo("metric name missing");
  }

  @Test
  void invalidUtf8IsAnError() {
    byte[] bytes = "m{a=\"x\u00ffy\"} 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    lenient.reset(bytes);
    assertThatThrownBy(() -> Expositions.drain(lenient)).isInstanceOf(ExpositionParseException.class)
        .hasMessageContaining("invalid UTF-8").hasMessageContaining("column 7");
  }

  @Test
  void whitespaceIsFlexible() {
    String text = " # HELP  name2  \tdoc str\"ing 2\n  #    TYPE    name2 gauge\n"
        + "name2{labelname=\"val2\"\t,basename   =   \"basevalue2\"\t\t} +Inf 54321\n"
        + "name2{ labelname = \"val1\" , }-Inf\n"
        + "name2 {labelname=\"val3\"}\t 3 \n\n";
    assertThat(strict(text)).containsExactly(
        "HELP name2 doc str\"ing 2",
        "TYPE name2 GAUGE",
        "SAMPLE name2{labelname=\"val2\",basename=\"basevalue2\"} Infinity @54321 [name2 GAUGE VALUE]",
        "SAMPLE name2{labelname=\"val1\"} -Infinity [name2 GAUGE VALUE]",
        "SAMPLE name2{labelname=\"val3\"} 3.0 [name2 GAUGE VALUE]");
  }

  @Test
  void commentsAndEmptyMetadataAreIgnored() {
    assertThat(strict("# a comment\n#\n# HELP\n# HELP m\n# TYPE m\n# EOF\nm 1\n"))
        .containsExactly("SAMPLE m 1.0 [m UNKNOWN VALUE]");
  }

  @Test
  void timestampsAreInt64Milliseconds() {
    assertThat(strict("a 1 1520879607789\nb 1 -3982045\nc 1 9223372036854775807\n")).containsExactly(
        "SAMPLE a 1.0 @1520879607789 [a UNKNOWN VALUE]", "SAMPLE b 1.0 @-3982045 [b UNKNOWN VALUE]",
        "SAMPLE c 1.0 @9223372036854775807 [c UNKNOWN VALUE]");
    assertThat(strictError("a 1 9223372036854775808\n").reason()).isEqualTo("timestamp out of the int64 range");
    assertThat(strictError("a 1 2.72\n").reason()).isEqualTo("expected an integer timestamp in milliseconds");
    assertThat(strictError("a 1 2 3\n").reason()).isEqualTo("unexpected text after the timestamp");
  }

  @Test
  void largeCountersKeepTheirValue() {
    assertThat(strict("a 9223372036854775808\nb 18446744073709551615\nc 1e300\nd 123456789012345678901234567890\n"))
        .containsExactly("SAMPLE a 9.223372036854776E18 [a UNKNOWN VALUE]",
            "SAMPLE b 1.8446744073709552E19 [b UNKNOWN VALUE]", "SAMPLE c 1.0E300 [c UNKNOWN VALUE]",
            "SAMPLE d 1.2345678901234568E29 [d UNKNOWN VALUE]");
  }

  @Test
  void lenientAcceptsCrLfAndAMissingFinalNewline() {
    assertThat(lenient("# TYPE a gauge\r\na{b=\"c\"} 1\r\na{b=\"d\"} 2")).containsExactly(
        "TYPE a GAUGE", "SAMPLE a{b=\"c\"} 1.0 [a GAUGE VALUE]", "SAMPLE a{b=\"d\"} 2.0 [a GAUGE VALUE]");
    assertThat(strictError("a 1").reason()).isEqualTo("the last line has no line feed");
    assertThat(strictError("a 1\r\n").reason()).isEqualTo("invalid value");
  }

  @Test
  void strictRejectsWhatExpfmtRejects() {
    assertThat(strictError("# HELP m one\n# HELP m two\n").reason()).isEqualTo("second HELP line for metric name m");
    assertThat(strictError("# TYPE m counter\n# TYPE m gauge\n").reason())
        .isEqualTo("second TYPE line for metric name m");
    assertThat(strictError("m 1\n# TYPE m counter\n").reason()).isEqualTo("TYPE line for m after its samples");
    assertThat(strictError("# TYPE m bla\n").reason()).isEqualTo("unknown metric type \"bla\"");
    assertThat(strictError("# TYPE m unknown\n").reason()).isEqualTo("unknown metric type \"unknown\"");
    assertThat(strictError("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n").reason())
        .isEqualTo("expected float as value for 'le' label, got \"x\"");
    assertThat(strictError("# TYPE s summary\ns{quantile=\"x\"} 1\n").reason())
        .isEqualTo("expected float as value for 'quantile' label, got \"x\"");
  }

  @Test
  void lenientAcceptsWhatPrometheusScrapesAccept() {
    assertThat(lenient("# HELP m one\n# HELP m two\nm 1\n")).containsExactly("HELP m one", "HELP m two",
        "SAMPLE m 1.0 [m UNKNOWN VALUE]");
    assertThat(lenient("m 4.12\n# TYPE m counter\nm 5\n")).containsExactly("SAMPLE m 4.12 [m UNKNOWN VALUE]",
        "TYPE m COUNTER", "SAMPLE m 5.0 [m COUNTER VALUE]");
    assertThat(lenient("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n")).hasSize(2);
    assertThat(lenient("# TYPE m info\nm_info{v=\"1\"} 1\n")).containsExactly("TYPE m INFO",
        "SAMPLE m_info{v=\"1\"} 1.0 [m INFO VALUE]");
  }

  @Test
  void aLateTypeThatDoesNotFitTheSamplesIsRejectedEvenLeniently() {
    assertThat(lenientError("m 1\n# TYPE m histogram\n").reason()).isEqualTo("TYPE line for m after its samples");
  }

  @Test
  void samplesThatDoNotFitTheirFamilyAreRejected() {
    assertThat(lenientError("# TYPE h histogram\nh 1\n").reason())
        .isEqualTo("sample h does not fit histogram family h: expected h_bucket, h_count or h_sum");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      metric{label="bla"} 3.14 2 3       | unexpected text after the timestamp
      metric{label="bla"} blubb          | invalid number
      @invalidmetric{label="bla"} 3.14 2 | invalid metric name
      metric{@="bla"} 3.14               | invalid label name
      metric{__name__="bla"} 3.14        | label name __name__ is reserved
      metric{label+="bla"} 3.14          | expected '=' after label name label
      metric{label=bla} 3.14             | expected '"' to start the value of label label
      metric{label="bla"+} 3.14          | expected ',' or '}' after label value
      metric{a="1",a="2"} 1              | duplicate label name a
      metric 1d                          | invalid number
      metric 0x1p3                       | invalid number
      metric 1_000                       | invalid number
      metric{a="1                        | unterminated quoted string
      metric{a="1"                       | missing '}'
      metric                             | missing value
      met-ric 1                          | invalid character in metric name
      """)
  void errorsAreClearInBothModes(String line, String reason) {
    assertThat(lenientError(line + "\n").reason()).isEqualTo(reason);
    assertThat(strictError(line + "\n").reason()).isEqualTo(reason);
  }

  @Test
  void errorsCarryLineColumnOffsetAndExcerpt() {
    ExpositionParseException e = strictError("# TYPE m gauge\nm{a=\"1\",b=2} 1\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(11);
    assertThat(e.byteOffset()).isEqualTo(15 + 10);
    assertThat(e.excerpt()).isEqualTo("m{a=\"1\",b=2} 1");
    assertThat(e.limit()).isNull();
    assertThat(e.getMessage()).isEqualTo("line 2, column 11: expected '\"' to start the value of label b in:"
        + " m{a=\"1\",b=2} 1");
  }

  @Test
  void columnsCountCodePoints() {
    ExpositionParseException e = strictError("m{a=\"東京\"}x 1\n");
    assertThat(e.column()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<!DOCTYPE html>\n<html><body>Error</body></html>\n", "\n\n  <html>\n"})
  void htmlBodiesGetAMessageThatSaysSo(String body) {
    assertThat(lenientError(body).reason()).startsWith("the input is an HTML or XML page");
  }

  @Test
  void gzipBodiesGetAMessageThatSaysSo() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write("up 1\n".getBytes(UTF_8));
    }
    lenient.reset(out.toByteArray());
    assertThatThrownBy(() -> Expositions.drain(lenient)).isInstanceOf(ExpositionParseException.class)
        .hasMessageContaining("gzip-compressed");
  }

  @Test
  void aByteOrderMarkIsSkippedLenientlyAndRejectedStrictly() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'u', 'p', ' ', '1', '\n'};
    assertThat(Expositions.events(lenient.reset(bom))).containsExactly("SAMPLE up 1.0 [up UNKNOWN VALUE]");
    strict.reset(bom);
    assertThatThrownBy(() -> Expositions.drain(strict)).hasMessageContaining("byte order mark");
  }

  @Test
  void emptyInputIsAnEmptyExposition() {
    assertThat(strict("")).isEmpty();
    assertThat(strict("\n\n")).isEmpty();
  }

  @Test
  void labelIndexAndNumericLabelValues() {
    lenient.reset("h_bucket{x=\"1\",le=\"2.5\"} 3\n".getBytes(UTF_8));
    assertThat(lenient.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(lenient.labelIndex("le")).isEqualTo(1);
    assertThat(lenient.labelIndex("nope")).isEqualTo(-1);
    assertThat(lenient.labelValueAsDouble(1)).isEqualTo(2.5);
    assertThatThrownBy(() -> lenient.labelValueAsDouble(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void namesAreCanonicalAcrossExpositions() {
    byte[] text = "# TYPE requests_total counter\nrequests_total{code=\"200\"} 1\n".getBytes(UTF_8);
    lenient.reset(text);
    lenient.next();
    lenient.next();
    String name = lenient.name();
    String label = lenient.labelName(0);
    String value = lenient.labelValueString(0);
    lenient.reset(text.clone());
    lenient.next();
    lenient.next();
    assertThat(lenient.name()).isSameAs(name);
    assertThat(lenient.labelName(0)).isSameAs(label);
    assertThat(lenient.labelValueString(0)).isSameAs(value);
  }
}

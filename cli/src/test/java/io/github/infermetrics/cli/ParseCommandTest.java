package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infermetrics parse}: exit codes, messages and the prom2json JSON shape. */
class ParseCommandTest {
  @TempDir
  Path dir;

  private String file(String name, String content) throws IOException {
    return CliRun.file(dir, name, content);
  }

  @Test
  void aValidExpositionExitsZeroWithASummary() throws IOException {
    String f = file("ok.prom", "# TYPE a counter\na{x=\"1\"} 1\na{x=\"2\"} 2\nb 3\n");
    CliRun r = CliRun.of("parse", f);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(f + ": valid Prometheus text 0.0.4 exposition: 2 families, 3 samples\n");
    assertThat(r.err()).isEmpty();
    assertThat(CliRun.of("parse", "--strict", f).out()).contains("(strict)");
  }

  @Test
  void anInvalidExpositionExitsOneWithFileLineColumn() throws IOException {
    String f = file("bad.prom", "# TYPE a counter\na{x=1} 1\n");
    CliRun r = CliRun.of("parse", f);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(f + ":2:5: expected '\"' to start the value of label x\n  a{x=1} 1\n");
  }

  @Test
  void strictAndFormatOptionsApply() throws IOException {
    String noNewline = file("nonl.prom", "a 1");
    assertThat(CliRun.of("parse", noNewline).code()).isZero();
    CliRun strict = CliRun.of("parse", "--strict", noNewline);
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err()).startsWith(noNewline + ":1:4: the last line has no line feed");
    String om = file("om.txt", "# TYPE a counter\na_total 1\n# EOF\n");
    assertThat(CliRun.of("parse", om).out()).contains("valid OpenMetrics 1.0 exposition: 1 families, 1 samples");
    assertThat(CliRun.of("parse", "--format", "text", om).out()).contains("valid Prometheus text 0.0.4 exposition");
    assertThat(CliRun.of("parse", "--format", "OpenMetrics", "--strict", om).code()).isZero();
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertThat(CliRun.of("parse").code()).isEqualTo(2);
    assertThat(CliRun.of("parse", "--bogus", "x").code()).isEqualTo(2);
    assertThat(CliRun.of("parse", "--format", "xml", "x").code()).isEqualTo(2);
    assertThat(CliRun.of("nope").code()).isEqualTo(2);
    assertThat(CliRun.of().code()).isEqualTo(2);
    CliRun missing = CliRun.of("parse", dir.resolve("missing.prom").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).endsWith("missing.prom: no such file\n");
  }

  @Test
  void aLimitThatStopsTheInputNamesTheFlagThatRaisesIt() throws IOException {
    String f = file("long.prom", "# TYPE a gauge\na{x=\"" + "v".repeat(40) + "\"} 1\nb 2\n");
    assertThat(CliRun.of("parse", f).code()).isZero();

    CliRun value = CliRun.of("parse", "--limit", "maxLabelValueLength=10", f);
    assertThat(value.code()).isEqualTo(1);
    assertThat(value.err()).startsWith(f + ":2:").contains("(raise it: --limit maxLabelValueLength=N)")
        .doesNotContain("ParserLimits");

    CliRun samples = CliRun.of("parse", "--limit", "maxSeries=1", f);
    assertThat(samples.code()).isEqualTo(1);
    assertThat(samples.err()).contains("--limit maxSeries=N");

    CliRun raised = CliRun.of("parse", "--limit", "maxLabelValueLength=40", "--limit", "maxLineLength=1_000", f);
    assertThat(raised.code()).as(raised.err()).isZero();
    assertThat(CliRun.of("parse", "--json", "--limit", "maxSeries=1", f).code()).isEqualTo(1);
  }

  @Test
  void aBadLimitIsAUsageError() throws IOException {
    String f = file("ok2.prom", "a 1\n");
    CliRun unknown = CliRun.of("parse", "--limit", "maxLines=3", f);
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--limit maxLines: no such limit (maxLineLength");
    CliRun notANumber = CliRun.of("parse", "--limit", "maxLineLength=1MiB", f);
    assertThat(notANumber.code()).isEqualTo(2);
    assertThat(notANumber.err()).contains("--limit maxLineLength: not a whole number: '1MiB'");
    CliRun zero = CliRun.of("parse", "--limit", "maxFamilies=0", f);
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--limit maxFamilies: maxFamilies must be at least 1: 0");
    CliRun tooBig = CliRun.of("parse", "--limit", "maxNameLength=9999999999", f);
    assertThat(tooBig.code()).isEqualTo(2);
    assertThat(tooBig.err()).contains("--limit maxNameLength: maxNameLength must be at most 2147483647");
    // the --help text's list is a constant for picocli's annotation: the library's list, written out
    assertThat(LimitOption.PARSER_NAMES).isEqualTo(String.join(", ",
        io.github.infermetrics.core.exposition.ParserLimits.SETTINGS));
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(CliRun.of("--help").code()).isZero();
    assertThat(CliRun.of("parse", "--help").out()).contains("FILE|-");
    assertThat(CliRun.of("--version").out()).startsWith("infermetrics ");
  }

  @Test
  void jsonHasTheShapeOfProm2json() throws IOException {
    String f = file("shape.prom", """
        # HELP http_requests_total Requests <by> code & "method"
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"} 3 1395066363000
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.01"} 3102
        rpc_duration_seconds{quantile="0.99"} 76656
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693
        # TYPE latency histogram
        latency_bucket{le="0.05"} 24054
        latency_bucket{le="1e+06"} 129389
        latency_bucket{le="+Inf"} 144320
        latency_sum 53423
        latency_count 144320
        metric_without_type 1e-07
        # HELP empty_family never observed
        # TYPE empty_family gauge
        """);
    CliRun r = CliRun.of("parse", "--json", f);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("["
        + "{\"name\":\"http_requests_total\",\"help\":\"Requests \\u003cby\\u003e code \\u0026 \\\"method\\\"\","
        + "\"type\":\"COUNTER\",\"metrics\":["
        + "{\"labels\":{\"code\":\"200\",\"method\":\"post\"},\"timestamp_ms\":\"1395066363000\",\"value\":\"1027\"},"
        + "{\"labels\":{\"code\":\"400\",\"method\":\"post\"},\"timestamp_ms\":\"1395066363000\",\"value\":\"3\"}]},"
        + "{\"name\":\"latency\",\"help\":\"\",\"type\":\"HISTOGRAM\",\"metrics\":[{\"buckets\":"
        + "{\"+Inf\":\"144320\",\"0.05\":\"24054\",\"1e+06\":\"129389\"},\"count\":\"144320\",\"sum\":\"53423\"}]},"
        + "{\"name\":\"metric_without_type\",\"help\":\"\",\"type\":\"UNTYPED\",\"metrics\":[{\"value\":\"1e-07\"}]},"
        + "{\"name\":\"rpc_duration_seconds\",\"help\":\"\",\"type\":\"SUMMARY\",\"metrics\":[{\"quantiles\":"
        + "{\"0.01\":\"3102\",\"0.99\":\"76656\"},\"count\":\"2693\",\"sum\":\"1.7560473e+07\"}]}"
        + "]\n");
  }

  @Test
  void jsonOfOpenMetricsAddsUnitCreatedAndExemplars() throws IOException {
    String f = file("om.txt", """
        # TYPE req counter
        req_total{code="200"} 5 # {trace_id="abc"} 1 1700000000.25
        req_created{code="200"} 1.7e9
        # TYPE lat_seconds histogram
        # UNIT lat_seconds seconds
        lat_seconds_bucket{le="0.5"} 1 # {trace_id="x"} 0.3
        lat_seconds_bucket{le="+Inf"} 2
        lat_seconds_count 2
        lat_seconds_sum 1.5
        # TYPE state stateset
        state{state="on"} 1
        state{state="off"} 0
        # EOF
        """);
    CliRun r = CliRun.of("parse", "--json", "--strict", f);
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("["
        + "{\"name\":\"lat_seconds\",\"help\":\"\",\"type\":\"HISTOGRAM\",\"unit\":\"seconds\",\"metrics\":[{\"buckets\":"
        + "{\"+Inf\":\"2\",\"0.5\":\"1\"},\"count\":\"2\",\"sum\":\"1.5\",\"exemplars\":{\"0.5\":{\"labels\":"
        + "{\"trace_id\":\"x\"},\"value\":\"0.3\"}}}]},"
        + "{\"name\":\"req\",\"help\":\"\",\"type\":\"COUNTER\",\"metrics\":[{\"labels\":{\"code\":\"200\"},"
        + "\"value\":\"5\",\"created\":\"1.7e+09\",\"exemplar\":{\"labels\":{\"trace_id\":\"abc\"},"
        + "\"timestamp_ms\":\"1700000000250\",\"value\":\"1\"}}]},"
        + "{\"name\":\"state\",\"help\":\"\",\"type\":\"STATESET\",\"metrics\":[{\"labels\":{\"state\":\"off\"},"
        + "\"value\":\"0\"},{\"labels\":{\"state\":\"on\"},\"value\":\"1\"}]}"
        + "]\n");
  }
}

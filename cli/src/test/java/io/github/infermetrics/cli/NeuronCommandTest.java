package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infermetrics neuron}: neuron-monitor reports in, KPIs and a neuron-monitor-prometheus endpoint out. */
class NeuronCommandTest {
  // one runtime, 50 executions in a 5 s period, NeuronCores 0 and 1 at 75 % and 25 %
  private static final String REPORT = report();

  @TempDir
  Path dir;

  private static String report() {
    try (var in = NeuronCommandTest.class.getResourceAsStream("/neuron/report.json")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void jsonPrintsOneKpiObjectPerReport() throws IOException {
    CliRun r = CliRun.of("neuron", "--json", "--input", CliRun.file(dir, "r.ndjson", REPORT + "\n" + REPORT + "\n"));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
        .startsWith("{\"source\":\"neuron\",\"window_seconds\":5,")
        // 50 executions / 5 s; utilisation (0.75 + 0.25) / 2
        .contains("{\"name\":\"request_rate_per_second\",\"dimensions\":{\"runtime\":\"idle-app\"},\"value\":10}")
        .contains("{\"name\":\"accelerator_utilization_ratio\",\"dimensions\":{},\"value\":0.5}"));
  }

  @Test
  void aCorruptLineIsReportedWithItsPlaceAndTheRestIsRead() throws IOException {
    String file = CliRun.file(dir, "r.ndjson", REPORT + "\n{\"neuron_runtime_data\": [}\n" + REPORT + "\n");
    CliRun r = CliRun.of("neuron", "--json", "--input", file);
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.err()).startsWith(file + ":2:").contains("$.neuron_runtime_data");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void withoutOutputOptionsItPrintsTables() throws IOException {
    CliRun r = CliRun.of("neuron", "--input", CliRun.file(dir, "r.ndjson", REPORT + "\n"));
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("source: neuron, window: 5 s\n").contains("\nneuroncores\n");
  }

  @Test
  void emfHasTheKpisAndWithAClusterTheContainerInsightsMetrics() throws IOException {
    Path emf = dir.resolve("neuron.emf");
    CliRun r = CliRun.of("neuron", "--input", CliRun.file(dir, "r.ndjson", REPORT + "\n"), "--emf", emf.toString(),
        "--namespace", "Neuron", "--cluster-name", "prod");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("EMF: ");
    String lines = java.nio.file.Files.readString(emf);
    assertThat(lines).contains("\"Namespace\":\"Neuron\"").contains("\"Name\":\"request_rate_per_second\"")
        .contains("\"Namespace\":\"ContainerInsights\"").contains("\"ClusterName\":\"prod\"")
        // Container Insights keeps percent: 75 % on NeuronCore 0
        .contains("\"Name\":\"node_neuroncore_utilization\"");
    assertThat(CliRun.of("neuron", "--cluster-name", "prod").err()).contains("--cluster-name needs --emf");
  }

  @Test
  void missingInputIsUnreadable() {
    CliRun r = CliRun.of("neuron", "--input", dir.resolve("nope.ndjson").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).endsWith("nope.ndjson: no such file\n");
  }

  @Test
  void portServesTheLastReportAfterTheInputEndsUntilStopped() throws Exception {
    String file = CliRun.file(dir, "r.ndjson", REPORT + "\n");
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(
        new String[] {"neuron", "--port", "0", "--bind", "127.0.0.1", "--input", file},
        new PrintWriter(new StringWriter()), new PrintWriter(err, true))));
    run.start();
    Pattern serving = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
    Matcher m = serving.matcher("");
    for (int i = 0; i < 500 && !m.reset(err.toString()).find(); i++) {
      Thread.sleep(10);
    }
    assertThat(m.reset(err.toString()).find()).as(err.toString()).isTrue();
    URI uri = URI.create("http://127.0.0.1:" + m.group(1) + "/metrics");
    HttpClient client = HttpClient.newHttpClient();
    String body = "";
    for (int i = 0; i < 500 && !body.contains("neuroncore_utilization_ratio{"); i++) {
      Thread.sleep(10);
      body = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
    // the converter's family and transform: percent / 100
    assertThat(body).contains("neuroncore_utilization_ratio{").contains("neuroncore=\"0\"").contains("} 0.75");
    assertThat(run.isAlive()).as("still serving after the input ended").isTrue();
    run.interrupt();
    run.join(10_000);
    assertThat(code.get()).isZero();
  }

  @Test
  void aPrometheusExpositionIsNotNeuronMonitorJsonSaidOnce() throws IOException {
    StringBuilder exposition = new StringBuilder("# HELP vllm:num_requests_running Running.\n"
        + "# TYPE vllm:num_requests_running gauge\n");
    for (int i = 0; i < 800; i++) {
      exposition.append("vllm:num_requests_running{engine=\"").append(i).append("\"} 1.0\n");
    }
    String file = CliRun.file(dir, "metrics.prom", exposition.toString());
    CliRun r = CliRun.of("neuron", "--input", file);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(file + ": this is not neuron-monitor JSON (one JSON report per line): line 1 starts"
        + " with '# HELP vllm:num_requests_running Running...'; it looks like a Prometheus exposition (check it with"
        + " 'infermetrics parse')\n");
  }

  @Test
  void aReportPrettyPrintedOverSeveralLinesIsSaidOnce() throws IOException {
    String pretty = REPORT.replace("{\"neuron_runtime_data\":", "{\n  \"neuron_runtime_data\":")
        .replace(",\"", ",\n  \"");
    String file = CliRun.file(dir, "pretty.json", pretty + "\n");
    CliRun r = CliRun.of("neuron", "--input", file);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(file + ": this is a JSON document spread over several lines; neuron-monitor writes"
        + " one report per line (join it with: jq -c . FILE)\n");
  }

  @Test
  void jacksonsLocationIsAColumnAndLongPathsAreCut() throws IOException {
    String file = CliRun.file(dir, "r.ndjson", REPORT + "\n{\"neuron_runtime_data\":[{\"pid\":1\n"
        + "[".repeat(1500) + "\n");
    CliRun r = CliRun.of("neuron", "--json", "--input", file);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("REDACTED").doesNotContain("StreamReadFeature")
        .contains(file + ":2:").containsPattern("\\(start marker at column \\d+\\)");
    assertThat(r.err().lines()).hasSize(2).allSatisfy(line -> assertThat(line.length()).isLessThan(300));
    assertThat(NeuronCommand.readable("expected close marker for Object (start marker at [Source: REDACTED"
        + " (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 5])"))
        .isEqualTo("expected close marker for Object (start marker at column 5)");
  }

  @Test
  void aReportWithNoMetricGroupIsSaidNotInvented() throws IOException {
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("{}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      CliRun r = CliRun.of("neuron", "--json");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).isEmpty(); // no "window_seconds":5 made up
      assertThat(r.err()).isEqualTo("<stdin>:1:1: $: no metric group (neuron_runtime_data[].report or system_data),"
          + " so no period and nothing to report; skipped\n<stdin>: no neuron-monitor report read (1 bad line)\n");
    } finally {
      System.setIn(stdin);
    }
  }
}

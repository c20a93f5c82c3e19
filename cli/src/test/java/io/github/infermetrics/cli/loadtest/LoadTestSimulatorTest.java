package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.NeuronMonitorSimulator;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.neuron.NeuronPrometheusExporter;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real run against the vLLM simulator on loopback, watched with a neuron-monitor simulator as its accelerator:
 * a 3-step rate sweep whose last step is beyond the server's capacity. The simulator runs 8 requests at once, each
 * takes 1 s to its first token then 19 tokens 10 ms apart (1.19 s, so about 6.7 requests/s at most): at 2 and 4
 * requests/s few requests wait, and not for long; at 12 the queue grows by about 5 a second, so from the
 * measurement's start (after a 1.5 s warm-up) requests wait 1.4 s and more, and the TTFT objective of 2.5 s breaks
 * for nearly all of them (the simulator refuses requests beyond 64 in flight: 12 for 4.5 s stays under it). The TTFT
 * is long so that the loopback's milliseconds, even on a busy machine, stay well inside 10 % of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadTestSimulatorTest {
  static final double CONFIGURED_TTFT = 1.0;
  private static final ObjectMapper JSON = new ObjectMapper();

  private VllmSimulator vllm;
  private NeuronPrometheusExporter.Endpoint exporterEndpoint;
  private NeuronMonitorSimulator monitor;
  Path out;
  private LoadTest.Result result;
  private String progress;
  JsonNode report;

  @BeforeAll
  void run() throws Exception {
    out = Files.createTempDirectory("loadtest-sim-");
    vllm = VllmSimulator.start(VllmSimulator.Config.builder().modelName("test/model").engines(1)
        .maxRunningPerEngine(8).timeToFirstToken(Distribution.fixed(CONFIGURED_TTFT))
        .interTokenLatency(Distribution.fixed(0.01)).outputTokens(Distribution.fixed(20)).seed(3).build());
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
    exporterEndpoint = exporter.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    monitor = NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder().pattern(LoadPattern.steady(3))
        .deviceLatency(Distribution.fixed(0.2)).seed(3).period(Duration.ofMillis(500)).build());
    exporter.update(NeuronReportReader.parse(monitor.nextReport()));
    monitor.start(line -> exporter.update(NeuronReportReader.parse(line)), Duration.ofMillis(500));
    StringWriter lines = new StringWriter();
    LoadTestSettings settings = LoadTestSettings.builder(vllm.completionsUri().resolve("/")).rates("2,4,12")
        .stepDuration(Duration.ofMillis(3000)).warmup(Duration.ofMillis(1500)).scrapeInterval(Duration.ofMillis(500))
        .inputTokens("64").outputTokens("20").slo("ttft=2500ms,itl=50ms,e2e=10s").goodputTarget(0.9)
        .pricePerHour(2.0).instanceType("sim.small").seed(7)
        .watch(PipelineTarget.builder(URI.create("http://127.0.0.1:" + exporterEndpoint.port() + "/metrics"))
            .name("trn1").source("neuron").build())
        .out(out).progress(new PrintWriter(lines, true)).build();
    result = LoadTest.prepare(settings).run();
    progress = lines.toString();
    report = JSON.readTree(out.resolve("report.json").toFile());
  }

  @AfterAll
  void stop() {
    if (monitor != null) {
      monitor.close();
    }
    if (exporterEndpoint != null) {
      exporterEndpoint.close();
    }
    if (vllm != null) {
      vllm.close();
    }
  }

  @Test
  void theSweepFinishesEveryStep() {
    assertThat(result.failed()).as(String.join("; ", result.problems())).isFalse();
    assertThat(result.stopped()).isEqualTo("completed");
    assertThat(report.path("run").path("complete").asBoolean()).isTrue();
    JsonNode steps = report.path("steps");
    assertThat(steps).hasSize(3);
    for (JsonNode s : steps) {
      assertThat(s.path("complete").asBoolean()).isTrue();
      assertThat(s.path("requests").path("due").asInt()).as(s.toString()).isPositive();
    }
    assertThat(progress).contains("step 1/3 rate 2 req/s").contains("step 3/3 rate 12 req/s");
    // the server and the accelerator were both seen
    assertThat(report.path("run").path("targets").findValuesAsText("name")).containsExactly("server", "trn1");
    for (JsonNode t : report.path("run").path("targets")) {
      assertThat(t.path("ever_up").asBoolean()).as(t.toString()).isTrue();
    }
  }

  @Test
  void atLowLoadTheClientsTtftIsTheSimulatorsConfiguredTtft() {
    JsonNode first = report.path("steps").path(0);
    double p50 = first.path("ttft_s").path("p50").asDouble();
    assertThat(p50).isCloseTo(CONFIGURED_TTFT, within(CONFIGURED_TTFT * 0.10));
    // and the server's histogram says the same: its mean is exact, the gap is the loopback's
    JsonNode gap = first.path("ttft_gap");
    assertThat(gap.path("server_mean_s").asDouble()).isCloseTo(CONFIGURED_TTFT, within(CONFIGURED_TTFT * 0.10));
    assertThat(gap.path("large").asBoolean()).isFalse();
    // every request asked for 20 tokens and got them, counted by the server's usage
    assertThat(first.path("output_tokens").path("p50").asDouble()).isEqualTo(20);
  }

  @Test
  void theVerdictNamesTheStepWhereTheSloBreaksAndWhy() {
    JsonNode v = report.path("verdict");
    assertThat(v.path("step").asInt()).as(v.toString()).isEqualTo(2);
    assertThat(v.path("load").asDouble()).isEqualTo(4);
    assertThat(v.path("first_failing_step").asInt()).isEqualTo(3);
    assertThat(v.path("limit").asText()).as(v.toString()).isEqualTo("queue");
    assertThat(v.path("failing_objective").asText()).isEqualTo("ttft<=2500ms");
    assertThat(v.path("summary").asText()).startsWith("rate 4 req/s is the highest load that meets the SLO");
    // a trn1.2xlarge: neuron-monitor reports its 2 NeuronCores; the cost follows from the price and the output
    assertThat(v.path("accelerators").asDouble()).isEqualTo(2);
    double tps = v.path("output_tokens_per_s").asDouble();
    assertThat(tps).isEqualTo(report.path("steps").path(1).path("output_tokens_per_s").asDouble());
    assertThat(v.path("usd_per_million_output_tokens").asDouble()).isCloseTo(2.0 / (tps * 3600) * 1e6,
        within(1e-9));
    assertThat(report.path("steps").path(2).path("meets_slo").asBoolean()).isFalse();
    assertThat(report.path("steps").path(2).path("server").path("gauges").path("queue_depth").path("max")
        .asDouble()).isGreaterThan(1);
    assertThat(result.summary()).contains("Verdict: rate 4 req/s").contains("report.html");
  }

  @Test
  void theCsvFilesAndTheJsonAgree() throws IOException {
    List<Map<String, String>> requests = csv(out.resolve("requests.csv"));
    List<Map<String, String>> steps = csv(out.resolve("steps.csv"));
    JsonNode jsonSteps = report.path("steps");
    assertThat(steps).hasSize(jsonSteps.size());
    for (int i = 0; i < jsonSteps.size(); i++) {
      JsonNode js = jsonSteps.get(i);
      Map<String, String> row = steps.get(i);
      int step = i + 1;
      List<Map<String, String>> measured = requests.stream().filter(r -> r.get("step").equals(String.valueOf(step))
          && r.get("phase").equals("measured")).toList();
      long warmup = requests.stream().filter(r -> r.get("step").equals(String.valueOf(step))
          && r.get("phase").equals("warmup")).count();
      List<Map<String, String>> ok = measured.stream().filter(r -> r.get("status").equals("ok")).toList();
      // counts: requests.csv, steps.csv and report.json
      assertThat(measured).hasSize(js.path("requests").path("due").asInt());
      assertThat(Integer.parseInt(row.get("due"))).isEqualTo(measured.size());
      assertThat(ok).hasSize(js.path("requests").path("succeeded").asInt());
      assertThat(Integer.parseInt(row.get("succeeded"))).isEqualTo(ok.size());
      assertThat(Integer.parseInt(row.get("warmup"))).isEqualTo(warmup).isEqualTo(js.path("requests").path("warmup")
          .asInt());
      long good = measured.stream().filter(r -> r.get("good").equals("true")).count();
      assertThat(js.path("goodput").path("good").asLong()).isEqualTo(good);
      assertThat(js.path("goodput").path("ratio").asDouble()).isEqualTo(good / (double) measured.size());
      assertThat(Double.parseDouble(row.get("goodput"))).isEqualTo(js.path("goodput").path("ratio").asDouble());
      // percentiles recomputed from requests.csv, as numpy.percentile would
      for (String metric : new String[] {"ttft", "tpot", "e2e"}) {
        double[] values = ok.stream().map(r -> r.get(metric + "_s")).filter(v -> !v.isEmpty())
            .mapToDouble(Double::parseDouble).toArray();
        check(metric, values, js.path(metric + "_s"), row);
      }
      // throughput: successful requests of the step (warm-up ones too) that ended in the measured time
      double from = js.path("measure_start_s").asDouble();
      double to = js.path("measure_end_s").asDouble();
      long ended = requests.stream().filter(r -> r.get("step").equals(String.valueOf(step))
          && r.get("status").equals("ok")).filter(r -> {
            double end = Double.parseDouble(r.get("sent_s")) + Double.parseDouble(r.get("e2e_s"));
            return end >= from && end < to;
          }).count();
      assertThat(js.path("achieved_rate").asDouble()).isCloseTo(ended / js.path("duration_s").asDouble(),
          within(1e-9));
      assertThat(Double.parseDouble(row.get("achieved_rate"))).isEqualTo(js.path("achieved_rate").asDouble());
      double[] gaps = ok.stream().flatMap(r -> Arrays.stream(r.get("itl_s").split(";"))).filter(v -> !v.isEmpty())
          .mapToDouble(Double::parseDouble).toArray();
      check("itl", gaps, js.path("itl_s"), row);
    }
    // every request is in requests.csv once, warm-up and failed ones too
    assertThat(requests.stream().map(r -> r.get("request")).distinct().count()).isEqualTo(requests.size());
    long inJson = 0;
    for (JsonNode s : jsonSteps) {
      inJson += s.path("requests").path("due").asLong() + s.path("requests").path("warmup").asLong();
    }
    assertThat(requests).hasSize((int) inJson);
  }

  private static void check(String metric, double[] values, JsonNode json, Map<String, String> row) {
    Arrays.sort(values);
    assertThat(json.path("count").asInt()).as(metric).isEqualTo(values.length);
    if (values.length == 0) {
      return;
    }
    for (String stat : new String[] {"p50", "p90", "p95", "p99"}) {
      double expected = numpy(values, Double.parseDouble(stat.substring(1)));
      assertThat(json.path(stat).asDouble()).as(metric + " " + stat).isCloseTo(expected, within(1e-12));
      assertThat(Double.parseDouble(row.get(metric + "_" + stat + "_s"))).as(metric + " " + stat + " in steps.csv")
          .isEqualTo(json.path(stat).asDouble());
    }
    assertThat(json.path("max").asDouble()).isEqualTo(values[values.length - 1]);
    assertThat(json.path("mean").asDouble()).isCloseTo(Arrays.stream(values).average().orElseThrow(),
        within(1e-12));
  }

  /** numpy.percentile's default: linear between closest ranks. */
  static double numpy(double[] sorted, double p) {
    double rank = (sorted.length - 1) * p / 100;
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }

  @Test
  void reportJsonFollowsItsSchema() throws IOException {
    Path schemaFile = Path.of("..", "docs", "loadtest-report.schema.json");
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(schemaFile)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
    Set<ValidationMessage> problems = schema.validate(report);
    assertThat(problems).isEmpty();
  }

  @Test
  void theServersKpisAreJoinedPerStepAndOverTime() {
    JsonNode server = report.path("steps").path(2).path("server");
    assertThat(server.path("available").asBoolean()).isTrue();
    assertThat(server.path("queue_time_s").path("mean").asDouble()).isGreaterThan(0.625);
    assertThat(server.path("gauges").path("kv_cache_usage").path("samples").asInt()).isPositive();
    assertThat(server.path("gauges").path("accelerator_utilization").path("mean").isNumber()).isTrue();
    assertThat(server.path("generation_tokens_per_s").asDouble()).isPositive();
    boolean accelerator = false;
    boolean kv = false;
    for (JsonNode t : report.path("timeline")) {
      accelerator |= t.has("accelerator_utilization");
      kv |= t.has("kv_cache_usage");
    }
    assertThat(accelerator).isTrue();
    assertThat(kv).isTrue();
  }

  @Test
  void theDashboardBodyChartsTheRunsSourcesInItsNamespace() throws IOException {
    JsonNode body = JSON.readTree(out.resolve("dashboard.json").toFile());
    assertThat(body.path("widgets").size()).isGreaterThan(5);
    String text = body.toString();
    assertThat(text).contains("Namespace=\\\"infermetrics\\\"").contains("time_to_first_token_seconds")
        .contains("accelerator_utilization_ratio").contains("slo_goodput_ratio");
  }

  /**
   * The page in a real headless Chromium (the Debian packages chromium and chromium-driver; skipped without them):
   * it loads with no console error and no request beyond itself, and every chart has drawn points. A screenshot
   * of the whole page is left in target/loadtest-report.png.
   */
  @Test
  void theReportPageLoadsOfflineInChromiumWithEveryChartDrawn() throws Exception {
    ReportBrowser.Page page = ReportBrowser.open(out.resolve("report.html"), Path.of("target",
        "loadtest-report.png"));
    assertThat(page.consoleErrors()).isEmpty();
    assertThat(page.requests()).as("requests beyond the page itself").isEmpty();
    assertThat(page.charts()).hasSize(13);
    for (ReportBrowser.Chart c : page.charts()) {
      assertThat(c.empty()).as(c.id()).isFalse();
      assertThat(c.points()).as(c.id()).isPositive();
      assertThat(c.drawn()).as(c.id() + ": lines and markers in the SVG").isPositive();
    }
    assertThat(page.title()).startsWith("Load test ");
    assertThat(page.text()).contains("rate 4 req/s is the highest load that meets the SLO");
  }

  /** RFC 4180 rows as maps by header, quotes and doubled quotes undone. */
  static List<Map<String, String>> csv(Path file) throws IOException {
    String text = Files.readString(file);
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r') {
        continue;
      } else if (c == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    List<String> header = rows.get(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      assertThat(r).hasSameSizeAs(header);
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }
}

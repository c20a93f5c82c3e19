package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infermetrics loadtest} and {@code loadtest compare} as a user runs them: flags, files, exit codes. */
class LoadtestCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void usageErrorsAreOneLineNamingTheOption() {
    String url = "http://127.0.0.1:1";
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--concurrency", "2"), "--rate and --concurrency: give one");
    assertUsage(CliRun.of("loadtest", url, "--rate", "4,2"), "--rate: loads must increase, but 2 comes after 4 in"
        + " '4,2'");
    assertUsage(CliRun.of("loadtest", url, "--concurrency", "1..8x0.5"), "--concurrency: the factor after x must be"
        + " more than 1 in '1..8x0.5'");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--slo", "queue=1s"), "--slo: a client cannot see queue"
        + " time (queue<=1s); use ttft, itl (tpot) or e2e");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--slo", "ttft"), "--slo: SLO 'ttft': expected"
        + " NAME=DURATION, for example ttft=500ms");
    assertUsage(CliRun.of("loadtest", url), "give the loads: --rate 1,2,4,8 (requests per second) or --concurrency"
        + " 1..64x2 (requests in flight)");
    assertUsage(CliRun.of("loadtest", "--rate", "1"), "no URL: give the server, for example http://localhost:8000,"
        + " or --demo");
    assertUsage(CliRun.of("loadtest", "--demo", url), "--demo tests its own simulated server: give no URL");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--input-tokens", "lots"), "--input-tokens: expected N or"
        + " MIN..MAX tokens, for example 512 or 128..1024, got 'lots'");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--watch", "nosuch=http://h:1/metrics"), "--watch: unknown"
        + " source 'nosuch' in target nosuch=http://h:1/metrics");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--warmup", "soon"), "--warmup: not a duration: 'soon'");
    assertUsage(CliRun.of("loadtest", "ftp://h/x", "--rate", "1"), "URL: not an http(s) URL: 'ftp://h/x'");
    assertUsage(CliRun.of("loadtest", url, "--rate", "1", "--step-duration", "10s", "--warmup", "5s",
        "--step-time-limit", "12s"), "--step-time-limit 12000ms leaves no time after the warm-up and the step's"
        + " duration (15000ms)");
  }

  private void assertUsage(CliRun r, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith(message).endsWith("try 'infermetrics loadtest --help'\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void filesThatCannotBeOpenedAreExit2AndPromptsThatAreNotPromptsExit1() throws Exception {
    String missing = dir.resolve("missing.jsonl").toString();
    Path out = dir.resolve("run");
    CliRun r = CliRun.of("loadtest", "http://127.0.0.1:1", "--rate", "1", "--prompts", missing, "--out",
        out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--prompts " + missing + ": no such file\n");
    String bad = CliRun.file(dir, "bad.jsonl", "{\"prompt\": \"fine\"}\n[1, 2]\n");
    r = CliRun.of("loadtest", "http://127.0.0.1:1", "--rate", "1", "--prompts", bad, "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(bad + ":2: expected an object with a non-empty \"prompt\" string");
    Files.writeString(out.resolve("report.json"), "{}");
    r = CliRun.of("loadtest", "http://127.0.0.1:1", "--rate", "1", "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--out " + out + ": it holds a report already (report.json); give another"
        + " directory or remove it\n");
    CliRun compare = CliRun.of("loadtest", "compare", dir.resolve("nothing").toString());
    assertThat(compare.code()).isEqualTo(2);
    assertThat(compare.err()).isEqualTo(dir.resolve("nothing") + ": no such file\n");
    compare = CliRun.of("loadtest", "compare", out.toString());
    assertThat(compare.code()).isEqualTo(1);
    assertThat(compare.err()).startsWith(out.resolve("report.json") + ": not a loadtest report");
  }

  @Test
  void aServerThatIsNotThereIsExit1BeforeAnyStep() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    CliRun r = CliRun.of("loadtest", "http://127.0.0.1:" + port, "--rate", "1", "--out",
        dir.resolve("run").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("cannot find the model to test: GET http://127.0.0.1:" + port
        + "/v1/models: cannot connect").endsWith("; give --model\n");
    assertThat(dir.resolve("run").resolve("report.json")).doesNotExist();
  }

  @Test
  void aRunWritesItsReportEmfAndRemoteWriteAndRunsCompareSideBySide() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/write", ex -> {
      ex.getRequestBody().readAllBytes();
      writes.incrementAndGet();
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
    try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().modelName("sim/model")
        .timeToFirstToken(Distribution.fixed(0.05)).interTokenLatency(Distribution.fixed(0.005))
        .outputTokens(Distribution.fixed(10)).build())) {
      Path runA = dir.resolve("run-a");
      Path emf = dir.resolve("kpis.emf.ndjson");
      // a lenient objective: the first requests of a cold JVM on a busy machine are slow, and this test is about files
      CliRun r = CliRun.of("loadtest", vllm.completionsUri().resolve("/").toString(), "--rate", "4",
          "--step-duration", "1500ms", "--warmup", "500ms", "--slo", "ttft=3s,itl=200ms,e2e=10s",
          "--scrape-interval", "500ms", "--input-tokens", "32",
          "--output-tokens", "10", "--price-per-hour", "3", "--accelerators", "1", "--instance-type", "sim.large",
          "--emf", emf.toString(), "--namespace", "LoadTest", "--remote-write", "http://127.0.0.1:"
              + receiver.getAddress().getPort() + "/api/v1/write", "--out", runA.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).startsWith("Verdict: rate 4 req/s is the highest load that meets the SLO")
          .contains("Every load tried meets the SLO").contains("Report: " + runA.resolve("report.html"));
      assertThat(r.err()).contains("loadtest: POST " + vllm.completionsUri() + ", model sim/model, streaming")
          .contains("server metrics: server " + vllm.metricsUri() + " (vllm)")
          .contains("step 1/1 rate 4 req/s: ").contains("EMF: ").contains("remote write: ");
      assertThat(writes.get()).as("remote-write requests").isPositive();
      for (String f : List.of("report.json", "requests.csv", "steps.csv", "report.html", "dashboard.json")) {
        assertThat(runA.resolve(f)).isNotEmptyFile();
      }
      List<String> events = Files.readAllLines(emf);
      assertThat(events).isNotEmpty();
      assertThat(events).allMatch(line -> line.contains("\"Namespace\":\"LoadTest\""));
      assertThat(events).anyMatch(line -> line.contains("time_to_first_token_seconds"));

      // the same run at a third of the price, as if on another instance
      Path runB = dir.resolve("run-b");
      Files.createDirectories(runB);
      ObjectNode report = (ObjectNode) JSON.readTree(runA.resolve("report.json").toFile());
      ((ObjectNode) report.get("run")).put("label", "run-b").put("instance_type", "sim.small");
      ObjectNode verdict = (ObjectNode) report.get("verdict");
      verdict.put("price_per_hour", 1.0).put("usd_per_million_output_tokens",
          verdict.get("usd_per_million_output_tokens").asDouble() / 3);
      Files.writeString(runB.resolve("report.json"), report.toString());
      CliRun c = CliRun.of("loadtest", "compare", runA.toString(), runB.toString());
      assertThat(c.code()).as(c.err()).isZero();
      String[] lines = c.out().split("\n");
      assertThat(lines[0]).startsWith("RUN  ").contains("$/M OUT TOK");
      assertThat(lines[1]).startsWith("run-a").contains("sim.large").contains("rate 4").doesNotContain("cheapest");
      assertThat(lines[2]).startsWith("run-b").contains("sim.small").endsWith("<- cheapest meeting the SLO");
      JsonNode json = JSON.readTree(CliRun.of("loadtest", "compare", "--json", runA.toString(), runB.toString())
          .out());
      assertThat(json.path("cheapest").asText()).isEqualTo("run-b");
      assertThat(json.path("runs")).hasSize(2);
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void metricsThatNeverAnswerAreExit1AndTheReportIsWrittenAllTheSame() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder()
        .timeToFirstToken(Distribution.fixed(0.02)).interTokenLatency(Distribution.fixed(0.002))
        .outputTokens(Distribution.fixed(5)).build())) {
      Path out = dir.resolve("run");
      CliRun r = CliRun.of("loadtest", vllm.completionsUri().toString(), "--rate", "3", "--step-duration", "1s",
          "--warmup", "0", "--output-tokens", "5", "--metrics", "http://127.0.0.1:" + port + "/metrics",
          "--scrape-interval", "500ms", "--out", out.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("loadtest: the server's metrics at http://127.0.0.1:" + port + "/metrics never"
          + " answered");
      assertThat(out.resolve("report.json")).isNotEmptyFile();
      assertThat(out.resolve("dashboard.json")).doesNotExist();
      assertThat(r.out()).contains("Note: The server's metrics at");
    }
  }

  @Test
  void theDemoTestsItsSimulatedServer() {
    Path out = dir.resolve("demo");
    CliRun r = CliRun.of("loadtest", "--demo", "--rate", "2", "--step-duration", "1s", "--warmup", "0",
        "--scrape-interval", "500ms", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("demo: a vLLM simulator at http://127.0.0.1:")
        .contains("watching: trn1 http://127.0.0.1:").contains("(neuron)");
    assertThat(r.out()).startsWith("Verdict: ");
    assertThat(out.resolve("report.html")).isNotEmptyFile();
  }
}

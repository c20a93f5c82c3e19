package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import io.github.infermetrics.core.kpi.KpiSources;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code infermetrics watch} against real HTTP servers on loopback. */
class WatchCommandTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A vLLM-like endpoint whose counters grow by 10 requests and 500 tokens per scrape. */
  private String vllm() throws IOException {
    AtomicInteger scrapes = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      int n = scrapes.incrementAndGet();
      String body = "# TYPE vllm:num_requests_running gauge\n"
          + "vllm:num_requests_running{engine=\"0\",model_name=\"qwen\"} 2.0\n"
          + "# TYPE vllm:kv_cache_usage_perc gauge\n"
          + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"qwen\"} 0.25\n"
          + "# TYPE vllm:generation_tokens_total counter\n"
          + "vllm:generation_tokens_total{engine=\"0\",model_name=\"qwen\"} " + 500 * n + ".0\n"
          + "# TYPE vllm:request_success_total counter\n"
          + "vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"qwen\"} " + 10 * n
          + ".0\n";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/metrics";
    }
  }

  @Test
  void onceTableHasARowPerModelAndShowsDownTargetsWithTheirReason() throws IOException {
    CliRun r = CliRun.of("watch", "--once", "--interval", "200ms", "qwen@" + vllm(), "gone@" + closedPort());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).startsWith("# ");
    assertThat(lines[1]).startsWith("TARGET  SOURCE  MODEL ").contains("REQ/S").contains("TTFT p95")
        .contains("QUEUE mean")
        .contains("KV %");
    assertThat(lines[2]).startsWith("qwen    vllm    qwen ").contains(" 25.0 ");
    assertThat(lines[3]).startsWith("gone    ?       down: ");
  }

  @Test
  void aReachableServerWithoutKnownFamiliesIsUpButUnrecognised() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      byte[] bytes = "# TYPE up gauge\nup 1\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.start();
    CliRun r = CliRun.of("watch", "--once", "--interval", "200ms",
        "app@http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    assertThat(r.code()).isEqualTo(1);
    String row = r.out().lines().filter(l -> l.startsWith("app ")).findFirst().orElseThrow();
    assertThat(row).doesNotContain("down").contains("up, but no known source in its 1 metric families")
        .contains("triton").contains("vllm");
  }

  @Test
  void aNonFiniteGaugeCostsOnlyThatValue() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger scrapes = new AtomicInteger();
    server.createContext("/metrics", exchange -> {
      int n = scrapes.incrementAndGet();
      byte[] bytes = ("# TYPE vllm:num_requests_running gauge\n"
          + "vllm:num_requests_running{engine=\"0\",model_name=\"qwen\"} +Inf\n"
          + "# TYPE vllm:generation_tokens_total counter\n"
          + "vllm:generation_tokens_total{engine=\"0\",model_name=\"qwen\"} " + 100 * n + "\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.start();
    CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "200ms",
        "vllm=http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"name\":\"generation_token_rate_per_second\"")
        .doesNotContain("\"name\":\"batch_size\"")
        .contains("\"dropped\":[\"vllm:num_requests_running{engine=\\\"0\\\",model_name=\\\"qwen\\\"} = Infinity\"");
  }

  @Test
  void onceJsonHasTheKpisOfEachTarget() throws IOException {
    CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "200ms", "vllm=" + vllm());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out().lines()).hasSize(1);
    // 10 requests and 500 tokens per ~0.2 s window
    assertThat(r.out()).startsWith("{\"at\":\"").contains("\"state\":\"up\",\"up\":true,\"sources\":[\"vllm\"],"
        + "\"source\":\"vllm\",\"kpis\":{\"source\":\"vllm\"")
        .contains("\"name\":\"generation_token_rate_per_second\"");
  }

  @Test
  void liveModePrintsPlainTablesWithoutATerminalUntilStopped() throws Exception {
    String url = vllm();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"watch", "--interval", "150ms", url},
        new PrintWriter(out, true), new PrintWriter(err, true))));
    run.start();
    for (int i = 0; i < 300 && !out.toString().contains("\n127.0.0.1:"); i++) {
      Thread.sleep(10);
    }
    for (int i = 0; i < 300 && !out.toString().matches("(?s).*\n127\\.0\\.0\\.1:\\d+ +vllm +qwen .*"); i++) {
      Thread.sleep(10);
    }
    run.interrupt();
    run.join(10_000);
    assertThat(code.get()).isZero();
    assertThat(out.toString()).doesNotContain("\u001b[").contains("\n# ").containsPattern(
        "\n127\\.0\\.0\\.1:\\d+ +vllm +qwen ");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aFileSdFileEditedDuringTheRunAddsAndRemovesTargets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String first = vllm().substring("http://".length()).replace("/metrics", "");
    HttpServer firstServer = server;
    String second = vllm().substring("http://".length()).replace("/metrics", "");
    HttpServer secondServer = server;
    java.nio.file.Path sd = dir.resolve("targets.json");
    java.nio.file.Files.writeString(sd, "[{\"targets\": [\"" + first + "\"], \"labels\": {\"infermetrics_name\":"
        + " \"alpha\", \"infermetrics_source\": \"vllm\"}}]");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"watch", "--interval", "150ms", "--file-sd",
        sd.toString()}, new PrintWriter(out, true), new PrintWriter(err, true))));
    run.start();
    try {
      awaitRow(out, "alpha ");
      // the file is rewritten as editors and config-map updates do: a new file moved over the old one
      java.nio.file.Path next = dir.resolve("targets.json.tmp");
      java.nio.file.Files.writeString(next, "[{\"targets\": [\"" + second + "\"], \"labels\":"
          + " {\"infermetrics_name\": \"beta\"}}]");
      java.nio.file.Files.move(next, sd, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      int mark = out.toString().length();
      awaitRow(out, "beta ");
      // after beta appears, frames no longer show alpha
      String latest = out.toString();
      String lastFrame = latest.substring(latest.lastIndexOf("\n# "));
      assertThat(lastFrame).doesNotContain("\nalpha ").contains("\nbeta ");
      assertThat(mark).isPositive();
    } finally {
      run.interrupt();
      run.join(10_000);
      firstServer.stop(0);
      secondServer.stop(0);
    }
    assertThat(code.get()).isZero();
  }

  /** Waits up to 20 s for a frame with a row of this target whose KPIs are there (a source, not waiting). */
  private static void awaitRow(StringWriter out, String prefix) throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      String text = out.toString();
      int frame = text.lastIndexOf("\n# ");
      if (frame >= 0 && text.substring(frame).matches("(?s).*\n" + java.util.regex.Pattern.quote(prefix)
          + " *vllm +qwen .*")) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no row " + prefix + " in:\n" + out);
  }

  @Test
  void gpusOfTheModelServersPodJoinItsKpisAndTheirContainerInsightsGoToEmf(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (io.github.infermetrics.cli.simulate.VllmSimulator vllm = io.github.infermetrics.cli.simulate.VllmSimulator
        .start(io.github.infermetrics.cli.simulate.VllmSimulator.Config.builder().engines(2).seed(1).build());
        io.github.infermetrics.cli.simulate.DcgmSimulator dcgm = io.github.infermetrics.cli.simulate.DcgmSimulator
            .start(io.github.infermetrics.cli.simulate.DcgmSimulator.Config.builder().load(vllm.gpuLoad()).seed(1)
                .pod("serving", "qwen-0", "vllm").build())) {
      java.nio.file.Path emf = dir.resolve("out.emf");
      CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "300ms", "--emf", emf.toString(),
          "--cluster-name", "inference", "--gpu-hour-price", "1.5",
          "vllm=qwen@" + vllm.metricsUri() + ",pod=serving/qwen-0", "dcgm=gpus@" + dcgm.metricsUri());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("\"source\":\"accelerators\"").contains("\"name\":\"accelerator_count\"");
      String events = java.nio.file.Files.readString(emf);
      assertThat(events).contains("\"Namespace\":\"ContainerInsights\"").contains("\"node_gpu_utilization\"")
          .contains("\"ClusterName\":\"inference\"").contains("\"PodName\"");
    }
    assertThat(CliRun.of("watch", "--once", "--cluster-name", "c", "http://x:1/m").err())
        .contains("--cluster-name needs --emf");
    assertThat(CliRun.of("watch", "--once", "--gpu-hour-price", "-1", "http://x:1/m").err())
        .contains("--gpu-hour-price must be positive");
  }

  @Test
  void onceWritesEachTargetsKpisAsEmf(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    java.nio.file.Path emf = dir.resolve("kpis.emf");
    CliRun r = CliRun.of("watch", "--once", "--interval", "200ms", "--emf", emf.toString(), "--namespace", "Serving",
        "--dimension", "cluster=test", "qwen@" + vllm());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("EMF: ").contains(" to " + emf);
    java.util.List<String> lines = java.nio.file.Files.readAllLines(emf);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}")
        .contains("\"Namespace\":\"Serving\"").contains("\"cluster\":\"test\""));
    assertThat(String.join("\n", lines)).contains("\"Name\":\"generation_token_rate_per_second\"")
        .contains("\"target\":\"qwen\"");
  }

  @Test
  void aTargetThatGoesDownMidWatchShowsWhyWhileTheOthersGoOn() throws Exception {
    String url = vllm();
    HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/metrics", exchange -> {
      byte[] b = "# TYPE vllm:kv_cache_usage_perc gauge\nvllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.5\n"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, b.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(b);
      }
    });
    other.start();
    String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort() + "/metrics";
    StringWriter out = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"watch", "--interval", "150ms", "qwen@" + url,
        "steady@" + otherUrl}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
    try {
      run.start();
      for (int i = 0; i < 500 && !out.toString().contains("\nqwen    vllm    qwen "); i++) {
        Thread.sleep(10);
      }
      server.stop(0);
      server = null;
      for (int i = 0; i < 500 && !out.toString().contains("\nqwen    vllm    down: "); i++) {
        Thread.sleep(10);
      }
      int at = out.toString().lastIndexOf("\nqwen    vllm    down: ");
      run.interrupt();
      run.join(10_000);
      assertThat(at).as(out.toString()).isPositive();
      // the other target's row still comes in the same table
      String table = out.toString().substring(at);
      assertThat(table.substring(0, table.indexOf("\n# ") < 0 ? table.length() : table.indexOf("\n# ")))
          .contains("\nsteady  vllm    m ");
      assertThat(code.get()).isZero();
    } finally {
      other.stop(0);
    }
  }

  @Test
  void usageErrors() {
    assertThat(CliRun.of("watch").err()).contains("no TARGET");
    assertThat(CliRun.of("watch", "nosuch=http://x:1/metrics").err()).contains("unknown source 'nosuch'");
    assertThat(CliRun.of("watch", "ftp://x/metrics").code()).isEqualTo(2);
    assertThat(CliRun.of("watch", "a@http://x:1/m", "a@http://y:1/m").err()).contains("two targets are named a");
    assertThat(CliRun.of("watch", "--emf", "ftp://x", "http://x:1/m").err()).contains("EMF sink ftp://x");
  }

  @Test
  void targetsWithoutSchemeAreHttp() throws IOException {
    String url = vllm();
    CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "200ms", "vllm=qwen@" + url.substring(7));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"target\":\"qwen\"");
    KpiSources known = KpiSources.installed();
    WatchTarget t = WatchTarget.parse("10.0.0.7:8000/metrics", known);
    assertThat(t.uri()).hasToString("http://10.0.0.7:8000/metrics");
    assertThat(t.name()).isEqualTo("10.0.0.7:8000");
    assertThat(WatchTarget.parse("triton=gpu-0@triton-0:8002/metrics", known)).isEqualTo(new WatchTarget("gpu-0",
        List.of("triton"), java.net.URI.create("http://triton-0:8002/metrics"), Optional.empty()));
    // a '=' or '@' inside the URL is the URL's
    assertThat(WatchTarget.parse("localhost:9090/federate?match=up", known).uri())
        .hasToString("http://localhost:9090/federate?match=up");
    assertThat(WatchTarget.parse("localhost:9090/a@b", known).name()).isEqualTo("localhost:9090");
    // the pod of a model server, for the GPUs a dcgm-exporter reports for it
    assertThat(WatchTarget.parse("vllm=qwen@10.0.0.7:8000/metrics,pod=serving/qwen-0", known).pod())
        .contains("serving/qwen-0");
    CliRun bad = CliRun.of("watch", "--once", "vllm=http://x y/metrics");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("target vllm=http://x y/metrics: not a URL: 'http://x y/metrics'");
  }

  @Test
  void onceWithAnUnreachableAgentEndsQuicklyCountsEveryEventAndFails() throws IOException {
    String url = vllm();
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    long start = System.nanoTime();
    CliRun r = CliRun.of("watch", "--once", "--interval", "200ms", "--emf", "tcp://127.0.0.1:" + closed,
        "vllm=qwen@" + url);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("the sink gives up on an agent that refuses connections").isLessThan(10_000); // was 12 s; about 1 s on a quiet machine, 6 s seen at load 17
    assertThat(r.code()).isEqualTo(1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("EMF: (\\d+) events from 1 KPI sets to tcp://127.0.0.1:"
        + closed + ", (\\d+) events dropped by the sink \\(last error: Connection refused\\)\n").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    assertThat(m.group(2)).isEqualTo(m.group(1)).isNotEqualTo("0");
  }
}

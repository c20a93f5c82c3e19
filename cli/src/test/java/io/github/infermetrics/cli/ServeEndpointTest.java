package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code watch --serve} on loopback over a vLLM server whose numbers are known ({@link FakeVllm}) and a target that
 * is down: what Prometheus, an autoscaler and the page read, and the limits of the server.
 */
class ServeEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What Prometheus 2.42 (the Debian package) sends. */
  private static final String PROMETHEUS_2_ACCEPT = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  private static final String MODEL = "model=\"Qwen/Qwen3-8B\",source=\"vllm\",target=\"vllm-0\"";

  private static FakeVllm vllm;
  private static ServedWatch watch;

  @BeforeAll
  static void start() throws Exception {
    vllm = new FakeVllm();
    String gone;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      gone = "gone@http://127.0.0.1:" + s.getLocalPort() + "/metrics";
    }
    watch = ServedWatch.start("watch", "--interval", "200ms", "--slo", "ttft=500ms", "--history", "4",
        "--serve", "127.0.0.1:0", "vllm=vllm-0@" + vllm.url(), gone);
    // five windows: the history of four is full and has turned over
    watch.await("api/kpis", body -> body.contains("\"state\":\"up\""), Duration.ofSeconds(20));
    watch.await("metrics", body -> body.matches("(?s).*infermetrics_target_windows_total\\{target=\"vllm-0\"} "
        + "([5-9]|\\d\\d+)\n.*"), Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    if (watch != null) {
      watch.close();
      assertThat(watch.code()).as(watch.err()).isZero();
    }
    if (vllm != null) {
      vllm.close();
    }
  }

  @Test
  void metricsAreOpenMetricsForPrometheusAndValidToTheStrictParser() throws Exception {
    HttpResponse<String> r = watch.get("metrics", "Accept", PROMETHEUS_2_ACCEPT);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(KpiExposition.Format.OPENMETRICS.contentType);
    assertThat(r.body()).endsWith("# EOF\n");
    MetricSnapshot s = strict(r.body(), ExpositionFormat.OPENMETRICS);
    checkKpis(s);
    // counters are families without _total in OpenMetrics
    assertThat(s.family("infermetrics_target_scrape_errors").orElseThrow().type()).isEqualTo(MetricType.COUNTER);
    assertThat(((CounterPoint) s.select("infermetrics_target_scrape_errors", LabelMatcher.eq("target", "gone"))
        .get(0)).value()).isPositive();
  }

  @Test
  void metricsAreText004WhenAskedAndValidToTheStrictParser() throws Exception {
    for (String accept : new String[] {"text/plain;version=0.0.4", "", "*/*"}) {
      HttpResponse<String> r = accept.isEmpty() ? watch.get("metrics") : watch.get("metrics", "Accept", accept);
      assertThat(r.headers().firstValue("Content-Type")).hasValue(KpiExposition.Format.TEXT.contentType);
      assertThat(r.body()).doesNotContain("# EOF");
      MetricSnapshot s = strict(r.body(), ExpositionFormat.PROMETHEUS_TEXT);
      checkKpis(s);
      assertThat(((CounterPoint) s.select("infermetrics_target_scrape_errors_total",
          LabelMatcher.eq("target", "gone")).get(0)).value()).isPositive();
    }
    // ?format= wins over Accept: a Prometheus job can pin the format with params
    assertThat(watch.get("metrics?format=text", "Accept", PROMETHEUS_2_ACCEPT).headers().firstValue("Content-Type"))
        .hasValue(KpiExposition.Format.TEXT.contentType);
  }

  /** The KPIs worked out by hand in {@link FakeVllm}, the self-metrics, and HELP from the vocabulary. */
  private static void checkKpis(MetricSnapshot s) {
    assertThat(gauge(s, "saturation_ratio", "Qwen/Qwen3-8B")).isEqualTo(0.5);
    assertThat(gauge(s, "slo_goodput_ratio", "Qwen/Qwen3-8B")).isEqualTo(0.8);
    assertThat(s.select("slo_goodput_ratio").get(0).labels().get("slo")).isEqualTo("ttft<=500ms");
    assertThat(gauge(s, "queue_depth", "Qwen/Qwen3-8B")).isEqualTo(2);
    assertThat(gauge(s, "kv_cache_usage_ratio", "Qwen/Qwen3-8B")).isEqualTo(0.5);
    assertThat(gauge(s, "request_rate_per_second", "Qwen/Qwen3-8B")).isPositive();
    assertThat(s.family("saturation_ratio").orElseThrow().help()).isEqualTo(Kpi.SATURATION.description());
    assertThat(s.family("saturation_ratio").orElseThrow().type()).isEqualTo(MetricType.GAUGE);
    assertThat(s.select("infermetrics_target_up", LabelMatcher.eq("target", "vllm-0")))
        .singleElement().satisfies(p -> assertThat(((GaugePoint) p).value()).isEqualTo(1));
    assertThat(s.select("infermetrics_target_up", LabelMatcher.eq("target", "gone")))
        .singleElement().satisfies(p -> assertThat(((GaugePoint) p).value()).isZero());
    // a target that is down has no KPI series
    assertThat(s.families().stream().flatMap(f -> f.points().stream())
        .filter(p -> "gone".equals(p.labels().get("target")) && p.labels().size() > 1).toList()).isEmpty();
  }

  private static double gauge(MetricSnapshot s, String name, String model) {
    List<MetricPoint> points = s.select(name, LabelMatcher.eq("model", model), LabelMatcher.eq("target", "vllm-0"),
        LabelMatcher.eq("source", "vllm"));
    assertThat(points).as(name).isNotEmpty();
    MetricPoint model0 = points.stream().filter(p -> p.labels().get("engine") == null).findFirst().orElseThrow();
    return ((GaugePoint) model0).value();
  }

  static MetricSnapshot strict(String body, ExpositionFormat format) {
    return new SnapshotReader(ExpositionParser.builder().format(format).strict(true).build())
        .read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void oneRowIsAFlatObjectForKedaWithTheModelsSlashRawOrEncoded() throws Exception {
    for (String path : new String[] {"api/kpis/vllm-0/Qwen/Qwen3-8B", "api/kpis/vllm-0/Qwen%2FQwen3-8B",
        "api/kpis/vllm%2D0/Qwen%2fQwen3-8B"}) {
      HttpResponse<String> r = watch.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
      JsonNode row = JSON.readTree(r.body());
      assertThat(row.get("target").asText()).isEqualTo("vllm-0");
      assertThat(row.get("model").asText()).isEqualTo("Qwen/Qwen3-8B");
      assertThat(row.get("source").asText()).isEqualTo("vllm");
      assertThat(row.get("state").asText()).isEqualTo("up");
      // what a ScaledObject's valueLocation reads
      assertThat(row.get("saturation").asDouble()).isEqualTo(0.5);
      assertThat(row.get("queue_depth").asDouble()).isEqualTo(2);
      assertThat(row.get("kv_cache_usage").asDouble()).isEqualTo(0.5);
      assertThat(row.get("request_rate").asDouble()).isPositive();
      assertThat(row.get("time_to_first_token_p95").asDouble()).isBetween(1.0, 2.5);
      assertThat(row.get("slo_goodput").get("ttft").asDouble()).isEqualTo(0.8);
      assertThat(row.get("window_seconds").asDouble()).isPositive();
      // flat: every KPI is a number at the top
      row.properties().forEach(e -> assertThat(e.getValue().isValueNode() || e.getKey().equals("slo_goodput"))
          .as(e.getKey()).isTrue());
    }
  }

  @Test
  void unknownTargetsAndModelsAre404AndADownTarget503WithOneLineOfJson() throws Exception {
    assertError(watch.get("api/kpis/nobody/Qwen/Qwen3-8B"), 404, "no target named 'nobody'; targets: vllm-0, gone");
    assertError(watch.get("api/kpis/vllm-0/Qwen"), 404, "no model 'Qwen' on target vllm-0; models: Qwen/Qwen3-8B");
    assertError(watch.get("api/kpis/gone/x"), 503, "target gone is down: ");
    assertError(watch.get("api/kpis/nobody"), 404, "no target named 'nobody'");
    assertError(watch.get("api/nothing"), 404, "no such API: /api/nothing");
    // percent-encoding that is not UTF-8
    assertError(watch.get("api/kpis/vllm-0/%C3%28"), 400, "is not percent-encoded UTF-8");
  }

  private static void assertError(HttpResponse<String> r, int status, String message) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains(message);
  }

  @Test
  void apiKpisIsTheWatchJsonObjectAndOneTargetsPartOfIt() throws Exception {
    JsonNode all = JSON.readTree(watch.get("api/kpis").body());
    assertThat(all.get("at").asText()).isNotEmpty();
    assertThat(all.get("targets")).hasSize(2);
    JsonNode vllm0 = all.get("targets").get(0);
    assertThat(vllm0.get("target").asText()).isEqualTo("vllm-0");
    assertThat(vllm0.get("state").asText()).isEqualTo("up");
    assertThat(vllm0.get("kpis").get("kpis").toString()).contains("\"slo_goodput_ratio\"")
        .contains("\"saturation_ratio\"");
    assertThat(all.get("targets").get(1).get("state").asText()).isEqualTo("down");
    assertThat(all.get("targets").get(1).get("error").asText()).isNotEmpty();
    JsonNode one = JSON.readTree(watch.get("api/kpis/vllm-0").body());
    assertThat(one.get("targets")).hasSize(1);
    assertThat(one.get("targets").get(0).get("target").asText()).isEqualTo("vllm-0");
  }

  @Test
  void historyKeepsTheLastWindowsOnlyWithTheWatchTable() throws Exception {
    JsonNode h = JSON.readTree(watch.get("api/history").body());
    assertThat(h.get("capacity").asInt()).isEqualTo(4);
    assertThat(h.get("interval_seconds").asDouble()).isEqualTo(0.2);
    assertThat(h.get("table").get(0).get(0).asText()).isEqualTo("TARGET");
    assertThat(h.get("table").toString()).contains("\"vllm-0\",\"vllm\",\"Qwen/Qwen3-8B\"");
    JsonNode vllm0 = h.get("targets").get(0);
    assertThat(vllm0.get("target").asText()).isEqualTo("vllm-0");
    JsonNode points = vllm0.get("points");
    // five windows or more were computed; four are kept
    assertThat(points.get("at")).hasSize(4);
    for (String series : new String[] {"time_to_first_token_seconds_p95", "request_rate_per_second",
        "generation_token_rate_per_second", "kv_cache_usage_ratio", "saturation_ratio"}) {
      assertThat(points.get(series)).as(series).hasSize(4);
      assertThat(points.get(series).get(3).isNumber()).as(series).isTrue();
    }
    assertThat(points.get("accelerator_utilization_ratio").get(3).isNull()).isTrue();
    assertThat(points.get("kv_cache_usage_ratio").get(3).asDouble()).isEqualTo(0.5);
    assertThat(vllm0.get("goodput").get("ttft<=500ms").get(3).asDouble()).isEqualTo(0.8);
    JsonNode gone = h.get("targets").get(1);
    assertThat(gone.get("state").asText()).isEqualTo("down");
    assertThat(gone.get("points").get("at")).isEmpty();
  }

  @Test
  void thePageAndItsFilesComeFromTheJarWithAPolicyThatAllowsNothingElse() throws Exception {
    HttpResponse<String> page = watch.get("");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none';")
        .contains("connect-src 'self'");
    assertThat(page.body()).contains("<script src=\"live.js\"").doesNotContain("http://").doesNotContain("https://");
    for (String file : new String[] {"live.js", "live.css"}) {
      HttpResponse<String> r = watch.get(file);
      assertThat(r.statusCode()).isEqualTo(200);
      // the only absolute URL is the SVG namespace, which is a name, not a fetch
      assertThat(r.body().replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://")
          .doesNotContain("https://").doesNotContain("//cdn");
    }
    assertThat(watch.get("favicon.ico").statusCode()).isEqualTo(404);
  }

  @Test
  void limitsMethodsHostsAndLongTargets() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(watch.uri().resolve("metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = client.send(HttpRequest.newBuilder(watch.uri().resolve("metrics"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(watch.get("api/kpis/" + "x".repeat(ServeEndpoint.MAX_TARGET_LENGTH)).statusCode()).isEqualTo(414);
    // a browser led here by a rebound DNS name sends that name: refused
    assertThat(rawGet("/api/kpis", "evil.example:" + watch.uri().getPort())).startsWith("HTTP/1.1 403");
    assertThat(rawGet("/api/kpis", "localhost:" + watch.uri().getPort())).startsWith("HTTP/1.1 200");
    assertThat(rawGet("/api/kpis", "[::1]:" + watch.uri().getPort())).startsWith("HTTP/1.1 200");
  }

  @Test
  void gzipWhenAsked() throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(watch.uri().resolve("metrics"))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(body).contains("saturation_ratio{" + MODEL + "} 0.5\n");
    }
  }

  private static String rawGet(String path, String host) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), watch.uri().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream o = s.getOutputStream();
      o.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      o.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code infermetrics scrape} against a real HTTP server on loopback. */
class ScrapeCommandTest {
  private static final String TEXT = """
      # HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-1"} 0.5
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="m",version="1"} 42
      """;

  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", TEXT));
    server.createContext("/html", ex -> respond(ex, 200, "text/html", "<html><body>login</body></html>\n"));
    server.createContext("/broken", ex -> respond(ex, 500, "text/plain", "oops\n"));
    server.createContext("/om", ex -> respond(ex, 200, "text/plain", "# TYPE a counter\na_total 3\n# EOF\n"));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void anUpTargetPrintsASummary() {
    CliRun r = CliRun.of("scrape", base + "/metrics");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith(base + "/metrics: up, HTTP 200, text/plain; version=0.0.4; charset=utf-8, read as"
        + " prometheus_text, ").contains("2 families, 2 samples")
        .contains("  nv_gpu_utilization gauge 1 series\n");
  }

  @Test
  void jsonIsTheShapeOfParse() {
    CliRun r = CliRun.of("scrape", "--json", base + "/metrics");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("[{\"name\":\"nv_gpu_utilization\",\"help\":\"GPU utilization rate [0.0 - 1.0)\","
        + "\"type\":\"GAUGE\",\"metrics\":[{\"labels\":{\"gpu_uuid\":\"GPU-1\"},\"value\":\"0.5\"}]},"
        + "{\"name\":\"nv_inference_request_success\",\"help\":\"\",\"type\":\"COUNTER\",\"metrics\":[{\"labels\":"
        + "{\"model\":\"m\",\"version\":\"1\"},\"value\":\"42\"}]}]\n");
  }

  @Test
  void formatOverridesTheContentType() {
    // the server says text/plain but sends OpenMetrics
    assertThat(CliRun.of("scrape", base + "/om").code()).isZero();
    CliRun om = CliRun.of("scrape", "--format", "openmetrics", "--json", base + "/om");
    assertThat(om.code()).isZero();
    assertThat(om.out()).contains("\"name\":\"a\"").contains("\"type\":\"COUNTER\"");
  }

  @Test
  void downTargetsAndInvalidBodiesExitOne() {
    CliRun html = CliRun.of("scrape", base + "/html");
    assertThat(html.code()).isEqualTo(1);
    assertThat(html.err()).contains("NOT_AN_EXPOSITION").contains("HTML");
    CliRun broken = CliRun.of("scrape", base + "/broken");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("HTTP 500").contains("HTTP_STATUS");
    int port = server.getAddress().getPort();
    server.stop(0);
    CliRun refused = CliRun.of("scrape", "--timeout", "2s", "http://127.0.0.1:" + port + "/metrics");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("CONNECT");
  }

  @Test
  void aLimitThatStopsTheScrapeNamesTheFlagThatRaisesIt() {
    CliRun samples = CliRun.of("scrape", "--limit", "sampleLimit=1", base + "/metrics");
    assertThat(samples.code()).isEqualTo(1);
    assertThat(samples.err()).contains("SAMPLE_LIMIT").endsWith("(set it with --limit sampleLimit=N)\n");

    CliRun body = CliRun.of("scrape", "--limit", "bodySizeLimit=10", base + "/metrics");
    assertThat(body.code()).isEqualTo(1);
    assertThat(body.err()).contains("BODY_TOO_LARGE").endsWith("(set it with --limit bodySizeLimit=N)\n");

    CliRun line = CliRun.of("scrape", "--limit", "maxLineLength=8", base + "/metrics");
    assertThat(line.code()).isEqualTo(1);
    assertThat(line.err()).endsWith("(set it with --limit maxLineLength=N)\n");

    assertThat(CliRun.of("scrape", "--limit", "sampleLimit=2", "--limit", "maxLineLength=4096", base + "/metrics")
        .code()).isZero();
  }

  @Test
  void aBadLimitIsAUsageError() {
    CliRun unknown = CliRun.of("scrape", "--limit", "samples=1", base + "/metrics");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--limit samples: no such limit (maxLineLength").contains("bodySizeLimit");
    CliRun zero = CliRun.of("scrape", "--limit", "bodySizeLimit=0", base + "/metrics");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--limit bodySizeLimit: bodySizeLimit must be at least 1: 0");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.of("scrape").code()).isEqualTo(2);
    assertThat(CliRun.of("scrape", "ftp://x/metrics").code()).isEqualTo(2);
    assertThat(CliRun.of("scrape", "--timeout", "soon", base + "/metrics").code()).isEqualTo(2);
    assertThat(CliRun.of("scrape", "--timeout", "0s", base + "/metrics").code()).isEqualTo(2);
    CliRun noCa = CliRun.of("scrape", "--ca-file", "/nonexistent/ca.crt", base + "/metrics");
    assertThat(noCa.code()).isEqualTo(2);
    assertThat(noCa.err()).contains("--ca-file");
  }

  @Test
  void aUrlWithoutSchemeIsHttp() {
    String hostPort = base.substring("http://".length());
    CliRun r = CliRun.of("scrape", hostPort + "/metrics");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith(base + "/metrics: up, HTTP 200");
    CliRun bad = CliRun.of("scrape", "127.0.0.1:99999999/metrics");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("port 99999999 out of range in '127.0.0.1:99999999/metrics' (1 to 65535)\n")
        .endsWith("try 'infermetrics scrape --help'\n");
    assertThat(CliRun.of("scrape", "http://a b/metrics").err())
        .startsWith("not a URL: 'http://a b/metrics': illegal character in authority\n");
  }
}

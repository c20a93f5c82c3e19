package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** {@code infermetrics watch --remote-write URL} against a vLLM-like endpoint and a remote-write receiver on loopback. */
class WatchRemoteWriteTest {
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> tenants = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves /metrics (counters growing by 10 requests per scrape) and /api/v1/write (keeps what it gets). */
  private String start() throws IOException {
    AtomicInteger scrapes = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      int n = scrapes.incrementAndGet();
      byte[] bytes = ("# TYPE vllm:kv_cache_usage_perc gauge\n"
          + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"qwen\"} 0.25\n"
          + "# TYPE vllm:request_success_total counter\n"
          + "vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"qwen\"} " + 10 * n
          + ".0\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.createContext("/api/v1/write", exchange -> {
      try (exchange) {
        byte[] body = Snappy.uncompress(exchange.getRequestBody().readAllBytes());
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        tenants.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Scope-OrgID")));
        // the protobuf's strings are plain UTF-8 bytes among the binary fields: enough to find names and labels
        bodies.add(new String(body, StandardCharsets.ISO_8859_1));
        exchange.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void sendsTheWatchedKpisAndSaysSoOnExit(@TempDir Path dir) throws IOException {
    String base = start();
    String token = CliRun.file(dir, "token", "s3cr3t\n");

    CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "200ms", "--remote-write", base + "/api/v1/write",
        "--remote-write-header", "X-Scope-OrgID=team-a", "--remote-write-bearer-token-file", token,
        "--dimension", "cluster=prod", "vllm=qwen@" + base + "/metrics");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bodies).isNotEmpty();
    String all = String.join("", bodies);
    assertThat(all).contains("kv_cache_usage_ratio", "request_rate_per_second", "cluster", "prod", "model", "qwen",
        "source", "vllm", "target");
    assertThat(authorizations).containsOnly("Bearer s3cr3t");
    assertThat(tenants).containsOnly("team-a");
    assertThat(r.err()).containsPattern("remote write: [1-9][0-9]* samples sent in [1-9][0-9]* requests?, 0 dropped"
        + " \\(queue full\\), 0 failed, 0 retries to " + java.util.regex.Pattern.quote(base + "/api/v1/write"));
  }

  @Test
  void aBadUrlOrHeaderIsAUsageError() {
    CliRun r = CliRun.of("watch", "--once", "--remote-write", "ftp://x/y", "http://127.0.0.1:1/metrics");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("uri: must be an absolute http or https URL");

    r = CliRun.of("watch", "--once", "--remote-write", "http://127.0.0.1:1/api/v1/write", "--remote-write-header",
        "Content-Encoding=gzip", "http://127.0.0.1:1/metrics");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("header: Content-Encoding is set by the sink");
  }
}

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
  private final List<com.sun.net.httpserver.Headers> requestHeaders = new CopyOnWriteArrayList<>();
  private final List<byte[]> compressedBodies = new CopyOnWriteArrayList<>();

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
        byte[] compressed = exchange.getRequestBody().readAllBytes();
        requestHeaders.add(exchange.getRequestHeaders());
        compressedBodies.add(compressed);
        byte[] body = Snappy.uncompress(compressed);
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
    assertThat(r.err()).startsWith("--remote-write: not an http(s) URL: 'ftp://x/y'");

    r = CliRun.of("watch", "--once", "--remote-write", "http://127.0.0.1:1/api/v1/write", "--remote-write-header",
        "Content-Encoding=gzip", "http://127.0.0.1:1/metrics");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("header: Content-Encoding is set by the sink");
  }

  @Test
  void signsWithSigV4ForAmazonManagedPrometheus() throws Exception {
    String base = start();
    // the default credentials chain reads these system properties first
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    CliRun r;
    try {
      r = CliRun.of("watch", "--once", "--json", "--interval", "200ms", "--remote-write", base + "/api/v1/write",
          "--remote-write-sigv4", "eu-west-1", "vllm=qwen@" + base + "/metrics");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(requestHeaders).isNotEmpty();
    for (int i = 0; i < requestHeaders.size(); i++) {
      com.sun.net.httpserver.Headers h = requestHeaders.get(i);
      String authorization = h.getFirst("Authorization");
      assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/aps/");
      // the SDK's own signer, given the request as it arrived and its X-Amz-Date, computes the same signature
      var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
          .method(software.amazon.awssdk.http.SdkHttpMethod.POST).uri(java.net.URI.create(base + "/api/v1/write"));
      for (String name : authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1").split(";")) {
        request.putHeader(name, h.getFirst(name));
      }
      java.time.Instant at = java.time.LocalDateTime.parse(h.getFirst("X-Amz-Date"),
          java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(java.time.ZoneOffset.UTC);
      byte[] body = compressedBodies.get(i);
      var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(x -> x
          .identity(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE",
              "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
          .request(request.build())
          .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
          .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "aps")
          .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "eu-west-1")
          .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SIGNING_CLOCK,
              java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)));
      assertThat(authorization).isEqualTo(signed.request().firstMatchingHeader("Authorization").orElseThrow());
    }
    assertThat(r.err()).contains("0 failed");
  }

  @Test
  void remoteWriteOptionsNeedTheirUrlAndOneAuthorization(@TempDir Path dir) throws IOException {
    CliRun header = CliRun.of("watch", "--once", "--remote-write-header", "X-Scope-OrgID=a", "http://127.0.0.1:1/m");
    assertThat(header.code()).isEqualTo(2);
    assertThat(header.err()).isEqualTo("--remote-write-header needs --remote-write URL\n"
        + "try 'infermetrics watch --help'\n");
    assertThat(CliRun.of("watch", "--once", "--remote-write-sigv4", "eu-west-1", "http://127.0.0.1:1/m").err())
        .startsWith("--remote-write-sigv4 needs --remote-write URL");
    String token = CliRun.file(dir, "token", "t");
    CliRun both = CliRun.of("watch", "--once", "--remote-write", "http://127.0.0.1:1/w", "--remote-write-sigv4",
        "eu-west-1", "--remote-write-bearer-token-file", token, "http://127.0.0.1:1/m");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).startsWith("--remote-write-bearer-token-file and --remote-write-sigv4 both set");
    CliRun region = CliRun.of("watch", "--once", "--remote-write", "http://127.0.0.1:1/w", "--remote-write-sigv4",
        "Ireland", "http://127.0.0.1:1/m");
    assertThat(region.code()).isEqualTo(2);
    assertThat(region.err()).startsWith("--remote-write-sigv4: region: not an AWS region name");
    CliRun noToken = CliRun.of("watch", "--once", "--remote-write", "http://127.0.0.1:1/w",
        "--remote-write-bearer-token-file", dir.resolve("missing").toString(), "http://127.0.0.1:1/m");
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).isEqualTo("--remote-write-bearer-token-file " + dir.resolve("missing")
        + ": no such file\n");
  }
}

package io.github.infermetrics.remotewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (the Debian package's binary), started on a free loopback port with its remote write
 * receiver on and a TSDB in a temporary folder; {@link #close()} stops it, and a shutdown hook does if the JVM ends
 * first. Tests skip when there is no binary.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Thread hook;
  private final int port;
  private final Path log;
  private final HttpClient client = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "prometheus-test-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The binary: {@code -Dinfermetrics.prometheus=PATH}, or {@code prometheus} on the PATH; skips without. */
  static Path binary() {
    String prop = System.getProperty("infermetrics.prometheus");
    if (prop != null && Files.isExecutable(Path.of(prop))) {
      return Path.of(prop);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, "prometheus");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.abort("no prometheus binary on the PATH (apt-get install prometheus, or"
        + " -Dinfermetrics.prometheus=PATH); skipping the round trip through a real Prometheus");
    return null;
  }

  static PrometheusServer start(Path dir) throws IOException, InterruptedException {
    Path binary = binary();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    // Prometheus 2.33+ has the flag; before it, --enable-feature=remote-write-receiver
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver", "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(p, port, log);
    try {
      server.awaitReady(Duration.ofSeconds(30));
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve("/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("prometheus not ready after " + timeout + ": " + Files.readString(log));
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  URI writeUri() {
    return base().resolve("/api/v1/write");
  }

  /** {@code /api/v1/query} at a time; returns {@code data.result}. */
  JsonNode query(String promql, double timeSeconds) throws IOException, InterruptedException {
    String q = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + timeSeconds;
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve(q)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return body.path("data").path("result");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook runs anyway
    }
  }
}

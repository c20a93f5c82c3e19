package io.github.infermetrics.cli;

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
 * A real Prometheus server (the Debian package's binary), started on a free loopback port with the scrape jobs a test
 * gives and a TSDB in a temporary folder; {@link #close()} stops it, and a shutdown hook does if the JVM ends first.
 * Tests skip when there is no binary. (The remotewrite module's tests have their own, with the remote write
 * receiver on; test sources are not shared between modules.)
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

  /**
   * Starts Prometheus with these scrape jobs.
   *
   * @param dir a temporary folder for its configuration, TSDB and log
   * @param scrapeConfigs the YAML list under {@code scrape_configs:}, each line indented by two spaces
   */
  static PrometheusServer start(Path dir, String scrapeConfigs) throws IOException, InterruptedException {
    Path binary = binary();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
        + scrapeConfigs);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
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

  /** {@code /api/v1/query} now; returns {@code data.result}. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), promql);
  }

  /** {@code /api/v1/targets}: returns {@code data.activeTargets}. */
  JsonNode targets() throws IOException, InterruptedException {
    return get("/api/v1/targets", "targets").path("activeTargets");
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  private JsonNode get(String pathAndQuery, String what) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
    JsonNode data = body.path("data");
    return data.has("result") ? data.path("result") : data;
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

package io.github.infermetrics.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server for tests (the Debian package's binary): started on a free loopback port with a
 * configuration and a TSDB folder the test gives, answered once ready, stopped by {@link #close()} or by a shutdown
 * hook if the JVM ends first. The tests' wrappers ({@link PrometheusTsdb}, and the remote-write and scrape servers of
 * other modules) add what they query; tests skip when there is no binary.
 */
public final class PrometheusProcess implements AutoCloseable {
  private final Process process;
  private final Thread hook;
  private final int port;
  private final Path log;
  private final HttpClient client = HttpClient.newHttpClient();

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "prometheus-test-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * A binary: {@code -Dinfermetrics.<name>=PATH}, or on the PATH; skips the test without it.
   *
   * @param name {@code prometheus} or {@code promtool}
   * @return its path
   */
  public static Path binary(String name) {
    String prop = System.getProperty("infermetrics." + name);
    if (prop != null && Files.isExecutable(Path.of(prop))) {
      return Path.of(prop);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.abort("no " + name + " binary on the PATH (apt-get install prometheus, or -Dinfermetrics." + name
        + "=PATH); skipping the check against a real Prometheus");
    return null;
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param dir a folder for its configuration and log
   * @param config the whole {@code prometheus.yml}
   * @param tsdb its TSDB folder (may hold backfilled blocks)
   * @param flags more command-line flags, for example {@code --web.enable-remote-write-receiver}
   * @return the running server; close it
   * @throws IOException when it exits or is not ready within 30 s (its log in the message)
   * @throws InterruptedException when interrupted while waiting
   */
  public static PrometheusProcess start(Path dir, String config, Path tsdb, String... flags)
      throws IOException, InterruptedException {
    Path binary = binary("prometheus");
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + configFile,
        "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
    command.addAll(List.of(flags));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusProcess server = new PrometheusProcess(p, port, log);
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
        throw new IOException("prometheus exited with " + process.exitValue() + ": " + log());
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
    throw new IOException("prometheus not ready after " + timeout + ": " + log());
  }

  /**
   * Where it listens.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * A GET of its HTTP API that must succeed.
   *
   * @param pathAndQuery for example {@code /api/v1/query?query=up}
   * @return the JSON body
   * @throws IOException when the status is not 200 or the body's status not success (both in the message)
   * @throws InterruptedException when interrupted
   */
  public String get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
      throw new IOException(pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /**
   * What it logged.
   *
   * @return the log so far
   * @throws IOException when it cannot be read
   */
  public String log() throws IOException {
    return Files.readString(log);
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

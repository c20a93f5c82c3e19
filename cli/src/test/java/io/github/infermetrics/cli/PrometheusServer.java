package io.github.infermetrics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.testing.PrometheusProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A real Prometheus scraping what a test gives it (core's {@link PrometheusProcess}); tests skip when there is no
 * binary.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusProcess process;

  private PrometheusServer(PrometheusProcess process) {
    this.process = process;
  }

  /** The binary, or the test skips. */
  static Path binary() {
    return PrometheusProcess.binary("prometheus");
  }

  /**
   * Starts Prometheus with these scrape jobs.
   *
   * @param dir a temporary folder for its configuration, TSDB and log
   * @param scrapeConfigs the YAML list under {@code scrape_configs:}, each line indented by two spaces
   */
  static PrometheusServer start(Path dir, String scrapeConfigs) throws IOException, InterruptedException {
    return new PrometheusServer(PrometheusProcess.start(dir, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "scrape_configs:\n" + scrapeConfigs, dir.resolve("tsdb")));
  }

  /** {@code /api/v1/query} now; returns {@code data.result}. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return JSON.readTree(process.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
        .path("data").path("result");
  }

  /** {@code /api/v1/targets}: returns {@code data.activeTargets}. */
  JsonNode targets() throws IOException, InterruptedException {
    return JSON.readTree(process.get("/api/v1/targets")).path("data").path("activeTargets");
  }

  String log() throws IOException {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}

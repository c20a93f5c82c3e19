package io.github.infermetrics.remotewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.testing.PrometheusProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A real Prometheus with its remote write receiver on (core's {@link PrometheusProcess}); tests skip when there is
 * no binary.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusProcess process;

  private PrometheusServer(PrometheusProcess process) {
    this.process = process;
  }

  static PrometheusServer start(Path dir) throws IOException, InterruptedException {
    // Prometheus 2.33+ has the flag; before it, --enable-feature=remote-write-receiver
    return new PrometheusServer(PrometheusProcess.start(dir, "global:\n  scrape_interval: 1m\nscrape_configs: []\n",
        dir.resolve("tsdb"), "--web.enable-remote-write-receiver"));
  }

  URI writeUri() {
    return process.base().resolve("/api/v1/write");
  }

  /** {@code /api/v1/query} at a time; returns {@code data.result}. */
  JsonNode query(String promql, double timeSeconds) throws IOException, InterruptedException {
    return JSON.readTree(process.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + timeSeconds)).path("data").path("result");
  }

  @Override
  public void close() {
    process.close();
  }
}

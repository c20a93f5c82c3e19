package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes {@code watch --demo --serve} — one job as Prometheus negotiates (OpenMetrics), one pinned
 * to text 0.0.4 — and answers queries on the KPIs. Skips without the {@code prometheus} binary.
 */
class PrometheusScrapeTest {
  @TempDir
  Path dir;

  @Test
  void prometheusScrapesTheKpisInBothFormatsAndAnswersQueriesOnThem() throws Exception {
    PrometheusServer.binary(); // skips before the demo starts
    try (ServedWatch watch = ServedWatch.start("watch", "--demo", "--interval", "1s", "--slo", "ttft=500ms",
        "--emf", dir.resolve("demo.emf").toString(), "--serve", "127.0.0.1:0")) {
      String target = "127.0.0.1:" + watch.uri().getPort();
      String jobs = "  - job_name: negotiated\n"
          + "    static_configs:\n"
          + "      - targets: ['" + target + "']\n"
          + "  - job_name: text\n"
          + "    params:\n"
          + "      format: ['text']\n"
          + "    static_configs:\n"
          + "      - targets: ['" + target + "']\n";
      try (PrometheusServer prometheus = PrometheusServer.start(dir, jobs)) {
        for (String job : new String[] {"negotiated", "text"}) {
          JsonNode ttft = await(prometheus, "time_to_first_token_seconds_p95{job=\"" + job + "\",target=\"vllm-demo\","
              + "model=\"Qwen/Qwen3-8B\",engine=\"\"}", 1);
          assertThat(ttft.get(0).get("metric").get("source").asText()).isEqualTo("vllm");
          assertThat(ttft.get(0).get("value").get(1).asDouble()).isBetween(0.001, 30.0);
          JsonNode goodput = await(prometheus, "slo_goodput_ratio{job=\"" + job + "\",slo=\"ttft<=500ms\","
              + "target=\"vllm-demo\",engine=\"\"}", 1);
          assertThat(goodput.get(0).get("value").get(1).asDouble()).isBetween(0.0, 1.0);
          await(prometheus, "saturation_ratio{job=\"" + job + "\",target=\"vllm-demo\"}", 1);
          await(prometheus, "infermetrics_target_up{job=\"" + job + "\"} == 1", 3);
          await(prometheus, "sum by (target) (request_rate_per_second{job=\"" + job + "\",model!=\"\","
              + "engine=\"\"}) > 0", 2);
        }
        // both jobs' scrapes went through without an error from Prometheus's parsers
        for (JsonNode t : prometheus.targets()) {
          assertThat(t.get("health").asText()).as(t.toString()).isEqualTo("up");
          assertThat(t.get("lastError").asText()).as(t.toString()).isEmpty();
        }
      }
    }
  }

  /** Queries until the result has at least {@code n} series, for up to 30 s. */
  private static JsonNode await(PrometheusServer p, String promql, int n) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode r = null;
    while (System.nanoTime() < end) {
      r = p.query(promql);
      if (r.size() >= n) {
        return r;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(promql + " gave " + r + " after 30 s; targets: " + p.targets() + "; log: " + p.log());
  }
}

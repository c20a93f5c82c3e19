package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixed concurrency, without streaming: never more requests in flight than the step's load, one after another. */
class ConcurrencySweepTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void eachStepKeepsItsConcurrencyInFlightAndWholeAnswersHaveOnlyAnEndToEndLatency() throws Exception {
    try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder()
        .timeToFirstToken(Distribution.fixed(0.1)).interTokenLatency(Distribution.fixed(0.01))
        .outputTokens(Distribution.fixed(10)).build())) {
      Path out = dir.resolve("run");
      LoadTest.Result r = LoadTest.prepare(LoadTestSettings.builder(vllm.completionsUri().resolve("/"))
          .concurrencies("1..4x2").stream(false).slo("e2e=5s").stepDuration(Duration.ofMillis(1500))
          .warmup(Duration.ofMillis(300)).scrapeInterval(Duration.ofMillis(500)).outputTokens("10").out(out)
          .build()).run();
      assertThat(r.failed()).as(String.join("; ", r.problems())).isFalse();
      JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
      assertThat(report.path("run").path("mode").asText()).isEqualTo("concurrency");
      assertThat(report.path("run").path("loads")).hasSize(3);
      List<Map<String, String>> requests = LoadTestSimulatorTest.csv(out.resolve("requests.csv"));
      for (JsonNode step : report.path("steps")) {
        int load = step.path("load").asInt();
        assertThat(step.path("offered_rate").isNull()).isTrue();
        assertThat(step.path("ttft_s").path("count").asInt()).isZero();
        assertThat(step.path("e2e_s").path("count").asInt()).isPositive();
        assertThat(step.path("output_tokens").path("p50").asDouble()).isEqualTo(10);
        // a request takes about 0.2 s: 1.5 s keeps each lane busy for several
        assertThat(step.path("requests").path("due").asInt()).isGreaterThanOrEqualTo(2 * load);
        assertThat(step.path("goodput").path("ratio").asDouble()).isEqualTo(1.0);
        List<long[]> spans = new ArrayList<>();
        for (Map<String, String> q : requests) {
          if (q.get("step").equals(step.path("step").asText()) && q.get("status").equals("ok")) {
            long sent = Math.round(Double.parseDouble(q.get("sent_s")) * 1e6);
            spans.add(new long[] {sent, sent + Math.round(Double.parseDouble(q.get("e2e_s")) * 1e6)});
          }
        }
        assertThat(mostAtOnce(spans)).as("step " + step.path("step")).isBetween(1, load);
      }
    }
  }

  /** The most spans that overlap at any moment. */
  private static int mostAtOnce(List<long[]> spans) {
    int most = 0;
    for (long[] a : spans) {
      int n = 0;
      for (long[] b : spans) {
        if (b[0] <= a[0] && a[0] < b[1]) {
          n++;
        }
      }
      most = Math.max(most, n);
    }
    return most;
  }
}

package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped by Ctrl-C (an interrupt) or by its time limit writes what it measured, and says it is partial. */
class LoadTestStopTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** 40 tokens 50 ms apart after 300 ms: each request takes 2.3 s, so some are in flight whenever it stops. */
  private static VllmSimulator slowServer() throws Exception {
    return VllmSimulator.start(VllmSimulator.Config.builder().timeToFirstToken(Distribution.fixed(0.3))
        .interTokenLatency(Distribution.fixed(0.05)).outputTokens(Distribution.fixed(40)).build());
  }

  @Test
  void anInterruptedRunCutsOffWhatIsInFlightAndWritesAPartialReport() throws Exception {
    try (VllmSimulator vllm = slowServer()) {
      Path out = dir.resolve("run");
      LoadTestSettings s = LoadTestSettings.builder(vllm.completionsUri().resolve("/")).rates("4,8")
          .stepDuration(Duration.ofSeconds(3)).warmup(Duration.ZERO).scrapeInterval(Duration.ofMillis(500))
          .outputTokens("40").out(out).build();
      AtomicReference<LoadTest.Result> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          result.set(LoadTest.prepare(s).run());
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      Thread.sleep(2000);
      long stop = System.nanoTime();
      t.interrupt();
      t.join(15_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(failure.get()).isNull();
      assertThat((System.nanoTime() - stop) / 1e9).as("seconds from Ctrl-C to the report").isLessThan(10);
      assertThat(result.get().stopped()).isEqualTo("interrupted");
      JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
      assertThat(report.path("run").path("stopped").asText()).isEqualTo("interrupted");
      assertThat(report.path("run").path("complete").asBoolean()).isFalse();
      assertThat(report.path("steps")).hasSize(1);
      JsonNode step = report.path("steps").path(0);
      assertThat(step.path("complete").asBoolean()).isFalse();
      assertThat(step.path("errors").path("cut off").asInt()).isPositive();
      assertThat(report.path("notes").path(0).asText()).startsWith("The run was stopped (Ctrl-C)");
      List<Map<String, String>> requests = LoadTestSimulatorTest.csv(out.resolve("requests.csv"));
      assertThat(requests).anyMatch(r -> r.get("status").equals("cut_off")
          && r.get("error").equals("cut off: the run was stopped"));
      assertThat(requests).hasSize(step.path("requests").path("due").asInt());
      assertThat(out.resolve("report.html")).isNotEmptyFile();
    }
  }

  @Test
  void theRunsTimeLimitStopsItWithAPartialReport() throws Exception {
    try (VllmSimulator vllm = slowServer()) {
      Path out = dir.resolve("run");
      LoadTest.Result r = LoadTest.prepare(LoadTestSettings.builder(vllm.completionsUri().resolve("/")).rates("4,8")
          .stepDuration(Duration.ofSeconds(3)).warmup(Duration.ZERO).timeLimit(Duration.ofMillis(1500))
          .noMetrics().outputTokens("40").out(out).build()).run();
      assertThat(r.stopped()).isEqualTo("time_limit");
      JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
      assertThat(report.path("steps")).hasSize(1);
      assertThat(report.path("steps").path(0).path("first_error").asText()).isEqualTo("cut off at the run's time"
          + " limit (--time-limit)");
      assertThat(report.path("run").path("metrics_url").isNull()).isTrue();
      assertThat(report.path("run").path("targets")).isEmpty();
    }
  }
}

package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadtest} as a process: Ctrl-C (SIGTERM here) stops it, it writes what it measured and exits 0. */
class LoadtestJarIT {
  private static final Path JAR = Paths.get("target", "infermetrics.jar");
  private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aSignalStopsTheRunWhichWritesAPartialReportAndExitsZero() throws Exception {
    Path out = dir.resolve("run");
    Process p = new ProcessBuilder(List.of(JAVA, "-jar", JAR.toString(), "loadtest", "--demo", "--rate", "2,4",
        "--step-duration", "6s", "--warmup", "0", "--scrape-interval", "1s", "--out", out.toString()))
        .redirectErrorStream(true).start();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (seen) {
            seen.append(line).append('\n');
            seen.notifyAll();
          }
        }
      } catch (IOException closed) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      synchronized (seen) {
        while (seen.indexOf("step 1/2") < 0) {
          long left = end - System.nanoTime();
          assertThat(left).as("the first step within 60 s; got: %s", seen).isPositive();
          seen.wait(Math.max(1, left / 1_000_000));
        }
      }
      Thread.sleep(2000); // into the second step, with requests in flight
      long start = System.nanoTime();
      // SIGTERM, as Ctrl-C's SIGINT; through the handle, because Process.destroy also closes our end of its output
      p.toHandle().destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("from the signal to the exit")
          .isLessThan(Duration.ofSeconds(15));
      reader.join(30_000);
      assertThat(p.exitValue()).as(seen.toString()).isZero();
      assertThat(seen.toString()).contains("step 2/2 rate 4 req/s").contains("(partial: the step was stopped)")
          .contains("Verdict: ").contains("Note: The run was stopped (Ctrl-C)");
      JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
      assertThat(report.path("run").path("stopped").asText()).isEqualTo("interrupted");
      assertThat(report.path("steps")).hasSize(2);
      assertThat(report.path("steps").path(1).path("complete").asBoolean()).isFalse();
      assertThat(out.resolve("report.html")).isNotEmptyFile();
    } finally {
      p.destroyForcibly();
    }
  }
}

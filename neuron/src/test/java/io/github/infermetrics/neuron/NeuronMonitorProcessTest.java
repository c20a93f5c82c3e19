package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the fake neuron-monitor is a POSIX shell script")
class NeuronMonitorProcessTest {
  @TempDir
  Path dir;

  /** A fake neuron-monitor: records its arguments and config, prints the report file, then runs {@code tail}. */
  private Path fakeMonitor(String tail) throws Exception {
    Path script = dir.resolve("neuron-monitor");
    Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "here=$(dirname \"$0\")",
        "echo \"$@\" >> \"$here/args\"",
        "cp \"$2\" \"$here/config.json\"",
        "cat \"$here/reports.ndjson\"",
        tail,
        ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void runsTheMonitorWithItsConfigAndRestartsItWhenItExits() throws Exception {
    String idle = TestData.line(TestData.resource("null-latency.json"));
    // a report, a corrupt line, a report, then the process exits with an error
    Files.writeString(dir.resolve("reports.ndjson"), idle + "\n{\"neuron_runtime_data\": [\n" + idle + "\n");
    Path script = fakeMonitor("exit 3");
    Path config = dir.resolve("monitor.json");
    List<NeuronReport> reports = new CopyOnWriteArrayList<>();
    List<NeuronReportException> errors = new CopyOnWriteArrayList<>();
    NeuronMonitorConfig cfg = NeuronMonitorConfig.builder().period(Duration.ofSeconds(1))
        .runtime("vllm-.*", NeuronMonitorConfig.EXECUTION_STATS, NeuronMonitorConfig.NEURONCORE_COUNTERS)
        .systemMetric(NeuronMonitorConfig.NEURON_HW_COUNTERS, Duration.ofMillis(2500)).build();
    try (NeuronMonitorProcess monitor = NeuronMonitorProcess.builder(reports::add).executable(script.toString())
        .config(cfg).configFile(config).restartBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .onError(errors::add).start()) {
      await(() -> monitor.starts() >= 3 && reports.size() >= 6);
      assertThat(monitor.reports()).isGreaterThanOrEqualTo(6);
    }
    // every start: 2 reports, 1 error on line 2
    assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.line()).isEqualTo(2));
    assertThat(reports).allSatisfy(r -> assertThat(r.runtimes().get(0).tag()).isEqualTo("idle-app"));
    assertThat(Files.readAllLines(dir.resolve("args"))).first().isEqualTo("-c " + config);
    assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo(
        "{\"period\":\"1s\",\"neuron_runtimes\":[{\"tag_filter\":\"vllm-.*\",\"metrics\":[{\"type\":\"execution_stats\"},"
            + "{\"type\":\"neuroncore_counters\"}]}],\"system_metrics\":[{\"period\":\"2500ms\","
            + "\"type\":\"neuron_hw_counters\"}]}");
    assertThat(config).exists(); // a file we named is kept
  }

  @Test
  void closeStopsARunningMonitorAndDeletesTheTemporaryConfig() throws Exception {
    Files.writeString(dir.resolve("reports.ndjson"), TestData.line(TestData.resource("trn2-current.json")) + "\n");
    Path script = fakeMonitor("sleep 60"); // a child of the script keeps the pipe open
    List<NeuronReport> reports = new CopyOnWriteArrayList<>();
    NeuronMonitorProcess monitor = NeuronMonitorProcess.builder(reports::add).executable(script.toString()).start();
    Path config = monitor.configFile();
    await(() -> reports.size() == 1);
    assertThat(monitor.isAlive()).isTrue();
    long t0 = System.nanoTime();
    monitor.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(monitor.isAlive()).isFalse();
    assertThat(monitor.starts()).isEqualTo(1);
    assertThat(config).doesNotExist();
    assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo(NeuronMonitorConfig.defaults().toJson());
  }

  @Test
  void aMissingExecutableIsRetriedWithoutStarting() throws Exception {
    try (NeuronMonitorProcess monitor = NeuronMonitorProcess.builder(r -> { })
        .executable(dir.resolve("no-such-neuron-monitor").toString())
        .restartBackoff(Duration.ofMillis(5), Duration.ofMillis(5)).start()) {
      Thread.sleep(50);
      assertThat(monitor.starts()).isZero();
      assertThat(monitor.isAlive()).isFalse();
    }
  }

  @Test
  void theConfigBuilderRejectsBadInputNamingTheField() {
    assertThatThrownBy(() -> NeuronMonitorConfig.builder().period(Duration.ZERO))
        .hasMessageStartingWith("period: must be a positive");
    assertThatThrownBy(() -> NeuronMonitorConfig.builder().runtime("([", NeuronMonitorConfig.MEMORY_USED))
        .hasMessageStartingWith("tag_filter: not a valid regex");
    assertThatThrownBy(() -> NeuronMonitorConfig.builder().runtime(".*"))
        .hasMessageStartingWith("metrics: a neuron_runtimes entry needs at least one metric group");
    assertThatThrownBy(() -> NeuronMonitorConfig.builder().systemMetric(" "))
        .hasMessageStartingWith("type: ");
    assertThatThrownBy(() -> NeuronMonitorProcess.builder(r -> { })
        .restartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("restartBackoff max");
    assertThat(NeuronMonitorConfig.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}

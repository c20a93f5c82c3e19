package io.github.infermetrics.cli.simulate;

import static io.github.infermetrics.cli.simulate.VllmSimulatorTest.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The neuron-monitor reports have the documented structure (docs/metric-sources.md §1.2) and follow the load. */
class NeuronMonitorSimulatorTest {

  private static NeuronMonitorSimulator.Config.Builder config() {
    return NeuronMonitorSimulator.Config.builder().seed(9);
  }

  @Test
  void reportsHaveTheDocumentedStructure() {
    String line = NeuronMonitorSimulator.create(config().build()).nextReport();
    assertThat(line).doesNotContain("\n");
    Map<String, Object> report = object(JsonReader.read(line));
    assertThat(report).containsOnlyKeys("neuron_runtime_data", "system_data", "instance_info",
        "neuron_hardware_info");
    Map<String, Object> runtime = object(((List<?>) report.get("neuron_runtime_data")).get(0));
    assertThat(runtime).containsKeys("pid", "neuron_runtime_tag", "error", "report");
    Map<String, Object> groups = object(runtime.get("report"));
    assertThat(groups).containsOnlyKeys("execution_stats", "memory_used", "neuron_runtime_vcpu_usage",
        "neuroncore_counters");
    groups.values().forEach(g -> assertThat(object(g)).containsKeys("period", "error"));

    Map<String, Object> exec = object(groups.get("execution_stats"));
    assertThat(object(exec.get("error_summary"))).containsOnlyKeys("generic", "numerical", "transient", "model",
        "runtime", "hardware");
    assertThat(object(exec.get("execution_summary"))).containsOnlyKeys("completed", "completed_with_err",
        "completed_with_num_err", "timed_out", "incorrect_input", "failed_to_queue");
    Map<String, Object> latency = object(object(exec.get("latency_stats")).get("total_latency"));
    assertThat(latency).containsOnlyKeys("p0", "p1", "p25", "p50", "p75", "p99", "p100");
    assertThat((Double) latency.get("p0")).isLessThanOrEqualTo((Double) latency.get("p50"));
    assertThat((Double) latency.get("p50")).isLessThanOrEqualTo((Double) latency.get("p100"));

    Map<String, Object> memory = object(groups.get("memory_used"));
    Map<String, Object> used = object(memory.get("neuron_runtime_used_bytes"));
    assertThat(object(object(used.get("usage_breakdown")).get("neuroncore_memory_usage"))).containsOnlyKeys("0",
        "1");
    assertThat((List<?>) memory.get("loaded_models")).hasSize(2);

    Map<String, Object> cores = object(object(groups.get("neuroncore_counters")).get("neuroncores_in_use"));
    assertThat(cores).containsOnlyKeys("0", "1");
    assertThat((Double) object(cores.get("0")).get("neuroncore_utilization")).isBetween(0.0, 100.0);
    assertThat(object(cores.get("0"))).containsKey("flops");

    Map<String, Object> system = object(report.get("system_data"));
    assertThat(system).containsOnlyKeys("memory_info", "neuron_hw_counters", "vcpu_usage");
    assertThat(object(object(system.get("vcpu_usage")).get("usage_data"))).hasSize(8);
    assertThat(object(report.get("neuron_hardware_info"))).containsEntry("neuron_device_type", "trainium")
        .containsEntry("neuroncore_per_device_count", 2.0).containsEntry("logical_neuroncore_config", 1.0);
  }

  /** The real first record of neuron-monitor (no runtime) has the same top-level, instance and hardware keys. */
  @Test
  void keysMatchTheRealRecord() throws IOException {
    String real = Files.readString(SharedData.dir("fixtures/neuron").resolve(
        "neuron-monitor_trn1.2xlarge_no-runtime.ndjson"), StandardCharsets.UTF_8).trim();
    Map<String, Object> r = object(JsonReader.read(real));
    Map<String, Object> s = object(JsonReader.read(NeuronMonitorSimulator.create(config().build()).nextReport()));
    assertThat(s.keySet()).containsExactlyElementsOf(r.keySet());
    for (String key : new String[] {"instance_info", "neuron_hardware_info"}) {
      assertThat(object(s.get(key)).keySet()).containsExactlyElementsOf(object(r.get(key)).keySet());
    }
    Map<String, Object> memoryInfo = object(object(r.get("system_data")).get("memory_info"));
    assertThat(object(object(s.get("system_data")).get("memory_info")).keySet())
        .containsExactlyElementsOf(memoryInfo.keySet());
  }

  @Test
  void executionsFollowThePatternAndTheSeed() {
    // burst 0 -> 100 per second, 5 s of every 10 s; reports of 1 s: 5 busy, 5 idle, twice
    NeuronMonitorSimulator sim = NeuronMonitorSimulator.create(config()
        .pattern(LoadPattern.parse("burst:0-100/10s/5s")).build());
    NeuronMonitorSimulator twin = NeuronMonitorSimulator.create(config()
        .pattern(LoadPattern.parse("burst:0-100/10s/5s")).build());
    double busy = 0;
    for (int i = 0; i < 20; i++) {
      String line = sim.nextReport();
      assertThat(twin.nextReport()).isEqualTo(line);
      Map<String, Object> exec = object(object(object(object(((List<?>) object(JsonReader.read(line))
          .get("neuron_runtime_data")).get(0)).get("report")).get("execution_stats")));
      Map<String, Object> summary = object(exec.get("execution_summary"));
      double executions = (Double) summary.get("completed") + (Double) summary.get("completed_with_err");
      if (i % 10 < 5) {
        busy += executions;
      } else {
        assertThat(executions).isZero();
        // nothing ran in the period: the latency percentiles are null
        assertThat(object(exec.get("latency_stats"))).containsEntry("total_latency", null);
      }
    }
    // 10 busy seconds at 100/s: 1000 +- 32
    assertThat(busy).isBetween(900.0, 1100.0);
  }

  @Test
  void startDeliversALinePerPeriodUntilClosed() throws InterruptedException {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (NeuronMonitorSimulator sim = NeuronMonitorSimulator.create(config().build())) {
      sim.start(lines::add, Duration.ofMillis(50));
      TimeUnit.MILLISECONDS.sleep(400);
    }
    int seen = lines.size();
    assertThat(seen).isBetween(3, 9);
    TimeUnit.MILLISECONDS.sleep(150);
    assertThat(lines).hasSize(seen);
    lines.forEach(l -> assertThat(JsonReader.read(l)).isInstanceOf(Map.class));
  }
}

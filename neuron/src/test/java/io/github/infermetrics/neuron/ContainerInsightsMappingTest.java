package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.neuron.ContainerInsightsMapping.Metric;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContainerInsightsMappingTest {
  private static final ContainerInsightsMapping MAPPING = ContainerInsightsMapping.builder().clusterName("prod")
      .nodeName("ip-10-0-1-2").build();

  private static List<Metric> named(List<Metric> metrics, String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).collect(Collectors.toList());
  }

  @Test
  void mapsCoresWithTheAgentsNamesUnitsAndDimensions() {
    List<Metric> metrics = MAPPING.map(TestData.report("trn2-current.json"));
    Labels node = Labels.of("ClusterName", "prod", "NodeName", "ip-10-0-1-2", "InstanceId", "i-0123456789abcdef0");
    assertThat(named(metrics, "node_neuroncore_utilization")).hasSize(4).first().isEqualTo(
        new Metric("node_neuroncore_utilization", "Percent",
            node.with("NeuronCore", "core0").with("NeuronDevice", "device0"), 50.0));
    // core 5 is on device 1 (4 cores per device); 30 % stays percent
    assertThat(named(metrics, "node_neuroncore_utilization")).last().satisfies(m -> {
      assertThat(m.dimensions().get("NeuronDevice")).isEqualTo("device1");
      assertThat(m.value()).isEqualTo(30.0);
    });
    // memory total per core = the five uses: 1000 + 2000 + 3000 + 4000 + 5000
    assertThat(named(metrics, "node_neuroncore_memory_usage_total").get(0).value()).isEqualTo(15000);
    assertThat(named(metrics, "node_neuroncore_memory_usage_model_shared_scratchpad").get(0).value()).isEqualTo(3000);
    assertThat(named(metrics, "node_neuroncore_memory_usage_total")).allSatisfy(m ->
        assertThat(m.unit()).isEqualTo("Bytes"));
  }

  @Test
  void podAndContainerCopiesFollowTheK8sInfo() {
    List<Metric> metrics = MAPPING.map(TestData.report("trn2-current.json"));
    List<Metric> pod = named(metrics, "pod_neuroncore_utilization");
    assertThat(pod).hasSize(4);
    assertThat(pod.get(0).dimensions().get("PodName")).isEqualTo("vllm-0");
    assertThat(pod.get(0).dimensions().get("Namespace")).isEqualTo("default");
    // vllm-1 has two containers: one copy each for its two cores
    assertThat(named(metrics, "container_neuroncore_utilization")).hasSize(1 + 1 + 2 + 2)
        .extracting(m -> m.dimensions().get("ContainerName")).containsExactly("vllm", "vllm", "vllm", "sidecar",
            "vllm", "sidecar");
    assertThat(named(metrics, "pod_neurondevice_hw_ecc_events_total")).extracting(m -> m.dimensions().get("PodName"))
        .containsExactly("vllm-0", "vllm-1");
  }

  @Test
  void nodeMetricsSumTheRuntimesAndKeepOnlyP50() {
    List<Metric> metrics = MAPPING.map(TestData.report("trn2-current.json"));
    // errors: 1 generic + 2 transient (vllm-0) + 0 (vllm-1)
    assertThat(named(metrics, "node_neuron_execution_errors_total")).singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(3));
    // neuron_device only: 30 GiB + 10 GiB
    assertThat(named(metrics, "node_neurondevice_runtime_memory_used_bytes")).singleElement()
        .satisfies(m -> assertThat(m.value()).isEqualTo(42949672960.0));
    // p50 0.020 (vllm-0) and 0.010 (vllm-1): the highest
    assertThat(named(metrics, "node_neuron_execution_latency")).singleElement().satisfies(m -> {
      assertThat(m.value()).isEqualTo(0.02);
      assertThat(m.unit()).isEqualTo("Seconds");
    });
    // ECC events of device 1: 2 mem corrected + 1 sram uncorrected
    assertThat(named(metrics, "node_neurondevice_hw_ecc_events_total")).extracting(Metric::value)
        .containsExactly(0.0, 3.0);
    assertThat(metrics).noneMatch(m -> m.name().contains("p99") || m.dimensions().contains("runtime_tag"));
  }

  @Test
  void withoutK8sInfoThereAreOnlyNodeMetrics() {
    List<Metric> metrics = ContainerInsightsMapping.builder().build()
        .map(NeuronReportReader.parse(TestData.sharedBytes(TestData.WITH_RUNTIME)));
    assertThat(metrics).isNotEmpty().allSatisfy(m -> assertThat(m.name()).startsWith("node_"));
    assertThat(named(metrics, "node_neuroncore_utilization").get(0).dimensions())
        .isEqualTo(Labels.of("InstanceId", "i-01db7a16f4c054239", "NeuronCore", "core0", "NeuronDevice", "device0"));
  }
}

package io.github.infermetrics.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ContainerInsightsMappingTest {
  private static final ContainerInsightsMapping MAPPING = ContainerInsightsMapping.builder().clusterName("prod")
      .instanceId("i-0123456789abcdef0").instanceType("p5.48xlarge").build();

  private static List<Metric> named(List<Metric> metrics, String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).toList();
  }

  @Test
  void nodePodAndContainerCopiesWithTheAgentsNamesUnitsAndDimensions() {
    List<Metric> metrics = MAPPING.map(TestData.dcgm(TestData.resourceText("k8s-curr.txt")));
    Labels node = Labels.of("ClusterName", "prod", "InstanceId", "i-0123456789abcdef0", "InstanceType",
        "p5.48xlarge", "NodeName", "ip-10-0-1-23.ec2.internal", "GpuDevice", "nvidia0");
    // GPU_UTIL 100 stays percent; the agent uses no GR_ENGINE_ACTIVE fallback
    assertThat(named(metrics, "node_gpu_utilization")).hasSize(3).first().isEqualTo(new Metric(
        "node_gpu_utilization", "Percent", node, Labels.of("Type", "NodeGPU", "UUID",
            "GPU-5d9cc71f-b438-dc00-707d-c6c12bcfede1"),
        List.of(List.of("ClusterName"), List.of("ClusterName", "NodeName", "InstanceId"),
            List.of("ClusterName", "NodeName", "InstanceId", "InstanceType", "GpuDevice")), 100.0));
    // MiB x 1024 x 1024: 72000 MiB = 75497472000 bytes
    assertThat(named(metrics, "node_gpu_memory_used").get(0).value()).isEqualTo(75497472000.0);
    assertThat(named(metrics, "node_gpu_memory_used").get(0).unit()).isEqualTo("Bytes");
    assertThat(named(metrics, "node_gpu_power_draw").get(0)).satisfies(m -> {
      assertThat(m.value()).isEqualTo(512.5);
      assertThat(m.unit()).isEqualTo("None");
    });
    assertThat(named(metrics, "node_gpu_temperature")).extracting(Metric::value).containsExactly(64.0, 66.0, 33.0);
    // the scrape has no FB_TOTAL, FB_USED_PERCENT or tensor field: the agent writes no such metric either
    assertThat(metrics).noneMatch(m -> m.name().endsWith("gpu_memory_total")
        || m.name().endsWith("gpu_memory_utilization") || m.name().endsWith("gpu_tensor_core_utilization"));

    // GPUs 0 and 1 are the pod's: one pod_ and one container_ copy each; the free GPU 2 has node metrics only
    List<Metric> pod = named(metrics, "pod_gpu_utilization");
    assertThat(pod).hasSize(2);
    assertThat(pod.get(1).dimensions()).isEqualTo(node.with("GpuDevice", "nvidia1").with("Namespace", "serving")
        .with("FullPodName", "qwen-7d9f8c6b5d-x2x4z").with("PodName", "qwen"));
    assertThat(pod.get(1).properties().get("Type")).isEqualTo("PodGPU");
    assertThat(pod.get(1).dimensionSets()).containsExactly(List.of("ClusterName"),
        List.of("ClusterName", "Namespace"), List.of("ClusterName", "Namespace", "PodName"),
        List.of("ClusterName", "Namespace", "PodName", "FullPodName"),
        List.of("ClusterName", "Namespace", "PodName", "FullPodName", "GpuDevice"));
    List<Metric> container = named(metrics, "container_gpu_power_draw");
    assertThat(container).extracting(m -> m.dimensions().get("ContainerName")).containsExactly("vllm", "vllm");
    assertThat(container).extracting(Metric::value).containsExactly(512.5, 450.25);
    assertThat(container.get(0).dimensionSets()).last().isEqualTo(List.of("ClusterName", "Namespace", "PodName",
        "FullPodName", "ContainerName", "GpuDevice"));
    assertThat(metrics).filteredOn(m -> "nvidia2".equals(m.dimensions().get("GpuDevice")))
        .allSatisfy(m -> assertThat(m.name()).startsWith("node_"));
  }

  @Test
  void migInstancesStaySeparateAndTheFixturesPercentFieldsAreScaled() {
    List<Metric> mig = MAPPING.map(TestData.dcgm(TestData.resourceText("mig-curr.txt")));
    // MIG has no GPU_UTIL: no gpu_utilization; memory per instance, told apart by GPU_I_ID
    assertThat(named(mig, "node_gpu_utilization")).isEmpty();
    assertThat(named(mig, "node_gpu_memory_used")).extracting(m -> m.properties().get("GPU_I_ID"))
        .containsExactly("7", "8", "9");
    assertThat(named(mig, "pod_gpu_memory_used")).extracting(m -> m.dimensions().get("PodName"))
        .containsExactly("embed", "tts");

    List<Metric> fixture = ContainerInsightsMapping.builder().build().map(TestData.dcgm(TestData.fixture()));
    // FB_USED_PERCENT 0.000008 x 100 = 0.0008 %; FB_TOTAL 15109 MiB = 15842934784 bytes
    assertThat(named(fixture, "node_gpu_memory_utilization")).singleElement().satisfies(m ->
        assertThat(m.value()).isCloseTo(0.0008, within(1e-18)));
    assertThat(named(fixture, "node_gpu_memory_total").get(0).value()).isEqualTo(15842934784.0);
    // no ClusterName configured: the declared sets do not apply, so one set of everything the metric has
    assertThat(named(fixture, "node_gpu_power_draw").get(0).dimensionSets())
        .containsExactly(List.of("GpuDevice", "NodeName"));
  }

  @Test
  void aPipelinesWindowMapsAsItsLaterScrape() {
    // what a consumer of the pipeline's windows does with a dcgm window
    DcgmKpis k = new DcgmSource().between(TestData.read(TestData.resourceText("k8s-prev.txt")),
        TestData.read(TestData.resourceText("k8s-curr.txt")), java.time.Duration.ofSeconds(30));
    assertThat(MAPPING.map(k.snapshot())).isEqualTo(MAPPING.map(TestData.dcgm(TestData.resourceText(
        "k8s-curr.txt"))));
  }

  @Test
  void podNameIsTheWorkloadAsContainerInsightsShowsIt() {
    assertThat(ContainerInsightsMapping.workloadName("qwen-7d9f8c6b5d-x2x4z")).isEqualTo("qwen");   // Deployment
    assertThat(ContainerInsightsMapping.workloadName("dcgm-exporter-x2x4z")).isEqualTo("dcgm-exporter");
    assertThat(ContainerInsightsMapping.workloadName("tts-0")).isEqualTo("tts");                    // StatefulSet
    assertThat(ContainerInsightsMapping.workloadName("my-model")).isEqualTo("my-model");
    List<Metric> full = ContainerInsightsMapping.builder().clusterName("c").podName(Function.identity()).build()
        .map(TestData.dcgm(TestData.resourceText("k8s-curr.txt")));
    assertThat(named(full, "pod_gpu_utilization").get(0).dimensions().get("PodName"))
        .isEqualTo("qwen-7d9f8c6b5d-x2x4z");
  }
}

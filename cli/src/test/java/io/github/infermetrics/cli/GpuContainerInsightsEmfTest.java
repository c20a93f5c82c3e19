package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.dcgm.ContainerInsightsMapping;
import io.github.infermetrics.dcgm.DcgmSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EmfOutput#writeGpu}: the dcgm mapping's Container Insights GPU metrics as EMF events. */
class GpuContainerInsightsEmfTest {

  @Test
  void oneEventPerGpuLevelWithTheAgentsDimensionSetsAndRefusedOnesCounted(@TempDir Path dir) throws Exception {
    String l = "{gpu=\"0\",UUID=\"GPU-a\",device=\"nvidia0\",Hostname=\"node-1\",container=\"vllm\","
        + "namespace=\"demo\",pod=\"vllm-demo-0\"}";
    DcgmSnapshot s = DcgmSnapshot.of(new SnapshotReader().read(("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n"
        + "DCGM_FI_DEV_GPU_UTIL" + l + " 42\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\nDCGM_FI_DEV_POWER_USAGE" + l
        + " 150.500000\n").getBytes(StandardCharsets.UTF_8)));
    Path file = dir.resolve("emf.jsonl");
    EmfOutput out = new EmfOutput(file.toString(), "Inference", Map.of());
    List<ContainerInsightsMapping.Metric> metrics = ContainerInsightsMapping.builder().clusterName("prod").build()
        .map(s);
    out.writeGpu(metrics, System.currentTimeMillis());
    // a dimension value over EMF's 1024 characters is refused by the writer: one event lost, counted
    out.writeGpu(List.of(new ContainerInsightsMapping.Metric("node_gpu_utilization", "Percent",
        Labels.of("ClusterName", "x".repeat(1025)), Labels.EMPTY, List.of(List.of("ClusterName")), 1)),
        System.currentTimeMillis());
    out.close();
    List<String> lines = Files.readAllLines(file);
    // node, pod and container events, two metrics each
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("\"Namespace\":\"ContainerInsights\"", "\"node_gpu_utilization\":42",
        "\"node_gpu_power_draw\":150.5", "\"Type\":\"NodeGPU\"", "\"UUID\":\"GPU-a\"",
        "\"Dimensions\":[[\"ClusterName\"]]");
    assertThat(lines.get(2)).contains("\"container_gpu_utilization\":42", "\"ContainerName\":\"vllm\"",
        "\"PodName\":\"vllm-demo\"", "\"FullPodName\":\"vllm-demo-0\"");
    assertThat(out.summary()).contains("EMF: 3 events").contains("1 events refused (invalid dimensions)");
  }
}

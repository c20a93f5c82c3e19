package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import io.github.infermetrics.dcgm.ContainerInsightsMapping;
import io.github.infermetrics.dcgm.DcgmSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dcgm module's Container Insights GPU metrics written as EMF the way the CLI writes them (one event per
 * dimensions, properties and dimension sets, in namespace {@code ContainerInsights}): every event passes the EMF
 * schema and the specification's rules ({@link CapturingSink} checks each), with the agent's names.
 */
class DcgmContainerInsightsEmfTest {
  private static final String LABELS = "gpu=\"%s\",UUID=\"GPU-%s\",device=\"nvidia%s\",modelName=\"NVIDIA A10G\","
      + "Hostname=\"ip-10-0-1-23.ec2.internal\",container=\"%s\",namespace=\"%s\",pod=\"%s\"";

  /** Two A10Gs, the first held by a vLLM pod, with every field the agent maps. */
  private static String kubernetesScrape() {
    String a = String.format(LABELS, "0", "aaaa", "0", "vllm", "serving", "qwen-7d9f8c6b5d-x2x4z");
    String b = String.format(LABELS, "1", "bbbb", "1", "", "", "");
    StringBuilder s = new StringBuilder();
    String[][] fields = {{"DCGM_FI_DEV_GPU_UTIL", "87", "0"}, {"DCGM_FI_DEV_FB_USED_PERCENT", "0.9", "0"},
        {"DCGM_FI_DEV_FB_USED", "20000", "0"}, {"DCGM_FI_DEV_FB_TOTAL", "23028", "23028"},
        {"DCGM_FI_DEV_GPU_TEMP", "61", "30"}, {"DCGM_FI_DEV_POWER_USAGE", "212.5", "25"},
        {"DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "0.25", "0"}};
    for (String[] f : fields) {
      s.append("# TYPE ").append(f[0]).append(" gauge\n");
      s.append(f[0]).append('{').append(a).append("} ").append(f[1]).append('\n');
      s.append(f[0]).append('{').append(b).append("} ").append(f[2]).append('\n');
    }
    return s.toString();
  }

  /** What the CLI does with the mapping's metrics. */
  static List<ObjectNode> write(List<ContainerInsightsMapping.Metric> metrics) {
    CapturingSink sink = new CapturingSink();
    EmfWriter w = EmfWriter.builder("ContainerInsights").sink(sink).build();
    Map<List<Object>, List<ContainerInsightsMapping.Metric>> events = new LinkedHashMap<>();
    for (ContainerInsightsMapping.Metric m : metrics) {
      events.computeIfAbsent(List.of(m.dimensions(), m.properties(), m.dimensionSets()), k -> new ArrayList<>())
          .add(m);
    }
    for (List<ContainerInsightsMapping.Metric> group : events.values()) {
      ContainerInsightsMapping.Metric first = group.get(0);
      EmfWriter.Event e = w.begin(System.currentTimeMillis());
      Labels d = first.dimensions();
      for (int i = 0; i < d.size(); i++) {
        e.dimension(d.name(i), d.value(i));
      }
      Labels p = first.properties();
      for (int i = 0; i < p.size(); i++) {
        e.property(p.name(i), p.value(i));
      }
      for (List<String> set : first.dimensionSets()) {
        e.dimensionSet(set.toArray(String[]::new));
      }
      if (first.dimensionSets().isEmpty()) {
        e.dimensionSet();
      }
      for (ContainerInsightsMapping.Metric m : group) {
        e.metric(m.name(), m.unit(), m.value());
      }
      e.end();
    }
    assertThat(sink.events).hasSize(events.size());
    return sink.parsed();
  }

  @Test
  void kubernetesGpusBecomeValidEmfWithTheAgentsNames() {
    DcgmSnapshot s = DcgmSnapshot.of(new SnapshotReader().read(kubernetesScrape().getBytes(StandardCharsets.UTF_8)));
    List<ObjectNode> events = write(ContainerInsightsMapping.builder().clusterName("prod")
        .instanceId("i-0123456789abcdef0").instanceType("g5.12xlarge").build().map(s));
    // GPU 0: node, pod and container events; the free GPU 1: a node event
    assertThat(events).extracting(e -> e.get("Type").asText()).containsExactly("NodeGPU", "PodGPU",
        "ContainerGPU", "NodeGPU");
    ObjectNode node = events.get(0);
    assertThat(node.get("node_gpu_utilization").asDouble()).isEqualTo(87);
    assertThat(node.get("node_gpu_memory_utilization").asDouble()).isEqualTo(90);       // 0.9 x 100
    assertThat(node.get("node_gpu_memory_used").asLong()).isEqualTo(20971520000L);      // 20000 MiB
    assertThat(node.get("node_gpu_memory_total").asLong()).isEqualTo(24146608128L);     // 23028 MiB
    assertThat(node.get("node_gpu_power_draw").asDouble()).isEqualTo(212.5);
    assertThat(node.get("node_gpu_tensor_core_utilization").asDouble()).isEqualTo(0.25);
    assertThat(node.get("UUID").asText()).isEqualTo("GPU-aaaa");
    assertThat(node.get("GpuDevice").asText()).isEqualTo("nvidia0");
    JsonNode directive = node.at("/_aws/CloudWatchMetrics/0");
    assertThat(directive.get("Namespace").asText()).isEqualTo("ContainerInsights");
    assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"ClusterName\"],"
        + "[\"ClusterName\",\"NodeName\",\"InstanceId\"],"
        + "[\"ClusterName\",\"NodeName\",\"InstanceId\",\"InstanceType\",\"GpuDevice\"]]");
    assertThat(directive.get("Metrics").toString()).contains("{\"Name\":\"node_gpu_utilization\","
        + "\"Unit\":\"Percent\"}", "{\"Name\":\"node_gpu_memory_used\",\"Unit\":\"Bytes\"}");
    ObjectNode container = events.get(2);
    assertThat(container.get("container_gpu_power_draw").asDouble()).isEqualTo(212.5);
    assertThat(container.get("PodName").asText()).isEqualTo("qwen");
    assertThat(container.get("FullPodName").asText()).isEqualTo("qwen-7d9f8c6b5d-x2x4z");
    assertThat(container.get("ContainerName").asText()).isEqualTo("vllm");
    assertThat(container.at("/_aws/CloudWatchMetrics/0/Dimensions").get(3).toString()).isEqualTo(
        "[\"ClusterName\",\"Namespace\",\"PodName\",\"FullPodName\",\"ContainerName\",\"GpuDevice\"]");
  }

  @Test
  void theRealFixtureBecomesValidEmf() throws Exception {
    DcgmSnapshot s = DcgmSnapshot.of(new SnapshotReader().read(Files.readAllBytes(
        SharedData.dir("fixtures/dcgm/datadog-dcgm-exporter.txt"))));
    List<ObjectNode> events = write(ContainerInsightsMapping.builder().clusterName("test").build().map(s));
    // two T4s (two captures in one file), node metrics only: no Kubernetes labels
    assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.get("Type").asText()).isEqualTo("NodeGPU"));
    assertThat(events.get(0).get("node_gpu_power_draw").asDouble()).isEqualTo(8.969);
    assertThat(events.get(1).get("node_gpu_memory_total").asLong()).isEqualTo(15842934784L);   // 15109 MiB
  }
}

package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.neuron.ContainerInsightsMapping.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmfOutputTest {

  @Test
  void containerInsightsDimensionsTheWriterRefusesDropOneEventAndAreCounted(@TempDir Path dir) throws Exception {
    // an empty Namespace comes from a report's neuron_k8s_info; it used to end the command with an exception
    Path file = dir.resolve("emf.jsonl");
    EmfOutput out = new EmfOutput(file.toString(), "Inference", Map.of());
    out.write(List.of(
        new Metric("neuroncore_utilization", "Percent", Labels.of("ClusterName", "c", "Namespace", ""), 50),
        new Metric("neuroncore_utilization", "Percent", Labels.of("ClusterName", "c", "Namespace", "ml"), 60)),
        System.currentTimeMillis());
    out.close();
    assertThat(out.summary()).contains("EMF: 1 events").contains("1 events refused (invalid dimensions)");
    assertThat(Files.readAllLines(file)).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"Namespace\":\"ml\""));
  }
}

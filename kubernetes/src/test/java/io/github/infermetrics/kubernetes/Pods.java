package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.List;
import java.util.Map;

/** Test pods, built as the API server would return them. */
final class Pods {
  private Pods() {}

  /** A running, ready vLLM pod with one container serving port 8000 named "http". */
  static PodBuilder vllm(String namespace, String name, String ip) {
    return new PodBuilder()
        .withNewMetadata()
          .withNamespace(namespace).withName(name).withUid("uid-" + name)
          .withLabels(Map.of("app", "vllm", "app.kubernetes.io/part-of", "serving"))
          .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("vllm-7d9f")
            .withUid("rs").withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec()
          .withNodeName("gpu-node-1")
          .addNewContainer().withName("vllm").withImage("vllm/vllm-openai:v0.11.0")
            .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(8000).withProtocol("TCP")
                .build())
          .endContainer()
        .endSpec()
        .withNewStatus()
          .withPhase("Running").withPodIP(ip).withHostIP("192.0.2.10")
          .withConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()))
        .endStatus();
  }

  static Pod running(String namespace, String name, String ip) {
    return vllm(namespace, name, ip).build();
  }
}

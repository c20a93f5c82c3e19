package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Test EndpointSlices, as the EndpointSlice controller writes them. */
final class Slices {
  private Slices() {}

  static Endpoint endpoint(String ip, String pod, boolean ready) {
    return new EndpointBuilder().withAddresses(ip).withNodeName("gpu-node-1").withZone("us-east-1a")
        .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace("serving").withName(pod).endTargetRef()
        .build();
  }

  /** The slice of service "vllm" in "serving" with ports http=8000 and grpc=8001. */
  static EndpointSliceBuilder vllm(String name, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("serving").withName(name)
          .withLabels(Map.of("kubernetes.io/service-name", "vllm", "app.kubernetes.io/name", "vllm",
              "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"))
        .endMetadata()
        .withAddressType("IPv4")
        .withPorts(new EndpointPortBuilder().withName("http").withPort(8000).withProtocol("TCP").build(),
            new EndpointPortBuilder().withName("grpc").withPort(8001).withProtocol("TCP").build())
        .withEndpoints(List.of(endpoints));
  }
}

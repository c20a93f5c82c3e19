package io.github.infermetrics.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EndpointSlices to targets, without a server. */
class EndpointSliceTargetsTest {
  private static Informers.Groups groups(String spec, EndpointSlice... slices) {
    KubernetesEndpointSlicesConfig config = KubernetesEndpointSlicesConfig.parse(spec);
    return EndpointSliceTargets.of(List.of(slices), config, PodSelector.parse(config.selector()));
  }

  @Test
  void readyEndpointsAreTargetsWithTheEndpointSliceRoleLabels() {
    EndpointSlice slice = Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", true),
        Slices.endpoint("10.1.0.8", "vllm-1", false)).build();
    Informers.Groups g = groups("namespace=serving,service=vllm,port=http", slice);
    assertThat(g.problems()).isEmpty();
    assertThat(g.groups()).hasSize(1);
    assertThat(g.groups().get(0).targets()).hasSize(1); // vllm-1 is not ready
    Labels l = g.groups().get(0).targets().get(0);
    assertThat(l.asMap()).containsAllEntriesOf(Map.ofEntries(
        Map.entry("__address__", "10.1.0.7:8000"),
        Map.entry("__meta_kubernetes_namespace", "serving"),
        Map.entry("__meta_kubernetes_service_name", "vllm"),
        Map.entry("__meta_kubernetes_pod_name", "vllm-0"),
        Map.entry("__meta_kubernetes_endpointslice_name", "vllm-abc12"),
        Map.entry("__meta_kubernetes_endpointslice_address_type", "IPv4"),
        Map.entry("__meta_kubernetes_endpointslice_address_target_kind", "Pod"),
        Map.entry("__meta_kubernetes_endpointslice_address_target_name", "vllm-0"),
        Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true"),
        Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true"),
        Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false"),
        Map.entry("__meta_kubernetes_endpointslice_endpoint_node_name", "gpu-node-1"),
        Map.entry("__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1a"),
        Map.entry("__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "vllm"),
        Map.entry("__meta_kubernetes_endpointslice_labelpresent_app_kubernetes_io_name", "true"),
        Map.entry("__meta_kubernetes_endpointslice_port", "8000"),
        Map.entry("__meta_kubernetes_endpointslice_port_name", "http"),
        Map.entry("__meta_kubernetes_endpointslice_port_protocol", "TCP"),
        Map.entry("infermetrics_name", "vllm-0")));
    DiscoveredTarget t = KubernetesEndpointSlicesConfig.parse("namespace=serving").labelling().resolve(g.groups())
        .targets().get(0);
    assertThat(t).isEqualTo(new DiscoveredTarget(URI.create("http://10.1.0.7:8000/metrics"), "vllm-0",
        Labels.of("instance", "10.1.0.7:8000", "job", "infermetrics"), Optional.empty(),
        Optional.of("serving/vllm-0")));
  }

  @Test
  void aSliceWithSeveralPortsNeedsOne() {
    EndpointSlice slice = Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", true)).build();
    assertThat(groups("", slice).problems()).containsExactly("endpointslice serving/vllm-abc12: several ports"
        + " (http=8000, grpc=8001): give port= in the spec");
    assertThat(groups("port=metrics", slice).problems()).containsExactly("endpointslice serving/vllm-abc12: no port"
        + " named \"metrics\" (ports: http=8000, grpc=8001)");
    assertThat(groups("port=8001", slice).groups().get(0).targets().get(0).get("__address__"))
        .isEqualTo("10.1.0.7:8001");
  }

  @Test
  void theSelectorAppliesToSliceLabels() {
    EndpointSlice other = Slices.vllm("triton-x", Slices.endpoint("10.1.0.9", "triton-0", true))
        .editMetadata().withLabels(Map.of("kubernetes.io/service-name", "triton")).endMetadata().build();
    EndpointSlice vllm = Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", true)).build();
    assertThat(groups("service=vllm,port=http", other, vllm).groups()).extracting(g -> g.source())
        .containsExactly("endpointslice serving/vllm-abc12");
  }
}

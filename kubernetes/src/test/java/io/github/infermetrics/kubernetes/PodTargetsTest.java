package io.github.infermetrics.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.RelabelRule;
import io.github.infermetrics.core.discovery.ResolvedTargets;
import io.github.infermetrics.core.discovery.TargetLabelling;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pods to targets, without a server: which pods, which port, which labels. */
class PodTargetsTest {
  private static ResolvedTargets resolve(KubernetesPodsConfig config, Pod... pods) {
    Informers.Groups r = PodTargets.of(List.of(pods), config, PodSelector.parse(config.selector()));
    return config.labelling().resolve(r.groups());
  }

  @Test
  void aPodIsOneTargetWithThePrometheusPodRoleLabels() {
    KubernetesPodsConfig config = KubernetesPodsConfig.parse("namespace=serving,port=http");
    Informers.Groups r = PodTargets.of(List.of(Pods.running("serving", "vllm-0", "10.1.0.7")), config,
        PodSelector.EVERYTHING);
    assertThat(r.problems()).isEmpty();
    Labels l = r.groups().get(0).targets().get(0);
    assertThat(l.asMap()).containsAllEntriesOf(Map.ofEntries(
        Map.entry("__address__", "10.1.0.7:8000"),
        Map.entry("__meta_kubernetes_namespace", "serving"),
        Map.entry("__meta_kubernetes_pod_name", "vllm-0"),
        Map.entry("__meta_kubernetes_pod_ip", "10.1.0.7"),
        Map.entry("__meta_kubernetes_pod_ready", "true"),
        Map.entry("__meta_kubernetes_pod_phase", "Running"),
        Map.entry("__meta_kubernetes_pod_node_name", "gpu-node-1"),
        Map.entry("__meta_kubernetes_pod_host_ip", "192.0.2.10"),
        Map.entry("__meta_kubernetes_pod_uid", "uid-vllm-0"),
        Map.entry("__meta_kubernetes_pod_controller_kind", "ReplicaSet"),
        Map.entry("__meta_kubernetes_pod_controller_name", "vllm-7d9f"),
        Map.entry("__meta_kubernetes_pod_label_app", "vllm"),
        Map.entry("__meta_kubernetes_pod_labelpresent_app", "true"),
        Map.entry("__meta_kubernetes_pod_label_app_kubernetes_io_part_of", "serving"),
        Map.entry("__meta_kubernetes_pod_container_name", "vllm"),
        Map.entry("__meta_kubernetes_pod_container_image", "vllm/vllm-openai:v0.11.0"),
        Map.entry("__meta_kubernetes_pod_container_init", "false"),
        Map.entry("__meta_kubernetes_pod_container_port_name", "http"),
        Map.entry("__meta_kubernetes_pod_container_port_number", "8000"),
        Map.entry("__meta_kubernetes_pod_container_port_protocol", "TCP"),
        Map.entry("infermetrics_name", "vllm-0")));

    DiscoveredTarget t = config.labelling().resolve(r.groups()).targets().get(0);
    assertThat(t).isEqualTo(new DiscoveredTarget(URI.create("http://10.1.0.7:8000/metrics"), "vllm-0",
        Labels.of("instance", "10.1.0.7:8000", "job", "infermetrics"), java.util.Optional.empty(),
        java.util.Optional.of("serving/vllm-0")));
  }

  @Test
  void thePortComesFromTheSpecElseTheAnnotations() {
    Pod annotated = Pods.vllm("serving", "vllm-1", "10.1.0.8")
        .editMetadata().withAnnotations(Map.of("prometheus.io/port", "8000", "prometheus.io/path", "/stats",
            "prometheus.io/scheme", "https", "infermetrics.io/source", "vllm", "infermetrics.io/name", "engine-b"))
        .endMetadata().build();
    DiscoveredTarget byAnnotation = resolve(KubernetesPodsConfig.parse(""), annotated).targets().get(0);
    assertThat(byAnnotation.url()).isEqualTo(URI.create("https://10.1.0.8:8000/stats"));
    assertThat(byAnnotation.source()).contains("vllm");
    assertThat(byAnnotation.name()).isEqualTo("engine-b");

    DiscoveredTarget bySpec = resolve(KubernetesPodsConfig.parse("port=9400,path=/metrics,scheme=http,source=dcgm"),
        annotated).targets().get(0);
    assertThat(bySpec.url()).isEqualTo(URI.create("http://10.1.0.8:9400/metrics")); // undeclared port, used as given
    assertThat(bySpec.source()).contains("dcgm");
  }

  @Test
  void podsThatCannotBeScrapedAreLeftOutAndOnlyMisconfigurationIsAProblem() {
    KubernetesPodsConfig config = KubernetesPodsConfig.parse("port=http");
    Pod pending = Pods.vllm("s", "pending", "10.0.0.1").editStatus().withPhase("Pending").endStatus().build();
    Pod noIp = Pods.vllm("s", "no-ip", null).build();
    Pod deleting = Pods.vllm("s", "deleting", "10.0.0.2").editMetadata()
        .withDeletionTimestamp("2026-12-07T03:00:00Z").endMetadata().build();
    Pod optedOut = Pods.vllm("s", "opted-out", "10.0.0.3").editMetadata()
        .withAnnotations(Map.of("prometheus.io/scrape", "false")).endMetadata().build();
    Pod noSuchPort = Pods.vllm("s", "grpc-only", "10.0.0.4").editSpec().editFirstContainer()
        .withPorts(new ContainerPortBuilder().withName("grpc").withContainerPort(8001).build()).endContainer()
        .endSpec().build();
    Pod ok = Pods.running("s", "ok", "10.0.0.5");
    Informers.Groups r = PodTargets.of(List.of(pending, noIp, deleting, optedOut, noSuchPort, ok), config,
        PodSelector.EVERYTHING);
    assertThat(r.groups()).extracting(g -> g.source()).containsExactly("pod s/ok");
    assertThat(r.optedOut()).isEqualTo(1);
    assertThat(r.problems()).containsExactly("pod s/grpc-only: no container port named \"http\"");

    Informers.Groups noPort = PodTargets.of(List.of(ok), KubernetesPodsConfig.parse(""), PodSelector.EVERYTHING);
    assertThat(noPort.problems()).containsExactly("pod s/ok: no metrics port: give port= in the spec or annotate the"
        + " pod with prometheus.io/port");
  }

  @Test
  void namesAreQualifiedWhenSeveralNamespacesAreWatched() {
    Pod a = Pods.running("team-a", "vllm-0", "10.0.0.1");
    Pod b = Pods.running("team-b", "vllm-0", "fd00::7");
    ResolvedTargets r = resolve(KubernetesPodsConfig.parse("port=8000"), a, b);
    assertThat(r.targets()).extracting(DiscoveredTarget::name).containsExactly("team-a/vllm-0", "team-b/vllm-0");
    assertThat(r.targets().get(1).url()).isEqualTo(URI.create("http://[fd00::7]:8000/metrics"));
    assertThat(resolve(KubernetesPodsConfig.parse("port=8000,name=address"), a).targets().get(0).name())
        .isEqualTo("10.0.0.1:8000");
  }

  @Test
  void metaLabelsFeedRelabelling() {
    TargetLabelling labelling = TargetLabelling.builder()
        .relabel(RelabelRule.builder(RelabelRule.Action.LABELMAP).regex("__meta_kubernetes_pod_label_(app)").build())
        .relabel(RelabelRule.builder(RelabelRule.Action.REPLACE).sourceLabels("__meta_kubernetes_pod_node_name")
            .targetLabel("node").build())
        .build();
    KubernetesPodsConfig config = KubernetesPodsConfig.builder().port("http").labelling(labelling).build();
    DiscoveredTarget t = resolve(config, Pods.running("serving", "vllm-0", "10.0.0.1")).targets().get(0);
    assertThat(t.labels()).isEqualTo(Labels.of("app", "vllm", "instance", "10.0.0.1:8000", "job", "infermetrics",
        "node", "gpu-node-1"));
  }

  @Test
  void labelNamesAreSanitizedAsPrometheusDoes() {
    assertThat(PodTargets.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
    assertThat(PodTargets.hostPort("fd00::1", 80)).isEqualTo("[fd00::1]:80");
  }
}

package io.github.infermetrics.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pod and EndpointSlice discovery against fabric8's kubernetes-server-mock in CRUD mode (no real API server can run on the build
 * machines): the mock keeps the pods the test creates and serves list and watch as the API server does, so the
 * informers see pods (and endpoints) appear, change IP and disappear.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodDiscoveryTest {
  KubernetesClient client;

  private final BlockingQueue<List<String>> lists = new LinkedBlockingQueue<>();

  private static String describe(DiscoveredTarget t) {
    return t.name() + "@" + t.url().getAuthority() + t.pod().map(p -> " pod=" + p).orElse("");
  }

  private void listen(KubernetesPodDiscovery d) {
    d.start(targets -> lists.add(targets.stream().map(KubernetesPodDiscoveryTest::describe)
        .collect(Collectors.toList())));
  }

  private void await(String... targets) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<String> seen = null;
    while (System.nanoTime() < deadline) {
      List<String> l = lists.poll(50, TimeUnit.MILLISECONDS);
      if (l != null) {
        seen = l;
        if (l.equals(List.of(targets))) {
          return;
        }
      }
    }
    throw new AssertionError("no list " + List.of(targets) + " within 15 s; last was " + seen);
  }

  private void create(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
  }

  private void edit(String namespace, String name, UnaryOperator<PodBuilder> change) {
    client.pods().inNamespace(namespace).withName(name).edit(p -> change.apply(new PodBuilder(p)).build());
  }

  @Test
  void podsAppearChangeIpAndDisappear() throws Exception {
    create(Pods.running("serving", "vllm-0", "10.1.0.7"));
    create(Pods.vllm("serving", "triton-0", "10.1.0.20")
        .editMetadata().withLabels(Map.of("app", "triton")).endMetadata().build()); // not selected
    create(Pods.running("staging", "vllm-9", "10.2.0.9")); // another namespace
    KubernetesPodsConfig config = KubernetesPodsConfig.parse(
        "namespace=serving,selector=app in (vllm,sglang),port=http,resync=0");
    try (KubernetesPodDiscovery d = new KubernetesPodDiscovery(config, client)) {
      listen(d);
      assertThat(lists.poll()).as("the first list, before start returned")
          .containsExactly("vllm-0@10.1.0.7:8000 pod=serving/vllm-0");

      create(Pods.vllm("serving", "sglang-0", "10.1.0.8")
          .editMetadata().withLabels(Map.of("app", "sglang")).endMetadata().build());
      await("sglang-0@10.1.0.8:8000 pod=serving/sglang-0", "vllm-0@10.1.0.7:8000 pod=serving/vllm-0");

      edit("serving", "vllm-0", p -> p.editStatus().withPodIP("10.1.0.17").endStatus()); // rescheduled
      await("sglang-0@10.1.0.8:8000 pod=serving/sglang-0", "vllm-0@10.1.0.17:8000 pod=serving/vllm-0");

      edit("serving", "sglang-0", p -> p.editStatus().withPhase("Failed").endStatus());
      await("vllm-0@10.1.0.17:8000 pod=serving/vllm-0");

      client.pods().inNamespace("serving").withName("vllm-0").delete();
      await();
      assertThat(d.errors()).isZero();
      assertThat(d.description()).isEqualTo("kubernetes pods namespace=serving,selector=app in (sglang,vllm),"
          + "port=http");
    }
  }

  @Test
  void allNamespacesWithPortsFromAnnotationsAndMisconfiguredPodsCounted() throws Exception {
    create(Pods.vllm("team-a", "vllm-0", "10.1.0.7").editMetadata()
        .withAnnotations(Map.of("prometheus.io/port", "8000", "infermetrics.io/source", "vllm")).endMetadata().build());
    KubernetesPodsConfig config = KubernetesPodsConfig.builder().selector("app=vllm").resync(Duration.ZERO).build();
    try (KubernetesPodDiscovery d = new KubernetesPodDiscovery(config, client)) {
      listen(d);
      await("team-a/vllm-0@10.1.0.7:8000 pod=team-a/vllm-0");
      assertThat(d.current().get(0).source()).contains("vllm");

      create(Pods.running("team-b", "vllm-1", "10.3.0.1")); // no port given and no annotation: an error, once
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (d.errors() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(d.errors()).isEqualTo(1);
      assertThat(d.lastError()).hasValue("pod team-b/vllm-1: no metrics port: give port= in the spec or annotate"
          + " the pod with prometheus.io/port");

      edit("team-b", "vllm-1", p -> p.editMetadata().addToAnnotations("prometheus.io/port", "8000").endMetadata());
      await("team-a/vllm-0@10.1.0.7:8000 pod=team-a/vllm-0", "team-b/vllm-1@10.3.0.1:8000 pod=team-b/vllm-1");

      edit("team-a", "vllm-0", p -> p.editMetadata().addToAnnotations("prometheus.io/scrape", "false").endMetadata());
      await("team-b/vllm-1@10.3.0.1:8000 pod=team-b/vllm-1");
      assertThat(d.droppedTargets()).isEqualTo(1);
      assertThat(d.errors()).isEqualTo(1);
    }
  }

  @Test
  void endpointSlicesOfAServiceFollowItsEndpoints() throws Exception {
    client.discovery().v1().endpointSlices().inNamespace("serving")
        .resource(Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", true)).build()).create();
    KubernetesEndpointSlicesConfig config =
        KubernetesEndpointSlicesConfig.parse("namespace=serving,service=vllm,port=http,resync=0");
    try (KubernetesEndpointSliceDiscovery d = new KubernetesEndpointSliceDiscovery(config, client)) {
      d.start(targets -> lists.add(targets.stream().map(KubernetesPodDiscoveryTest::describe)
          .collect(Collectors.toList())));
      assertThat(lists.poll()).containsExactly("vllm-0@10.1.0.7:8000 pod=serving/vllm-0");

      client.discovery().v1().endpointSlices().inNamespace("serving").withName("vllm-abc12")
          .edit(s -> Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", true),
              Slices.endpoint("10.1.0.8", "vllm-1", true)).build());
      await("vllm-0@10.1.0.7:8000 pod=serving/vllm-0", "vllm-1@10.1.0.8:8000 pod=serving/vllm-1");

      client.discovery().v1().endpointSlices().inNamespace("serving").withName("vllm-abc12")
          .edit(s -> Slices.vllm("vllm-abc12", Slices.endpoint("10.1.0.7", "vllm-0", false),
              Slices.endpoint("10.1.0.8", "vllm-1", true)).build());
      await("vllm-1@10.1.0.8:8000 pod=serving/vllm-1");

      client.discovery().v1().endpointSlices().inNamespace("serving").withName("vllm-abc12").delete();
      await();
      assertThat(d.errors()).isZero();
    }
  }
}

package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.discovery.TargetPublisher;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The endpoints of Kubernetes services, from their EndpointSlices, as scrape targets: what a service routes to.
 *
 * <pre>{@code
 * KubernetesEndpointSlicesConfig config = KubernetesEndpointSlicesConfig.parse("namespace=serving,service=vllm,port=http");
 * try (KubernetesEndpointSliceDiscovery endpoints = new KubernetesEndpointSliceDiscovery(config)) {
 *   endpoints.start(found -> pipeline.replaceTargets(
 *       found.stream().map(t -> PipelineTarget.builder(t).build()).toList()));
 * }
 * }</pre>
 *
 * <p>Like {@link KubernetesPodDiscovery}: informers (list and watch, no polling), the default fabric8 client or
 * yours, the first list before {@link #start} returns. One target per endpoint that is ready and not terminating,
 * at its first address and the chosen port; {@link DiscoveredTarget#pod()} is the endpoint's pod when its target
 * reference is one. Labels for relabelling are those of Prometheus's {@code endpointslice} role:
 * {@code __meta_kubernetes_namespace}, {@code __meta_kubernetes_service_name} (from the slice's
 * {@code kubernetes.io/service-name} label), {@code __meta_kubernetes_endpointslice_name}, {@code _label_*},
 * {@code _labelpresent_*}, {@code _annotation_*}, {@code _annotationpresent_*}, {@code _address_type},
 * {@code _address_target_kind}, {@code _address_target_name}, {@code _endpoint_conditions_ready},
 * {@code _endpoint_conditions_serving}, {@code _endpoint_conditions_terminating}, {@code _endpoint_hostname},
 * {@code _endpoint_node_name}, {@code _endpoint_zone}, {@code _port}, {@code _port_name}, {@code _port_protocol},
 * {@code _port_app_protocol}, and {@code __meta_kubernetes_pod_name} for a pod endpoint. Unlike Prometheus, the
 * pod's and the service's own labels are not joined in (that would take two more informers). The service account
 * needs {@code get}, {@code list} and {@code watch} on {@code endpointslices.discovery.k8s.io}.
 *
 * <p>Tested against fabric8's {@code kubernetes-server-mock} in CRUD mode, as no real API server can run on the
 * build machines. Thread-safe.
 */
public final class KubernetesEndpointSliceDiscovery implements TargetDiscovery {
  private final KubernetesEndpointSlicesConfig config;
  private final PodSelector selector;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final TargetPublisher publisher;
  private final Informers<EndpointSlice> informers;
  private final Object lock = new Object();
  private boolean started;
  private boolean closed;

  /**
   * A discovery with fabric8's default client (in-cluster or kubeconfig), closed with the discovery.
   *
   * @param config what to watch
   */
  public KubernetesEndpointSliceDiscovery(KubernetesEndpointSlicesConfig config) {
    this(config, new KubernetesClientBuilder().build(), true);
  }

  /**
   * A discovery on a client of yours, which stays open when the discovery closes.
   *
   * @param config what to watch
   * @param client the client
   */
  public KubernetesEndpointSliceDiscovery(KubernetesEndpointSlicesConfig config, KubernetesClient client) {
    this(config, client, false);
  }

  private KubernetesEndpointSliceDiscovery(KubernetesEndpointSlicesConfig config, KubernetesClient client,
      boolean ownsClient) {
    this.config = Objects.requireNonNull(config, "config");
    this.selector = PodSelector.parse(config.selector());
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.publisher = new TargetPublisher("kubernetes endpointslices " + config.toSpec());
    this.informers = new Informers<>("endpointslices", publisher, config.labelling(),
        slices -> EndpointSliceTargets.of(slices, config, selector));
  }

  /**
   * Starts the informers and waits up to {@link KubernetesEndpointSlicesConfig#startTimeout()} for their first
   * lists, then gives the listener the first target list.
   *
   * @param listener gets each complete list
   */
  @Override
  public void start(Consumer<List<DiscoveredTarget>> listener) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(description() + ": closed");
      }
      if (started) {
        throw new IllegalStateException(description() + ": already started");
      }
      started = true;
      publisher.start(listener);
      List<String> namespaces = config.namespaces().isEmpty() ? List.of("") : config.namespaces();
      for (String ns : namespaces) {
        FilterWatchListDeletable<EndpointSlice, EndpointSliceList, Resource<EndpointSlice>> slices = ns.isEmpty()
            ? client.discovery().v1().endpointSlices().inAnyNamespace()
            : client.discovery().v1().endpointSlices().inNamespace(ns);
        if (!selector.isEmpty()) {
          slices = slices.withLabelSelector(selector.toString());
        }
        informers.add(slices.runnableInformer(config.resync().toMillis()), ns.isEmpty() ? "" : " in " + ns);
      }
    }
    informers.start(config.startTimeout());
  }

  @Override
  public List<DiscoveredTarget> current() {
    return publisher.current();
  }

  @Override
  public String description() {
    return publisher.description();
  }

  @Override
  public long errors() {
    return publisher.errors();
  }

  @Override
  public Optional<String> lastError() {
    return publisher.lastError();
  }

  @Override
  public int droppedTargets() {
    return publisher.droppedTargets();
  }

  /**
   * The configuration.
   *
   * @return the configuration given
   */
  public KubernetesEndpointSlicesConfig config() {
    return config;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    informers.close();
    if (ownsClient) {
      client.close();
    }
  }
}

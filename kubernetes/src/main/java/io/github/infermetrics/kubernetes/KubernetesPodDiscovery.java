package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.discovery.TargetPublisher;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Model-server pods found through the Kubernetes API, as scrape targets.
 *
 * <pre>{@code
 * KubernetesPodsConfig config = KubernetesPodsConfig.parse("namespace=serving,selector=app in (vllm,sglang),port=http");
 * try (KubernetesPodDiscovery pods = new KubernetesPodDiscovery(config)) {   // in-cluster config or ~/.kube/config
 *   pods.start(found -> pipeline.replaceTargets(
 *       found.stream().map(t -> PipelineTarget.builder(t).build()).toList()));
 *   ...
 * }
 * }</pre>
 *
 * <p><b>How.</b> One fabric8 informer per namespace (one for all namespaces when none is given) lists the pods
 * that match the selector, then watches them: no polling of the API server. The informers' cache is replayed every
 * {@link KubernetesPodsConfig#resync()} (no API request). Each change recomputes the target list, which reaches
 * the listener when it differs from the last. The client is fabric8's default: the in-cluster service account when
 * running in a pod, else the kubeconfig ({@code KUBECONFIG}, {@code ~/.kube/config}); or pass your own client. The
 * service account needs {@code get}, {@code list} and {@code watch} on {@code pods} in the namespaces watched.
 *
 * <p><b>Which pods.</b> Those that match the selector, are {@code Running}, have an IP and are not being deleted;
 * a pod annotated {@code prometheus.io/scrape: "false"} is left out (counted in {@link #droppedTargets()}). Each
 * pod is one target at {@code podIP:port}, the port chosen by {@link KubernetesPodsConfig#port()} (a container
 * port's name or number) or else the {@code prometheus.io/port} annotation; the path and scheme come from the
 * config or else {@code prometheus.io/path} and {@code prometheus.io/scheme}. A pod with no such port is an error
 * (once per change). {@link DiscoveredTarget#pod()} is {@code namespace/name}; the source comes from the config or
 * the {@code infermetrics.io/source} annotation; the name is the pod's (see {@link KubernetesPodsConfig.Naming}) or
 * the {@code infermetrics.io/name} annotation.
 *
 * <p><b>Labels for relabelling</b>, as Prometheus's pod role sets them: {@code __meta_kubernetes_namespace},
 * {@code __meta_kubernetes_pod_name}, {@code _ip}, {@code _phase}, {@code _ready}, {@code _node_name},
 * {@code _host_ip}, {@code _uid}, {@code _controller_kind}, {@code _controller_name},
 * {@code _label_<name>}/{@code _labelpresent_<name>}, {@code _annotation_<name>}/{@code _annotationpresent_<name>}
 * (names with characters outside {@code [a-zA-Z0-9_]} turned to {@code _}), and for the chosen port
 * {@code _container_name}, {@code _container_image}, {@code _container_init}, {@code _container_id},
 * {@code _container_port_name}, {@code _container_port_number}, {@code _container_port_protocol}. They are
 * available to {@link KubernetesPodsConfig#labelling()}'s rules and dropped afterwards, as all {@code __} labels.
 *
 * <p>Testing: no real API server can run on the build machines; the tests use fabric8's
 * {@code kubernetes-server-mock} in CRUD mode, which stores objects and serves list and watch as the API server.
 *
 * <p>Thread-safe; the listener runs on an informer thread (the first list on the thread calling {@link #start}).
 */
public final class KubernetesPodDiscovery implements TargetDiscovery {
  private final KubernetesPodsConfig config;
  private final PodSelector selector;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final TargetPublisher publisher;
  private final Informers<Pod> informers;
  private final Object lock = new Object();
  private boolean started;
  private boolean closed;

  /**
   * A discovery with fabric8's default client (in-cluster or kubeconfig), closed with the discovery.
   *
   * @param config what to watch
   */
  public KubernetesPodDiscovery(KubernetesPodsConfig config) {
    this(config, new KubernetesClientBuilder().build(), true);
  }

  /**
   * A discovery on a client of yours, which stays open when the discovery closes.
   *
   * @param config what to watch
   * @param client the client
   */
  public KubernetesPodDiscovery(KubernetesPodsConfig config, KubernetesClient client) {
    this(config, client, false);
  }

  private KubernetesPodDiscovery(KubernetesPodsConfig config, KubernetesClient client, boolean ownsClient) {
    this.config = Objects.requireNonNull(config, "config");
    this.selector = PodSelector.parse(config.selector());
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.publisher = new TargetPublisher("kubernetes pods " + config.toSpec());
    this.informers = new Informers<>("pods", publisher, config.labelling(),
        pods -> PodTargets.of(pods, config, selector));
  }

  /**
   * Starts the informers and waits up to {@link KubernetesPodsConfig#startTimeout()} for their first lists; the
   * listener gets the first target list before this returns, unless the API server did not answer in time (an
   * error; the informers keep trying, and the first list comes when they succeed).
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
        FilterWatchListDeletable<Pod, PodList, PodResource> pods =
            ns.isEmpty() ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns);
        if (!selector.isEmpty()) {
          pods = pods.withLabelSelector(selector.toString());
        }
        informers.add(pods.runnableInformer(config.resync().toMillis()), ns.isEmpty() ? "" : " in " + ns);
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

  /**
   * Targets left out on purpose: by relabelling rules, and pods annotated {@code prometheus.io/scrape: "false"}.
   *
   * @return the count
   */
  @Override
  public int droppedTargets() {
    return publisher.droppedTargets();
  }

  /**
   * The configuration.
   *
   * @return the configuration given
   */
  public KubernetesPodsConfig config() {
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

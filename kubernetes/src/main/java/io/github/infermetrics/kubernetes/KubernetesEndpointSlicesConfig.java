package io.github.infermetrics.kubernetes;

import io.github.infermetrics.core.discovery.TargetLabelling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link KubernetesEndpointSliceDiscovery} watches: the EndpointSlices of services, by namespace, service name
 * and label selector, and which of their ports is the metrics endpoint.
 *
 * <pre>{@code
 * // the CLI flag --kubernetes-endpointslices
 * KubernetesEndpointSlicesConfig c = KubernetesEndpointSlicesConfig.parse("namespace=serving,service=vllm,port=http");
 * }</pre>
 *
 * <p>The spec has the syntax of {@link KubernetesPodsConfig#parse} (commas inside a selector allowed), with these
 * options: {@code namespace=NS} (repeatable; default all), {@code service=NAME} (the slices of one service: the
 * selector {@code kubernetes.io/service-name=NAME}), {@code selector=SEL} (on the slices' labels, which Kubernetes
 * copies from the service), {@code port=P} (the slice port by name or number; needed when a slice has several),
 * {@code path=/P}, {@code scheme=http|https}, {@code source=S}, {@code name=pod|address} (default {@code pod}: the
 * endpoint's pod, when it is one), {@code job=J}, {@code resync=D}.
 *
 * @param namespaces the namespaces; empty for all
 * @param selector the label selector on the EndpointSlices, in canonical form (including the service name)
 * @param port the port name or number, or empty when slices have one port
 * @param path the metrics path, or empty for {@code /metrics}
 * @param scheme {@code http} or {@code https}, or empty for {@code http}
 * @param source the source of all targets, or empty for detection
 * @param naming what targets are called
 * @param resync how often informers replay their cache; zero for never
 * @param startTimeout how long {@link KubernetesEndpointSliceDiscovery#start} waits for the first list
 * @param labelling defaults and relabelling, applied to the {@code __meta_kubernetes_endpointslice_*} labels
 */
public record KubernetesEndpointSlicesConfig(List<String> namespaces, String selector, Optional<String> port,
    Optional<String> path, Optional<String> scheme, Optional<String> source, KubernetesPodsConfig.Naming naming,
    Duration resync, Duration startTimeout, TargetLabelling labelling) {
  private static final List<String> OPTIONS = List.of("namespace", "service", "selector", "port", "path", "scheme",
      "source", "name", "job", "resync");

  /**
   * Validates; the checks are those of {@link KubernetesPodsConfig}.
   *
   * @param namespaces the namespaces
   * @param selector the label selector
   * @param port the port
   * @param path the path
   * @param scheme the scheme
   * @param source the source
   * @param naming the naming
   * @param resync the resync period
   * @param startTimeout the start timeout
   * @param labelling the labelling
   * @throws IllegalArgumentException naming the setting that is not valid
   */
  public KubernetesEndpointSlicesConfig {
    // the same rules as for pods: build one to check them
    KubernetesPodsConfig checked = new KubernetesPodsConfig(namespaces, selector, port, path, scheme, source, naming,
        resync, startTimeout, labelling);
    namespaces = checked.namespaces();
    selector = checked.selector();
  }

  /**
   * The configuration of the CLI flag {@code --kubernetes-endpointslices SPEC}.
   *
   * @param spec for example {@code namespace=serving,service=vllm,port=http}
   * @return the configuration
   * @throws IllegalArgumentException one line naming the option and what is wrong
   */
  public static KubernetesEndpointSlicesConfig parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String flag = "--kubernetes-endpointslices";
    Builder b = builder();
    Set<String> seen = new HashSet<>();
    try {
      for (String[] option : SpecOptions.split(flag, spec, OPTIONS)) {
        String key = option[0];
        String value = option[1];
        if (!key.equals("namespace") && !seen.add(key)) {
          throw new IllegalArgumentException("option " + key + " given twice");
        }
        switch (key) {
          case "namespace": b.namespace(value); break;
          case "service": b.service(value); break;
          case "selector": b.selector(value); break;
          case "port": b.port(value); break;
          case "path": b.path(value); break;
          case "scheme": b.scheme(value); break;
          case "source": b.source(value); break;
          case "name":
            try {
              b.naming(KubernetesPodsConfig.Naming.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("name must be pod or address: " + value);
            }
            break;
          case "job": b.labelling(TargetLabelling.builder().job(value).build()); break;
          case "resync": b.resync(SpecOptions.duration("resync", value)); break;
          default: throw new AssertionError(key);
        }
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(flag) ? e.getMessage()
          : flag + ": " + e.getMessage(), e);
    }
  }

  /**
   * A builder with the defaults: all namespaces, every slice.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The spec string of this configuration, for logs.
   *
   * @return the spec
   */
  public String toSpec() {
    return new KubernetesPodsConfig(namespaces, selector, port, path, scheme, source, naming, resync, startTimeout,
        labelling).toSpec();
  }

  /** Builds a {@link KubernetesEndpointSlicesConfig}. */
  public static final class Builder {
    private final List<String> namespaces = new ArrayList<>();
    private String service;
    private String selector = "";
    private String port;
    private String path;
    private String scheme;
    private String source;
    private KubernetesPodsConfig.Naming naming = KubernetesPodsConfig.Naming.POD;
    private Duration resync = Duration.ofMinutes(5);
    private Duration startTimeout = Duration.ofSeconds(30);
    private TargetLabelling labelling = TargetLabelling.defaults();

    private Builder() {}

    /**
     * Adds a namespace to watch (none: all).
     *
     * @param namespace the namespace
     * @return this
     */
    public Builder namespace(String namespace) {
      namespaces.add(Objects.requireNonNull(namespace, "namespace"));
      return this;
    }

    /**
     * The service whose slices are watched.
     *
     * @param service the service name
     * @return this
     */
    public Builder service(String service) {
      if (!KubernetesPodsConfig.DNS_LABEL.matcher(Objects.requireNonNull(service, "service")).matches()) {
        throw new IllegalArgumentException("service \"" + service + "\" is not a valid service name");
      }
      this.service = service;
      return this;
    }

    /**
     * A label selector on the slices.
     *
     * @param selector for example {@code app.kubernetes.io/name=vllm}
     * @return this
     */
    public Builder selector(String selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * The slice port, by name or number.
     *
     * @param port for example {@code http} or {@code 8000}
     * @return this
     */
    public Builder port(String port) {
      this.port = Objects.requireNonNull(port, "port");
      return this;
    }

    /**
     * The metrics path.
     *
     * @param path starting with {@code /}
     * @return this
     */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * The scheme.
     *
     * @param scheme {@code http} or {@code https}
     * @return this
     */
    public Builder scheme(String scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      return this;
    }

    /**
     * The source of every target.
     *
     * @param source for example {@code vllm}
     * @return this
     */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * What targets are called.
     *
     * @param naming default {@link KubernetesPodsConfig.Naming#POD}
     * @return this
     */
    public Builder naming(KubernetesPodsConfig.Naming naming) {
      this.naming = naming;
      return this;
    }

    /**
     * How often informers replay their cache.
     *
     * @param resync zero for never, else at least 1 s; default 5 min
     * @return this
     */
    public Builder resync(Duration resync) {
      this.resync = resync;
      return this;
    }

    /**
     * How long {@link KubernetesEndpointSliceDiscovery#start} waits for the first list.
     *
     * @param timeout positive; default 30 s
     * @return this
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Defaults and relabelling for the targets.
     *
     * @param labelling default {@link TargetLabelling#defaults()}
     * @return this
     */
    public Builder labelling(TargetLabelling labelling) {
      this.labelling = labelling;
      return this;
    }

    /**
     * The configuration.
     *
     * @return a new configuration
     * @throws IllegalArgumentException naming the setting that is not valid
     */
    public KubernetesEndpointSlicesConfig build() {
      String sel = selector;
      if (service != null) {
        String byService = EndpointSliceTargets.SERVICE_NAME_LABEL + "=" + service;
        sel = sel.isBlank() ? byService : byService + "," + sel;
      }
      return new KubernetesEndpointSlicesConfig(namespaces, sel, Optional.ofNullable(port),
          Optional.ofNullable(path), Optional.ofNullable(scheme), Optional.ofNullable(source), naming, resync,
          startTimeout, labelling);
    }
  }
}

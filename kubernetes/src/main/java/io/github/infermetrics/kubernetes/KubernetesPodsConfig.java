package io.github.infermetrics.kubernetes;

import io.github.infermetrics.core.discovery.TargetLabelling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link KubernetesPodDiscovery} watches: pods by namespace and label selector, and which of their ports is
 * the metrics endpoint.
 *
 * <pre>{@code
 * // the CLI flag --kubernetes-pods
 * KubernetesPodsConfig vllm = KubernetesPodsConfig.parse("namespace=serving,selector=app in (vllm,sglang),port=http");
 * // the same, built
 * KubernetesPodsConfig same = KubernetesPodsConfig.builder()
 *     .namespace("serving").selector("app in (vllm,sglang)").port("http").build();
 * }</pre>
 *
 * <p><b>The spec string</b> ({@link #parse}) is {@code key=value} options separated by commas:
 * <table>
 *   <caption>options</caption>
 *   <tr><th>option</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code namespace=NS}</td><td>a namespace to watch; repeat it for several</td><td>all namespaces</td></tr>
 *   <tr><td>{@code selector=SEL}</td><td>a Kubernetes label selector: {@code app=vllm}, {@code tier!=cpu},
 *     {@code app in (vllm,sglang)}, {@code env notin (dev)}, {@code gpu}, {@code !canary}; its requirements are
 *     separated by commas too (see below)</td><td>every pod</td></tr>
 *   <tr><td>{@code port=P}</td><td>the container port by name ({@code metrics}) or number ({@code 8000})</td>
 *     <td>the pod's {@code prometheus.io/port} annotation</td></tr>
 *   <tr><td>{@code path=/P}</td><td>the metrics path</td><td>{@code prometheus.io/path}, else {@code /metrics}</td></tr>
 *   <tr><td>{@code scheme=http|https}</td><td>the scheme</td><td>{@code prometheus.io/scheme}, else http</td></tr>
 *   <tr><td>{@code source=S}</td><td>the source of every target ({@code vllm}, {@code triton}, ...)</td>
 *     <td>the pod's {@code infermetrics.io/source} annotation, else detected</td></tr>
 *   <tr><td>{@code name=pod|address}</td><td>what targets are called: the pod's name ({@code namespace/name} when
 *     more than one namespace is watched), or {@code host:port}</td><td>{@code pod}; the
 *     {@code infermetrics.io/name} annotation wins</td></tr>
 *   <tr><td>{@code job=J}</td><td>the {@code job} label</td><td>{@code infermetrics}</td></tr>
 *   <tr><td>{@code resync=D}</td><td>how often the informers replay their cache (no API request; {@code 0}:
 *     never), as {@code 30s}, {@code 5m}, {@code 1h}</td><td>{@code 5m}</td></tr>
 * </table>
 *
 * <p><b>Commas inside a selector.</b> A piece after a comma that does not start with one of the option names
 * above and {@code =} continues the selector, and commas inside parentheses never split, so
 * {@code selector=app=vllm,tier=gpu,port=metrics} and {@code selector=app in (vllm,sglang),port=metrics} mean what
 * they say. A selector on a label that is itself named like an option ({@code port}, {@code name}, ...) goes in
 * double quotes: {@code selector="app=vllm,port=http"}.
 *
 * <p>An option explicitly given wins over the pod's annotations; the annotations fill what the spec leaves unset.
 *
 * @param namespaces the namespaces; empty for all
 * @param selector the label selector in canonical form; empty for every pod
 * @param port the container port name or number, or empty for the {@code prometheus.io/port} annotation
 * @param path the metrics path, or empty for the annotation or {@code /metrics}
 * @param scheme {@code http} or {@code https}, or empty for the annotation or {@code http}
 * @param source the source of all targets, or empty for the annotation or detection
 * @param naming what targets are called
 * @param resync how often informers replay their cache; zero for never
 * @param startTimeout how long {@link KubernetesPodDiscovery#start} waits for the first list
 * @param labelling defaults and relabelling, applied to the {@code __meta_kubernetes_pod_*} labels
 */
public record KubernetesPodsConfig(List<String> namespaces, String selector, Optional<String> port,
    Optional<String> path, Optional<String> scheme, Optional<String> source, Naming naming, Duration resync,
    Duration startTimeout, TargetLabelling labelling) {
  /** What a target is called. */
  public enum Naming {
    /** The pod's name; {@code namespace/name} when more than one namespace is watched. */
    POD,
    /** {@code host:port}, as file_sd and http_sd targets are. */
    ADDRESS
  }

  private static final List<String> OPTIONS =
      List.of("namespace", "selector", "port", "path", "scheme", "source", "name", "job", "resync");
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

  /**
   * Validates.
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
  public KubernetesPodsConfig {
    namespaces = List.copyOf(namespaces);
    for (String ns : namespaces) {
      if (!DNS_LABEL.matcher(ns).matches()) {
        throw new IllegalArgumentException("namespace \"" + ns + "\" is not a valid namespace name");
      }
    }
    if (namespaces.size() != namespaces.stream().distinct().count()) {
      throw new IllegalArgumentException("namespace given twice: " + namespaces);
    }
    selector = PodSelector.parse(Objects.requireNonNull(selector, "selector")).toString();
    Objects.requireNonNull(port, "port");
    port.ifPresent(KubernetesPodsConfig::checkPort);
    Objects.requireNonNull(path, "path");
    path.ifPresent(p -> {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("path must start with /: " + p);
      }
    });
    Objects.requireNonNull(scheme, "scheme");
    scheme.ifPresent(s -> {
      if (!s.equals("http") && !s.equals("https")) {
        throw new IllegalArgumentException("scheme must be http or https: " + s);
      }
    });
    Objects.requireNonNull(source, "source");
    source.ifPresent(s -> {
      if (s.isBlank()) {
        throw new IllegalArgumentException("source is blank");
      }
    });
    Objects.requireNonNull(naming, "naming");
    Objects.requireNonNull(resync, "resync");
    if (resync.isNegative() || (!resync.isZero() && resync.compareTo(Duration.ofSeconds(1)) < 0)) {
      throw new IllegalArgumentException("resync must be 0 (never) or at least 1 s: " + resync);
    }
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
    }
    Objects.requireNonNull(labelling, "labelling");
  }

  static void checkPort(String p) {
    if (p.chars().allMatch(Character::isDigit) && !p.isEmpty()) {
      int n;
      try {
        n = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 65535) {
        throw new IllegalArgumentException("port " + p + " is not between 1 and 65535");
      }
    } else if (!PORT_NAME.matcher(p).matches() || !p.matches(".*[a-z].*")) {
      throw new IllegalArgumentException("port \"" + p + "\" is neither a number nor a container port name (up to 15"
          + " characters of [a-z0-9-])");
    }
  }

  /**
   * The configuration of the CLI flag {@code --kubernetes-pods SPEC}; the syntax is in the class comment.
   *
   * @param spec for example {@code namespace=serving,selector=app in (vllm,sglang),port=http}
   * @return the configuration
   * @throws IllegalArgumentException one line naming the option and what is wrong
   */
  public static KubernetesPodsConfig parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    Builder b = builder();
    Map<String, String> seen = new LinkedHashMap<>();
    String job = null;
    for (String[] option : SpecOptions.split("--kubernetes-pods", spec, OPTIONS)) {
      String key = option[0];
      String value = option[1];
      if (!key.equals("namespace") && seen.containsKey(key)) {
        throw new IllegalArgumentException("--kubernetes-pods: option " + key + " given twice");
      }
      seen.put(key, value);
      try {
        switch (key) {
          case "namespace": b.namespace(value); break;
          case "selector": b.selector(value); break;
          case "port": b.port(value); break;
          case "path": b.path(value); break;
          case "scheme": b.scheme(value); break;
          case "source": b.source(value); break;
          case "name":
            try {
              b.naming(Naming.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("name must be pod or address: " + value);
            }
            break;
          case "job": job = value; break;
          case "resync": b.resync(SpecOptions.duration("resync", value)); break;
          default: throw new AssertionError(key);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--kubernetes-pods: " + e.getMessage(), e);
      }
    }
    if (job != null) {
      try {
        b.labelling(TargetLabelling.builder().job(job).build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--kubernetes-pods: " + e.getMessage(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--kubernetes-pods: " + e.getMessage(), e);
    }
  }

  /**
   * A builder with the defaults: all namespaces, every pod, the port from annotations.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The spec string of this configuration, for logs: {@code namespace=serving,selector=app=vllm,port=http}.
   *
   * @return the spec
   */
  public String toSpec() {
    List<String> parts = new ArrayList<>();
    for (String ns : namespaces) {
      parts.add("namespace=" + ns);
    }
    if (!selector.isEmpty()) {
      parts.add("selector=" + selector);
    }
    port.ifPresent(p -> parts.add("port=" + p));
    path.ifPresent(p -> parts.add("path=" + p));
    scheme.ifPresent(p -> parts.add("scheme=" + p));
    source.ifPresent(p -> parts.add("source=" + p));
    if (naming != Naming.POD) {
      parts.add("name=" + naming.name().toLowerCase(Locale.ROOT));
    }
    return parts.isEmpty() ? "all namespaces" : String.join(",", parts);
  }

  /** Builds a {@link KubernetesPodsConfig}. */
  public static final class Builder {
    private final List<String> namespaces = new ArrayList<>();
    private String selector = "";
    private String port;
    private String path;
    private String scheme;
    private String source;
    private Naming naming = Naming.POD;
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
     * The label selector.
     *
     * @param selector for example {@code app in (vllm,sglang),tier=gpu}
     * @return this
     */
    public Builder selector(String selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * The container port, by name or number.
     *
     * @param port for example {@code metrics} or {@code 8002}
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
     * @param naming default {@link Naming#POD}
     * @return this
     */
    public Builder naming(Naming naming) {
      this.naming = naming;
      return this;
    }

    /**
     * How often informers replay their cache (no API request).
     *
     * @param resync zero for never, else at least 1 s; default 5 min
     * @return this
     */
    public Builder resync(Duration resync) {
      this.resync = resync;
      return this;
    }

    /**
     * How long {@link KubernetesPodDiscovery#start} waits for the first list of pods.
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
    public KubernetesPodsConfig build() {
      return new KubernetesPodsConfig(namespaces, selector, Optional.ofNullable(port), Optional.ofNullable(path),
          Optional.ofNullable(scheme), Optional.ofNullable(source), naming, resync, startTimeout, labelling);
    }
  }
}

package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.github.infermetrics.core.discovery.TargetGroup;
import io.github.infermetrics.core.discovery.TargetLabelling;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pods to target groups (with the pods left out on purpose, and one line per pod that cannot be scraped): one
 * group per pod that can be scraped, its labels those of Prometheus's
 * {@code kubernetes_sd_configs} pod role ({@code __meta_kubernetes_namespace}, {@code __meta_kubernetes_pod_*}).
 */
final class PodTargets {
  static final String PORT_ANNOTATION = "prometheus.io/port";
  static final String PATH_ANNOTATION = "prometheus.io/path";
  static final String SCHEME_ANNOTATION = "prometheus.io/scheme";
  static final String SCRAPE_ANNOTATION = "prometheus.io/scrape";
  static final String SOURCE_ANNOTATION = "infermetrics.io/source";
  static final String NAME_ANNOTATION = "infermetrics.io/name";

  private static final String META = "__meta_kubernetes_pod_";

  private PodTargets() {}

  static Informers.Groups of(Collection<Pod> pods, KubernetesPodsConfig config, PodSelector selector) {
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
        .thenComparing(p -> p.getMetadata().getName()));
    List<TargetGroup> groups = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int optedOut = 0;
    for (Pod pod : sorted) {
      Map<String, String> podLabels = orEmpty(pod.getMetadata().getLabels());
      if (!selector.matches(podLabels) || !scrapeable(pod)) {
        continue;
      }
      Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
      if ("false".equals(annotations.get(SCRAPE_ANNOTATION))) {
        optedOut++;
        continue;
      }
      try {
        groups.add(group(pod, annotations, config));
      } catch (IllegalArgumentException e) {
        problems.add("pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + ": "
            + e.getMessage());
      }
    }
    return new Informers.Groups(groups, optedOut, problems);
  }

  /** Running, with an IP, and not being deleted. */
  static boolean scrapeable(Pod pod) {
    PodStatus status = pod.getStatus();
    return pod.getMetadata().getDeletionTimestamp() == null && status != null && "Running".equals(status.getPhase())
        && status.getPodIP() != null && !status.getPodIP().isEmpty();
  }

  private static TargetGroup group(Pod pod, Map<String, String> annotations, KubernetesPodsConfig config) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    PodSpec spec = pod.getSpec();
    PodStatus status = pod.getStatus();
    Map<String, String> l = new TreeMap<>();
    l.put("__meta_kubernetes_namespace", namespace);
    l.put(META + "name", name);
    l.put(META + "ip", status.getPodIP());
    l.put(META + "phase", status.getPhase());
    l.put(META + "ready", ready(status));
    put(l, META + "node_name", spec == null ? null : spec.getNodeName());
    put(l, META + "host_ip", status.getHostIP());
    put(l, META + "uid", pod.getMetadata().getUid());
    for (OwnerReference owner : orEmpty(pod.getMetadata().getOwnerReferences())) {
      if (Boolean.TRUE.equals(owner.getController())) {
        put(l, META + "controller_kind", owner.getKind());
        put(l, META + "controller_name", owner.getName());
      }
    }
    for (Map.Entry<String, String> e : orEmpty(pod.getMetadata().getLabels()).entrySet()) {
      put(l, META + "label_" + sanitize(e.getKey()), e.getValue());
      l.put(META + "labelpresent_" + sanitize(e.getKey()), "true");
    }
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      put(l, META + "annotation_" + sanitize(e.getKey()), e.getValue());
      l.put(META + "annotationpresent_" + sanitize(e.getKey()), "true");
    }

    String port = config.port().orElse(annotations.get(PORT_ANNOTATION));
    if (port == null) {
      throw new IllegalArgumentException("no metrics port: give port= in the spec or annotate the pod with "
          + PORT_ANNOTATION);
    }
    port = port.strip();
    Found found = findPort(spec, port);
    int number;
    if (found != null) {
      number = found.port.getContainerPort();
      l.put(META + "container_name", found.container.getName());
      put(l, META + "container_image", found.container.getImage());
      l.put(META + "container_init", Boolean.toString(found.init));
      put(l, META + "container_port_name", found.port.getName());
      l.put(META + "container_port_number", Integer.toString(number));
      put(l, META + "container_port_protocol", found.port.getProtocol() == null ? "TCP" : found.port.getProtocol());
      put(l, META + "container_id", containerId(status, found.container.getName()));
    } else if (isNumber(port)) {
      number = Integer.parseInt(port); // a port the pod serves without declaring it
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("port " + port + " (" + PORT_ANNOTATION + ") is not between 1 and 65535");
      }
    } else {
      throw new IllegalArgumentException("no container port named \"" + port + "\""
          + (config.port().isPresent() ? "" : " (from " + PORT_ANNOTATION + ")"));
    }
    l.put("__address__", hostPort(status.getPodIP(), number));

    String path = config.path().orElse(annotations.get(PATH_ANNOTATION));
    put(l, "__metrics_path__", path);
    String scheme = config.scheme().orElse(annotations.get(SCHEME_ANNOTATION));
    put(l, "__scheme__", scheme);
    put(l, TargetLabelling.SOURCE_LABEL, config.source().orElse(annotations.get(SOURCE_ANNOTATION)));
    String targetName = annotations.get(NAME_ANNOTATION);
    if (targetName == null && config.naming() == KubernetesPodsConfig.Naming.POD) {
      targetName = config.namespaces().size() == 1 ? name : namespace + "/" + name;
    }
    put(l, TargetLabelling.NAME_LABEL, targetName);

    List<String> pairs = new ArrayList<>(l.size() * 2);
    for (Map.Entry<String, String> e : l.entrySet()) {
      pairs.add(e.getKey());
      pairs.add(e.getValue());
    }
    return new TargetGroup("pod " + namespace + "/" + name, List.of(Labels.of(pairs.toArray(new String[0]))),
        Labels.EMPTY);
  }

  private record Found(Container container, ContainerPort port, boolean init) {}

  /** The container port with this name, or this number; containers first, then init containers (sidecars). */
  private static Found findPort(PodSpec spec, String port) {
    if (spec == null) {
      return null;
    }
    boolean number = isNumber(port);
    for (boolean init : new boolean[] {false, true}) {
      for (Container c : orEmpty(init ? spec.getInitContainers() : spec.getContainers())) {
        for (ContainerPort p : orEmpty(c.getPorts())) {
          boolean match = number ? p.getContainerPort() != null && port.equals(p.getContainerPort().toString())
              : port.equals(p.getName());
          if (match && p.getContainerPort() != null) {
            return new Found(c, p, init);
          }
        }
      }
    }
    return null;
  }

  private static String ready(PodStatus status) {
    for (PodCondition c : orEmpty(status.getConditions())) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus()) ? "true" : "False".equals(c.getStatus()) ? "false" : "unknown";
      }
    }
    return "unknown";
  }

  private static String containerId(PodStatus status, String container) {
    for (ContainerStatus s : orEmpty(status.getContainerStatuses())) {
      if (container.equals(s.getName())) {
        return s.getContainerID();
      }
    }
    return null;
  }

  /** Go's net.JoinHostPort: IPv6 addresses in brackets. */
  static String hostPort(String ip, int port) {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }

  /** Prometheus's strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes _. */
  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static void put(Map<String, String> labels, String name, String value) {
    if (value != null && !value.isEmpty()) {
      labels.put(name, value);
    }
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}

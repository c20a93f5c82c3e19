package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
 * EndpointSlices to target groups: one group per slice, one target per ready endpoint at the chosen port, labelled
 * as Prometheus's {@code endpointslice} role labels them.
 */
final class EndpointSliceTargets {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String META = "__meta_kubernetes_endpointslice_";

  private EndpointSliceTargets() {}

  static Informers.Groups of(Collection<EndpointSlice> slices, KubernetesEndpointSlicesConfig config,
      PodSelector selector) {
    List<EndpointSlice> sorted = new ArrayList<>(slices);
    sorted.sort(Comparator.comparing((EndpointSlice s) -> s.getMetadata().getNamespace())
        .thenComparing(s -> s.getMetadata().getName()));
    List<TargetGroup> groups = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (EndpointSlice slice : sorted) {
      if (!selector.matches(orEmpty(slice.getMetadata().getLabels()))
          || slice.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      try {
        TargetGroup g = group(slice, config);
        if (!g.targets().isEmpty()) {
          groups.add(g);
        }
      } catch (IllegalArgumentException e) {
        problems.add("endpointslice " + slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName()
            + ": " + e.getMessage());
      }
    }
    return new Informers.Groups(groups, 0, problems);
  }

  private static TargetGroup group(EndpointSlice slice, KubernetesEndpointSlicesConfig config) {
    String namespace = slice.getMetadata().getNamespace();
    EndpointPort port = port(slice, config);
    Map<String, String> common = new TreeMap<>();
    common.put("__meta_kubernetes_namespace", namespace);
    common.put(META + "name", slice.getMetadata().getName());
    put(common, META + "address_type", slice.getAddressType());
    Map<String, String> sliceLabels = orEmpty(slice.getMetadata().getLabels());
    put(common, "__meta_kubernetes_service_name", sliceLabels.get(SERVICE_NAME_LABEL));
    for (Map.Entry<String, String> e : sliceLabels.entrySet()) {
      put(common, META + "label_" + PodTargets.sanitize(e.getKey()), e.getValue());
      common.put(META + "labelpresent_" + PodTargets.sanitize(e.getKey()), "true");
    }
    for (Map.Entry<String, String> e : orEmpty(slice.getMetadata().getAnnotations()).entrySet()) {
      put(common, META + "annotation_" + PodTargets.sanitize(e.getKey()), e.getValue());
      common.put(META + "annotationpresent_" + PodTargets.sanitize(e.getKey()), "true");
    }
    put(common, META + "port", port.getPort() == null ? null : port.getPort().toString());
    put(common, META + "port_name", port.getName());
    put(common, META + "port_protocol", port.getProtocol() == null ? "TCP" : port.getProtocol());
    put(common, META + "port_app_protocol", port.getAppProtocol());
    put(common, "__metrics_path__", config.path().orElse(null));
    put(common, "__scheme__", config.scheme().orElse(null));
    put(common, TargetLabelling.SOURCE_LABEL, config.source().orElse(null));

    List<Labels> targets = new ArrayList<>();
    for (Endpoint ep : orEmpty(slice.getEndpoints())) {
      EndpointConditions c = ep.getConditions();
      boolean notReady = c != null && Boolean.FALSE.equals(c.getReady());
      boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
      if (notReady || terminating || ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
        continue; // an endpoint that is not ready is not a target, as a pod that is not running
      }
      Map<String, String> l = new TreeMap<>(common);
      String address = ep.getAddresses().get(0);
      l.put("__address__", PodTargets.hostPort(address, port.getPort()));
      if (c != null) {
        put(l, META + "endpoint_conditions_ready", c.getReady() == null ? null : c.getReady().toString());
        put(l, META + "endpoint_conditions_serving", c.getServing() == null ? null : c.getServing().toString());
        put(l, META + "endpoint_conditions_terminating",
            c.getTerminating() == null ? null : c.getTerminating().toString());
      }
      put(l, META + "endpoint_hostname", ep.getHostname());
      put(l, META + "endpoint_node_name", ep.getNodeName());
      put(l, META + "endpoint_zone", ep.getZone());
      ObjectReference ref = ep.getTargetRef();
      String podName = null;
      if (ref != null) {
        put(l, META + "address_target_kind", ref.getKind());
        put(l, META + "address_target_name", ref.getName());
        if ("Pod".equals(ref.getKind()) && ref.getName() != null) {
          podName = ref.getName();
          l.put("__meta_kubernetes_pod_name", podName);
        }
      }
      if (config.naming() == KubernetesPodsConfig.Naming.POD && podName != null) {
        l.put(TargetLabelling.NAME_LABEL, config.namespaces().size() == 1 ? podName : namespace + "/" + podName);
      }
      List<String> pairs = new ArrayList<>(l.size() * 2);
      for (Map.Entry<String, String> e : l.entrySet()) {
        pairs.add(e.getKey());
        pairs.add(e.getValue());
      }
      targets.add(Labels.of(pairs.toArray(new String[0])));
    }
    return new TargetGroup("endpointslice " + namespace + "/" + slice.getMetadata().getName(), targets, Labels.EMPTY);
  }

  private static EndpointPort port(EndpointSlice slice, KubernetesEndpointSlicesConfig config) {
    List<EndpointPort> ports = orEmpty(slice.getPorts());
    if (config.port().isPresent()) {
      String want = config.port().get();
      for (EndpointPort p : ports) {
        if (p.getPort() != null && (want.equals(p.getName()) || want.equals(p.getPort().toString()))) {
          return p;
        }
      }
      throw new IllegalArgumentException("no port " + (want.chars().allMatch(Character::isDigit) ? want
          : "named \"" + want + "\"") + " (ports: " + describe(ports) + ")");
    }
    List<EndpointPort> usable = new ArrayList<>();
    for (EndpointPort p : ports) {
      if (p.getPort() != null) {
        usable.add(p);
      }
    }
    if (usable.size() == 1) {
      return usable.get(0);
    }
    throw new IllegalArgumentException(usable.isEmpty() ? "no ports"
        : "several ports (" + describe(usable) + "): give port= in the spec");
  }

  private static String describe(List<EndpointPort> ports) {
    List<String> names = new ArrayList<>();
    for (EndpointPort p : ports) {
      names.add(p.getName() == null || p.getName().isEmpty() ? String.valueOf(p.getPort())
          : p.getName() + "=" + p.getPort());
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
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

package io.github.infermetrics.spring;

import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.kubernetes.KubernetesEndpointSliceDiscovery;
import io.github.infermetrics.kubernetes.KubernetesEndpointSlicesConfig;
import io.github.infermetrics.kubernetes.KubernetesPodDiscovery;
import io.github.infermetrics.kubernetes.KubernetesPodsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discoveries of {@code infermetrics.kubernetes.*}. The only class of the starter that touches the optional
 * Kubernetes module: it is loaded only when that module is on the class path (a {@code @ConditionalOnClass}
 * configuration makes it a bean; {@link Settings} calls {@link #check} after looking for the module).
 */
final class KubernetesDiscoveries {
  private final InfermetricsProperties.Kubernetes properties;

  KubernetesDiscoveries(InfermetricsProperties.Kubernetes properties) {
    this.properties = properties;
  }

  /**
   * Problems of the specs, by property path.
   *
   * @param k the properties
   * @return path under {@code infermetrics.} to a one-line message; empty when all parse
   */
  static Map<String, String> check(InfermetricsProperties.Kubernetes k) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (int i = 0; i < k.getPods().size(); i++) {
      try {
        KubernetesPodsConfig.parse(nonNull(k.getPods().get(i)));
      } catch (IllegalArgumentException e) {
        problems.put("kubernetes.pods[" + i + "]", withoutFlag(e.getMessage()));
      }
    }
    for (int i = 0; i < k.getEndpointSlices().size(); i++) {
      try {
        KubernetesEndpointSlicesConfig.parse(nonNull(k.getEndpointSlices().get(i)));
      } catch (IllegalArgumentException e) {
        problems.put("kubernetes.endpoint-slices[" + i + "]", withoutFlag(e.getMessage()));
      }
    }
    return problems;
  }

  /**
   * New discoveries, one per spec, each with fabric8's default client (in-cluster config or kubeconfig), which it
   * closes with itself.
   *
   * @return the discoveries, not started
   */
  List<TargetDiscovery> open() {
    List<TargetDiscovery> out = new ArrayList<>();
    try {
      for (String spec : properties.getPods()) {
        out.add(new KubernetesPodDiscovery(KubernetesPodsConfig.parse(spec)));
      }
      for (String spec : properties.getEndpointSlices()) {
        out.add(new KubernetesEndpointSliceDiscovery(KubernetesEndpointSlicesConfig.parse(spec)));
      }
    } catch (RuntimeException e) {
      out.forEach(TargetDiscovery::close);
      throw e;
    }
    return out;
  }

  private static String nonNull(String spec) {
    return spec == null ? "" : spec;
  }

  /** The parsers speak to the command line: "--kubernetes-pods: port ..." becomes "port ...". */
  private static String withoutFlag(String message) {
    return message.replaceFirst("^--kubernetes-(pods|endpointslices): ", "");
  }
}

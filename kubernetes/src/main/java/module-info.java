/**
 * infermetrics kubernetes module: scrape targets from the Kubernetes API (pods, and services' EndpointSlices, by
 * namespace and label selector), watched through fabric8 informers, on core's {@code TargetDiscovery} interface.
 */
@SuppressWarnings("requires-transitive-automatic") // fabric8 publishes no module names; nothing to do but wait
module io.github.infermetrics.kubernetes {
  requires transitive io.github.infermetrics.core;
  // fabric8 8.0.0's jars carry no module names: these are the automatic names of kubernetes-client-api and
  // kubernetes-model-core. KubernetesPodDiscovery takes a KubernetesClient, hence transitive.
  requires transitive kubernetes.client.api;
  requires transitive kubernetes.model.core;
  requires kubernetes.model.discovery; // EndpointSlice

  exports io.github.infermetrics.kubernetes;
}

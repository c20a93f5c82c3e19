/**
 * Scrape targets from the Kubernetes API: {@link io.github.infermetrics.kubernetes.KubernetesPodDiscovery} finds
 * model-server pods by namespace and label selector, with informers (a watch, no polling), and hands them to the
 * per-target pipeline as {@link io.github.infermetrics.core.discovery.DiscoveredTarget}s.
 *
 * <p>Tested against fabric8's {@code kubernetes-server-mock} in CRUD mode: no real API server can run on the
 * build machines, so the official mock, which keeps objects and serves list and watch requests as the API server
 * does, stands in for one.
 */
package io.github.infermetrics.kubernetes;

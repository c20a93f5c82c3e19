/**
 * Scrape targets that come and go: Prometheus's {@code file_sd} ({@link
 * io.github.infermetrics.core.discovery.FileSdDiscovery}) and {@code http_sd} ({@link
 * io.github.infermetrics.core.discovery.HttpSdDiscovery}) formats, target labels handled as Prometheus handles
 * them ({@link io.github.infermetrics.core.discovery.TargetLabelling}) with relabelling rules ({@link
 * io.github.infermetrics.core.discovery.RelabelRule}). The Kubernetes API is in the {@code infermetrics-kubernetes}
 * module, on the same {@link io.github.infermetrics.core.discovery.TargetDiscovery} interface.
 */
package io.github.infermetrics.core.discovery;

package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One scrape target found by discovery: where to scrape it, what to call it, and its target labels.
 *
 * <pre>{@code
 * DiscoveredTarget t = new DiscoveredTarget(URI.create("http://10.0.3.7:8000/metrics"), "vllm-0",
 *     Labels.of("job", "vllm", "instance", "10.0.3.7:8000", "namespace", "serving"),
 *     Optional.of("vllm"), Optional.of("serving/vllm-0"));
 * ScrapeTarget scrape = ScrapeTarget.builder(t.url()).name(t.name()).build();
 * }</pre>
 *
 * @param url {@code scheme://address/metrics_path?params}, from {@code __scheme__}, {@code __address__},
 *     {@code __metrics_path__} and {@code __param_<name>}: absolute, {@code http} or {@code https}, with a host and
 *     no user info
 * @param name what tables and the {@code target} dimension call it: the address ({@code host:port}) unless the
 *     label {@value TargetLabelling#NAME_LABEL} (or a discovery's own naming, such as Kubernetes pod names) says
 *     otherwise; not blank
 * @param labels the target labels after relabelling, without {@code __}-prefixed labels and without the
 *     {@code infermetrics_*} control labels; sorted
 * @param source an explicit source name ({@code vllm}, {@code triton}, ...) from the label
 *     {@value TargetLabelling#SOURCE_LABEL} (or the pod annotation {@code infermetrics.io/source}); empty: detect it
 * @param pod {@code namespace/name} of the Kubernetes pod serving the target, when known, for joining GPU metrics
 *     (dcgm-exporter) to model servers
 */
public record DiscoveredTarget(URI url, String name, Labels labels, Optional<String> source, Optional<String> pod) {
  /**
   * Validates.
   *
   * @param url the URL to scrape
   * @param name the name
   * @param labels the target labels
   * @param source the explicit source name, or empty
   * @param pod the pod, or empty
   * @throws IllegalArgumentException naming the component that is not valid
   */
  public DiscoveredTarget {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pod, "pod");
    String scheme = url.getScheme();
    if (!url.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url has no valid host: " + url);
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("url must not carry user info: " + url.getHost());
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("name is blank");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).startsWith("__")) {
        throw new IllegalArgumentException("labels must not hold internal (__-prefixed) labels: " + labels.name(i));
      }
    }
    if (source.isPresent() && source.get().isBlank()) {
      throw new IllegalArgumentException("source is blank");
    }
    if (pod.isPresent()) {
      String p = pod.get();
      int slash = p.indexOf('/');
      if (slash <= 0 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("pod must be namespace/name: " + p);
      }
    }
  }
}

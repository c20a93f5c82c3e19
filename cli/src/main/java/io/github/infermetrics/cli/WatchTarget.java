package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint {@code watch} scrapes: {@code [SOURCE=][NAME@]URL[,pod=NAMESPACE/POD]}, for example
 * {@code vllm=qwen@http://10.0.0.7:8000/metrics,pod=serving/qwen-0}. Without a source, the sources are detected
 * from each scrape; without a name, the URL's host and port name it; without a scheme, the URL is http
 * ({@link HttpUrl}); the pod joins the GPUs a dcgm-exporter reports for it.
 *
 * @param name what the table and the EMF {@code target} dimension call it
 * @param sources the named source, or none to detect
 * @param uri the endpoint
 * @param pod the Kubernetes pod serving it, {@code namespace/name}, when given
 */
record WatchTarget(String name, List<String> sources, URI uri, Optional<String> pod) {
  private static final String POD = ",pod=";

  WatchTarget {
    Objects.requireNonNull(name, "name");
    sources = List.copyOf(sources);
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(pod, "pod");
  }

  /**
   * Reads a TARGET argument.
   *
   * @param spec the argument
   * @param known the sources a SOURCE= prefix may name
   * @throws IllegalArgumentException with a message that names the part that is wrong
   */
  static WatchTarget parse(String spec, KpiSources known) {
    String rest = spec.trim();
    Optional<String> pod = Optional.empty();
    int podAt = rest.lastIndexOf(POD);
    if (podAt >= 0) {
      String p = rest.substring(podAt + POD.length());
      int slash = p.indexOf('/');
      if (slash <= 0 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("target " + spec + ": pod must be NAMESPACE/POD, got '" + p + "'");
      }
      pod = Optional.of(p);
      rest = rest.substring(0, podAt);
    }
    List<String> sources = List.of();
    int eq = rest.indexOf('=');
    int scheme = rest.indexOf("://");
    // SOURCE= is a word before any URL: a '=' in a URL's query is not one
    if (eq > 0 && (scheme < 0 || eq < scheme) && isWord(rest.substring(0, eq))) {
      String s = rest.substring(0, eq).toLowerCase(Locale.ROOT);
      if (known.find(s).isEmpty()) {
        throw new IllegalArgumentException("unknown source '" + rest.substring(0, eq) + "' in target " + spec
            + " (known: " + String.join(", ", known.names()) + ")");
      }
      sources = List.of(s);
      rest = rest.substring(eq + 1);
    }
    String name = null;
    int at = rest.indexOf('@');
    scheme = rest.indexOf("://");
    if (at > 0 && (scheme < 0 || at < scheme) && rest.substring(0, at).indexOf('/') < 0) {
      name = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    URI uri;
    try {
      uri = HttpUrl.parse(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target " + spec + ": " + e.getMessage());
    }
    if (name == null) {
      name = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("target " + spec + ": the name before @ is empty");
    }
    return new WatchTarget(name, sources, uri, pod);
  }

  private static boolean isWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) != '_' && s.charAt(i) != '-') {
        return false;
      }
    }
    return true;
  }

  /** The pipeline's target, scraped with this timeout. */
  PipelineTarget toPipelineTarget(Duration timeout) {
    return toPipelineTarget(timeout, s -> { });
  }

  /** The pipeline's target, scraped with this timeout and these other settings (limits). */
  PipelineTarget toPipelineTarget(Duration timeout,
      java.util.function.Consumer<io.github.infermetrics.core.scrape.ScrapeTarget.Builder> settings) {
    PipelineTarget.Builder b = PipelineTarget.builder(uri).name(name).timeout(timeout).scrape(settings);
    sources.forEach(b::source);
    pod.ifPresent(b::pod);
    return b.build();
  }
}

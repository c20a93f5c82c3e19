package io.github.infermetrics.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One endpoint {@code watch} scrapes: {@code [SOURCE=][NAME@]URL}, for example
 * {@code vllm=qwen@http://10.0.0.7:8000/metrics}. Without a source, it is detected from the first scrape; without
 * a name, the URL's host and port name it.
 *
 * @param name what the table and the EMF {@code target} dimension call it
 * @param source the source, or AUTO
 * @param uri the endpoint
 */
record WatchTarget(String name, SourceKpis.Source source, URI uri) {
  WatchTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(uri, "uri");
  }

  /**
   * Reads a TARGET argument.
   *
   * @throws IllegalArgumentException with a message that names the part that is wrong
   */
  static WatchTarget parse(String spec) {
    String rest = spec.trim();
    SourceKpis.Source source = SourceKpis.Source.AUTO;
    int eq = rest.indexOf('=');
    int scheme = rest.indexOf("://");
    if (eq > 0 && (scheme < 0 || eq < scheme)) {
      String s = rest.substring(0, eq).toLowerCase(Locale.ROOT);
      switch (s) {
        case "triton":
          source = SourceKpis.Source.TRITON;
          break;
        case "vllm":
          source = SourceKpis.Source.VLLM;
          break;
        case "neuron":
          source = SourceKpis.Source.NEURON;
          break;
        default:
          throw new IllegalArgumentException("unknown source '" + rest.substring(0, eq) + "' in target " + spec
              + " (use triton=, vllm= or neuron=)");
      }
      rest = rest.substring(eq + 1);
    }
    String name = null;
    int at = rest.indexOf('@');
    scheme = rest.indexOf("://");
    if (at > 0 && (scheme < 0 || at < scheme)) {
      name = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("target " + spec + ": not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
        || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("target " + spec + ": not an http(s) URL: " + rest
          + " (for example http://localhost:8002/metrics)");
    }
    if (name == null) {
      name = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("target " + spec + ": the name before @ is empty");
    }
    return new WatchTarget(name, source, uri);
  }
}

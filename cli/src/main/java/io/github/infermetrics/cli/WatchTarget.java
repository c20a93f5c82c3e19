package io.github.infermetrics.cli;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One endpoint {@code watch} scrapes: {@code [SOURCE=][NAME@]URL}, for example
 * {@code vllm=qwen@http://10.0.0.7:8000/metrics}. Without a source, it is detected from the first scrape; without
 * a name, the URL's host and port name it. Without a scheme, the URL is http ({@link HttpUrl}).
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
    // SOURCE= is a word before any URL: a '=' in a URL's query is not one
    if (eq > 0 && (scheme < 0 || eq < scheme) && isWord(rest.substring(0, eq))) {
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
    return new WatchTarget(name, source, uri);
  }

  private static boolean isWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) != '_' && s.charAt(i) != '-') {
        return false;
      }
    }
    return true;
  }
}

package io.github.infermetrics.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An http(s) endpoint given on the command line. Without a scheme, {@code http://} is assumed, as curl does:
 * {@code 127.0.0.1:9400/metrics} is {@code http://127.0.0.1:9400/metrics}.
 */
final class HttpUrl {
  private HttpUrl() {}

  /**
   * Reads a URL.
   *
   * @param text what the user typed
   * @return an absolute http or https URI with a host
   * @throws IllegalArgumentException with a one-line message that quotes the text and says what is wrong
   */
  static URI parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty URL (for example http://localhost:8002/metrics)");
    }
    boolean assumed = !t.contains("://");
    String full = assumed ? "http://" + t : t;
    URI uri;
    try {
      uri = new URI(full);
    } catch (URISyntaxException e) {
      // the reason only: the index Java gives points at the start of the part, not always at the character
      throw new IllegalArgumentException("not a URL: '" + t + "': " + e.getReason().toLowerCase(Locale.ROOT));
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URL: '" + t + "' (for example http://localhost:8002/metrics)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in '" + t + "' (for example http://localhost:8002/metrics)");
    }
    if (uri.getPort() > 65535) {
      throw new IllegalArgumentException("port " + uri.getPort() + " out of range in '" + t + "' (1 to 65535)");
    }
    return uri;
  }
}

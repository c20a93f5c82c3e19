package io.github.infermetrics.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live page of {@code watch --serve}: one HTML file, its script and its style sheet, served from the jar. The
 * script draws the {@code watch} table and small SVG charts from {@code /api/history} and fetches nothing else; the
 * Content-Security-Policy sent with them lets the browser load nothing from anywhere but this server either.
 */
final class LivePage {
  /** Same-origin scripts, styles and fetches only; no inline script, no frames, no forms. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, byte[]> RESOURCES = Map.of(
      "live.html", load("live.html"),
      "live.js", load("live.js"),
      "live.css", load("live.css"));

  private LivePage() {}

  /**
   * One of the page's files.
   *
   * @param name {@code live.html}, {@code live.js} or {@code live.css}
   * @return its bytes (do not change them)
   */
  static byte[] resource(String name) {
    byte[] b = RESOURCES.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no page resource " + name);
    }
    return b;
  }

  private static byte[] load(String name) {
    try (InputStream in = LivePage.class.getResourceAsStream("live/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks io/github/infermetrics/cli/live/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

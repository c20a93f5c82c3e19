package io.github.infermetrics.core.exposition;

import java.util.Locale;
import java.util.Optional;

/** The text exposition formats the parser reads. */
public enum ExpositionFormat {
  /**
   * Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}), including the Prometheus 3 quoted UTF-8
   * names of {@code text/plain; version=1.0.0}. Timestamps are integer milliseconds.
   */
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  /**
   * OpenMetrics 1.0 ({@code application/openmetrics-text; version=1.0.0}): {@code # EOF}, {@code # UNIT},
   * exemplars, {@code _created}, float timestamps in seconds.
   */
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /**
   * The canonical {@code Content-Type} of this format.
   *
   * @return for example {@code application/openmetrics-text; version=1.0.0; charset=utf-8}
   */
  public String contentType() {
    return contentType;
  }

  /**
   * The format a {@code Content-Type} header announces.
   *
   * <pre>{@code
   * ExpositionFormat.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8")
   *     // -> Optional[OPENMETRICS]
   * }</pre>
   *
   * @param contentType the header value, may be {@code null}
   * @return the format, or empty when the header is absent, names another media type (protobuf, HTML, JSON), or
   *     an OpenMetrics version other than 0.0.1 and 1.0.0
   */
  public static Optional<ExpositionFormat> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    String version = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("version")) {
        version = p.substring(eq + 1).trim();
        if (version.length() >= 2 && version.startsWith("\"") && version.endsWith("\"")) {
          version = version.substring(1, version.length() - 1);
        }
      }
    }
    switch (mediaType) {
      case "application/openmetrics-text":
        if (version == null || version.equals("1.0.0") || version.equals("0.0.1")) {
          return Optional.of(OPENMETRICS);
        }
        return Optional.empty();
      case "text/plain":
        if (version == null || version.equals("0.0.4") || version.equals("1.0.0")) {
          return Optional.of(PROMETHEUS_TEXT);
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }
}

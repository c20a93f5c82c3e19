package io.github.infermetrics.core.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * Settings of an {@link HttpSdDiscovery}: Prometheus's {@code http_sd_configs}.
 *
 * <pre>{@code
 * HttpSdConfig config = HttpSdConfig.builder(URI.create("http://sd.internal:8080/targets"))
 *     .refreshInterval(Duration.ofSeconds(30))
 *     .header("Authorization", "Bearer " + token)
 *     .build();
 * HttpSdConfig fromFlag = HttpSdConfig.parse("http://sd.internal:8080/targets");   // --http-sd URL
 * }</pre>
 *
 * @param url the endpoint: absolute {@code http} or {@code https} with a host
 * @param refreshInterval the time between the end of one request and the next; sent to the server as
 *     {@code X-Prometheus-Refresh-Interval-Seconds}; default 60 s, as in Prometheus
 * @param timeout the longest one request may take, from connecting to the last byte; default: the refresh
 *     interval, as in Prometheus, but at most 30 s
 * @param bodySizeLimit the largest response body read; a larger one is an error naming
 *     {@code HttpSdConfig.bodySizeLimit}; default 16 MiB
 * @param headers extra request headers, such as {@code Authorization}
 * @param sslContext TLS trust for {@code https}, or empty for the JVM's default
 * @param labelling defaults and relabelling applied to the targets
 */
public record HttpSdConfig(URI url, Duration refreshInterval, Duration timeout, long bodySizeLimit,
    Map<String, String> headers, Optional<SSLContext> sslContext, TargetLabelling labelling) {
  /** Headers the discovery sets itself. */
  private static final Set<String> RESERVED = Set.of("accept", "user-agent",
      "x-prometheus-refresh-interval-seconds", "content-length", "host", "connection", "upgrade", "expect");

  /**
   * Validates and copies.
   *
   * @param url the endpoint
   * @param refreshInterval the refresh interval
   * @param timeout the request timeout
   * @param bodySizeLimit the body limit
   * @param headers extra headers
   * @param sslContext the TLS context
   * @param labelling the labelling
   * @throws IllegalArgumentException naming the setting that is not valid
   */
  public HttpSdConfig {
    Objects.requireNonNull(url, "url");
    if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      throw new IllegalArgumentException("http_sd url must be an absolute http or https URL: " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("http_sd url has no host: " + url);
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("http_sd url must not carry user info (" + url.getHost() + "): send"
          + " credentials with header(\"Authorization\", ...)");
    }
    positive(refreshInterval, "refreshInterval");
    positive(timeout, "timeout");
    if (bodySizeLimit <= 0 || bodySizeLimit > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("bodySizeLimit must be between 1 and " + (Integer.MAX_VALUE - 8) + ": "
          + bodySizeLimit);
    }
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (RESERVED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("header " + e.getKey() + " is set by the discovery itself");
      }
      h.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
    }
    headers = Collections.unmodifiableMap(h);
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(labelling, "labelling");
  }

  /**
   * The settings without header values, which may hold credentials.
   *
   * @return for example {@code HttpSdConfig[url=http://sd:8080/targets, refreshInterval=PT1M, timeout=PT30S,
   *     bodySizeLimit=16777216, headers=[Authorization], sslContext=default, rules=0, job=infermetrics]}
   */
  @Override
  public String toString() {
    return "HttpSdConfig[url=" + url + ", refreshInterval=" + refreshInterval + ", timeout=" + timeout
        + ", bodySizeLimit=" + bodySizeLimit + ", headers=" + headers.keySet() + ", sslContext="
        + (sslContext.isPresent() ? "custom" : "default") + ", rules=" + labelling.rules().size() + ", job="
        + labelling.job() + "]";
  }

  /**
   * The configuration of the CLI flag {@code --http-sd URL}: the whole argument is the URL; other settings are the
   * defaults.
   *
   * @param spec the URL, such as {@code http://sd.internal:8080/targets}
   * @return the configuration
   * @throws IllegalArgumentException when the URL is not usable, saying why
   */
  public static HttpSdConfig parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    URI url;
    try {
      url = new URI(spec.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--http-sd needs a URL such as http://sd.internal:8080/targets: "
          + e.getMessage(), e);
    }
    return builder(url).build();
  }

  /**
   * A builder with the defaults.
   *
   * @param url the endpoint
   * @return a new builder
   */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Builds an {@link HttpSdConfig}. */
  public static final class Builder {
    private final URI url;
    private Duration refreshInterval = Duration.ofSeconds(60);
    private Duration timeout;
    private long bodySizeLimit = 16L << 20;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private SSLContext sslContext;
    private TargetLabelling labelling = TargetLabelling.defaults();

    private Builder(URI url) {
      this.url = url;
    }

    /**
     * The time between requests.
     *
     * @param interval positive; default 60 s
     * @return this
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = interval;
      return this;
    }

    /**
     * The longest one request may take.
     *
     * @param timeout positive; default the refresh interval, at most 30 s
     * @return this
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * The largest response body read.
     *
     * @param bytes positive; default 16 MiB
     * @return this
     */
    public Builder bodySizeLimit(long bytes) {
      this.bodySizeLimit = bytes;
      return this;
    }

    /**
     * An extra request header.
     *
     * @param name the name; not one the discovery sets ({@code Accept}, {@code User-Agent},
     *     {@code X-Prometheus-Refresh-Interval-Seconds})
     * @param value the value
     * @return this
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * TLS trust for {@code https}.
     *
     * @param sslContext the context, for example from {@code TrustStore.fromPem(caFile)}
     * @return this
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * Defaults and relabelling for the targets.
     *
     * @param labelling default {@link TargetLabelling#defaults()}
     * @return this
     */
    public Builder labelling(TargetLabelling labelling) {
      this.labelling = labelling;
      return this;
    }

    /**
     * The configuration.
     *
     * @return a new configuration
     * @throws IllegalArgumentException naming the setting that is not valid
     */
    public HttpSdConfig build() {
      Duration t = timeout;
      if (t == null && refreshInterval != null) {
        t = refreshInterval.compareTo(Duration.ofSeconds(30)) < 0 ? refreshInterval : Duration.ofSeconds(30);
      }
      return new HttpSdConfig(url, refreshInterval, t, bodySizeLimit, headers, Optional.ofNullable(sslContext),
          labelling);
    }
  }
}

package io.github.infermetrics.core.scrape;

import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * One {@code /metrics} endpoint and how to scrape it: timeout, limits, credentials, headers, TLS trust.
 *
 * <pre>{@code
 * SSLContext ca = TrustStore.sslContext(Path.of("/etc/infermetrics/ca.p12"), "changeit".toCharArray());
 * ScrapeTarget neuron = ScrapeTarget.builder(URI.create("https://trn1-0:9010/metrics"))
 *     .name("trn1-0")
 *     .timeout(Duration.ofSeconds(10))
 *     .bodySizeLimit(64 << 20)           // bytes, on the wire and after gzip decompression
 *     .sampleLimit(200_000)
 *     .bearerToken(token)
 *     .header("X-Scope-OrgID", "team-a")
 *     .sslContext(ca)                    // share one SSLContext among targets: one HTTP client per context
 *     .build();
 * }</pre>
 *
 * <p>A target owns the {@link SnapshotReader} its scrapes go through, and keeps it from scrape to scrape: the
 * parser's symbol tables and the cache of {@code Labels} are what make a re-scrape cheap. Because that reader is
 * not thread-safe, a target is scraped by one thread at a time; a scrape that finds another one running returns
 * at once with {@link ScrapeError.Kind#BUSY}. Create one target per endpoint and keep it.
 *
 * <p>Equality is identity. {@link #toString()} shows the name and URI, never credentials.
 */
public final class ScrapeTarget {
  /**
   * The limits {@link Builder#limit(String, long)} sets by name: the parser's ({@link ParserLimits#SETTINGS}), then
   * the target's own {@code bodySizeLimit}, {@code sampleLimit} and {@code maxRedirects}.
   */
  public static final List<String> LIMITS = Stream.concat(ParserLimits.SETTINGS.stream(),
      Stream.of("bodySizeLimit", "sampleLimit", "maxRedirects")).toList();

  /** Headers the scraper sets itself (or that credentials set); a custom header may not replace them. */
  private static final Set<String> RESERVED =
      Set.of("authorization", "accept-encoding", "x-prometheus-scrape-timeout-seconds");

  private final URI uri;
  private final String name;
  private final Duration timeout;
  private final long bodySizeLimit;
  private final long sampleLimit;
  private final ParserLimits parserLimits;
  private final int maxRedirects;
  private final String authorization;
  private final Map<String, String> headers;
  private final SSLContext sslContext;
  private final ExpositionFormat format;
  private final SnapshotReader reader;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final long maxInputBytes;
  /** The request to the own URI, made on the first scrape; only the scraping thread (one at a time) touches it. */
  private byte[] request;
  private ConnectionKey key;

  private ScrapeTarget(Builder b) {
    this.uri = b.uri;
    this.name = b.name != null ? b.name : b.uri.getAuthority();
    this.timeout = b.timeout;
    this.bodySizeLimit = b.bodySizeLimit;
    ParserLimits limits = b.parserLimits;
    this.sampleLimit = b.sampleLimit > 0 ? b.sampleLimit : limits.maxSeries();
    this.maxRedirects = b.maxRedirects;
    this.authorization = b.authorization;
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(b.headers);
    this.headers = Collections.unmodifiableMap(h);
    this.sslContext = b.sslContext;
    this.format = b.format;
    this.maxInputBytes = limits.maxInputBytes();
    this.parserLimits = limits.toBuilder().maxSeries(sampleLimit).build();
    this.reader = new SnapshotReader(ExpositionParser.builder()
        .limits(parserLimits)
        .strict(b.strict)
        .badLinePolicy(b.badLinePolicy)
        .build());
  }

  /**
   * A builder for a target at {@code uri}.
   *
   * @param uri an absolute {@code http} or {@code https} URI with a host and no user info
   * @return a new builder
   * @throws IllegalArgumentException when the URI is not usable, naming {@code uri}
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * The endpoint.
   *
   * @return the URI
   */
  public URI uri() {
    return uri;
  }

  /**
   * The name for logs and listeners.
   *
   * @return the name; by default the URI's host and port
   */
  public String name() {
    return name;
  }

  /**
   * The total timeout of one scrape: connecting, headers, redirects, the whole body and parsing.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Most body bytes a scrape accepts, counted on the wire and again after gzip decompression.
   *
   * @return the limit in bytes
   */
  public long bodySizeLimit() {
    return bodySizeLimit;
  }

  /**
   * Most samples one exposition may have (the parser's {@link ParserLimits#maxSeries()}).
   *
   * @return the limit
   */
  public long sampleLimit() {
    return sampleLimit;
  }

  /**
   * The limits its expositions are parsed with; their {@code maxSeries} is {@link #sampleLimit()}.
   *
   * @return the limits
   */
  public ParserLimits parserLimits() {
    return parserLimits;
  }

  /**
   * Most redirects followed in one scrape.
   *
   * @return the limit, 0 when redirects are not followed
   */
  public int maxRedirects() {
    return maxRedirects;
  }

  /**
   * The custom headers sent with every request.
   *
   * @return the headers by name, case-insensitive, unmodifiable
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The format every response is read in, whatever its {@code Content-Type}.
   *
   * @return the format, or {@code null} to follow the {@code Content-Type}
   */
  public ExpositionFormat format() {
    return format;
  }

  /**
   * The TLS context of this target.
   *
   * @return the context, or {@code null} for the scraper's
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  SnapshotReader reader() {
    return reader;
  }

  /** Claims the target for one scrape; false when another thread is scraping it. */
  boolean tryClaim() {
    return busy.compareAndSet(false, true);
  }

  /** Releases the claim; the volatile write publishes the reader's state to the next scraping thread. */
  void release() {
    busy.set(false);
  }

  /**
   * The HTTP/1.1 request to {@code to}, which is this target's URI or a redirect's: Prometheus 3's {@code Accept},
   * gzip, the user agent, the timeout header, the credentials when {@code credentials}, then the custom headers
   * (which may replace {@code Accept} and {@code User-Agent}). The request to the target's own URI with its
   * credentials is the same for every scrape, so it is made once.
   */
  byte[] request(URI to, String userAgent, boolean credentials) {
    boolean own = to == uri && credentials;
    if (own && request != null) {
      return request;
    }
    StringBuilder sb = new StringBuilder(512);
    String path = to.getRawPath();
    sb.append("GET ").append(path == null || path.isEmpty() ? "/" : path);
    if (to.getRawQuery() != null) {
      sb.append('?').append(to.getRawQuery());
    }
    sb.append(" HTTP/1.1\r\nHost: ").append(to.getHost());
    boolean https = "https".equalsIgnoreCase(to.getScheme());
    if (to.getPort() != -1 && to.getPort() != (https ? 443 : 80)) {
      sb.append(':').append(to.getPort());
    }
    sb.append("\r\n");
    if (!headers.containsKey("Accept")) {
      sb.append("Accept: ").append(Scraper.ACCEPT).append("\r\n");
    }
    sb.append("Accept-Encoding: gzip\r\n");
    if (!headers.containsKey("User-Agent")) {
      sb.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    sb.append("X-Prometheus-Scrape-Timeout-Seconds: ").append(Durations.seconds(timeout)).append("\r\n");
    if (credentials && authorization != null) {
      sb.append("Authorization: ").append(authorization).append("\r\n");
    }
    headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
    byte[] bytes = sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    if (own) {
      request = bytes;
    }
    return bytes;
  }

  /** Where the target's own URI connects, under the scraper's TLS context when the target has none. */
  ConnectionKey connectionKey(SSLContext scraperTls) {
    SSLContext tls = sslContext != null ? sslContext : scraperTls;
    ConnectionKey k = key;
    if (k == null || k.https() && k.tls() != tls) {
      k = key = ConnectionKey.of(uri, tls);
    }
    return k;
  }

  /** The parser's input limit: a body is kept whole for the parser only up to it. */
  long maxInputBytes() {
    return maxInputBytes;
  }

  @Override
  public String toString() {
    return "ScrapeTarget[name=" + name + ", uri=" + uri + "]";
  }

  /** Builds a {@link ScrapeTarget}; every setter validates at once and names its field when it rejects. */
  public static final class Builder {
    private final URI uri;
    private String name;
    private Duration timeout = Duration.ofSeconds(10);
    private long bodySizeLimit = 64L << 20;
    private long sampleLimit;
    private int maxRedirects = 5;
    private String authorization;
    private String authorizationKind;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private SSLContext sslContext;
    private ParserLimits parserLimits = ParserLimits.DEFAULTS;
    private boolean strict;
    private BadLinePolicy badLinePolicy = BadLinePolicy.REJECT;
    private ExpositionFormat format;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
        throw new IllegalArgumentException("uri must be an absolute http or https URI: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("uri has no host: " + uri);
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("uri must not carry credentials: use basicAuth(user, password)");
      }
      if (uri.getRawFragment() != null) {
        throw new IllegalArgumentException("uri must not have a fragment: " + uri);
      }
      this.uri = uri;
    }

    /**
     * The name for logs and listeners. Default: the URI's host and port.
     *
     * @param name not blank
     * @return this builder
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * The total timeout of one scrape, from connecting to the last byte parsed. Default 10 s, as Prometheus's
     * {@code scrape_timeout}; it is also sent in {@code X-Prometheus-Scrape-Timeout-Seconds}.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Durations.positive("timeout", timeout);
      return this;
    }

    /**
     * Most body bytes accepted, on the wire and again after gzip decompression (Prometheus's
     * {@code body_size_limit}). Default 64 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder bodySizeLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bodySizeLimit must be at least 1: " + bytes);
      }
      this.bodySizeLimit = bytes;
      return this;
    }

    /**
     * Most samples one exposition may have (Prometheus's {@code sample_limit}). Default: the
     * {@link #parserLimits(ParserLimits) parser limits}' {@code maxSeries}, 1,000,000 unless changed.
     *
     * @param samples at least 1
     * @return this builder
     */
    public Builder sampleLimit(long samples) {
      if (samples < 1) {
        throw new IllegalArgumentException("sampleLimit must be at least 1: " + samples);
      }
      this.sampleLimit = samples;
      return this;
    }

    /**
     * Most redirects followed; an {@code https} to {@code http} redirect is never followed. Default 5.
     *
     * @param redirects 0 (do not follow) to 20
     * @return this builder
     */
    public Builder maxRedirects(int redirects) {
      if (redirects < 0 || redirects > 20) {
        throw new IllegalArgumentException("maxRedirects must be between 0 and 20: " + redirects);
      }
      this.maxRedirects = redirects;
      return this;
    }

    /**
     * Sets a limit by name, for settings read from a configuration file or a command line: one of
     * {@link ScrapeTarget#LIMITS}, the target's own ({@code bodySizeLimit}, {@code sampleLimit}, {@code maxRedirects}) or its
     * parser's ({@link ParserLimits#SETTINGS}), which then changes only that one of its {@link #parserLimits}.
     *
     * <pre>{@code
     * ScrapeTarget.builder(uri).limit("sampleLimit", 5_000_000).limit("maxLineLength", 4L << 20).build();
     * }</pre>
     *
     * @param setting the setting's name, as its limit error names it
     * @param value the limit
     * @return this builder
     * @throws IllegalArgumentException for a name not in {@link ScrapeTarget#LIMITS} (the message lists them) or a value the
     *     setter refuses
     */
    public Builder limit(String setting, long value) {
      switch (setting) {
        case "bodySizeLimit" -> bodySizeLimit(value);
        case "sampleLimit" -> sampleLimit(value);
        case "maxRedirects" -> {
          if (value < 0 || value > 20) {
            throw new IllegalArgumentException("maxRedirects must be between 0 and 20: " + value);
          }
          maxRedirects((int) value);
        }
        default -> {
          if (!ParserLimits.SETTINGS.contains(setting)) {
            throw new IllegalArgumentException("no such limit '" + setting + "' (" + String.join(", ", LIMITS) + ")");
          }
          parserLimits = parserLimits.toBuilder().set(setting, value).build();
        }
      }
      return this;
    }

    /**
     * HTTP basic authentication (UTF-8). Not sent to another host after a redirect.
     *
     * @param user the user name, without {@code :}
     * @param password the password
     * @return this builder
     */
    public Builder basicAuth(String user, String password) {
      Objects.requireNonNull(user, "basicAuth user");
      Objects.requireNonNull(password, "basicAuth password");
      if (user.indexOf(':') >= 0) {
        throw new IllegalArgumentException("basicAuth user must not contain ':'");
      }
      return authorization("basicAuth",
          "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A bearer token ({@code Authorization: Bearer ...}). Not sent to another host after a redirect.
     *
     * @param token the token, not blank
     * @return this builder
     */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "bearerToken");
      if (token.isBlank() || token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("bearerToken must not be blank or contain line breaks");
      }
      return authorization("bearerToken", "Bearer " + token.strip());
    }

    private Builder authorization(String kind, String value) {
      if (authorizationKind != null && !authorizationKind.equals(kind)) {
        throw new IllegalArgumentException(kind + " and " + authorizationKind + " are exclusive");
      }
      this.authorizationKind = kind;
      this.authorization = value;
      return this;
    }

    /**
     * A header sent with every request, replacing an earlier one of the same name (case-insensitive). May
     * replace {@code Accept} (for example to ask for {@code text/plain;version=0.0.4} only) and
     * {@code User-Agent}; may not set {@code Authorization}, {@code Accept-Encoding},
     * {@code X-Prometheus-Scrape-Timeout-Seconds}, nor the headers the HTTP client reserves ({@code Host},
     * {@code Connection}, ...).
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("header " + name + " is set by the scraper"
            + (name.equalsIgnoreCase("authorization") ? ": use basicAuth or bearerToken" : ""));
      }
      try {
        // the client's own rules for names, values and restricted headers, checked now rather than per scrape
        HttpRequest.newBuilder().header(name, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("header " + name + ": " + e.getMessage(), e);
      }
      headers.put(name, value);
      return this;
    }

    /**
     * The TLS context for an {@code https} target, for example from
     * {@link TrustStore#fromPem(java.nio.file.Path)} or {@link TrustStore#sslContext(java.nio.file.Path, char[])}. Default: the scraper's. The scraper keeps one
     * HTTP client per distinct context, so share one context among the targets that trust the same CAs.
     *
     * @param sslContext the context
     * @return this builder
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * The parser's limits; {@link #sampleLimit(long)}, when set, replaces their {@code maxSeries}. Default
     * {@link ParserLimits#DEFAULTS}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder parserLimits(ParserLimits limits) {
      this.parserLimits = Objects.requireNonNull(limits, "parserLimits");
      return this;
    }

    /**
     * Whether to apply every rule of the formats (see {@link ExpositionParser}). Default false: Prometheus's
     * scrape rules.
     *
     * @param strict true for strict
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Whether a bad line fails the scrape or is skipped and counted. Default {@link BadLinePolicy#REJECT}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder badLinePolicy(BadLinePolicy policy) {
      this.badLinePolicy = Objects.requireNonNull(policy, "badLinePolicy");
      return this;
    }

    /**
     * Reads every response in this format whatever its {@code Content-Type} says. Default {@code null}: the
     * format of the {@code Content-Type}, or detected from the body when the type names none.
     *
     * @param format the format, or {@code null}
     * @return this builder
     */
    public Builder format(ExpositionFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Builds the target, with its own snapshot reader.
     *
     * @return the target
     */
    public ScrapeTarget build() {
      return new ScrapeTarget(this);
    }
  }
}

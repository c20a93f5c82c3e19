package io.github.infermetrics.core.scrape;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Scrapes Prometheus-style {@code /metrics} endpoints (Triton {@code :8002}, vLLM {@code :8000},
 * {@code neuron-monitor-prometheus}) into {@link MetricSnapshot}s, the way Prometheus 3 does.
 *
 * <pre>{@code
 * try (Scraper scraper = Scraper.create()) {
 *   ScrapeTarget triton = ScrapeTarget.builder(URI.create("http://triton-0:8002/metrics"))
 *       .timeout(Duration.ofSeconds(5)).sampleLimit(200_000).build();
 *   ScrapeResult r = scraper.scrape(triton);             // never throws
 *   if (r.up()) {
 *     for (MetricPoint p : r.snapshot().select("requests_total")) { ... }
 *   } else {
 *     System.err.println(triton.name() + ": " + r.error());
 *   }
 * }
 * }</pre>
 *
 * <p><b>Requests.</b> {@code GET} over HTTP/1.1 with Prometheus 3's default {@code Accept} header
 * ({@link #ACCEPT}), {@code Accept-Encoding: gzip}, {@code User-Agent: infermetrics/<version>},
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, and the target's credentials and headers. Redirects are followed
 * by the scraper itself, at most {@link ScrapeTarget#maxRedirects()}, never from {@code https} to {@code http},
 * and credentials go only to the target's own host.
 *
 * <p><b>Responses.</b> Only status 200 is a success, as in Prometheus. The body streams into the target's
 * {@link io.github.infermetrics.core.snapshot.SnapshotReader} in the format of its {@code Content-Type} (detected
 * when the header names none), through limits on the bytes received and on the bytes after gzip decompression
 * ({@link ScrapeTarget#bodySizeLimit()}), and the parser's sample limit ({@link ScrapeTarget#sampleLimit()}).
 * Memory per scrape stays bounded whatever the server sends.
 *
 * <p><b>Deadline.</b> {@link ScrapeTarget#timeout()} bounds the whole scrape: connecting, redirects, headers, the
 * body and parsing, also against a server that sends its headers and then stalls or drips a byte at a time.
 * The scraping thread enforces it itself (every wait is bounded by the time left); nothing interrupts it.
 *
 * <p><b>Errors.</b> {@link #scrape(ScrapeTarget)} never throws for a failed scrape: the result carries a
 * {@link ScrapeError}. If the calling thread is interrupted, the scrape ends with
 * {@link ScrapeError.Kind#CANCELLED} and the thread's interrupt flag stays set.
 *
 * <p>Thread-safe; one scraper serves any number of targets. It keeps one {@link HttpClient} (and its connection
 * pool) per TLS context, and connects directly, without a proxy, as Prometheus does by default.
 */
public final class Scraper implements AutoCloseable {
  /** The {@code Accept} header Prometheus 3 sends by default. */
  public static final String ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
      + "application/openmetrics-text;version=0.0.1;q=0.5,"
      + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
      + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  private static final String USER_AGENT = "infermetrics/" + version();

  private final Duration connectTimeout;
  private final SSLContext sslContext;
  private final HttpClient defaultClient;
  /** Clients for targets with their own TLS context, by identity of the context. */
  private final Map<SSLContext, HttpClient> tlsClients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private Scraper(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.sslContext = b.sslContext;
    this.defaultClient = newClient(sslContext);
  }

  /**
   * A scraper with the defaults: 5 s connect timeout, the JVM's default TLS trust.
   *
   * @return a new scraper
   */
  public static Scraper create() {
    return builder().build();
  }

  /**
   * A builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scrapes a target once. Never throws for a failed scrape; the result says what went wrong.
   *
   * @param target the target; if another thread is scraping it, returns at once with {@link ScrapeError.Kind#BUSY}
   * @return the result
   */
  public ScrapeResult scrape(ScrapeTarget target) {
    Objects.requireNonNull(target, "target");
    Attempt a = new Attempt(target);
    if (closed) {
      return a.failure(ScrapeError.of(ScrapeError.Kind.CANCELLED, "the scraper is closed"));
    }
    if (!target.tryClaim()) {
      return a.failure(ScrapeError.of(ScrapeError.Kind.BUSY,
          "target " + target.name() + " is being scraped by another thread"));
    }
    try {
      return run(a);
    } catch (ScrapeAbort e) {
      return a.failure(e.error());
    } catch (UncheckedIOException e) {
      // the parser wraps what the body stream throws
      return a.failure(e.getCause() instanceof ScrapeAbort ? ((ScrapeAbort) e.getCause()).error()
          : bodyError(e.getCause(), a));
    } catch (ExpositionParseException e) {
      return a.failure(parseError(e, a));
    } catch (RuntimeException e) {
      // a bug here or in the parser must still not reach the caller's scheduler
      return a.failure(ScrapeError.of(ScrapeError.Kind.IO, "unexpected failure while " + a.phase + ": " + describe(e)));
    } finally {
      target.release();
    }
  }

  private ScrapeResult run(Attempt a) throws ScrapeAbort {
    ScrapeTarget target = a.target;
    HttpClient client = clientFor(target);
    URI uri = target.uri();
    for (int redirects = 0; ; redirects++) {
      a.phase = redirects == 0 ? "waiting for the response headers" : "waiting for the response headers after a redirect";
      long remaining = a.remainingNanos();
      if (remaining <= 0) {
        throw a.timeout();
      }
      // like Prometheus (Go), credentials do not follow a redirect to another host
      boolean credentials = uri.getHost().equalsIgnoreCase(target.uri().getHost());
      HttpRequest request;
      try {
        request = target.request(uri, Duration.ofNanos(remaining), USER_AGENT, credentials);
      } catch (IllegalArgumentException e) {
        throw abort(ScrapeError.Kind.HTTP_STATUS, "HTTP " + a.status + " to a location that cannot be requested: "
            + uri + ": " + describe(e));
      }
      HttpResponse<BodyStream> response = send(client, request, a, remaining);
      BodyStream body = response.body();
      try {
        a.status = response.statusCode();
        a.contentType = response.headers().firstValue("Content-Type").orElse(null);
        if (isRedirect(a.status)) {
          uri = redirect(uri, response, redirects, a);
          continue;
        }
        if (a.status != 200) {
          throw abort(ScrapeError.Kind.HTTP_STATUS, "server returned HTTP status " + a.status);
        }
        return read(response, body, a);
      } finally {
        body.close();
        a.bytes = body.received();
      }
    }
  }

  private HttpResponse<BodyStream> send(HttpClient client, HttpRequest request, Attempt a, long remaining)
      throws ScrapeAbort {
    CompletableFuture<HttpResponse<BodyStream>> future;
    try {
      future = client.sendAsync(request, info -> new BodyStream(a));
    } catch (IllegalArgumentException e) {
      throw abort(ScrapeError.Kind.CONNECT, "cannot send to " + request.uri() + ": " + describe(e));
    }
    try {
      // bounded here too, not only by the request timeout: the deadline must not depend on the client's timers
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abandon(future);
      throw a.timeout();
    } catch (InterruptedException e) {
      abandon(future);
      Thread.currentThread().interrupt();
      throw abort(ScrapeError.Kind.CANCELLED, "interrupted while " + a.phase);
    } catch (CancellationException e) {
      throw abort(ScrapeError.Kind.CANCELLED, "request cancelled");
    } catch (ExecutionException e) {
      throw sendError(e.getCause(), a, remaining);
    }
  }

  /** Aborts the exchange (the client closes its connection); a response that won the race is closed instead. */
  private static void abandon(CompletableFuture<HttpResponse<BodyStream>> future) {
    if (!future.cancel(true)) {
      future.thenAccept(r -> r.body().close());
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirect(URI from, HttpResponse<BodyStream> response, int redirects, Attempt a)
      throws ScrapeAbort {
    String location = response.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw abort(ScrapeError.Kind.HTTP_STATUS, "server returned HTTP status " + a.status + " without a Location");
    }
    if (redirects >= a.target.maxRedirects()) {
      throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.TOO_MANY_REDIRECTS,
          "redirect limit of " + a.target.maxRedirects() + " exceeded (ScrapeTarget.maxRedirects): HTTP " + a.status
              + " to " + location, "ScrapeTarget.maxRedirects"));
    }
    URI to;
    try {
      to = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw abort(ScrapeError.Kind.HTTP_STATUS, "HTTP " + a.status + " with an invalid Location: " + location);
    }
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || to.getHost() == null) {
      throw abort(ScrapeError.Kind.HTTP_STATUS, "HTTP " + a.status + " to a location that is not http(s): " + location);
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw abort(ScrapeError.Kind.HTTP_STATUS,
          "HTTP " + a.status + " from https to http refused (a downgrade): " + to);
    }
    return to;
  }

  private static ScrapeResult read(HttpResponse<BodyStream> response, BodyStream body, Attempt a)
      throws ScrapeAbort {
    long limit = a.target.bodySizeLimit();
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (length > limit) {
      throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE, "Content-Length " + length
          + " exceeds the body size limit of " + limit + " bytes (ScrapeTarget.bodySizeLimit)",
          "ScrapeTarget.bodySizeLimit"));
    }
    String encoding = response.headers().firstValue("Content-Encoding").orElse("identity").trim()
        .toLowerCase(Locale.ROOT);
    a.format = a.target.format() != null ? a.target.format()
        : ExpositionFormat.fromContentType(a.contentType).orElse(null);
    a.phase = "reading the body";
    InputStream in;
    switch (encoding) {
      case "identity":
      case "":
        in = body;
        break;
      case "gzip":
      case "x-gzip":
        try {
          in = new InflatedBody(body, a);
        } catch (ScrapeAbort e) {
          throw e;
        } catch (IOException e) {
          throw gzipError(e, a);
        }
        break;
      default:
        throw abort(ScrapeError.Kind.NOT_AN_EXPOSITION, "unsupported Content-Encoding: " + encoding);
    }
    try {
      MetricSnapshot snapshot = a.target.reader().read(in, a.format);
      a.format = snapshot.format();
      a.samples = snapshot.sampleCount();
      a.bytes = body.received();
      return a.success(snapshot);
    } catch (ExpositionParseException | UncheckedIOException e) {
      a.samples = a.target.reader().parser().sampleCount();
      if (a.format == null) {
        a.format = a.target.reader().parser().format();
      }
      throw e;
    } finally {
      if (in != body) {
        try {
          in.close();
        } catch (IOException ignored) {
          // releasing the inflater cannot fail in a way that matters to the result
        }
      }
    }
  }

  // ---- errors ---------------------------------------------------------------------------------------------------

  private static ScrapeAbort abort(ScrapeError.Kind kind, String message) {
    return new ScrapeAbort(ScrapeError.of(kind, message));
  }

  /** Classifies why a request got no response. */
  private ScrapeAbort sendError(Throwable t, Attempt a, long remainingAtSend) {
    String where = a.target.uri().getAuthority();
    if (find(t, SSLException.class) != null) {
      return abort(ScrapeError.Kind.TLS, "TLS with " + where + " failed: " + describe(find(t, SSLException.class)));
    }
    if (t instanceof HttpConnectTimeoutException) {
      // the client reports the request timeout as a connect timeout while it connects: whichever was shorter
      if (connectTimeout != null && connectTimeout.toNanos() < remainingAtSend) {
        return new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.CONNECT, "connect timeout of "
            + Durations.format(connectTimeout) + " exceeded connecting to " + where + " (Scraper.connectTimeout)",
            "Scraper.connectTimeout"));
      }
      a.phase = "connecting to " + where;
      return a.timeout();
    }
    if (t instanceof HttpTimeoutException) {
      return a.timeout();
    }
    if (find(t, UnresolvedAddressException.class) != null || find(t, UnknownHostException.class) != null) {
      return abort(ScrapeError.Kind.CONNECT, "unknown host " + a.target.uri().getHost());
    }
    if (t instanceof ConnectException || find(t, NoRouteToHostException.class) != null) {
      // the client's ConnectException often has no message; the reason is further down the chain, if anywhere
      String why = null;
      for (Throwable c = t; c != null && why == null; c = c.getCause()) {
        why = c.getMessage();
      }
      if (why == null) {
        Throwable root = t;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        why = "refused or closed by the peer (" + root.getClass().getSimpleName() + ")";
      }
      return abort(ScrapeError.Kind.CONNECT, "cannot connect to " + where + ": " + why);
    }
    if (t instanceof IOException) {
      return abort(ScrapeError.Kind.IO, "request to " + where + " failed: " + describe(t));
    }
    return abort(ScrapeError.Kind.IO, "request to " + where + " failed unexpectedly: " + describe(t));
  }

  private static ScrapeError bodyError(Throwable t, Attempt a) {
    if (t instanceof ZipException) {
      return gzipError((IOException) t, a).error();
    }
    if (find(t, SSLException.class) != null) {
      return ScrapeError.of(ScrapeError.Kind.TLS, "TLS failed while " + a.phase + ": " + describe(t));
    }
    return ScrapeError.of(ScrapeError.Kind.IO, "connection failed while " + a.phase + ": " + describe(t));
  }

  private static ScrapeAbort gzipError(IOException e, Attempt a) {
    if (e instanceof ZipException) {
      return abort(ScrapeError.Kind.NOT_AN_EXPOSITION, "Content-Encoding is gzip but the body is not: " + describe(e));
    }
    return new ScrapeAbort(bodyError(e, a));
  }

  private static ScrapeError parseError(ExpositionParseException e, Attempt a) {
    if ("maxSeries".equals(e.limit())) {
      return new ScrapeError(ScrapeError.Kind.SAMPLE_LIMIT, "sample limit of " + a.target.sampleLimit()
          + " exceeded (ScrapeTarget.sampleLimit) at line " + e.line(), "ScrapeTarget.sampleLimit", e.line(),
          e.column());
    }
    if ("maxInputBytes".equals(e.limit())) {
      // a body size limit raised above the parser's: the parser's bound is the one that spoke
      return new ScrapeError(ScrapeError.Kind.BODY_TOO_LARGE, e.reason(), "ParserLimits.maxInputBytes", e.line(),
          e.column());
    }
    StringBuilder m = new StringBuilder();
    if (a.contentType != null && ExpositionFormat.fromContentType(a.contentType).isEmpty()) {
      m.append("Content-Type ").append(a.contentType).append(" is not an exposition format; ");
    }
    m.append(e.getMessage());
    if (e.limit() != null) {
      m.append(" (ParserLimits.").append(e.limit()).append(')');
    }
    return new ScrapeError(ScrapeError.Kind.NOT_AN_EXPOSITION, m.toString(),
        e.limit() == null ? null : "ParserLimits." + e.limit(), Math.max(0, e.line()), Math.max(0, e.column()));
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  // ---- clients ------------------------------------------------------------------------------------------------

  private HttpClient clientFor(ScrapeTarget target) {
    SSLContext context = target.sslContext();
    if (context == null || context == sslContext) {
      return defaultClient;
    }
    return tlsClients.computeIfAbsent(context, this::newClient);
  }

  private HttpClient newClient(SSLContext context) {
    HttpClient.Builder b = HttpClient.newBuilder()
        // HTTP/1.1 as Prometheus scrapes; no h2c upgrade headers toward simple exporters
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY);
    if (connectTimeout != null) {
      b.connectTimeout(connectTimeout);
    }
    if (context != null) {
      b.sslContext(context);
    }
    return b.build();
  }

  /**
   * Stops the scraper: later scrapes end with {@link ScrapeError.Kind#CANCELLED}. On Java 21 and later the HTTP
   * clients are closed too; on Java 17 their connections close when the clients are collected.
   */
  @Override
  public void close() {
    closed = true;
    for (HttpClient c : tlsClients.values()) {
      closeClient(c);
    }
    tlsClients.clear();
    closeClient(defaultClient);
  }

  private static void closeClient(HttpClient client) {
    if (client instanceof AutoCloseable) {
      try {
        ((AutoCloseable) client).close();
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }

  private static String version() {
    String v = Scraper.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  /** Builds a {@link Scraper}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(5);
    private SSLContext sslContext;

    private Builder() {}

    /**
     * Longest wait for a TCP (and TLS) connection; each target's {@link ScrapeTarget#timeout()} still bounds the
     * whole scrape. Default 5 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Durations.positive("connectTimeout", timeout);
      return this;
    }

    /**
     * The TLS context for targets without their own. Default: the JVM's default trust.
     *
     * @param sslContext the context
     * @return this builder
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Builds the scraper.
     *
     * @return a new scraper
     */
    public Scraper build() {
      return new Scraper(this);
    }
  }
}

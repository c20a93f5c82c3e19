package io.github.infermetrics.core.scrape;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

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
 * <p><b>Responses.</b> Only status 200 is a success, as in Prometheus. The body goes to the target's
 * {@link io.github.infermetrics.core.snapshot.SnapshotReader} in the format of its {@code Content-Type} (detected
 * when the header names none), through limits on the bytes received and on the bytes after gzip decompression
 * ({@link ScrapeTarget#bodySizeLimit()}), and the parser's sample limit ({@link ScrapeTarget#sampleLimit()}). A body
 * of up to 1 MiB (8 MiB decompressed from gzip, 64 KiB when its length is not known ahead) is read whole into a
 * buffer the scraper reuses and parsed from there; a longer one streams through the parser. Memory per scrape stays bounded whatever the server sends.
 *
 * <p><b>HTTP.</b> A small HTTP/1.1 client of its own (the JDK's {@code java.net.http} hands every exchange between
 * its selector thread, its executor and the caller, which costs more than the scrape's parsing): blocking socket
 * channels on the scraping thread, {@code Content-Length}, chunked and close-delimited bodies, gzip through a reused
 * inflater, keep-alive connections kept per endpoint (at most 8 idle each, closed after 5 minutes unused), and a
 * kept-alive connection that the server had closed retried once on a new one.
 *
 * <p><b>Deadline.</b> {@link ScrapeTarget#timeout()} bounds the whole scrape: connecting, redirects, headers, the
 * body and parsing, also against a server that sends its headers and then stalls or drips a byte at a time.
 * The scraping thread enforces it itself (every socket read waits at most the time left); nothing interrupts it.
 *
 * <p><b>Errors.</b> {@link #scrape(ScrapeTarget)} never throws for a failed scrape: the result carries a
 * {@link ScrapeError}. If the calling thread is interrupted, the scrape ends with
 * {@link ScrapeError.Kind#CANCELLED} and the thread's interrupt flag stays set.
 *
 * <p>Thread-safe; one scraper serves any number of targets. Its connections are kept per endpoint and TLS context,
 * and it connects directly, without a proxy, as Prometheus does by default.
 */
public final class Scraper implements AutoCloseable {
  /** The {@code Accept} header Prometheus 3 sends by default. */
  public static final String ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
      + "application/openmetrics-text;version=0.0.1;q=0.5,"
      + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
      + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  private static final String USER_AGENT = "infermetrics/" + version();

  /** Exchange buffers kept for reuse: as many as scrapes ran at once, up to this. */
  private static final int MAX_SPARE_BUFFERS = 64;

  private final Duration connectTimeout;
  private final SSLContext sslContext;
  private final ConnectionPool pool = new ConnectionPool();
  private final java.util.ArrayDeque<ExchangeBuffers> spare = new java.util.ArrayDeque<>();
  private volatile boolean closed;

  private Scraper(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.sslContext = b.sslContext;
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
    ExchangeBuffers x = buffers();
    try {
      return run(a, x);
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
      release(x);
      target.release();
    }
  }

  private ScrapeResult run(Attempt a, ExchangeBuffers x) throws ScrapeAbort {
    ScrapeTarget target = a.target;
    URI uri = target.uri();
    for (int redirects = 0; ; redirects++) {
      a.phase = redirects == 0 ? "waiting for the response headers" : "waiting for the response headers after a redirect";
      if (a.remainingNanos() <= 0) {
        throw a.timeout();
      }
      // like Prometheus (Go), credentials do not follow a redirect to another host
      boolean credentials = uri.getHost().equalsIgnoreCase(target.uri().getHost());
      ConnectionKey key = uri == target.uri() ? target.connectionKey(sslContext)
          : ConnectionKey.of(uri, target.sslContext() != null ? target.sslContext() : sslContext);
      byte[] request = target.request(uri, USER_AGENT, credentials);
      HttpConnection c = exchange(key, request, a, x);
      boolean keep = false;
      try {
        ResponseHead h = x.head;
        a.status = h.status;
        a.contentType = h.contentType;
        if (isRedirect(a.status)) {
          uri = redirect(uri, h, redirects, a);
          continue;
        }
        if (a.status != 200) {
          throw abort(ScrapeError.Kind.HTTP_STATUS, "server returned HTTP status " + a.status);
        }
        ScrapeResult r = read(c, h, x, a);
        keep = x.bodyInput.ended() && h.keepAlive() && !closed;
        return r;
      } finally {
        a.bytes = x.bodyInput.received;
        if (keep) {
          pool.give(c);
        } else {
          c.close();
        }
      }
    }
  }

  /**
   * Sends the request on a kept-alive connection, or a new one, and reads the response head. A kept-alive connection
   * that the server closed meanwhile fails before its first response byte; the request (a GET) is then sent once more
   * on a new connection, as browsers and Go's client do.
   */
  private HttpConnection exchange(ConnectionKey key, byte[] request, Attempt a, ExchangeBuffers x) throws ScrapeAbort {
    HttpConnection c = pool.take(key);
    while (true) {
      boolean reused = c != null;
      if (c == null) {
        c = connect(key, a);
      }
      x.reset();
      x.bodyInput.received = 0;
      try {
        c.exchanges++;
        c.out.write(request);
        c.out.flush();
        if (x.head.read(c, x, a)) {
          x.bodyInput.start(c, a, x.head);
          return c;
        }
        c.close();
        if (!reused) {
          throw abort(ScrapeError.Kind.IO, "request to " + a.target.uri().getAuthority()
              + " failed: the connection closed before the response headers");
        }
      } catch (ScrapeAbort e) {
        c.close();
        throw e;
      } catch (IOException e) {
        c.close();
        if (!reused || x.lim > 0) {
          throw sendError(e, a);
        }
      }
      c = null; // the kept-alive connection had gone stale: once more on a new one
    }
  }

  private HttpConnection connect(ConnectionKey key, Attempt a) throws ScrapeAbort {
    String where = a.target.uri().getAuthority();
    String phase = a.phase;
    a.phase = "connecting to " + where;
    long remaining = a.remainingNanos();
    if (remaining <= 0) {
      throw a.timeout();
    }
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(key.bareHost()), key.port());
      long connect = connectTimeout == null ? remaining : Math.min(remaining, connectTimeout.toNanos());
      SSLSocketFactory tls = null;
      if (key.https()) {
        tls = (key.tls() != null ? key.tls() : SSLContext.getDefault()).getSocketFactory();
      }
      HttpConnection c = HttpConnection.open(key, address, millis(connect), millis(a.remainingNanos()), tls);
      a.phase = phase;
      return c;
    } catch (UnknownHostException e) {
      throw abort(ScrapeError.Kind.CONNECT, "unknown host " + a.target.uri().getHost());
    } catch (SocketTimeoutException e) {
      if (connectTimeout != null && connectTimeout.toNanos() < remaining && a.remainingNanos() > 0) {
        throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.CONNECT, "connect timeout of "
            + Durations.format(connectTimeout) + " exceeded connecting to " + where + " (Scraper.connectTimeout)",
            "Scraper.connectTimeout"));
      }
      throw a.timeout();
    } catch (IOException e) {
      throw sendError(e, a);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw abort(ScrapeError.Kind.TLS, "no default TLS context: " + describe(e));
    }
  }

  private static int millis(long nanos) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirect(URI from, ResponseHead h, int redirects, Attempt a) throws ScrapeAbort {
    String location = h.location;
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

  /**
   * Reads the body into the exchange's array and parses it from there; a body longer than the array can hold (or
   * than the parser accepts) streams through the parser, the part already read first.
   */
  private static ScrapeResult read(HttpConnection c, ResponseHead h, ExchangeBuffers x, Attempt a)
      throws ScrapeAbort {
    long limit = a.target.bodySizeLimit();
    if (h.contentLength > limit) {
      throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE, "Content-Length " + h.contentLength
          + " exceeds the body size limit of " + limit + " bytes (ScrapeTarget.bodySizeLimit)",
          "ScrapeTarget.bodySizeLimit"));
    }
    String encoding = h.contentEncoding.trim();
    a.format = a.target.format() != null ? a.target.format()
        : ExpositionFormat.fromContentType(a.contentType).orElse(null);
    a.phase = "reading the body";
    BodyInput body = x.bodyInput;
    InputStream in;
    switch (encoding) {
      case "identity":
      case "":
        in = body;
        break;
      case "gzip":
      case "x-gzip":
        in = x.gzip(body, a);
        break;
      default:
        throw abort(ScrapeError.Kind.NOT_AN_EXPOSITION, "unsupported Content-Encoding: " + encoding);
    }
    // up to one byte past a limit, so that a body over the size limit fails here, before any parsing, and one over
    // the parser's input limit gets the parser's own error. How far ahead: a gzip body far (inflating is cheap, and a
    // bomb is caught here), a plain body of known length up to 1 MiB, a plain body of unknown length (chunked, or to
    // the end of the connection) only 64 KiB, since an endless one should meet the parser's sample limit early
    int ahead = in != body ? ExchangeBuffers.BODY_ARRAY_MAX
        : h.contentLength >= 0 ? ExchangeBuffers.BODY_ARRAY_PLAIN : ExchangeBuffers.BODY_ARRAY_START;
    int cap = (int) Math.min(ahead, Math.min(a.target.maxInputBytes(), limit) + 1);
    int n = 0;
    boolean whole = false;
    try {
      while (true) {
        if (n == x.body.length) {
          if (n >= cap) {
            break;
          }
          x.growBody(cap);
        }
        int r = in.read(x.body, n, Math.min(x.body.length, cap) - n);
        if (r < 0) {
          whole = true;
          break;
        }
        n += r;
      }
    } catch (ScrapeAbort e) {
      throw e;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw abort(ScrapeError.Kind.CANCELLED, "interrupted while " + a.phase);
      }
      throw new ScrapeAbort(bodyError(e, a));
    }
    SnapshotReader reader = a.target.reader();
    try {
      MetricSnapshot snapshot = whole ? reader.read(x.body, 0, n, a.format)
          : reader.read(new SequenceInputStream(new ByteArrayInputStream(x.body, 0, n), in), a.format);
      a.format = snapshot.format();
      a.samples = snapshot.sampleCount();
      a.bytes = body.received;
      return a.success(snapshot);
    } catch (ExpositionParseException | UncheckedIOException e) {
      a.samples = reader.parser().sampleCount();
      if (a.format == null) {
        a.format = reader.parser().format();
      }
      throw e;
    }
  }

  // ---- errors ---------------------------------------------------------------------------------------------------

  private static ScrapeAbort abort(ScrapeError.Kind kind, String message) {
    return new ScrapeAbort(ScrapeError.of(kind, message));
  }

  /** Classifies why a request got no response. */
  private static ScrapeAbort sendError(IOException t, Attempt a) {
    String where = a.target.uri().getAuthority();
    if (Thread.currentThread().isInterrupted()) {
      return abort(ScrapeError.Kind.CANCELLED, "interrupted while " + a.phase);
    }
    if (t instanceof ScrapeAbort) {
      return (ScrapeAbort) t;
    }
    if (find(t, SSLException.class) != null) {
      return abort(ScrapeError.Kind.TLS, "TLS with " + where + " failed: " + describe(find(t, SSLException.class)));
    }
    if (t instanceof SocketTimeoutException) {
      return a.timeout();
    }
    if (t instanceof ConnectException || find(t, NoRouteToHostException.class) != null) {
      String why = null;
      for (Throwable c = t; c != null && why == null; c = c.getCause()) {
        why = c.getMessage();
      }
      if (why == null) {
        why = "refused or closed by the peer (" + t.getClass().getSimpleName() + ")";
      }
      return abort(ScrapeError.Kind.CONNECT, "cannot connect to " + where + ": " + why);
    }
    return abort(ScrapeError.Kind.IO, "request to " + where + " failed: " + describe(t));
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

  // ---- buffers and connections ----------------------------------------------------------------------------------

  private ExchangeBuffers buffers() {
    synchronized (spare) {
      ExchangeBuffers x = spare.pollFirst();
      if (x != null) {
        return x;
      }
    }
    return new ExchangeBuffers();
  }

  private void release(ExchangeBuffers x) {
    synchronized (spare) {
      if (spare.size() < MAX_SPARE_BUFFERS && !closed) {
        spare.addFirst(x);
        return;
      }
    }
    x.dispose();
  }

  /**
   * Stops the scraper: later scrapes end with {@link ScrapeError.Kind#CANCELLED}, and the idle connections are
   * closed (a scrape in progress closes its own when it ends).
   */
  @Override
  public void close() {
    closed = true;
    pool.close();
    synchronized (spare) {
      spare.forEach(ExchangeBuffers::dispose);
      spare.clear();
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

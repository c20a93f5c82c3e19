package io.github.infermetrics.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.TargetStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP side of {@code watch --serve}: {@code /metrics} for Prometheus ({@link KpiExposition}), {@code /api/kpis}
 * (the {@code watch --json} object), {@code /api/kpis/{target}} (that target's part of it),
 * {@code /api/kpis/{target}/{model}} for autoscalers ({@link ModelRow}), {@code /api/history} and {@code /} for
 * people ({@link LivePage}, {@link KpiHistory}). Everything is computed from the pipeline's state when asked; the
 * only state kept is the bounded history.
 *
 * <p>Limits: a bounded thread pool with a bounded queue (a connection beyond it is closed at once), GET and HEAD
 * only, request targets of at most {@value #MAX_TARGET_LENGTH} characters, request bodies never read, and the JDK
 * server's request and response time limits ({@link #limitJdkServer}). Bound to loopback, it answers only requests
 * whose {@code Host} is a loopback name, so that a web page cannot reach it through DNS rebinding. With a
 * {@link ServeAccess} it serves over TLS, and answers a request without the configured basic credentials with 401.
 */
final class ServeEndpoint implements AutoCloseable {
  static final int MAX_TARGET_LENGTH = 2048;
  /**
   * The JDK server reads a request's headers on a pool thread, so a client that sends half a request holds one
   * until the request time limit: enough threads that a few such clients do not stall Prometheus and the page.
   * Idle threads end after 30 s.
   */
  private static final int THREADS = 16;
  private static final int QUEUE = 64;
  private static final int GZIP_FROM = 1024;
  private static final String JSON = "application/json; charset=utf-8";
  private static final String API_KPIS = "/api/kpis";

  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final KpiPipeline pipeline;
  private final KpiHistory history;
  private final boolean loopback;
  private final ServeAccess access;
  private final URI uri;

  private ServeEndpoint(HttpServer server, ThreadPoolExecutor pool, KpiPipeline pipeline, KpiHistory history,
      boolean loopback, ServeAccess access, URI uri) {
    this.server = server;
    this.pool = pool;
    this.pipeline = pipeline;
    this.history = history;
    this.loopback = loopback;
    this.access = access;
    this.uri = uri;
  }

  /**
   * Bounds the time the JDK's HTTP server gives one request (5 s to arrive, 30 s to be answered) and the headers it
   * takes, so that a slow client holds a thread for 5 s at most. The server reads these once, when the JVM creates
   * its first server: call this before anything else starts one (the demo's simulators do). A value set by the user
   * stays.
   */
  static void limitJdkServer() {
    setIfAbsent("sun.net.httpserver.maxReqTime", "5");
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
    setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Starts serving.
   *
   * @param address where to listen
   * @param pipeline the watched fleet
   * @param history the windows kept for the page, fed by the pipeline
   * @param access TLS and the credentials a request must carry, or {@link ServeAccess#OPEN}
   * @return the running endpoint
   * @throws IOException when the address cannot be bound
   */
  static ServeEndpoint start(InetSocketAddress address, KpiPipeline pipeline, KpiHistory history,
      ServeAccess access) throws IOException {
    HttpServer server;
    if (access.tls() != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(access.tls()));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "infermetrics-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    server.setExecutor(pool);
    InetSocketAddress bound = server.getAddress();
    InetAddress ip = bound.getAddress();
    String host = ip.isAnyLocalAddress() ? "127.0.0.1" : ip.getHostAddress().indexOf(':') >= 0
        ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    URI uri = URI.create((access.tls() != null ? "https://" : "http://") + host + ":" + bound.getPort() + "/");
    ServeEndpoint endpoint = new ServeEndpoint(server, pool, pipeline, history, ip.isLoopbackAddress(), access,
        uri);
    server.createContext("/", endpoint::handle);
    server.start();
    return endpoint;
  }

  /**
   * The page's address; for an endpoint on every interface, its loopback address.
   *
   * @return for example {@code http://127.0.0.1:9100/}
   */
  URI uri() {
    return uri;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String method = ex.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        text(ex, 405, "method " + method + " not allowed: GET or HEAD", head);
        return;
      }
      String raw = ex.getRequestURI().getRawPath();
      if (raw == null || ex.getRequestURI().toString().length() > MAX_TARGET_LENGTH) {
        text(ex, 414, "request target longer than " + MAX_TARGET_LENGTH + " characters", head);
        return;
      }
      if (loopback && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
        text(ex, 403, "this server listens on loopback and answers loopback names only, not Host "
            + ex.getRequestHeaders().getFirst("Host") + "; to be reached by another name, bind that address"
            + " (watch --serve HOST:PORT)", head);
        return;
      }
      if (!access.admits(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"infermetrics\", charset=\"UTF-8\"");
        text(ex, 401, "this server needs the user and password of --serve-basic-auth-file", head);
        return;
      }
      route(ex, raw, head);
    } catch (RuntimeException e) {
      // a bug answers 500 with what went wrong rather than a reset connection
      try {
        respond(ex, 500, JSON, ModelRow.error(500, "internal error: " + e).json(), false);
      } catch (IOException | RuntimeException ignored) {
        // the response had begun: the connection is closed with the exchange
      }
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex, String raw, boolean head) throws IOException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    switch (raw) {
      case "/" -> page(ex, "live.html", "text/html; charset=utf-8", head);
      case "/live.js" -> page(ex, "live.js", "text/javascript; charset=utf-8", head);
      case "/live.css" -> page(ex, "live.css", "text/css; charset=utf-8", head);
      case "/metrics" -> {
        String format = query(ex, "format");
        KpiExposition.Format f = "openmetrics".equals(format) ? KpiExposition.Format.OPENMETRICS
            : "text".equals(format) ? KpiExposition.Format.TEXT
            : KpiExposition.negotiate(ex.getRequestHeaders().getFirst("Accept"));
        respond(ex, 200, f.contentType, KpiExposition.write(f, pipeline.status(),
            new KpiExposition.PipelineCounts(pipeline.consumerFailures(), pipeline.skippedScrapes()), now), head);
      }
      case API_KPIS, API_KPIS + "/" ->
          respond(ex, 200, JSON, WatchView.json(now, pipeline.status(), history.joined()), head);
      case "/api/history" -> respond(ex, 200, JSON, history.json(now, pipeline.interval(), pipeline.status()), head);
      default -> {
        if (raw.startsWith(API_KPIS + "/")) {
          kpis(ex, raw.substring(API_KPIS.length() + 1), now, head);
        } else if (raw.startsWith("/api/")) {
          respond(ex, 404, JSON, ModelRow.error(404, "no such API: " + raw + "; see /api/kpis, /api/kpis/TARGET,"
              + " /api/kpis/TARGET/MODEL, /api/history").json(), head);
        } else {
          text(ex, 404, "not found: " + raw + "; this server has /, /metrics, /api/kpis and /api/history", head);
        }
      }
    }
  }

  /** {@code TARGET} or {@code TARGET/MODEL}: the model is everything after the first slash, so it may hold slashes. */
  private void kpis(HttpExchange ex, String rest, Instant now, boolean head) throws IOException {
    int slash = rest.indexOf('/');
    String target;
    String model;
    try {
      target = decode(slash < 0 ? rest : rest.substring(0, slash));
      model = slash < 0 || slash == rest.length() - 1 ? null : decode(rest.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      respond(ex, 400, JSON, ModelRow.error(400, e.getMessage()).json(), head);
      return;
    }
    List<TargetStatus> statuses = pipeline.status();
    if (model == null) {
      List<TargetStatus> one = statuses.stream().filter(s -> s.name().equals(target)).toList();
      if (one.isEmpty()) {
        respond(ex, 404, JSON, ModelRow.error(404, "no target named '" + target + "'").json(), head);
      } else {
        respond(ex, 200, JSON, WatchView.json(now, one, history.joined()), head);
      }
      return;
    }
    ModelRow.Answer a = ModelRow.find(statuses, target, model);
    respond(ex, a.status(), JSON, a.json(), head);
  }

  /**
   * Percent-decodes one part of a path: {@code %2F} is a slash, {@code +} stays a plus (it is a space only in
   * forms), and what is not UTF-8 is refused.
   */
  static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
            || Character.digit(raw.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException("bad percent-encoding in '" + raw + "'");
        }
        bytes.put((byte) (Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16)));
        i += 2;
      } else {
        // the JDK gives the raw path as ASCII: anything else was percent-encoded by the client
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("'" + raw + "' is not percent-encoded UTF-8");
    }
  }

  private static String query(HttpExchange ex, String key) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** Whether a Host header names this machine's loopback: localhost, 127.x.x.x or [::1], any port; none is fine. */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return true; // HTTP/1.0 has no Host: it cannot be a rebinding browser
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close > 0 && h.substring(1, close).equals("::1");
    }
    int colon = h.indexOf(':');
    String name = colon < 0 ? h : h.substring(0, colon);
    return name.equals("localhost") || name.endsWith(".localhost")
        || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static void page(HttpExchange ex, String resource, String contentType, boolean head) throws IOException {
    ex.getResponseHeaders().set("Content-Security-Policy", LivePage.CONTENT_SECURITY_POLICY);
    respond(ex, 200, contentType, LivePage.resource(resource), head);
  }

  private static void text(HttpExchange ex, int status, String message, boolean head) throws IOException {
    respond(ex, status, "text/plain; charset=utf-8", message + "\n", head);
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body, boolean head)
      throws IOException {
    respond(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8), head);
  }

  private static void respond(HttpExchange ex, int status, String contentType, byte[] body, boolean head)
      throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    String encoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
    byte[] out = body;
    if (body.length >= GZIP_FROM && encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream(body.length / 4);
      try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
        g.write(body);
      }
      out = gz.toByteArray();
      h.set("Content-Encoding", "gzip");
      h.set("Vary", "Accept-Encoding");
    }
    if (head) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }
}

package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.discovery.Trees.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Targets from an HTTP endpoint in Prometheus's {@code http_sd} format, polled.
 *
 * <pre>{@code
 * try (HttpSdDiscovery discovery = new HttpSdDiscovery(HttpSdConfig.parse("http://sd.internal:8080/targets"))) {
 *   discovery.start(found -> pipeline.replaceTargets(
 *       found.stream().map(t -> PipelineTarget.builder(t).build()).toList()));
 *   ...
 * }
 * }</pre>
 *
 * <p>As Prometheus does it: a {@code GET} with {@code Accept: application/json} and
 * {@code X-Prometheus-Refresh-Interval-Seconds} (the configured interval, so the server knows how stale its
 * answer may get); the answer must be status 200 with {@code Content-Type: application/json} (optionally
 * {@code ; charset=utf-8}), a UTF-8 body holding the same list of target groups as a {@code file_sd} JSON file.
 * Each group gets the label {@code __meta_url}. Redirects are followed.
 *
 * <p>infermetrics also reads {@code X-Prometheus-Refresh-Interval-Seconds} in the <em>response</em>: a server
 * that sends it sets the time until the next request (kept between {@code min(1 s, refreshInterval)} and
 * {@code max(1 h, refreshInterval)}), so a service that knows its targets change rarely can ask to be polled less.
 *
 * <p><b>Bounds and errors.</b> Each request ends within {@link HttpSdConfig#timeout()}, body included, and reads at
 * most {@link HttpSdConfig#bodySizeLimit()} bytes. A failed request (no connection, a status other than 200, the
 * wrong content type, a body over the limit, JSON that does not parse) keeps the last good list; the error is
 * counted and logged. A body equal to the last one is not parsed again.
 *
 * <p>One daemon thread per discovery polls; the listener runs on it (the first list on the thread calling
 * {@link #start}, which makes the first request before it returns). Thread-safe.
 */
public final class HttpSdDiscovery implements TargetDiscovery {
  /** The header Prometheus sends with its refresh interval in seconds; read back from responses too. */
  public static final String REFRESH_INTERVAL_HEADER = "X-Prometheus-Refresh-Interval-Seconds";

  /** As the scraper's: {@code infermetrics/<version>}. */
  private static final String USER_AGENT = "infermetrics/" + version();

  private static final Pattern JSON_CONTENT_TYPE =
      Pattern.compile("(?i:application/json(;\\s*charset=(\"utf-8\"|utf-8))?)");

  private final HttpSdConfig config;
  private final TargetPublisher publisher;
  private final HttpClient client;
  private final ScheduledExecutorService executor;
  private volatile CompletableFuture<?> inFlight;
  private volatile boolean closed;
  private boolean started;
  private byte[] lastBodyHash;

  /**
   * A discovery; nothing happens before {@link #start}.
   *
   * @param config the endpoint and settings
   */
  public HttpSdDiscovery(HttpSdConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.publisher = new TargetPublisher("http_sd " + config.url());
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempt on plain http, as the scraper
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(config.timeout());
    config.sslContext().ifPresent(b::sslContext);
    this.client = b.build();
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "infermetrics-http-sd");
      t.setDaemon(true);
      return t;
    });
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = e;
  }

  @Override
  public void start(Consumer<List<DiscoveredTarget>> listener) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(description() + ": closed");
      }
      if (started) {
        throw new IllegalStateException(description() + ": already started");
      }
      started = true;
    }
    publisher.start(listener);
    poll();
  }

  private void poll() {
    Duration next = config.refreshInterval();
    try {
      next = fetch();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      publisher.error("GET " + config.url() + ": " + e);
    }
    if (!closed) {
      try {
        executor.schedule(this::poll, next.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /** One request; returns the delay until the next. */
  private Duration fetch() throws InterruptedException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(config.url())
        .GET()
        .timeout(config.timeout())
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT)
        .header(REFRESH_INTERVAL_HEADER, seconds(config.refreshInterval()));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(rb.build(), this::body);
    inFlight = f;
    HttpResponse<byte[]> response;
    try {
      response = f.get(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      publisher.error("GET " + config.url() + ": no complete response within " + config.timeout().toMillis()
          + " ms (HttpSdConfig.timeout)");
      return config.refreshInterval();
    } catch (ExecutionException e) {
      publisher.error("GET " + config.url() + ": " + describe(e.getCause()));
      return config.refreshInterval();
    } finally {
      inFlight = null;
    }
    if (response.statusCode() != 200) {
      publisher.error("GET " + config.url() + ": server returned HTTP status " + response.statusCode());
      return config.refreshInterval();
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("").strip();
    if (!JSON_CONTENT_TYPE.matcher(contentType).matches()) {
      publisher.error("GET " + config.url() + ": unsupported content type \"" + contentType + "\" (http_sd needs"
          + " application/json)");
      return config.refreshInterval();
    }
    Duration next = nextInterval(response);
    byte[] body = response.body();
    byte[] hash = sha256(body);
    if (Arrays.equals(hash, lastBodyHash)) {
      return next;
    }
    lastBodyHash = hash;
    try {
      List<TargetGroup> groups = TargetGroupFormat.read(config.url().toString(), body, Format.JSON, "__meta_url");
      publisher.publish(config.labelling().resolve(groups));
    } catch (DiscoveryException e) {
      publisher.error(e.getMessage() + " (keeping the last good targets)");
    }
    return next;
  }

  private Duration nextInterval(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue(REFRESH_INTERVAL_HEADER);
    if (header.isEmpty()) {
      return config.refreshInterval();
    }
    Duration configured = config.refreshInterval();
    Duration min = configured.compareTo(Duration.ofSeconds(1)) < 0 ? configured : Duration.ofSeconds(1);
    Duration max = configured.compareTo(Duration.ofHours(1)) > 0 ? configured : Duration.ofHours(1);
    try {
      double seconds = Double.parseDouble(header.get().strip());
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new NumberFormatException();
      }
      Duration d = Duration.ofNanos((long) Math.min(seconds * 1e9, (double) Long.MAX_VALUE));
      return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    } catch (NumberFormatException e) {
      publisher.error("GET " + config.url() + ": ignoring " + REFRESH_INTERVAL_HEADER + " \"" + header.get()
          + "\" (not a positive number of seconds)");
      return configured;
    }
  }

  private BodySubscriber<byte[]> body(ResponseInfo info) {
    String contentType = info.headers().firstValue("Content-Type").orElse("").strip();
    if (info.statusCode() != 200 || !JSON_CONTENT_TYPE.matcher(contentType).matches()) {
      return BodySubscribers.replacing(null); // not read: the status or content type is the error
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > config.bodySizeLimit()) {
      return new FailedBody(new BodyTooLarge(config.bodySizeLimit()));
    }
    return new LimitedBody(config.bodySizeLimit());
  }

  private static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BodyTooLarge) {
        return c.getMessage();
      }
    }
    if (t instanceof HttpTimeoutException) {
      return "timed out (" + t.getMessage() + ", HttpSdConfig.timeout)";
    }
    if (t instanceof ConnectException) {
      return "cannot connect" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }
    return String.valueOf(t);
  }

  private static String version() {
    String v = HttpSdDiscovery.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  /** Go's {@code strconv.FormatFloat(seconds, 'f', -1, 64)}: {@code 60}, {@code 0.5}. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros()
        .toPlainString();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** A body over the limit. */
  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(long limit) {
      super("body larger than " + limit + " bytes (HttpSdConfig.bodySizeLimit)");
    }
  }

  /** Collects the body up to a limit; past it, cancels the response. */
  private static final class LimitedBody implements BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (bytes.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }

  /** A body refused before reading: its declared length is over the limit. */
  private static final class FailedBody implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final IOException error;

    FailedBody(IOException error) {
      this.error = error;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
      result.completeExceptionally(error);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {}

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(error);
    }
  }

  @Override
  public List<DiscoveredTarget> current() {
    return publisher.current();
  }

  @Override
  public String description() {
    return publisher.description();
  }

  @Override
  public long errors() {
    return publisher.errors();
  }

  @Override
  public Optional<String> lastError() {
    return publisher.lastError();
  }

  @Override
  public int droppedTargets() {
    return publisher.droppedTargets();
  }

  /**
   * The configuration.
   *
   * @return the configuration given
   */
  public HttpSdConfig config() {
    return config;
  }

  @Override
  public void close() {
    closed = true;
    publisher.close();
    executor.shutdownNow();
    CompletableFuture<?> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.github.infermetrics.remotewrite;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.remotewrite.internal.EncodedSample;
import io.github.infermetrics.remotewrite.internal.SampleConversion;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Sends KPI sets (and optionally raw scraped series) to a Prometheus remote write 1.0 endpoint: protobuf
 * {@code WriteRequest}, snappy block compression, {@code X-Prometheus-Remote-Write-Version: 0.1.0}.
 *
 * <pre>{@code
 * try (RemoteWriteSink sink = RemoteWriteSink.builder(URI.create("http://prometheus:9090/api/v1/write"))
 *     .externalLabel("cluster", "prod")
 *     .signer(RequestSigner.bearer(token))
 *     .build()) {
 *   sink.write(VllmKpis.between(before, after, 15).toKpiSet("vllm-0", Instant.now()));
 * }   // close() sends what is still queued
 * }</pre>
 *
 * <p>Writing never blocks and never throws: samples go into a bounded queue (dropped and counted when it is full)
 * and one sender thread cuts them into requests of at most {@link Builder#maxSamplesPerRequest(int)} samples and
 * {@link Builder#maxBytesPerRequest(int)} bytes, or whatever arrived within {@link Builder#batchDelay(Duration)}. A
 * 5xx, a 429, a timeout or a connection error is retried with exponential backoff (a {@code Retry-After} header is
 * honoured, up to a minute); any other status fails the request without retry. One sender and one request at a time
 * keep every series' samples in order, which receivers require. {@link #stats()} counts everything.
 *
 * <p>This class is thread-safe.
 *
 * @since 0.1.0
 */
public final class RemoteWriteSink implements AutoCloseable {
  /** The protocol version header of remote write 1.0. */
  public static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
  /** Its value. */
  public static final String VERSION = "0.1.0";
  /** The longest the sender parks without a reason to wake; a safety net, as every change of state unparks it. */
  private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** What unparks the waiting sender: nothing (it is not waiting), any sample, or enough samples to fill a batch. */
  private static final int WAKE_NONE = 0;
  private static final int WAKE_ANY = 1;
  private static final int WAKE_FULL = 2;

  private final SampleConversion conversion;
  private final BlockingQueue<EncodedSample> queue;
  private final RequestSender sender;
  private final int maxSamples;
  private final int maxBytes;
  private final long batchDelayNanos;
  private final Duration closeTimeout;
  private final Thread thread;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicInteger hurry = new AtomicInteger();
  private final Object progress = new Object();
  private volatile boolean closed;
  /** One of the WAKE_ constants, set by the sender while it parks. */
  private volatile int wakeOn = WAKE_NONE;
  /** With WAKE_FULL: the queued samples that fill the batch being gathered. */
  private volatile int wakeAtQueued;

  private RemoteWriteSink(Builder b) {
    this.conversion = new SampleConversion(b.metricPrefix, Labels.of(b.externalLabels));
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.maxSamples = b.maxSamplesPerRequest;
    this.maxBytes = b.maxBytesPerRequest;
    this.batchDelayNanos = b.batchDelay.toNanos();
    this.closeTimeout = b.closeTimeout;
    HttpClient client = b.httpClient != null ? b.httpClient : client(b.uri, b.requestTimeout);
    this.sender = new RequestSender(client, b.uri, b.headers, b.signer, b.requestTimeout, b.maxAttempts,
        b.minBackoff, b.maxBackoff);
    this.thread = new Thread(this::run, "infermetrics-remote-write");
    thread.setDaemon(true); // close() flushes; a forgotten sink must not keep the JVM alive
    thread.start();
  }

  /**
   * The sink's own client. For an {@code http} endpoint it gets a TLS context with no trust material, which it never
   * uses: the default one, which the client would otherwise load, parses the JDK's 150 CA certificates and keeps
   * some 2 MiB of heap and classes for nothing.
   */
  private static HttpClient client(URI uri, Duration requestTimeout) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout);
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      try {
        SSLContext unused = SSLContext.getInstance("TLS");
        unused.init(new KeyManager[0], new TrustManager[0], null);
        b.sslContext(unused);
      } catch (GeneralSecurityException e) {
        // no TLS provider at all: the client's default, which needs none for http either
      }
    }
    return b.build();
  }

  /**
   * A builder.
   *
   * @param uri the remote write endpoint, {@code http} or {@code https}, for example
   *     {@code http://localhost:9090/api/v1/write}
   * @return a builder
   * @throws IllegalArgumentException when the URI is not absolute http(s)
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * Queues the values of a KPI set, each as a series named {@code prefix + KpiValue.metricName()} with its
   * dimensions, {@code source}, {@code target} and the external labels, stamped with {@link KpiSet#at()}.
   *
   * @param set the KPIs
   * @return samples queued; the others were dropped (see {@link RemoteWriteStats#samplesDropped()})
   */
  public int write(KpiSet set) {
    Objects.requireNonNull(set, "set");
    return offer(conversion.samples(set));
  }

  /**
   * Queues the raw series of a scrape (counters, gauges, histogram buckets, summary quantiles), in classic
   * Prometheus naming, stamped with the scrape time.
   *
   * @param snapshot the scrape
   * @param targetLabels labels of the target, for example {@code job} and {@code instance}
   * @param at the scrape time
   * @return samples queued
   */
  public int write(MetricSnapshot snapshot, Labels targetLabels, Instant at) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(targetLabels, "targetLabels");
    return offer(conversion.samples(snapshot, targetLabels, at.toEpochMilli()));
  }

  private int offer(List<EncodedSample> samples) {
    int queued = 0;
    for (EncodedSample s : samples) {
      if (!closed && queue.offer(s)) {
        accepted.incrementAndGet();
        queued++;
      }
    }
    dropped.addAndGet(samples.size() - queued);
    // once per call, not per sample: the sender parks until a batch is due and is woken only when it must be
    int wake = wakeOn;
    if (queued > 0 && wake != WAKE_NONE && (wake == WAKE_ANY || queue.size() >= wakeAtQueued)) {
      LockSupport.unpark(thread);
    }
    return queued;
  }

  /**
   * Sends what is queued now without waiting for the batch delay, and waits until it is sent or failed.
   *
   * @param timeout how long to wait
   * @return true when everything accepted before the call is settled
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long target = accepted.get();
    long end = System.nanoTime() + timeout.toNanos();
    hurry.incrementAndGet();
    LockSupport.unpark(thread);
    try {
      synchronized (progress) {
        while (sender.settled() < target) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        }
        return true;
      }
    } finally {
      hurry.decrementAndGet();
    }
  }

  /**
   * The counters so far.
   *
   * @return the counters
   */
  public RemoteWriteStats stats() {
    return new RemoteWriteStats(accepted.get(), sender.samplesSent(), dropped.get(), sender.samplesFailed(),
        sender.requestsSent(), sender.retries(), sender.lastError());
  }

  /**
   * Stops accepting samples, sends what is queued (retries included) for up to the close timeout, then gives up on
   * the rest and counts it as failed.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(closeTimeout.toMillis());
      if (thread.isAlive()) {
        thread.interrupt(); // the sender fails what is left and ends
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<EncodedSample> batch = new ArrayList<>(maxSamples);
    EncodedSample carry = null;
    try {
      while (true) {
        EncodedSample first = carry != null ? carry : queue.poll();
        carry = null;
        if (first == null) {
          if (closed) {
            if (queue.isEmpty()) {
              return;
            }
          } else {
            park(WAKE_ANY, 0, MAX_PARK_NANOS);
          }
          continue;
        }
        batch.add(first);
        int bytes = first.encodedSize();
        long deadline = System.nanoTime() + batchDelayNanos;
        while (batch.size() < maxSamples) {
          EncodedSample next = queue.poll();
          // wait for more by parking until the batch is due, full, flushed or closed; not by waiting on the queue,
          // which would wake this thread for every sample a scraper queues, nor by polling in slices
          while (next == null && !closed && hurry.get() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            park(WAKE_FULL, maxSamples - batch.size(), Math.min(left, MAX_PARK_NANOS));
            next = queue.poll();
          }
          if (next == null) {
            break;
          }
          if (bytes + next.encodedSize() > maxBytes) {
            carry = next;
            break;
          }
          batch.add(next);
          bytes += next.encodedSize();
        }
        sender.send(batch);
        batch.clear();
        notifyProgress();
      }
    } catch (InterruptedException e) {
      // close() ran out of time: what is left fails
      List<EncodedSample> rest = new ArrayList<>(batch);
      if (carry != null) {
        rest.add(carry);
      }
      queue.drainTo(rest);
      sender.fail(rest.size(), "closed with " + rest.size() + " samples unsent");
    } finally {
      notifyProgress();
    }
  }

  /**
   * Parks the sender until a sample comes ({@code WAKE_ANY}) or {@code samples} are queued ({@code WAKE_FULL}), a
   * flush or close, or {@code nanos} pass.
   */
  private void park(int on, int samples, long nanos) throws InterruptedException {
    wakeAtQueued = samples;
    wakeOn = on;
    try {
      // checked after wakeOn is published: a sample queued before a producer could see it is seen here
      boolean due = on == WAKE_ANY ? !queue.isEmpty() : queue.size() >= samples || hurry.get() > 0;
      if (!due && !closed) {
        LockSupport.parkNanos(this, nanos);
      }
    } finally {
      wakeOn = WAKE_NONE;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  private void notifyProgress() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /**
   * Configures a {@link RemoteWriteSink}; limits are checked here, so a built sink never fails on configuration.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern METRIC_PREFIX = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final URI uri;
    private final Map<String, String> externalLabels = new TreeMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String metricPrefix = "";
    private RequestSigner signer;
    private int maxSamplesPerRequest = 2_000;
    private int maxBytesPerRequest = 4 << 20;
    private Duration batchDelay = Duration.ofSeconds(1);
    private int queueCapacity = 100_000;
    private int maxAttempts = 10;
    private Duration minBackoff = Duration.ofMillis(30);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private HttpClient httpClient;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!uri.isAbsolute() || uri.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new IllegalArgumentException("uri: must be an absolute http or https URL: " + uri);
      }
      this.uri = uri;
    }

    /**
     * A label on every series that does not have it already, for example {@code cluster=prod}.
     *
     * @param name a Prometheus label name, not starting with {@code __}
     * @param value a non-empty value
     * @return this
     * @throws IllegalArgumentException when the name or the value is invalid
     */
    public Builder externalLabel(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
        throw new IllegalArgumentException("externalLabel: invalid label name: " + name);
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("externalLabel: empty value for " + name);
      }
      externalLabels.put(name, value);
      return this;
    }

    /**
     * Prepended to every metric name; none by default.
     *
     * @param prefix for example {@code infermetrics_}
     * @return this
     * @throws IllegalArgumentException when it cannot start a metric name
     */
    public Builder metricPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!METRIC_PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("metricPrefix: not a metric name prefix: " + prefix);
      }
      this.metricPrefix = prefix;
      return this;
    }

    /**
     * An extra header on every request, for example {@code X-Scope-OrgID} for Mimir's tenants.
     *
     * @param name the header name; not one the protocol or the HTTP client sets
     * @param value the value, on one line
     * @return this
     * @throws IllegalArgumentException when the name is invalid or reserved, or the value has a line break
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header: invalid name: " + name);
      }
      if (RequestSender.isReserved(name)) {
        throw new IllegalArgumentException("header: " + name + " is set by the sink");
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("header: the value of " + name + " has a line break");
      }
      headers.put(name, value);
      return this;
    }

    /**
     * Authentication: {@link RequestSigner#bearer(String)}, {@link RequestSigner#basic(String, String)}, or a
     * SigV4 signer for Amazon Managed Service for Prometheus.
     *
     * @param signer called for every attempt
     * @return this
     */
    public Builder signer(RequestSigner signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /**
     * Samples per request at most (default 2,000, as Prometheus's {@code max_samples_per_send}).
     *
     * @param samples at least 1
     * @return this
     */
    public Builder maxSamplesPerRequest(int samples) {
      this.maxSamplesPerRequest = positive("maxSamplesPerRequest", samples);
      return this;
    }

    /**
     * Uncompressed bytes per request at most (default 4 MiB); a single sample larger than this is still sent.
     *
     * @param bytes at least 64
     * @return this
     */
    public Builder maxBytesPerRequest(int bytes) {
      if (bytes < 64) {
        throw new IllegalArgumentException("maxBytesPerRequest: must be at least 64: " + bytes);
      }
      this.maxBytesPerRequest = bytes;
      return this;
    }

    /**
     * How long the sender waits for more samples before sending a partial batch (default 1 s).
     *
     * @param delay zero or more
     * @return this
     */
    public Builder batchDelay(Duration delay) {
      this.batchDelay = notNegative("batchDelay", delay);
      return this;
    }

    /**
     * Samples the queue holds at most before writes drop them (default 100,000).
     *
     * @param samples at least 1
     * @return this
     */
    public Builder queueCapacity(int samples) {
      this.queueCapacity = positive("queueCapacity", samples);
      return this;
    }

    /**
     * Attempts per request, the first included (default 10).
     *
     * @param attempts at least 1
     * @return this
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = positive("maxAttempts", attempts);
      return this;
    }

    /**
     * The backoff between attempts: it starts at {@code min} and doubles up to {@code max} (defaults 30 ms and
     * 5 s, as Prometheus's).
     *
     * @param min the first wait
     * @param max the longest wait, at least {@code min}
     * @return this
     */
    public Builder backoff(Duration min, Duration max) {
      notNegative("backoff min", min);
      notNegative("backoff max", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("backoff: max " + max + " is less than min " + min);
      }
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Time allowed for one attempt, connecting included (default 30 s).
     *
     * @param timeout positive
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      if (notNegative("requestTimeout", timeout).isZero()) {
        throw new IllegalArgumentException("requestTimeout: must be positive");
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * How long {@link RemoteWriteSink#close()} keeps sending what is queued (default 10 s).
     *
     * @param timeout zero or more
     * @return this
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = notNegative("closeTimeout", timeout);
      return this;
    }

    /**
     * The HTTP client that sends the requests, for TLS or proxy settings of your own; by default an HTTP/1.1 client
     * with the request timeout as its connect timeout.
     *
     * @param client the client
     * @return this
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the sink and starts its sender thread.
     *
     * @return the sink; close it
     */
    public RemoteWriteSink build() {
      return new RemoteWriteSink(this);
    }

    private static int positive(String field, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(field + ": must be at least 1: " + n);
      }
      return n;
    }

    private static Duration notNegative(String field, Duration d) {
      Objects.requireNonNull(d, field);
      if (d.isNegative()) {
        throw new IllegalArgumentException(field + ": must not be negative: " + d);
      }
      return d;
    }
  }
}

package io.github.infermetrics.cloudwatch.aws;

import io.github.infermetrics.cloudwatch.aws.internal.BufferedSender;
import io.github.infermetrics.cloudwatch.aws.internal.DatumBatcher;
import io.github.infermetrics.cloudwatch.aws.internal.RetryingCaller;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * Sends KPIs and other datums to CloudWatch with {@code PutMetricData}, in the background, through the caller's own
 * AWS SDK client.
 *
 * <pre>{@code
 * CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.create();   // your region, credentials, HTTP client
 * try (PutMetricDataPublisher publisher = PutMetricDataPublisher.builder(cloudWatch, "Inference/Serving")
 *     .flushInterval(Duration.ofSeconds(30))
 *     .build()) {
 *   publisher.publish(kpis);                                           // a KpiSet from triton, vllm or neuron
 *   publisher.publish(CloudWatchDatum.builder("queue_depth").unit("Count").value(12).build());
 * }                                                                    // close() sends what is buffered
 * }</pre>
 *
 * <p>How it sends: {@code publish} only buffers (a bounded buffer; never blocks). A background thread drains the
 * buffer every flush interval, when it is half full, on {@link #flush()} and on {@link #close()}. Datums of the
 * same metric and storage period in one drain are merged into one datum with {@code Values} and {@code Counts} (at
 * most 150 distinct values each), and requests carry at most 1,000 datums and 1 MB. Throttling, 5xx answers,
 * timeouts and connection failures are retried with exponential backoff and jitter. The SDK client retries too, by
 * its own retry strategy, so the attempts multiply; configure one of the two to not retry if that matters.
 *
 * <p>Nothing is lost without being counted: {@link #dropped()} counts datums refused because the buffer was full or
 * the publisher closed, KPI values that break a CloudWatch limit, datums outside CloudWatch's timestamp window
 * (older than 14 days, more than 2 hours ahead), and datums of requests that failed for good (every attempt, or an
 * error retrying cannot fix, such as {@code InvalidParameterValue}). {@link #sent()} counts datums CloudWatch
 * accepted. A timed-out request may have reached CloudWatch and is sent again, so delivery is at least once.
 *
 * <p>Thread-safe. The client stays open when the publisher closes: it belongs to the caller.
 *
 * @since 0.1.0
 */
public final class PutMetricDataPublisher implements AutoCloseable {
  /** The most datums per request, from the PutMetricData API. */
  public static final int MAX_DATUMS_PER_REQUEST = 1000;
  /** The largest request body, 1 MB. */
  public static final long MAX_REQUEST_BYTES = 1_048_576;
  /** The most distinct values per datum ({@code Values}/{@code Counts}). */
  public static final int MAX_VALUES_PER_DATUM = 150;

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#:]*\\S[A-Za-z0-9.\\-_/#: ]*");
  private static final Duration MAX_AGE = Duration.ofDays(14);
  private static final Duration MAX_AHEAD = Duration.ofHours(2);
  private static final System.Logger LOG = System.getLogger(PutMetricDataPublisher.class.getName());

  private final String namespace;
  private final int kpiResolution;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Function<PutMetricDataRequest, CompletableFuture<?>> transport;
  private final DatumBatcher batcher;
  private final RetryingCaller caller;
  private final BufferedSender<CloudWatchDatum> sender;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
  private final AtomicBoolean warned = new AtomicBoolean();

  private PutMetricDataPublisher(Builder b) {
    this.namespace = b.namespace;
    this.kpiResolution = b.highResolution ? 1 : 60;
    this.requestTimeout = b.requestTimeout;
    this.clock = b.clock;
    this.transport = b.transport;
    this.batcher = new DatumBatcher(b.maxDatumsPerRequest, b.maxRequestBytes, b.maxValuesPerDatum);
    this.caller = new RetryingCaller(b.maxAttempts, b.baseBackoff, b.maxBackoff, b.random);
    // wake early only when the buffer is half full, not at every request's worth: values merge (Values/Counts)
    // only within one drain, and the batcher cuts requests anyway
    this.sender = new BufferedSender<>("infermetrics-put-metric-data", b.bufferCapacity,
        Math.max(b.maxDatumsPerRequest, b.bufferCapacity / 2), b.flushInterval, this::send,
        lost -> drop(lost.size(), null));
  }

  /**
   * A builder over an async client (the usual choice: it does not hold a thread while it waits for CloudWatch).
   *
   * @param client the caller's client; the publisher does not close it
   * @param namespace the namespace of every datum: up to 255 of {@code A-Z a-z 0-9 . - _ / # :} (and spaces),
   *     not starting with {@code AWS/}
   * @return a builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchAsyncClient client, String namespace) {
    Objects.requireNonNull(client, "client");
    return new Builder(namespace, client::putMetricData);
  }

  /**
   * A builder over a sync client, called from the publisher's own thread.
   *
   * @param client the caller's client; the publisher does not close it
   * @param namespace the namespace of every datum (see {@link #builder(CloudWatchAsyncClient, String)})
   * @return a builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchClient client, String namespace) {
    Objects.requireNonNull(client, "client");
    return new Builder(namespace, request -> CompletableFuture.completedFuture(client.putMetricData(request)));
  }

  /**
   * Buffers every value of a KPI set: its {@link KpiValue#metricName()}, the CloudWatch unit of its KPI, its
   * dimensions, and the end of the set's window as the timestamp. A value that breaks a CloudWatch limit (more
   * than 30 dimensions, a dimension value over 1024 characters) is dropped and counted.
   *
   * @param kpis the KPIs
   * @return how many values were buffered
   */
  public int publish(KpiSet kpis) {
    int accepted = 0;
    Instant at = kpis.at();
    for (KpiValue v : kpis.values()) {
      CloudWatchDatum datum;
      try {
        datum = new CloudWatchDatum(v.metricName(), v.kpi().unit().cloudWatchUnit(), v.dimensions(), v.value(), at,
            kpiResolution);
      } catch (IllegalArgumentException e) {
        drop(1, e);
        continue;
      }
      if (publish(datum)) {
        accepted++;
      }
    }
    return accepted;
  }

  /**
   * Buffers one datum.
   *
   * @param datum the datum
   * @return false when it was dropped (buffer full, or publisher closed) and counted in {@link #dropped()}
   */
  public boolean publish(CloudWatchDatum datum) {
    Objects.requireNonNull(datum, "datum");
    if (sender.offer(datum)) {
      return true;
    }
    drop(1, null);
    return false;
  }

  /** Sends everything buffered before this call and waits until it is sent or counted as dropped. */
  public void flush() {
    sender.flush();
  }

  /** Sends what is buffered, waits for it, and stops the background thread. Later datums are dropped and counted. */
  @Override
  public void close() {
    sender.close();
  }

  /**
   * Datums lost so far, for any reason (see the class description).
   *
   * @return the count
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Datums CloudWatch accepted so far (each value of a merged datum counts once per occurrence).
   *
   * @return the count
   */
  public long sent() {
    return sent.get();
  }

  /**
   * Successful {@code PutMetricData} requests so far.
   *
   * @return the count
   */
  public long requests() {
    return requests.get();
  }

  /**
   * Retries so far (attempts after the first of each request).
   *
   * @return the count
   */
  public long retries() {
    return caller.retries();
  }

  /**
   * Datums waiting in the buffer.
   *
   * @return the count
   */
  public int buffered() {
    return sender.buffered();
  }

  /**
   * The error of the last request that failed for good, for diagnosis.
   *
   * @return the error, or empty when none failed
   */
  public Optional<RuntimeException> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /**
   * The namespace of every datum.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /** Runs on the sender thread: filters, merges, batches and sends one drained buffer. */
  private void send(List<CloudWatchDatum> drained) {
    Instant now = clock.instant();
    Instant oldest = now.minus(MAX_AGE);
    Instant newest = now.plus(MAX_AHEAD);
    List<CloudWatchDatum> inWindow = new ArrayList<>(drained.size());
    int outside = 0;
    for (CloudWatchDatum d : drained) {
      if (d.timestamp().isBefore(oldest) || d.timestamp().isAfter(newest)) {
        outside++;
      } else {
        inWindow.add(d);
      }
    }
    if (outside > 0) {
      drop(outside, new IllegalArgumentException(outside + " datums outside CloudWatch's timestamp window ("
          + oldest + " to " + newest + ")"));
    }
    for (DatumBatcher.DatumBatch batch : batcher.batches(inWindow, namespace)) {
      PutMetricDataRequest request = PutMetricDataRequest.builder()
          .namespace(namespace)
          .metricData(batch.data())
          .overrideConfiguration(o -> o.apiCallTimeout(requestTimeout))
          .build();
      try {
        caller.call(() -> transport.apply(request));
        sent.addAndGet(batch.sourceDatums());
        requests.incrementAndGet();
      } catch (RuntimeException e) {
        drop(batch.sourceDatums(), e);
      }
    }
  }

  private void drop(int count, RuntimeException cause) {
    dropped.addAndGet(count);
    if (cause != null) {
      lastFailure.set(cause);
    }
    // warn once, then debug: a failing endpoint must not flood the log
    System.Logger.Level level = warned.compareAndSet(false, true) ? System.Logger.Level.WARNING
        : System.Logger.Level.DEBUG;
    if (LOG.isLoggable(level)) {
      LOG.log(level, "PutMetricData: dropped " + count + " datums" + (cause == null ? " (buffer full or closed)"
          : ": " + cause));
    }
  }

  /** Configures a {@link PutMetricDataPublisher}; every setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final Function<PutMetricDataRequest, CompletableFuture<?>> transport;
    private int bufferCapacity = 20_000;
    private Duration flushInterval = Duration.ofSeconds(10);
    private int maxDatumsPerRequest = MAX_DATUMS_PER_REQUEST;
    private long maxRequestBytes = 1_000_000;
    private int maxValuesPerDatum = MAX_VALUES_PER_DATUM;
    private boolean highResolution;
    private int maxAttempts = 5;
    private Duration baseBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder(String namespace, Function<PutMetricDataRequest, CompletableFuture<?>> transport) {
      Objects.requireNonNull(namespace, "namespace");
      if (namespace.length() > 255 || !NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace must be 1 to 255 characters of A-Z a-z 0-9 . - _ / # :"
            + " (and spaces), not all blank: \"" + namespace + "\"");
      }
      if (namespace.startsWith("AWS/")) {
        throw new IllegalArgumentException("namespace: AWS/ is reserved for AWS services: " + namespace);
      }
      this.namespace = namespace;
      this.transport = transport;
    }

    /**
     * The most datums waiting to be sent; more are dropped and counted (default 20,000).
     *
     * @param datums at least 1
     * @return this
     */
    public Builder bufferCapacity(int datums) {
      this.bufferCapacity = positive("bufferCapacity", datums);
      return this;
    }

    /**
     * The longest a datum waits before it is sent (default 10 s).
     *
     * @param interval positive
     * @return this
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = positive("flushInterval", interval);
      return this;
    }

    /**
     * The most datums per request (default and maximum 1,000).
     *
     * @param datums 1 to 1,000
     * @return this
     */
    public Builder maxDatumsPerRequest(int datums) {
      this.maxDatumsPerRequest = within("maxDatumsPerRequest", datums, 1, MAX_DATUMS_PER_REQUEST);
      return this;
    }

    /**
     * The largest request body before compression, estimated from above (default 1,000,000, maximum 1 MB).
     *
     * @param bytes 1,024 to 1,048,576
     * @return this
     */
    public Builder maxRequestBytes(long bytes) {
      this.maxRequestBytes = within("maxRequestBytes", bytes, 1024, MAX_REQUEST_BYTES);
      return this;
    }

    /**
     * The most distinct values one merged datum carries (default and maximum 150).
     *
     * @param values 1 to 150
     * @return this
     */
    public Builder maxValuesPerDatum(int values) {
      this.maxValuesPerDatum = within("maxValuesPerDatum", values, 1, MAX_VALUES_PER_DATUM);
      return this;
    }

    /**
     * Whether KPI values are stored at one-second resolution (default false: one minute). Datums published with
     * {@link #publish(CloudWatchDatum)} keep their own resolution.
     *
     * @param highResolution true for StorageResolution 1
     * @return this
     */
    public Builder highResolution(boolean highResolution) {
      this.highResolution = highResolution;
      return this;
    }

    /**
     * Attempts per request, the first included (default 5).
     *
     * @param attempts 1 to 100
     * @return this
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = within("maxAttempts", attempts, 1, 100);
      return this;
    }

    /**
     * The wait before the first retry and the longest wait; each retry waits between half and all of
     * {@code min(max, base * 2^(n-1))} (default 200 ms and 20 s).
     *
     * @param base the first wait, at least 0
     * @param max the longest wait, at least {@code base}
     * @return this
     */
    public Builder backoff(Duration base, Duration max) {
      if (base.isNegative() || max.compareTo(base) < 0) {
        throw new IllegalArgumentException("backoff must satisfy 0 <= base <= max: " + base + ", " + max);
      }
      this.baseBackoff = base;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The time limit of one request, retries of the SDK client included (its {@code apiCallTimeout}; default 30 s).
     *
     * @param timeout positive
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** Test seam: the clock of the timestamp window. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Test seam: the source of backoff jitter. */
    Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Starts the publisher and its background thread.
     *
     * @return the publisher
     */
    public PutMetricDataPublisher build() {
      return new PutMetricDataPublisher(this);
    }
  }

  static int positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be positive: " + value);
    }
    return value;
  }

  static Duration positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive: " + value);
    }
    return value;
  }

  static int within(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be from " + min + " to " + max + ": " + value);
    }
    return value;
  }

  static long within(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be from " + min + " to " + max + ": " + value);
    }
    return value;
  }
}

package io.github.infermetrics.cloudwatch.aws;

import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.aws.internal.BufferedSender;
import io.github.infermetrics.cloudwatch.aws.internal.LogEventBatcher;
import io.github.infermetrics.cloudwatch.aws.internal.LogEventBatcher.LogBatch;
import io.github.infermetrics.cloudwatch.aws.internal.LogEventBatcher.PendingEvent;
import io.github.infermetrics.cloudwatch.aws.internal.RetryingCaller;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * An {@link EmfSink} that sends Embedded Metric Format events straight to a CloudWatch Logs log stream with
 * {@code PutLogEvents}, in the background, through the caller's own AWS SDK client. CloudWatch extracts the metrics
 * from the events as they arrive.
 *
 * <pre>{@code
 * CloudWatchLogsAsyncClient logs = CloudWatchLogsAsyncClient.create();  // your region, credentials, HTTP client
 * try (PutLogEventsSink sink = PutLogEventsSink.builder(logs, "/inference/emf", "pod-7f9c")
 *     .createLogStream(true)
 *     .build()) {
 *   sink.accept(event, 0, event.length, System.currentTimeMillis());    // one EMF JSON object, UTF-8
 * }                                                                      // close() sends what is buffered
 * }</pre>
 *
 * <p>How it sends: {@code accept} copies the event into a bounded buffer and returns. A background thread drains
 * the buffer when it holds a batch's worth of events, every flush interval, on {@link #flush()} and on
 * {@link #close()}; it sorts the events by timestamp and cuts batches of at most 10,000 events and 1,048,576 bytes
 * (UTF-8 length plus 26 bytes per event), spanning less than 24 hours. Throttling, 5xx answers, timeouts and
 * connection failures are retried with exponential backoff and jitter. With {@link Builder#createLogStream(boolean)},
 * a missing log group or stream is created once and the batch sent again.
 *
 * <p>Nothing is lost without being counted in {@link #dropped()}: events refused because the buffer was full or the
 * sink closed, events that are not valid UTF-8 or larger than the event limit (256 KB by default; an EMF event
 * cannot be split here), events outside the window CloudWatch Logs accepts (older than 14 days, more than 2 hours
 * ahead), events CloudWatch reports as rejected ({@code rejectedLogEventsInfo}), and events of batches that failed
 * for good. {@link #sent()} counts events CloudWatch accepted. Delivery is at least once: a timed-out request may
 * have arrived and is sent again.
 *
 * <p>Thread-safe. The client stays open when the sink closes: it belongs to the caller.
 *
 * @since 0.1.0
 */
public final class PutLogEventsSink implements EmfSink {
  /** The most events per batch, from the PutLogEvents API. */
  public static final int MAX_EVENTS_PER_BATCH = 10_000;
  /** The largest batch: the sum of the events' UTF-8 lengths plus 26 bytes per event. */
  public static final long MAX_BATCH_BYTES = 1_048_576;
  /** The largest event the API documents (256 KB); newer accounts accept 1 MB, see {@link Builder#maxEventBytes}. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 262_144;

  private static final long MAX_AGE_MILLIS = Duration.ofDays(14).toMillis();
  private static final long MAX_AHEAD_MILLIS = Duration.ofHours(2).toMillis();
  private static final System.Logger LOG = System.getLogger(PutLogEventsSink.class.getName());

  private final String logGroupName;
  private final String logStreamName;
  private final int maxEventBytes;
  private final long maxBufferedBytes;
  private final boolean createLogStream;
  private final boolean emfHeader;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Transport transport;
  private final LogEventBatcher batcher;
  private final RetryingCaller caller;
  private final BufferedSender<PendingEvent> sender;
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
  private final AtomicBoolean warned = new AtomicBoolean();

  /** The three calls the sink makes, over a sync or an async client. */
  private record Transport(Function<PutLogEventsRequest, CompletableFuture<PutLogEventsResponse>> putLogEvents,
      Function<CreateLogGroupRequest, CompletableFuture<?>> createLogGroup,
      Function<CreateLogStreamRequest, CompletableFuture<?>> createLogStream) {}

  private PutLogEventsSink(Builder b) {
    this.logGroupName = b.logGroupName;
    this.logStreamName = b.logStreamName;
    this.maxEventBytes = b.maxEventBytes;
    this.maxBufferedBytes = b.maxBufferedBytes;
    this.createLogStream = b.createLogStream;
    this.emfHeader = b.emfHeader;
    this.requestTimeout = b.requestTimeout;
    this.clock = b.clock;
    this.transport = b.transport;
    this.batcher = new LogEventBatcher(b.maxEventsPerBatch, b.maxBatchBytes);
    this.caller = new RetryingCaller(b.maxAttempts, b.baseBackoff, b.maxBackoff, b.random);
    this.sender = new BufferedSender<>("infermetrics-put-log-events", b.bufferCapacity, b.maxEventsPerBatch,
        b.flushInterval, this::send, this::lost);
  }

  /**
   * A builder over an async client.
   *
   * @param client the caller's client; the sink does not close it
   * @param logGroupName the log group
   * @param logStreamName the log stream in it
   * @return a builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchLogsAsyncClient client, String logGroupName, String logStreamName) {
    Objects.requireNonNull(client, "client");
    return new Builder(logGroupName, logStreamName, new Transport(client::putLogEvents, client::createLogGroup,
        client::createLogStream));
  }

  /**
   * A builder over a sync client, called from the sink's own thread.
   *
   * @param client the caller's client; the sink does not close it
   * @param logGroupName the log group
   * @param logStreamName the log stream in it
   * @return a builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchLogsClient client, String logGroupName, String logStreamName) {
    Objects.requireNonNull(client, "client");
    return new Builder(logGroupName, logStreamName, new Transport(
        r -> CompletableFuture.completedFuture(client.putLogEvents(r)),
        r -> CompletableFuture.completedFuture(client.createLogGroup(r)),
        r -> CompletableFuture.completedFuture(client.createLogStream(r))));
  }

  @Override
  public void accept(byte[] event, int offset, int length, long timestampMillis) {
    Objects.checkFromIndexSize(offset, length, event.length);
    if (length + LogEventBatcher.EVENT_OVERHEAD_BYTES > maxEventBytes) {
      drop(1, new IllegalArgumentException("event of " + length + " bytes is over the event limit of "
          + maxEventBytes + " bytes (UTF-8 length + 26)"));
      return;
    }
    String message;
    try {
      // strict decoding: a replacement character would change the event and its size
      message = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(event, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      drop(1, new IllegalArgumentException("event is not valid UTF-8: " + e));
      return;
    }
    if (bufferedBytes.addAndGet(length) > maxBufferedBytes) {
      bufferedBytes.addAndGet(-length);
      drop(1, null);
      return;
    }
    if (!sender.offer(new PendingEvent(message, length, timestampMillis))) {
      bufferedBytes.addAndGet(-length);
      drop(1, null);
    }
  }

  @Override
  public void flush() {
    sender.flush();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    sender.close();
  }

  /**
   * Events CloudWatch Logs accepted so far.
   *
   * @return the count
   */
  public long sent() {
    return sent.get();
  }

  /**
   * Successful {@code PutLogEvents} requests so far.
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
   * The error behind the last drop, for diagnosis.
   *
   * @return the error, or empty when nothing was dropped for an error
   */
  public Optional<RuntimeException> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /** Runs on the sender thread: filters, sorts, batches and sends one drained buffer. */
  private void send(List<PendingEvent> drained) {
    long drainedBytes = 0;
    for (PendingEvent e : drained) {
      drainedBytes += e.utf8Bytes();
    }
    bufferedBytes.addAndGet(-drainedBytes);
    long now = clock.millis();
    List<PendingEvent> inWindow = new ArrayList<>(drained.size());
    int outside = 0;
    for (PendingEvent e : drained) {
      if (e.timestampMillis() < now - MAX_AGE_MILLIS || e.timestampMillis() > now + MAX_AHEAD_MILLIS) {
        outside++;
      } else {
        inWindow.add(e);
      }
    }
    if (outside > 0) {
      drop(outside, new IllegalArgumentException(outside
          + " events outside CloudWatch Logs' window (14 days ago to 2 hours ahead)"));
    }
    for (LogBatch batch : batcher.batches(inWindow)) {
      PutLogEventsRequest request = PutLogEventsRequest.builder()
          .logGroupName(logGroupName)
          .logStreamName(logStreamName)
          .logEvents(batch.events())
          .overrideConfiguration(o -> {
            o.apiCallTimeout(requestTimeout);
            if (emfHeader) {
              o.putHeader("x-amzn-logs-format", "json/emf");
            }
          })
          .build();
      int n = batch.events().size();
      try {
        PutLogEventsResponse response = put(request);
        int rejected = rejected(response.rejectedLogEventsInfo(), n);
        if (rejected > 0) {
          drop(rejected, new IllegalArgumentException(rejected + " events rejected by CloudWatch Logs: "
              + response.rejectedLogEventsInfo()));
        }
        sent.addAndGet(n - rejected);
        requests.incrementAndGet();
      } catch (RuntimeException e) {
        drop(n, e);
      }
    }
  }

  private PutLogEventsResponse put(PutLogEventsRequest request) {
    try {
      return caller.call(() -> transport.putLogEvents().apply(request));
    } catch (ResourceNotFoundException e) {
      if (!createLogStream) {
        throw e;
      }
    }
    // the group or the stream is missing: create both (whichever exists already is fine) and send once more
    try {
      caller.call(() -> transport.createLogGroup().apply(
          CreateLogGroupRequest.builder().logGroupName(logGroupName).build()));
    } catch (ResourceAlreadyExistsException ignored) {
      // only the stream was missing
    }
    try {
      caller.call(() -> transport.createLogStream().apply(
          CreateLogStreamRequest.builder().logGroupName(logGroupName).logStreamName(logStreamName).build()));
    } catch (ResourceAlreadyExistsException ignored) {
      // created by another writer in the meantime
    }
    return caller.call(() -> transport.putLogEvents().apply(request));
  }

  /** The events of a batch of {@code n} that CloudWatch rejected: a prefix (too old, expired) and a suffix. */
  static int rejected(RejectedLogEventsInfo info, int n) {
    if (info == null) {
      return 0;
    }
    int prefix = 0;
    if (info.tooOldLogEventEndIndex() != null) {
      prefix = Math.max(prefix, info.tooOldLogEventEndIndex());
    }
    if (info.expiredLogEventEndIndex() != null) {
      prefix = Math.max(prefix, info.expiredLogEventEndIndex());
    }
    prefix = Math.min(Math.max(prefix, 0), n);
    int suffixStart = n;
    if (info.tooNewLogEventStartIndex() != null) {
      suffixStart = Math.min(Math.max(info.tooNewLogEventStartIndex(), prefix), n);
    }
    return prefix + (n - suffixStart);
  }

  private void lost(List<PendingEvent> events) {
    long bytes = 0;
    for (PendingEvent e : events) {
      bytes += e.utf8Bytes();
    }
    bufferedBytes.addAndGet(-bytes);
    drop(events.size(), new IllegalStateException("events lost while the sink closed or failed"));
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
      LOG.log(level, "PutLogEvents to " + logGroupName + "/" + logStreamName + ": dropped " + count + " events"
          + (cause == null ? " (buffer full or closed)" : ": " + cause));
    }
  }

  /** Configures a {@link PutLogEventsSink}; every setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private final String logGroupName;
    private final String logStreamName;
    private final Transport transport;
    private int bufferCapacity = 20_000;
    private long maxBufferedBytes = 32L * 1024 * 1024;
    private Duration flushInterval = Duration.ofSeconds(5);
    private int maxEventsPerBatch = MAX_EVENTS_PER_BATCH;
    private long maxBatchBytes = MAX_BATCH_BYTES;
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private boolean createLogStream;
    private boolean emfHeader = true;
    private int maxAttempts = 5;
    private Duration baseBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder(String logGroupName, String logStreamName, Transport transport) {
      this.logGroupName = name("logGroupName", logGroupName, 512);
      this.logStreamName = name("logStreamName", logStreamName, 512);
      if (logStreamName.indexOf(':') >= 0 || logStreamName.indexOf('*') >= 0) {
        throw new IllegalArgumentException("logStreamName must not contain ':' or '*': " + logStreamName);
      }
      this.transport = transport;
    }

    private static String name(String field, String value, int max) {
      Objects.requireNonNull(value, field);
      if (value.isEmpty() || value.length() > max) {
        throw new IllegalArgumentException(field + " must have 1 to " + max + " characters: \"" + value + "\"");
      }
      return value;
    }

    /**
     * The most events waiting to be sent; more are dropped and counted (default 20,000).
     *
     * @param events at least 1
     * @return this
     */
    public Builder bufferCapacity(int events) {
      this.bufferCapacity = PutMetricDataPublisher.positive("bufferCapacity", events);
      return this;
    }

    /**
     * The most bytes of events waiting to be sent; more are dropped and counted (default 32 MiB).
     *
     * @param bytes at least the event limit
     * @return this
     */
    public Builder maxBufferedBytes(long bytes) {
      this.maxBufferedBytes = PutMetricDataPublisher.within("maxBufferedBytes", bytes, 1024, Long.MAX_VALUE);
      return this;
    }

    /**
     * The longest an event waits before it is sent (default 5 s).
     *
     * @param interval positive
     * @return this
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = PutMetricDataPublisher.positive("flushInterval", interval);
      return this;
    }

    /**
     * The most events per batch (default and maximum 10,000).
     *
     * @param events 1 to 10,000
     * @return this
     */
    public Builder maxEventsPerBatch(int events) {
      this.maxEventsPerBatch = PutMetricDataPublisher.within("maxEventsPerBatch", events, 1, MAX_EVENTS_PER_BATCH);
      return this;
    }

    /**
     * The largest batch, counted as UTF-8 length plus 26 bytes per event (default and maximum 1,048,576).
     *
     * @param bytes 1,024 to 1,048,576
     * @return this
     */
    public Builder maxBatchBytes(long bytes) {
      this.maxBatchBytes = PutMetricDataPublisher.within("maxBatchBytes", bytes, 1024, MAX_BATCH_BYTES);
      return this;
    }

    /**
     * The largest event, counted as UTF-8 length plus 26 bytes (default 262,144; raise to 1,048,576 where CloudWatch
     * Logs accepts 1 MB events). Larger events are dropped and counted.
     *
     * @param bytes 27 to 1,048,576
     * @return this
     */
    public Builder maxEventBytes(int bytes) {
      this.maxEventBytes = PutMetricDataPublisher.within("maxEventBytes", bytes, 27, (int) MAX_BATCH_BYTES);
      return this;
    }

    /**
     * Whether to create the log group and stream when CloudWatch Logs says they do not exist (default false; needs
     * {@code logs:CreateLogGroup} and {@code logs:CreateLogStream}).
     *
     * @param create true to create them
     * @return this
     */
    public Builder createLogStream(boolean create) {
      this.createLogStream = create;
      return this;
    }

    /**
     * Whether requests carry the header {@code x-amzn-logs-format: json/emf} (default true). CloudWatch no longer
     * needs it, but older documentation required it and it costs nothing.
     *
     * @param emfHeader true to send it
     * @return this
     */
    public Builder emfHeader(boolean emfHeader) {
      this.emfHeader = emfHeader;
      return this;
    }

    /**
     * Attempts per request, the first included (default 5).
     *
     * @param attempts 1 to 100
     * @return this
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = PutMetricDataPublisher.within("maxAttempts", attempts, 1, 100);
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
      this.requestTimeout = PutMetricDataPublisher.positive("requestTimeout", timeout);
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
     * Starts the sink and its background thread.
     *
     * @return the sink
     * @throws IllegalArgumentException when the event limit is larger than the batch limit
     */
    public PutLogEventsSink build() {
      if (maxEventBytes > maxBatchBytes) {
        throw new IllegalArgumentException("maxEventBytes (" + maxEventBytes + ") must not exceed maxBatchBytes ("
            + maxBatchBytes + ")");
      }
      return new PutLogEventsSink(this);
    }
  }
}

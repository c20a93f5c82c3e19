package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.aws.internal.RetryingCaller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StopQueryRequest;

/**
 * Runs Logs Insights queries through the AWS SDK: StartQuery, then GetQueryResults with growing pauses until the
 * query is complete, failed, cancelled or timed out, then the typed rows and statistics. StartQuery and
 * GetQueryResults are retried with exponential backoff and jitter when the service throttles, has too many
 * concurrent queries ({@code LimitExceededException}) or is unavailable. When the caller cancels the future, or the
 * client-side timeout passes, the runner calls StopQuery so the query stops costing money.
 *
 * <pre>{@code
 * try (CloudWatchLogsClient logs = CloudWatchLogsClient.create();
 *      InsightsRunner runner = InsightsRunner.builder(logs).timeout(Duration.ofMinutes(5)).build()) {
 *   CatalogueQuery q = ContainerInsightsQueries.entry("pod-neuron").query(CatalogueParameters.of("inference"));
 *   QueryResult r = runner.run(QueryRequest.builder(q.query())
 *       .logGroupNames(q.logGroupNames()).last(Duration.ofHours(1), Instant.now()).build());
 *   r.rows().forEach(row -> System.out.println(row.get("PodName").orElse("?")));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one runner may run many queries at once. The caller owns and closes the SDK client; the runner
 * closes only the scheduler it created.
 *
 * @since 0.1
 */
public final class InsightsRunner implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(InsightsRunner.class.getName());

  /** The three calls, over a sync or an async client. */
  interface LogsCalls {
    CompletableFuture<String> start(StartQueryRequest request);

    CompletableFuture<GetQueryResultsResponse> results(String queryId);

    CompletableFuture<Boolean> stop(String queryId);
  }

  private final LogsCalls calls;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Duration firstPoll;
  private final Duration maxPoll;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration retryBase;
  private final Duration retryMax;

  private InsightsRunner(Builder b) {
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "insights-runner");
      t.setDaemon(true);
      return t;
    });
    this.firstPoll = b.firstPoll;
    this.maxPoll = b.maxPoll;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.retryBase = b.retryBase;
    this.retryMax = b.retryMax;
    this.calls = b.calls.apply(scheduler);
  }

  /**
   * A builder over a synchronous client; its calls run on the runner's scheduler threads.
   *
   * @param client the caller's client (region, credentials, HTTP client)
   * @return the builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchLogsClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(scheduler -> new LogsCalls() {
      @Override
      public CompletableFuture<String> start(StartQueryRequest request) {
        return CompletableFuture.supplyAsync(() -> client.startQuery(request).queryId(), scheduler);
      }

      @Override
      public CompletableFuture<GetQueryResultsResponse> results(String queryId) {
        return CompletableFuture.supplyAsync(
            () -> client.getQueryResults(GetQueryResultsRequest.builder().queryId(queryId).build()), scheduler);
      }

      @Override
      public CompletableFuture<Boolean> stop(String queryId) {
        return CompletableFuture.supplyAsync(
            () -> client.stopQuery(StopQueryRequest.builder().queryId(queryId).build()).success(), scheduler);
      }
    });
  }

  /**
   * A builder over an asynchronous client.
   *
   * @param client the caller's client
   * @return the builder
   */
  @SuppressWarnings("exports") // the SDK is optional: whoever passes a client already reads its module
  public static Builder builder(CloudWatchLogsAsyncClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(scheduler -> new LogsCalls() {
      @Override
      public CompletableFuture<String> start(StartQueryRequest request) {
        return client.startQuery(request).thenApply(r -> r.queryId());
      }

      @Override
      public CompletableFuture<GetQueryResultsResponse> results(String queryId) {
        return client.getQueryResults(GetQueryResultsRequest.builder().queryId(queryId).build());
      }

      @Override
      public CompletableFuture<Boolean> stop(String queryId) {
        return client.stopQuery(StopQueryRequest.builder().queryId(queryId).build()).thenApply(r -> r.success());
      }
    });
  }

  /**
   * Runs a query and waits for its final status. When the calling thread is interrupted, the query is stopped.
   *
   * @param request what to run
   * @return the result: complete, or failed, cancelled or timed out on the service side
   * @throws InsightsQueryException when the query could not be started or polled, or the timeout passed
   */
  public QueryResult run(QueryRequest request) {
    CompletableFuture<QueryResult> f = runAsync(request);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new InsightsQueryException("interrupted; the query was stopped", null, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InsightsQueryException q) {
        // a fresh exception keeps the caller's stack trace as well
        throw new InsightsQueryException(q.getMessage(), q.queryId().orElse(null), q);
      }
      throw new InsightsQueryException(String.valueOf(e.getCause()), null, e.getCause());
    }
  }

  /**
   * Starts a query and returns at once. Cancelling the future stops the query (StopQuery).
   *
   * @param request what to run
   * @return the result, or an {@link InsightsQueryException} when the query could not be started or polled, or the
   *     timeout passed
   */
  public CompletableFuture<QueryResult> runAsync(QueryRequest request) {
    Objects.requireNonNull(request, "request");
    Run run = new Run(request);
    run.start(1);
    return run.result;
  }

  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  static StartQueryRequest toSdk(QueryRequest r) {
    StartQueryRequest.Builder b = StartQueryRequest.builder()
        .queryLanguage(r.language().name())
        .queryString(r.queryString())
        .startTime(r.start().getEpochSecond())
        .endTime(r.end().getEpochSecond());
    if (!r.logGroupNames().isEmpty()) {
      b.logGroupNames(r.logGroupNames());
    }
    if (!r.logGroupIdentifiers().isEmpty()) {
      b.logGroupIdentifiers(r.logGroupIdentifiers());
    }
    r.limit().ifPresent(b::limit);
    return b.build();
  }

  static QueryResult toResult(String queryId, QueryStatus status, GetQueryResultsResponse r) {
    List<ResultRow> rows = new ArrayList<>(r.results().size());
    for (List<ResultField> row : r.results()) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (ResultField f : row) {
        if (f.field() != null) {
          fields.put(f.field(), f.value() == null ? "" : f.value());
        }
      }
      rows.add(new ResultRow(fields));
    }
    var s = r.statistics();
    QueryStatistics stats = s == null ? QueryStatistics.NONE : new QueryStatistics(d(s.recordsMatched()),
        d(s.recordsScanned()), d(s.bytesScanned()), d(s.estimatedRecordsSkipped()), d(s.estimatedBytesSkipped()),
        d(s.logGroupsScanned()));
    return new QueryResult(queryId, status, rows, stats);
  }

  private static double d(Double v) {
    return v == null ? 0 : v;
  }

  static QueryStatus status(GetQueryResultsResponse r) {
    if (r.status() == null) {
      return QueryStatus.UNKNOWN;
    }
    return switch (r.status()) {
      case SCHEDULED -> QueryStatus.SCHEDULED;
      case RUNNING -> QueryStatus.RUNNING;
      case COMPLETE -> QueryStatus.COMPLETE;
      case FAILED -> QueryStatus.FAILED;
      case CANCELLED -> QueryStatus.CANCELLED;
      case TIMEOUT -> QueryStatus.TIMEOUT;
      default -> QueryStatus.UNKNOWN;
    };
  }

  /** Whether waiting and trying again can help. */
  static boolean retryable(Throwable t) {
    // a service error built without a status code (429, 5xx) is still one of these two
    return t instanceof LimitExceededException || t instanceof ServiceUnavailableException
        || RetryingCaller.isTransient(t);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** One query's way from StartQuery to a final status. */
  private final class Run {
    final CompletableFuture<QueryResult> result = new CompletableFuture<>();
    final QueryRequest request;
    final StartQueryRequest sdkRequest;
    final long deadline;
    volatile String queryId;

    Run(QueryRequest request) {
      this.request = request;
      this.sdkRequest = toSdk(request);
      this.deadline = System.nanoTime() + timeout.toNanos();
      result.whenComplete((r, e) -> {
        if (e instanceof CancellationException) {
          stop("cancelled");
        }
      });
    }

    void start(int attempt) {
      attempt(() -> calls.start(sdkRequest), attempt, "StartQuery", id -> {
        queryId = id;
        if (result.isCancelled()) {
          stop("cancelled");
        } else {
          schedule(() -> poll(firstPoll, 1), firstPoll);
        }
      }, next -> start(next));
    }

    void poll(Duration pause, int attempt) {
      if (result.isDone()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        stop("client timeout");
        result.completeExceptionally(new InsightsQueryException("query " + queryId + " still running after "
            + timeout + "; stopped it", queryId, null));
        return;
      }
      attempt(() -> calls.results(queryId), attempt, "GetQueryResults", r -> {
        QueryStatus status = status(r);
        if (status.isTerminal()) {
          result.complete(toResult(queryId, status, r));
        } else {
          Duration next = pause.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : pause.multipliedBy(2);
          schedule(() -> poll(next, 1), pause);
        }
      }, next -> poll(pause, next));
    }

    <T> void attempt(Supplier<CompletableFuture<T>> call, int attempt, String operation,
        java.util.function.Consumer<T> onSuccess, java.util.function.IntConsumer retry) {
      if (result.isDone()) {
        return;
      }
      CompletableFuture<T> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((value, error) -> {
        if (error == null) {
          try {
            onSuccess.accept(value);
          } catch (RuntimeException e) {
            result.completeExceptionally(new InsightsQueryException(operation + ": " + e, queryId, e));
          }
          return;
        }
        Throwable t = unwrap(error);
        if (retryable(t) && attempt < maxAttempts) {
          schedule(() -> retry.accept(attempt + 1), backoff(attempt));
        } else if (t instanceof MalformedQueryException m) {
          result.completeExceptionally(new InsightsQueryException(malformed(m), queryId, m));
        } else if (retryable(t)) {
          result.completeExceptionally(new InsightsQueryException(operation + ": gave up after " + attempt
              + " attempts: " + t.getMessage(), queryId, t));
        } else {
          result.completeExceptionally(new InsightsQueryException(operation + ": " + t.getMessage(), queryId, t));
        }
      });
    }

    void stop(String why) {
      String id = queryId;
      if (id == null) {
        return;
      }
      try {
        calls.stop(id).whenComplete((ok, e) -> {
          if (e != null) {
            LOG.log(System.Logger.Level.WARNING, "StopQuery " + id + " (" + why + ") failed: " + unwrap(e));
          }
        });
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "StopQuery " + id + " (" + why + ") failed: " + e);
      }
    }

    void schedule(Runnable r, Duration delay) {
      try {
        scheduler.schedule(r, delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        result.completeExceptionally(new InsightsQueryException("the runner is closed", queryId, e));
      }
    }

    String malformed(MalformedQueryException m) {
      var err = m.queryCompileError();
      if (err == null) {
        return "StartQuery: malformed query: " + m.getMessage();
      }
      String at = err.location() == null ? "" : " at characters " + err.location().startCharOffset() + ".."
          + err.location().endCharOffset();
      return "StartQuery: malformed query" + at + ": " + err.message();
    }
  }

  private Duration backoff(int attempt) {
    return Duration.ofNanos(RetryingCaller.delayNanos(retryBase.toNanos(), retryMax.toNanos(), attempt,
        ThreadLocalRandom.current()));
  }

  /** Builds an {@link InsightsRunner}; not thread-safe. */
  public static final class Builder {
    private final java.util.function.Function<ScheduledExecutorService, LogsCalls> calls;
    private ScheduledExecutorService scheduler;
    private Duration firstPoll = Duration.ofMillis(500);
    private Duration maxPoll = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofMinutes(15);
    private int maxAttempts = 5;
    private Duration retryBase = Duration.ofMillis(200);
    private Duration retryMax = Duration.ofSeconds(10);

    private Builder(java.util.function.Function<ScheduledExecutorService, LogsCalls> calls) {
      this.calls = calls;
    }

    /**
     * The pause before the first GetQueryResults, doubled after each until the maximum.
     *
     * @param first the first pause (default 500 ms)
     * @param max the longest pause (default 5 s)
     * @return this
     */
    public Builder pollInterval(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("pollInterval: need 0 < first <= max, got " + first + ", " + max);
      }
      this.firstPoll = first;
      this.maxPoll = max;
      return this;
    }

    /**
     * How long to wait for a final status before stopping the query (default 15 minutes; the service stops
     * queries after 60).
     *
     * @param timeout positive
     * @return this
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Attempts per call when the service throttles or is busy, and the backoff between them.
     *
     * @param attempts at least 1 (default 5)
     * @param base the first pause before jitter (default 200 ms)
     * @param max the longest pause (default 10 s)
     * @return this
     */
    public Builder retries(int attempts, Duration base, Duration max) {
      if (attempts < 1) {
        throw new IllegalArgumentException("retries: attempts must be at least 1, was " + attempts);
      }
      if (base.isNegative() || max.compareTo(base) < 0) {
        throw new IllegalArgumentException("retries: need 0 <= base <= max, got " + base + ", " + max);
      }
      this.maxAttempts = attempts;
      this.retryBase = base;
      this.retryMax = max;
      return this;
    }

    /**
     * The scheduler for polls and retries (and, with a sync client, the calls); the runner does not shut it down.
     * By default the runner makes its own with two daemon threads.
     *
     * @param scheduler the scheduler
     * @return this
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Builds the runner.
     *
     * @return the runner
     */
    public InsightsRunner build() {
      return new InsightsRunner(this);
    }
  }
}

package io.github.infermetrics.cloudwatch.aws.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Calls an AWS operation until it succeeds, fails with an error that retrying cannot fix, or runs out of attempts.
 * Between attempts it waits with exponential backoff and "equal jitter": attempt {@code n} (from 1) waits between half
 * and all of {@code min(maxDelay, baseDelay * 2^(n-1))}, so waits grow even with bad luck, and many publishers that
 * were throttled together do not come back together.
 *
 * <p>Transient errors: throttling (as the SDK classifies error codes such as {@code Throttling} and
 * {@code ThrottlingException}, or HTTP 429), any 5xx, and client-side failures (timeouts, refused or reset
 * connections). Everything else (a 4xx such as {@code InvalidParameterValue}) fails at once.
 *
 * <p>Thread-safe.
 */
public final class RetryingCaller {
  private final int maxAttempts;
  private final long baseDelayNanos;
  private final long maxDelayNanos;
  private final RandomGenerator random;
  private final AtomicLong retries = new AtomicLong();

  /**
   * A caller.
   *
   * @param maxAttempts attempts in total, at least 1
   * @param baseDelay the wait before the first retry (before jitter)
   * @param maxDelay the longest wait
   * @param random the source of jitter
   */
  public RetryingCaller(int maxAttempts, Duration baseDelay, Duration maxDelay, RandomGenerator random) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= baseDelay <= maxDelay: " + baseDelay + ", "
          + maxDelay);
    }
    this.maxAttempts = maxAttempts;
    this.baseDelayNanos = baseDelay.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Runs the operation.
   *
   * @param <T> the result type
   * @param operation starts one attempt; a sync client's call is wrapped in a completed or failed future
   * @return the result of the first successful attempt
   * @throws RuntimeException the error of the last attempt (unwrapped from {@link CompletionException}), or a
   *     {@link CancellationException} when the thread was interrupted (its interrupt flag is set again)
   */
  public <T> T call(Supplier<CompletableFuture<T>> operation) {
    for (int attempt = 1; ; attempt++) {
      CompletableFuture<T> future;
      try {
        future = operation.get();
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
      RuntimeException failure;
      try {
        return future.get();
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while calling AWS");
      } catch (ExecutionException e) {
        failure = unwrap(e.getCause());
      }
      if (attempt >= maxAttempts || !isTransient(failure)) {
        throw failure;
      }
      retries.incrementAndGet();
      try {
        TimeUnit.NANOSECONDS.sleep(delayNanos(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting to retry: " + failure);
      }
    }
  }

  /**
   * How many retries this caller has made (attempts after the first).
   *
   * @return the count
   */
  public long retries() {
    return retries.get();
  }

  /**
   * The wait after a failed attempt.
   *
   * @param attempt the attempt that failed, from 1
   * @return nanoseconds, between half and all of the capped exponential delay
   */
  public long delayNanos(int attempt) {
    return delayNanos(baseDelayNanos, maxDelayNanos, attempt, random);
  }

  /**
   * Equal jitter over a capped exponential delay, for callers that keep their own retry loop.
   *
   * @param baseDelayNanos the cap after the first failed attempt
   * @param maxDelayNanos the largest cap
   * @param attempt the attempt that failed, from 1
   * @param random the source of jitter
   * @return nanoseconds, between half and all of min(max, base * 2^(attempt-1)); never overflows
   */
  public static long delayNanos(long baseDelayNanos, long maxDelayNanos, int attempt, RandomGenerator random) {
    long cap = baseDelayNanos;
    for (int i = 1; i < attempt && cap < maxDelayNanos; i++) {
      cap = cap > maxDelayNanos / 2 ? maxDelayNanos : cap * 2;
    }
    cap = Math.min(cap, maxDelayNanos);
    long half = cap / 2;
    return half + random.nextLong(cap - half + 1);
  }

  /**
   * Whether retrying might help.
   *
   * @param error an error from an SDK call
   * @return true for throttling, 5xx and client-side (connection, timeout) errors; false for no credentials or no
   *     region found, which the next attempt would not find either
   */
  public static boolean isTransient(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof SdkServiceException service) {
      return service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500;
    }
    return e instanceof SdkClientException && !isMissingConfiguration(e);
  }

  /**
   * Whether an SDK client error says that the provider chain found no credentials or no region. The SDK has no
   * type for these, only the chains' wording, which has been the same throughout SDK v2.
   *
   * @param error an error from an SDK call
   * @return true when no credentials or no region were found
   */
  public static boolean isMissingConfiguration(Throwable error) {
    String m = unwrap(error).getMessage();
    return m != null && (m.startsWith("Unable to load credentials") || m.startsWith("Unable to load region"));
  }

  private static RuntimeException unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof RuntimeException r ? r : new CompletionException(e);
  }
}

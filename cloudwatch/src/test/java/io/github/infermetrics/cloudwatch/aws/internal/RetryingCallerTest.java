package io.github.infermetrics.cloudwatch.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

class RetryingCallerTest {
  @Test
  void waitsBetweenHalfAndAllOfTheCappedExponentialDelay() {
    RetryingCaller caller = new RetryingCaller(10, Duration.ofMillis(100), Duration.ofMillis(1000), new Random(1));
    // caps: 100, 200, 400, 800, 1000, 1000 ms
    long[] capsMillis = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 1; attempt <= capsMillis.length; attempt++) {
      long capNanos = Duration.ofMillis(capsMillis[attempt - 1]).toNanos();
      for (int i = 0; i < 200; i++) {
        assertThat(caller.delayNanos(attempt)).isBetween(capNanos / 2, capNanos);
      }
    }
  }

  @Test
  void jitterSpreadsTheWaits() {
    RetryingCaller caller = new RetryingCaller(10, Duration.ofMillis(100), Duration.ofMillis(1000), new Random(1));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long d = caller.delayNanos(1);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    // 1,000 draws over [50, 100] ms cover most of it
    assertThat(max - min).isGreaterThan(Duration.ofMillis(45).toNanos());
  }

  @Test
  void classifiesErrors() {
    assertThat(RetryingCaller.isTransient(SdkServiceException.builder().statusCode(500).build())).isTrue();
    assertThat(RetryingCaller.isTransient(SdkServiceException.builder().statusCode(503).build())).isTrue();
    assertThat(RetryingCaller.isTransient(SdkServiceException.builder().statusCode(429).build())).isTrue();
    assertThat(RetryingCaller.isTransient(SdkServiceException.builder().statusCode(400).build())).isFalse();
    assertThat(RetryingCaller.isTransient(SdkClientException.create("connection reset"))).isTrue();
    assertThat(RetryingCaller.isTransient(new CompletionException(SdkClientException.create("timeout")))).isTrue();
    assertThat(RetryingCaller.isTransient(new IllegalStateException())).isFalse();
  }

  @Test
  void noCredentialsIsNotRetried() {
    // the SDK's own chain, failing as it does on a machine with no credentials
    Throwable none = catchThrowable(() -> AwsCredentialsProviderChain.builder()
        .credentialsProviders(SystemPropertyCredentialsProvider.create()).build().resolveCredentials());
    assertThat(none).isInstanceOf(SdkClientException.class);
    assertThat(RetryingCaller.isMissingConfiguration(none)).isTrue();
    assertThat(RetryingCaller.isTransient(none)).isFalse();
    assertThat(RetryingCaller.isTransient(new CompletionException(none))).isFalse();
    assertThat(RetryingCaller.isMissingConfiguration(SdkClientException.create("connection reset"))).isFalse();
  }

  @Test
  void stopsAtMaxAttemptsAndThrowsTheLastError() {
    RetryingCaller caller = new RetryingCaller(3, Duration.ZERO, Duration.ZERO, new Random(1));
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> caller.call(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.failedFuture(SdkServiceException.builder().statusCode(503).message("busy").build());
    })).isInstanceOf(SdkServiceException.class).hasMessageContaining("busy");
    assertThat(attempts).hasValue(3);
    assertThat(caller.retries()).isEqualTo(2);
  }

  @Test
  void aSyncCallThatThrowsIsRetriedLikeAFailedFuture() {
    RetryingCaller caller = new RetryingCaller(3, Duration.ZERO, Duration.ZERO, new Random(1));
    AtomicInteger attempts = new AtomicInteger();
    String result = caller.call(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw SdkClientException.create("refused");
      }
      return CompletableFuture.completedFuture("ok");
    });
    assertThat(result).isEqualTo("ok");
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new RetryingCaller(0, Duration.ZERO, Duration.ZERO, new Random()))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryingCaller(1, Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .hasMessageContaining("backoff");
  }
}

package io.github.infermetrics.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.remotewrite.LocalReceiver.Received;
import io.github.infermetrics.remotewrite.LocalReceiver.Reply;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteWriteSinkTest {
  private static final Instant T = Instant.ofEpochMilli(1_760_000_000_000L);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private LocalReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new LocalReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
  }

  /** A set with {@code n} request-rate values, one per model m0..m(n-1), value i. */
  private static KpiSet set(int n, Instant at) {
    List<KpiValue> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "m" + i), i));
    }
    return new KpiSet("vllm", "node-1", at, Duration.ofSeconds(15), values);
  }

  private RemoteWriteSink.Builder sink() {
    return RemoteWriteSink.builder(receiver.uri()).batchDelay(Duration.ofMillis(20))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40));
  }

  @Test
  void sendsKpisAsSnappyProtobufWithTheRemoteWriteHeaders() throws Exception {
    try (RemoteWriteSink sink = sink().externalLabel("cluster", "prod").header("X-Scope-OrgID", "team-a").build()) {
      KpiSet set = new KpiSet("vllm", "node-1", T, Duration.ofSeconds(15), List.of(
          new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "qwen"), 0.125),
          new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.of("model", "qwen"), 0.5)));

      assertThat(sink.write(set)).isEqualTo(2);
      assertThat(sink.flush(WAIT)).isTrue();

      assertThat(receiver.received()).hasSize(1);
      Received r = receiver.received().get(0);
      assertThat(r.headers().getFirst("Content-Encoding")).isEqualTo("snappy");
      assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
      assertThat(r.headers().getFirst("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
      assertThat(r.headers().getFirst("User-Agent")).startsWith("infermetrics-remotewrite/");
      assertThat(r.headers().getFirst("X-Scope-OrgID")).isEqualTo("team-a");
      assertThat(r.series()).extracting(WriteRequests.Series::labels).containsExactly(
          Map.of("__name__", "time_to_first_token_seconds_p95", "model", "qwen", "source", "vllm",
              "target", "node-1", "cluster", "prod"),
          Map.of("__name__", "kv_cache_usage_ratio", "model", "qwen", "source", "vllm", "target", "node-1",
              "cluster", "prod"));
      assertThat(r.series().get(0).samples()).containsExactly(new WriteRequests.Sample(0.125, T.toEpochMilli()));
      assertThat(sink.stats()).isEqualTo(new RemoteWriteStats(2, 2, 0, 0, 1, 0, ""));
    }
  }

  @Test
  void cutsRequestsAtTheSampleLimit() throws Exception {
    try (RemoteWriteSink sink = sink().maxSamplesPerRequest(2).build()) {
      sink.write(set(5, T));
      sink.flush(WAIT);

      assertThat(receiver.received()).extracting(Received::samples).containsExactly(2, 2, 1);
    }
  }

  @Test
  void aFullBatchGoesWithoutWaitingForTheBatchDelayAndTheRestWhenItIsDueOrClosed() throws Exception {
    // the sender parks until a batch is due: a write that fills one must wake it, and a part batch wait
    RemoteWriteSink sink = sink().batchDelay(Duration.ofMinutes(10)).maxSamplesPerRequest(4).build();
    sink.write(set(3, T));
    sink.write(set(6, T.plusSeconds(15)));
    long end = System.nanoTime() + WAIT.toNanos();
    while (receiver.received().size() < 2 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(receiver.received()).extracting(Received::samples).containsExactly(4, 4);

    sink.close();
    assertThat(receiver.received()).extracting(Received::samples).containsExactly(4, 4, 1);
    assertThat(sink.stats().samplesSent()).isEqualTo(9);
  }

  @Test
  void cutsRequestsAtTheByteLimit() throws Exception {
    // one request_rate_per_second sample with model, source and target labels is about 90 bytes encoded
    try (RemoteWriteSink sink = sink().maxBytesPerRequest(200).build()) {
      sink.write(set(7, T));
      sink.flush(WAIT);

      List<Received> all = receiver.received();
      assertThat(all).hasSizeGreaterThan(2);
      assertThat(all.stream().mapToInt(Received::samples).sum()).isEqualTo(7);
      for (Received r : all) {
        assertThat(org.xerial.snappy.Snappy.uncompress(r.body()).length).isLessThanOrEqualTo(200);
      }
    }
  }

  @Test
  void retries5xxAnd429HonouringRetryAfterThenDelivers() throws Exception {
    receiver.then(Reply.status(500), new Reply(429, Map.of("Retry-After", "1"), 0), Reply.status(503));
    try (RemoteWriteSink sink = sink().build()) {
      sink.write(set(3, T));
      assertThat(sink.flush(WAIT)).isTrue();

      List<Received> all = receiver.received();
      assertThat(all).extracting(Received::answeredWith).containsExactly(500, 429, 503, 204);
      // the wait after the 429 is its Retry-After (1 s), not the 20 ms backoff
      assertThat(Duration.ofNanos(all.get(2).atNanos() - all.get(1).atNanos())).isGreaterThan(
          Duration.ofMillis(950));
      assertThat(all).allSatisfy(r -> assertThat(r.body()).isEqualTo(all.get(0).body()));
      RemoteWriteStats stats = sink.stats();
      assertThat(stats.samplesSent()).isEqualTo(3);
      assertThat(stats.retries()).isEqualTo(3);
      assertThat(stats.samplesFailed()).isZero();
    }
  }

  @Test
  void doesNotRetryA4xx() throws Exception {
    receiver.then(Reply.status(400));
    try (RemoteWriteSink sink = sink().build()) {
      sink.write(set(3, T));
      sink.flush(WAIT);

      assertThat(receiver.received()).hasSize(1);
      RemoteWriteStats stats = sink.stats();
      assertThat(stats.samplesFailed()).isEqualTo(3);
      assertThat(stats.retries()).isZero();
      assertThat(stats.lastError()).isEqualTo("HTTP 400: status 400");
      assertThat(stats.samplesPending()).isZero();
    }
  }

  @Test
  void givesUpAfterMaxAttempts() throws Exception {
    receiver.then(Reply.status(502), Reply.status(502), Reply.status(502));
    try (RemoteWriteSink sink = sink().maxAttempts(3).build()) {
      sink.write(set(2, T));
      sink.flush(WAIT);

      assertThat(receiver.received()).hasSize(3);
      assertThat(sink.stats().samplesFailed()).isEqualTo(2);
      assertThat(sink.stats().lastError()).isEqualTo("HTTP 502: status 502 (after 3 attempts)");
    }
  }

  @Test
  void retriesASlowResponseThatTimesOut() throws Exception {
    receiver.then(new Reply(204, Map.of(), 2_000));
    try (RemoteWriteSink sink = sink().requestTimeout(Duration.ofMillis(300)).build()) {
      sink.write(set(1, T));
      assertThat(sink.flush(WAIT)).isTrue();

      assertThat(sink.stats().retries()).isEqualTo(1);
      assertThat(sink.stats().samplesSent()).isEqualTo(1);
      assertThat(sink.stats().lastError()).contains("HttpTimeoutException");
    }
  }

  @Test
  void dropsAndCountsWhatAFullQueueCannotTake() throws Exception {
    receiver.then(new Reply(204, Map.of(), 1_000)); // the first request holds the sender for a second
    try (RemoteWriteSink sink = sink().queueCapacity(4).build()) {
      sink.write(set(1, T));
      long end = System.nanoTime() + WAIT.toNanos();
      while (receiver.received().isEmpty() && System.nanoTime() < end) {
        Thread.sleep(5);
      }

      assertThat(sink.write(set(10, T.plusSeconds(15)))).isEqualTo(4); // 4 fit, 6 are dropped
      assertThat(sink.flush(WAIT)).isTrue();

      assertThat(sink.stats()).isEqualTo(new RemoteWriteStats(5, 5, 6, 0, 2, 0, ""));
    }
  }

  @Test
  void keepsEachSeriesInTimeOrderAcrossBatchesAndRetries() throws Exception {
    receiver.then(Reply.status(500), Reply.status(204), Reply.status(503), Reply.status(204), Reply.status(500));
    try (RemoteWriteSink sink = sink().maxSamplesPerRequest(3).build()) {
      for (int i = 0; i < 10; i++) {
        sink.write(set(2, T.plusSeconds(15L * i)));
      }
      sink.flush(WAIT);

      List<Long> m0 = new ArrayList<>();
      for (Received r : receiver.accepted()) {
        r.series().stream().filter(s -> s.labels().get("model").equals("m0"))
            .forEach(s -> s.samples().forEach(x -> m0.add(x.timestampMillis())));
      }
      assertThat(m0).hasSize(10).isSorted().doesNotHaveDuplicates();
      assertThat(sink.stats().samplesSent()).isEqualTo(20);
    }
  }

  @Test
  void closeSendsWhatIsQueued() throws Exception {
    RemoteWriteSink sink = sink().batchDelay(Duration.ofSeconds(30)).build();
    sink.write(set(3, T));

    sink.close();

    assertThat(receiver.received()).extracting(Received::samples).containsExactly(3);
    assertThat(sink.stats().samplesSent()).isEqualTo(3);
    assertThat(sink.write(set(1, T))).isZero();
    assertThat(sink.stats().samplesDropped()).isEqualTo(1);
  }

  @Test
  void closeGivesUpOnAnUnreachableReceiverAfterItsTimeout() throws Exception {
    for (int i = 0; i < 100; i++) {
      receiver.then(Reply.status(503));
    }
    RemoteWriteSink sink = sink().closeTimeout(Duration.ofMillis(300)).build();
    sink.write(set(4, T));

    long start = System.nanoTime();
    sink.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    RemoteWriteStats stats = sink.stats();
    assertThat(stats.samplesFailed()).isEqualTo(4);
    assertThat(stats.samplesPending()).isZero();
    assertThat(stats.lastError()).isEqualTo("closed with 4 samples unsent");
  }

  @Test
  void bearerAndBasicAuthorization() throws Exception {
    try (RemoteWriteSink bearer = sink().signer(RequestSigner.bearer("s3cr3t")).build();
        RemoteWriteSink basic = sink().signer(RequestSigner.basic("user", "pa:ss")).build()) {
      bearer.write(set(1, T));
      bearer.flush(WAIT);
      basic.write(set(1, T));
      basic.flush(WAIT);
    }

    // base64("user:pa:ss") = dXNlcjpwYTpzcw==
    assertThat(receiver.received()).extracting(r -> r.headers().getFirst("Authorization"))
        .containsExactly("Bearer s3cr3t", "Basic dXNlcjpwYTpzcw==");
  }

  @Test
  void aSignerSeesTheFinalHeadersAndBodyOnEveryAttempt() throws Exception {
    receiver.then(Reply.status(500));
    List<Integer> bodySizes = new ArrayList<>();
    RequestSigner signer = (uri, headers, body) -> {
      assertThat(headers).containsEntry("Content-Encoding", "snappy");
      bodySizes.add(body.length);
      return Map.of("Authorization", "Test " + bodySizes.size(), "Host", "ignored.example");
    };
    try (RemoteWriteSink sink = sink().signer(signer).build()) {
      sink.write(set(1, T));
      sink.flush(WAIT);
    }

    assertThat(receiver.received()).extracting(r -> r.headers().getFirst("Authorization"))
        .containsExactly("Test 1", "Test 2");
    assertThat(receiver.received()).allSatisfy(r -> assertThat(r.headers().getFirst("Host"))
        .startsWith("127.0.0.1:"));
    assertThat(bodySizes).hasSize(2).containsOnly(receiver.received().get(0).body().length);
  }

  @Test
  void builderRejectsBadConfigurationNamingTheField() {
    assertThatThrownBy(() -> RemoteWriteSink.builder(URI.create("/api/v1/write")))
        .hasMessageStartingWith("uri: must be an absolute http or https URL");
    assertThatThrownBy(() -> RemoteWriteSink.builder(URI.create("ftp://h/x")))
        .hasMessageStartingWith("uri:");
    RemoteWriteSink.Builder b = RemoteWriteSink.builder(receiver.uri());
    assertThatThrownBy(() -> b.header("Content-Encoding", "gzip")).hasMessage("header: Content-Encoding is set by"
        + " the sink");
    assertThatThrownBy(() -> b.header("X-A", "a\nb")).hasMessageStartingWith("header: the value of X-A");
    assertThatThrownBy(() -> b.externalLabel("__name__", "x")).hasMessage("externalLabel: invalid label name:"
        + " __name__");
    assertThatThrownBy(() -> b.externalLabel("cluster", "")).hasMessage("externalLabel: empty value for cluster");
    assertThatThrownBy(() -> b.metricPrefix("9x")).hasMessageStartingWith("metricPrefix:");
    assertThatThrownBy(() -> b.maxSamplesPerRequest(0)).hasMessageStartingWith("maxSamplesPerRequest:");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageStartingWith("backoff:");
    assertThatThrownBy(() -> RequestSigner.bearer(" ")).hasMessageStartingWith("token:");
    assertThatThrownBy(() -> RequestSigner.basic("a:b", "c")).hasMessageStartingWith("user:");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
    assertThat(RequestSender.retryAfterNanos("2")).isEqualTo(2_000_000_000L);
    assertThat(RequestSender.retryAfterNanos(null)).isZero();
    assertThat(RequestSender.retryAfterNanos("soon")).isZero();
    assertThat(RequestSender.retryAfterNanos("86400")).isEqualTo(RequestSender.MAX_RETRY_AFTER.toNanos());
    assertThat(RequestSender.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT")).isZero(); // in the past
  }
}

package io.github.infermetrics.cloudwatch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infermetrics.cloudwatch.aws.FakeAwsEndpoint.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

/** The sink through the real SDK against a fake CloudWatch Logs that speaks AWS JSON 1.1 on loopback. */
class PutLogEventsSinkTest {
  /** 2026-11-23T10:00:00Z; the sink's clock is fixed to it. */
  static final long NOW = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();

  private final FakeAwsEndpoint logs = FakeAwsEndpoint.cloudWatchLogs();
  private final CloudWatchLogsClient client = logs.logsClient();

  @AfterEach
  void stop() {
    client.close();
    logs.close();
  }

  PutLogEventsSink.Builder fast(CloudWatchLogsClient c) {
    return PutLogEventsSink.builder(c, "/inference/emf", "pod-1")
        .flushInterval(Duration.ofHours(1))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .requestTimeout(Duration.ofSeconds(5))
        .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
        .random(new Random(7));
  }

  static void accept(PutLogEventsSink sink, String event, long timestamp) {
    byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
    // inside a larger buffer, to check that offset and length are honoured
    byte[] buffer = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, buffer, 5, bytes.length);
    sink.accept(buffer, 5, bytes.length, timestamp);
  }

  static List<String> emfEvents() throws IOException {
    try (InputStream in = PutLogEventsSinkTest.class.getResourceAsStream("/aws/emf-events.ndjson")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  static long eventsOnTheWire(List<Exchange> exchanges) {
    return exchanges.stream().filter(e -> e.json().has("logEvents"))
        .mapToLong(e -> e.json().get("logEvents").size()).sum();
  }

  @Test
  void sendsEmfEventsAsJson11PutLogEventsInChronologicalOrder() throws IOException {
    List<String> events = emfEvents();
    // timestamps from each event's _aws.Timestamp: 10:00:00, 09:59:59, 10:00:01
    long[] timestamps = {NOW, NOW - 1000, NOW + 1000};
    try (PutLogEventsSink sink = fast(client).build()) {
      for (int i = 0; i < events.size(); i++) {
        accept(sink, events.get(i), timestamps[i]);
      }
      sink.flush();
      assertThat(sink.sent()).isEqualTo(3);
      assertThat(sink.dropped()).isZero();
    }
    assertThat(logs.exchanges()).hasSize(1);
    Exchange e = logs.exchanges().get(0);
    assertThat(e.method()).isEqualTo("POST");
    assertThat(e.path()).isEqualTo("/");
    assertThat(e.header("X-Amz-Target")).isEqualTo("Logs_20140328.PutLogEvents");
    assertThat(e.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(e.header("x-amzn-logs-format")).isEqualTo("json/emf");
    JsonNode body = e.json();
    assertThat(body.get("logGroupName").asText()).isEqualTo("/inference/emf");
    assertThat(body.get("logStreamName").asText()).isEqualTo("pod-1");
    JsonNode sent = body.get("logEvents");
    assertThat(sent).extracting(n -> n.get("timestamp").asLong()).containsExactly(NOW - 1000, NOW, NOW + 1000);
    assertThat(sent.get(0).get("message").asText()).isEqualTo(events.get(1));
    assertThat(sent.get(1).get("message").asText()).isEqualTo(events.get(0));
    // non-ASCII survives the trip
    assertThat(sent.get(2).get("message").asText()).isEqualTo(events.get(2)).contains("ünïcode");
  }

  @Test
  void worksWithTheAsyncClient() throws IOException {
    try (CloudWatchLogsAsyncClient async = logs.logsAsyncClient();
        PutLogEventsSink sink = PutLogEventsSink.builder(async, "g", "s").emfHeader(false)
            .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).build()) {
      accept(sink, emfEvents().get(0), NOW);
      sink.flush();
      assertThat(sink.sent()).isEqualTo(1);
    }
    assertThat(logs.exchanges().get(0).header("x-amzn-logs-format")).isNull();
  }

  @Test
  void cutsBatchesAt10000Events() {
    // room for all 25,000: with the default 20,000 a slow first request let the burst fill the buffer and the sink
    // dropped (and counted) one event, which is the buffer's job, not what this test is about
    try (PutLogEventsSink sink = fast(client).bufferCapacity(30_000).build()) {
      for (int i = 0; i < 25_000; i++) {
        accept(sink, "{\"i\":" + i + "}", NOW);
      }
      sink.flush();
      assertThat(sink.sent()).isEqualTo(25_000);
    }
    // the sender drains whatever is buffered when 10,000 are reached, so cuts depend on timing; the exact cut is in
    // LogEventBatcherTest
    assertThat(logs.exchanges()).allSatisfy(e -> assertThat(e.json().get("logEvents").size()).isLessThanOrEqualTo(
        10_000));
    assertThat(logs.exchanges().size()).isGreaterThanOrEqualTo(3);
    assertThat(eventsOnTheWire(logs.exchanges())).isEqualTo(25_000);
  }

  @Test
  void cutsBatchesAtOneMebibyteCountingTwentySixBytesPerEvent() {
    // events of 100,000 bytes count 100,026: ten make 1,000,260 <= 1,048,576, eleven 1,100,286 > 1,048,576
    String big = "{\"p\":\"" + "x".repeat(100_000 - 9) + "\"}";
    assertThat(big.length()).isEqualTo(100_000 - 1);
    String event = big + " ";
    try (PutLogEventsSink sink = fast(client).build()) {
      for (int i = 0; i < 25; i++) {
        accept(sink, event, NOW + i);
      }
      sink.flush();
      assertThat(sink.sent()).isEqualTo(25);
    }
    assertThat(logs.exchanges()).extracting(e -> e.json().get("logEvents").size()).containsExactly(10, 10, 5);
  }

  @Test
  void cutsBatchesThatWouldSpan24Hours() {
    long day = Duration.ofDays(1).toMillis();
    try (PutLogEventsSink sink = fast(client).build()) {
      accept(sink, "{\"a\":1}", NOW - day);
      accept(sink, "{\"a\":2}", NOW); // exactly 24 h after the first: starts a new batch
      accept(sink, "{\"a\":3}", NOW - day + 1); // sorted in after the first, 1 ms later: same batch
      sink.flush();
    }
    assertThat(logs.exchanges()).extracting(e -> e.json().get("logEvents").size()).containsExactly(2, 1);
  }

  @Test
  void retriesThrottling5xxAndTimeouts() {
    logs.enqueue(FakeAwsEndpoint.jsonError(400, "ThrottlingException"),
        FakeAwsEndpoint.jsonError(500, "ServiceUnavailableException"),
        FakeAwsEndpoint.ok("{}").after(Duration.ofSeconds(1)));
    try (PutLogEventsSink sink = fast(client).requestTimeout(Duration.ofMillis(300)).build()) {
      accept(sink, "{\"a\":1}", NOW);
      sink.flush();
      assertThat(sink.sent()).isEqualTo(1);
      assertThat(sink.retries()).isEqualTo(3);
      assertThat(sink.dropped()).isZero();
    }
    assertThat(logs.exchanges()).hasSize(4);
  }

  @Test
  void givesUpAfterMaxAttemptsAndCountsTheEvents() {
    FakeAwsEndpoint.Reply throttled = FakeAwsEndpoint.jsonError(400, "ThrottlingException");
    logs.enqueue(throttled, throttled);
    try (PutLogEventsSink sink = fast(client).maxAttempts(2).build()) {
      accept(sink, "{\"a\":1}", NOW);
      accept(sink, "{\"a\":2}", NOW);
      sink.flush();
      assertThat(sink.sent()).isZero();
      assertThat(sink.dropped()).isEqualTo(2);
      assertThat(sink.lastFailure()).get().asString().contains("ThrottlingException");
    }
    assertThat(logs.exchanges()).hasSize(2);
  }

  @Test
  void countsEventsThatCloudWatchLogsRejects() {
    // of 5 events, [0, 2) are too old and [4, 5) too new: 3 rejected, 2 stored
    logs.enqueue(FakeAwsEndpoint.ok(
        "{\"rejectedLogEventsInfo\":{\"tooOldLogEventEndIndex\":2,\"tooNewLogEventStartIndex\":4}}"));
    try (PutLogEventsSink sink = fast(client).build()) {
      for (int i = 0; i < 5; i++) {
        accept(sink, "{\"i\":" + i + "}", NOW + i);
      }
      sink.flush();
      assertThat(sink.dropped()).isEqualTo(3);
      assertThat(sink.sent()).isEqualTo(2);
    }
  }

  @Test
  void rejectedCountsTheUnionOfThePrefixAndTheSuffix() {
    assertThat(PutLogEventsSink.rejected(null, 5)).isZero();
    assertThat(PutLogEventsSink.rejected(RejectedLogEventsInfo.builder().expiredLogEventEndIndex(3)
        .tooOldLogEventEndIndex(1).build(), 5)).isEqualTo(3);
    // overlapping: prefix [0, 4), suffix [2, 5) -> all 5
    assertThat(PutLogEventsSink.rejected(RejectedLogEventsInfo.builder().tooOldLogEventEndIndex(4)
        .tooNewLogEventStartIndex(2).build(), 5)).isEqualTo(5);
    assertThat(PutLogEventsSink.rejected(RejectedLogEventsInfo.builder().tooNewLogEventStartIndex(0).build(), 5))
        .isEqualTo(5);
  }

  @Test
  void createsAMissingLogGroupAndStreamOnceAndSendsAgain() {
    logs.enqueue(FakeAwsEndpoint.jsonError(400, "ResourceNotFoundException"),
        FakeAwsEndpoint.jsonError(400, "ResourceAlreadyExistsException"));
    try (PutLogEventsSink sink = fast(client).createLogStream(true).build()) {
      accept(sink, "{\"a\":1}", NOW);
      sink.flush();
      assertThat(sink.sent()).isEqualTo(1);
      assertThat(sink.dropped()).isZero();
    }
    assertThat(logs.exchanges()).extracting(e -> e.header("X-Amz-Target")).containsExactly(
        "Logs_20140328.PutLogEvents", "Logs_20140328.CreateLogGroup", "Logs_20140328.CreateLogStream",
        "Logs_20140328.PutLogEvents");
    assertThat(logs.exchanges().get(2).json().get("logStreamName").asText()).isEqualTo("pod-1");
  }

  @Test
  void aMissingStreamIsAFailureWhenCreationIsOff() {
    logs.enqueue(FakeAwsEndpoint.jsonError(400, "ResourceNotFoundException"));
    try (PutLogEventsSink sink = fast(client).build()) {
      accept(sink, "{\"a\":1}", NOW);
      sink.flush();
      assertThat(sink.dropped()).isEqualTo(1);
    }
    assertThat(logs.exchanges()).hasSize(1);
  }

  @Test
  void dropsAndCountsEventsItCannotSend() {
    try (PutLogEventsSink sink = fast(client).maxEventBytes(1000).build()) {
      accept(sink, "x".repeat(975), NOW); // 975 + 26 = 1001 > 1000
      accept(sink, "x".repeat(974), NOW); // 1000: fits
      byte[] invalidUtf8 = {'{', (byte) 0xC3, '}'};
      sink.accept(invalidUtf8, 0, invalidUtf8.length, NOW);
      accept(sink, "{}", NOW - Duration.ofDays(15).toMillis());
      accept(sink, "{}", NOW + Duration.ofHours(3).toMillis());
      sink.flush();
      assertThat(sink.dropped()).isEqualTo(4);
      assertThat(sink.sent()).isEqualTo(1);
    }
  }

  @Test
  void aFullBufferDropsAndCountsAndEverythingElseArrives() {
    logs.enqueue(FakeAwsEndpoint.ok("{}").after(Duration.ofMillis(300)));
    int accepted = 5000;
    long dropped;
    long sent;
    try (PutLogEventsSink sink = fast(client).bufferCapacity(200).maxEventsPerBatch(100).build()) {
      for (int i = 0; i < accepted; i++) {
        accept(sink, "{\"i\":" + i + "}", NOW);
      }
      sink.flush();
      dropped = sink.dropped();
      sent = sink.sent();
    }
    assertThat(dropped).isPositive();
    assertThat(sent + dropped).isEqualTo(accepted);
    assertThat(eventsOnTheWire(logs.exchanges())).isEqualTo(sent);
  }

  @Test
  void aByteBoundedBufferDropsAndCounts() {
    try (PutLogEventsSink sink = fast(client).maxBufferedBytes(2048).maxEventsPerBatch(10_000).build()) {
      for (int i = 0; i < 5; i++) {
        accept(sink, "y".repeat(500), NOW); // the fifth would make 2,500 bytes
      }
      assertThat(sink.dropped()).isEqualTo(1);
      sink.flush();
      assertThat(sink.sent()).isEqualTo(4);
    }
  }

  @Test
  void closeSendsWhatIsBufferedAndLaterEventsAreCounted() {
    PutLogEventsSink sink = fast(client).build();
    accept(sink, "{\"a\":1}", NOW);
    sink.close();
    assertThat(sink.sent()).isEqualTo(1);
    accept(sink, "{\"a\":2}", NOW);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(eventsOnTheWire(logs.exchanges())).isEqualTo(1);
  }

  @Test
  void manyThreadsAtOnceLoseAndMixNothing() throws InterruptedException {
    int threads = 8;
    int perThread = 2000;
    try (PutLogEventsSink sink = fast(client).maxEventsPerBatch(500).build()) {
      List<Thread> writers = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread writer = new Thread(() -> {
          byte[] buffer = new byte[64];
          for (int i = 0; i < perThread; i++) {
            // one reused buffer per thread: the sink must copy before it returns
            byte[] event = ("{\"t\":" + id + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(event, 0, buffer, 0, event.length);
            sink.accept(buffer, 0, event.length, NOW + i);
          }
        });
        writer.start();
        writers.add(writer);
      }
      for (Thread w : writers) {
        w.join();
      }
      sink.flush();
      assertThat(sink.dropped()).isZero();
      assertThat(sink.sent()).isEqualTo(threads * perThread);
    }
    java.util.Set<String> messages = new java.util.HashSet<>();
    for (Exchange e : logs.exchanges()) {
      e.json().get("logEvents").forEach(n -> messages.add(n.get("message").asText()));
    }
    assertThat(messages).hasSize(threads * perThread).contains("{\"t\":7,\"i\":1999}");
  }

  @Test
  void builderRejectsBadSettingsNamingTheField() {
    assertThatThrownBy(() -> PutLogEventsSink.builder(client, "", "s")).hasMessageContaining("logGroupName");
    assertThatThrownBy(() -> PutLogEventsSink.builder(client, "g", "a:b")).hasMessageContaining("logStreamName");
    PutLogEventsSink.Builder b = PutLogEventsSink.builder(client, "g", "s");
    assertThatThrownBy(() -> b.maxEventsPerBatch(10_001)).hasMessageContaining("maxEventsPerBatch");
    assertThatThrownBy(() -> b.maxBatchBytes(1_048_577)).hasMessageContaining("maxBatchBytes");
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.maxEventBytes(2048).maxBatchBytes(1024).build()).hasMessageContaining("maxEventBytes");
  }
}

package io.github.infermetrics.cloudwatch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infermetrics.cloudwatch.aws.FakeAwsEndpoint.Exchange;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** The publisher through the real SDK against a fake CloudWatch that speaks RPCv2 CBOR on loopback. */
class PutMetricDataPublisherTest {
  /** All timestamps are near this instant; the publisher's clock is fixed to it. */
  static final Instant NOW = Instant.parse("2026-11-23T10:00:30Z");

  private final FakeAwsEndpoint cloudWatch = FakeAwsEndpoint.cloudWatch();
  private final CloudWatchClient client = cloudWatch.cloudWatchClient();

  @AfterEach
  void stop() {
    client.close();
    cloudWatch.close();
  }

  /** Fast settings: short backoff, a long interval so that only flush() and full requests send. */
  PutMetricDataPublisher.Builder fast(CloudWatchClient c) {
    return PutMetricDataPublisher.builder(c, "Inference/Test")
        .flushInterval(Duration.ofHours(1))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .requestTimeout(Duration.ofSeconds(5))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .random(new Random(7));
  }

  static CloudWatchDatum datum(String name, double value, Instant at) {
    return CloudWatchDatum.builder(name).unit("Count").dimension("model", "qwen3").value(value).timestamp(at).build();
  }

  /** Every datum in every recorded request, with Values/Counts expanded to their total count. */
  static long datumsOnTheWire(List<Exchange> exchanges) {
    long n = 0;
    for (Exchange e : exchanges) {
      for (JsonNode d : e.json().get("MetricData")) {
        if (d.has("Counts")) {
          for (JsonNode c : d.get("Counts")) {
            n += c.asLong();
          }
        } else {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void sendsKpisAsRpcV2CborPutMetricData() {
    KpiSet kpis = new KpiSet("vllm", "pod-1:8000", NOW, Duration.ofSeconds(60), List.of(
        new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "qwen3", "engine", "0"), 0.25),
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "qwen3"), 12.5)));
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      assertThat(publisher.publish(kpis)).isEqualTo(2);
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(2);
      assertThat(publisher.dropped()).isZero();
    }

    assertThat(cloudWatch.exchanges()).hasSize(1);
    Exchange e = cloudWatch.exchanges().get(0);
    assertThat(e.method()).isEqualTo("POST");
    assertThat(e.path()).isEqualTo("/service/GraniteServiceVersion20100801/operation/PutMetricData");
    assertThat(e.header("smithy-protocol")).isEqualTo("rpc-v2-cbor");
    assertThat(e.header("Content-Type")).isEqualTo("application/cbor");
    assertThat(e.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE/");
    JsonNode body = e.json();
    assertThat(body.get("Namespace").asText()).isEqualTo("Inference/Test");
    JsonNode ttft = body.get("MetricData").get(0);
    assertThat(ttft.get("MetricName").asText()).isEqualTo("time_to_first_token_seconds_p95");
    assertThat(ttft.get("Unit").asText()).isEqualTo("Seconds");
    assertThat(ttft.get("Value").asDouble()).isEqualTo(0.25);
    assertThat(ttft.get("StorageResolution").asInt()).isEqualTo(60);
    // dimensions come sorted by name, as Labels keeps them
    assertThat(ttft.get("Dimensions").toString())
        .isEqualTo("[{\"Name\":\"engine\",\"Value\":\"0\"},{\"Name\":\"model\",\"Value\":\"qwen3\"}]");
    // the SDK writes the timestamp as epoch seconds
    assertThat(ttft.get("Timestamp").asDouble()).isEqualTo(NOW.getEpochSecond());
    JsonNode rate = body.get("MetricData").get(1);
    assertThat(rate.get("MetricName").asText()).isEqualTo("request_rate_per_second");
    assertThat(rate.get("Unit").asText()).isEqualTo("Count/Second");
    assertThat(rate.get("Value").asDouble()).isEqualTo(12.5);
  }

  @Test
  void worksWithTheAsyncClient() {
    try (CloudWatchAsyncClient async = cloudWatch.cloudWatchAsyncClient();
        PutMetricDataPublisher publisher = PutMetricDataPublisher.builder(async, "Inference/Test")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      publisher.publish(CloudWatchDatum.builder("queue_depth").unit("Count").value(3).timestamp(NOW)
          .highResolution().build());
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(1);
    }
    JsonNode d = cloudWatch.exchanges().get(0).json().get("MetricData").get(0);
    assertThat(d.get("MetricName").asText()).isEqualTo("queue_depth");
    assertThat(d.get("StorageResolution").asInt()).isEqualTo(1);
  }

  @Test
  void mergesValuesOfOneMetricAndMinuteIntoValuesAndCounts() {
    Instant minute = Instant.parse("2026-11-23T10:00:00Z");
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      // 10:00:05 .. 10:00:25 are one minute: values 1, 2, 2, 3, 3 -> Values [1, 2, 3], Counts [1, 2, 2]
      double[] values = {2, 1, 2, 3, 3};
      for (int i = 0; i < values.length; i++) {
        publisher.publish(datum("batch_size", values[i], minute.plusSeconds(25 - 5 * i)));
      }
      // 09:59:59 is the previous minute: a datum of its own
      publisher.publish(datum("batch_size", 7, minute.minusSeconds(1)));
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(6);
    }
    JsonNode data = cloudWatch.exchanges().get(0).json().get("MetricData");
    assertThat(data).hasSize(2);
    // CBOR carries whole numbers as integers, the smallest encoding
    assertThat(data.get(0).get("Values").toString()).isEqualTo("[2,1,3]");
    assertThat(data.get(0).get("Counts").toString()).isEqualTo("[2,1,2]");
    assertThat(data.get(0).has("Value")).isFalse();
    // the merged datum has the earliest timestamp of its values, 10:00:05
    assertThat(data.get(0).get("Timestamp").asDouble()).isEqualTo(minute.plusSeconds(5).getEpochSecond());
    assertThat(data.get(1).get("Value").asDouble()).isEqualTo(7);
  }

  @Test
  void splitsMoreThan150DistinctValuesIntoSeveralDatums() {
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      for (int i = 0; i < 400; i++) {
        publisher.publish(datum("latency", i, NOW));
      }
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(400);
    }
    JsonNode data = cloudWatch.exchanges().get(0).json().get("MetricData");
    // 400 distinct values = 150 + 150 + 100
    assertThat(data).hasSize(3);
    assertThat(data.get(0).get("Values")).hasSize(150);
    assertThat(data.get(1).get("Values")).hasSize(150);
    assertThat(data.get(2).get("Values")).hasSize(100);
    assertThat(datumsOnTheWire(cloudWatch.exchanges())).isEqualTo(400);
  }

  @Test
  void cutsRequestsAt1000DatumsAndTheSdkGzipsThem() {
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      for (int i = 0; i < 2500; i++) {
        publisher.publish(datum("metric_" + i, i, NOW));
      }
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(2500);
    }
    List<Exchange> exchanges = cloudWatch.exchanges();
    // the sender drains whatever is buffered when 1,000 are reached, so cuts depend on timing; the exact cut is in
    // DatumBatcherTest
    assertThat(exchanges).allSatisfy(e -> assertThat(e.json().get("MetricData").size()).isLessThanOrEqualTo(1000));
    assertThat(exchanges.size()).isGreaterThanOrEqualTo(3);
    assertThat(datumsOnTheWire(exchanges)).isEqualTo(2500);
    // request compression: bodies over 10,240 bytes go out gzipped
    assertThat(exchanges).allSatisfy(e -> assertThat(e.header("Content-Encoding"))
        .isEqualTo(e.body().length >= 10_240 ? "gzip" : null));
    Exchange first = exchanges.get(0);
    assertThat(first.wireBody().length).isLessThan(first.body().length / 3);
  }

  @Test
  void cutsRequestsBeforeTheByteLimitAndTheEstimateIsAnUpperBound() {
    String longValue = "v".repeat(1000);
    try (PutMetricDataPublisher publisher = fast(client).maxRequestBytes(50_000).build()) {
      for (int i = 0; i < 200; i++) {
        publisher.publish(CloudWatchDatum.builder("m" + i).unit("Bytes").value(i).timestamp(NOW)
            .dimension("a", longValue).dimension("b", "é".repeat(500)).build());
      }
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(200);
    }
    List<Exchange> exchanges = cloudWatch.exchanges();
    // each datum is about 2 KB of CBOR: 200 of them need at least 8 requests of at most 50,000 bytes
    assertThat(exchanges.size()).isGreaterThanOrEqualTo(8);
    assertThat(exchanges).allSatisfy(e -> assertThat(e.body().length).isLessThanOrEqualTo(50_000));
    assertThat(datumsOnTheWire(exchanges)).isEqualTo(200);
  }

  @Test
  void retriesThrottlingWithBackoffAndLosesNothing() {
    cloudWatch.enqueue(FakeAwsEndpoint.cborError(400, "com.amazonaws.cloudwatch#ThrottlingException", "Throttling"),
        FakeAwsEndpoint.cborError(429, "com.amazonaws.cloudwatch#ThrottlingException", "Throttling"));
    long start = System.nanoTime();
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      publisher.publish(datum("m", 1, NOW));
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(1);
      assertThat(publisher.retries()).isEqualTo(2);
      assertThat(publisher.dropped()).isZero();
    }
    // waits of at least 5 ms (half of 10) and 10 ms (half of 20)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(15));
    assertThat(cloudWatch.exchanges()).hasSize(3);
  }

  @Test
  void retries5xxAndTimeouts() {
    cloudWatch.enqueue(FakeAwsEndpoint.cborError(500, "com.amazonaws.cloudwatch#InternalServiceFault",
        "InternalServiceError"), new FakeAwsEndpoint.Reply(503, java.util.Map.of(), new byte[0], Duration.ZERO),
        FakeAwsEndpoint.cborError(200, "x", "y").after(Duration.ofSeconds(1)));
    try (PutMetricDataPublisher publisher = fast(client).requestTimeout(Duration.ofMillis(300)).build()) {
      publisher.publish(datum("m", 1, NOW));
      publisher.flush();
      assertThat(publisher.sent()).isEqualTo(1);
      assertThat(publisher.retries()).isEqualTo(3);
    }
    assertThat(cloudWatch.exchanges()).hasSize(4);
  }

  @Test
  void givesUpAfterMaxAttemptsAndCountsTheDatums() {
    FakeAwsEndpoint.Reply fault = FakeAwsEndpoint.cborError(500, "com.amazonaws.cloudwatch#InternalServiceFault",
        "InternalServiceError");
    cloudWatch.enqueue(fault, fault, fault);
    try (PutMetricDataPublisher publisher = fast(client).maxAttempts(3).build()) {
      publisher.publish(datum("m", 1, NOW));
      publisher.publish(datum("m", 2, NOW));
      publisher.flush();
      assertThat(publisher.sent()).isZero();
      assertThat(publisher.dropped()).isEqualTo(2);
      assertThat(publisher.lastFailure()).get().asString().contains("InternalServiceError");
    }
    assertThat(cloudWatch.exchanges()).hasSize(3);
  }

  @Test
  void doesNotRetryARejectedRequest() {
    cloudWatch.enqueue(FakeAwsEndpoint.cborError(400, "com.amazonaws.cloudwatch#InvalidParameterValueException",
        "InvalidParameterValue"));
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      publisher.publish(datum("m", 1, NOW));
      publisher.flush();
      assertThat(publisher.dropped()).isEqualTo(1);
      assertThat(publisher.retries()).isZero();
    }
    assertThat(cloudWatch.exchanges()).hasSize(1);
  }

  @Test
  void aFullBufferDropsAndCountsAndEverythingElseArrives() {
    // the first request is slow, so the small buffer overflows while the sender waits
    cloudWatch.enqueue(FakeAwsEndpoint.cborError(200, "x", "y").after(Duration.ofMillis(300)));
    int published = 3000;
    long dropped;
    long sent;
    try (PutMetricDataPublisher publisher = fast(client).bufferCapacity(100).maxDatumsPerRequest(50).build()) {
      for (int i = 0; i < published; i++) {
        publisher.publish(datum("m" + i, i, NOW));
      }
      publisher.flush();
      dropped = publisher.dropped();
      sent = publisher.sent();
    }
    assertThat(dropped).isPositive();
    assertThat(sent + dropped).isEqualTo(published);
    assertThat(datumsOnTheWire(cloudWatch.exchanges())).isEqualTo(sent);
  }

  @Test
  void closeSendsWhatIsBufferedAndLaterDatumsAreCounted() {
    PutMetricDataPublisher publisher = fast(client).build();
    for (int i = 0; i < 10; i++) {
      publisher.publish(datum("m", i, NOW));
    }
    publisher.close();
    assertThat(publisher.sent()).isEqualTo(10);
    assertThat(publisher.publish(datum("m", 1, NOW))).isFalse();
    assertThat(publisher.dropped()).isEqualTo(1);
    assertThat(datumsOnTheWire(cloudWatch.exchanges())).isEqualTo(10);
  }

  @Test
  void sendsOnItsOwnWhenTheIntervalPasses() throws InterruptedException {
    try (PutMetricDataPublisher publisher = fast(client).flushInterval(Duration.ofMillis(50)).build()) {
      publisher.publish(datum("m", 1, NOW));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (publisher.sent() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(publisher.sent()).isEqualTo(1);
    }
  }

  @Test
  void dropsDatumsOutsideTheTimestampWindow() {
    try (PutMetricDataPublisher publisher = fast(client).build()) {
      publisher.publish(datum("m", 1, NOW.minus(Duration.ofDays(15))));
      publisher.publish(datum("m", 2, NOW.plus(Duration.ofHours(3))));
      publisher.publish(datum("m", 3, NOW.minus(Duration.ofDays(13))));
      publisher.flush();
      assertThat(publisher.dropped()).isEqualTo(2);
      assertThat(publisher.sent()).isEqualTo(1);
    }
  }

  @Test
  void countsKpiValuesThatBreakACloudWatchLimit() {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      pairs.add("d" + i);
      pairs.add("x");
    }
    KpiSet kpis = new KpiSet("vllm", "", NOW, Duration.ofSeconds(60), List.of(
        new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.of(pairs.toArray(String[]::new)), 0.5),
        new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.of("model", "m"), 0.5)));
    try (PutMetricDataPublisher publisher = fast(client).highResolution(true).build()) {
      assertThat(publisher.publish(kpis)).isEqualTo(1);
      publisher.flush();
      assertThat(publisher.dropped()).isEqualTo(1);
      assertThat(publisher.sent()).isEqualTo(1);
    }
    JsonNode d = cloudWatch.exchanges().get(0).json().get("MetricData").get(0);
    assertThat(d.get("MetricName").asText()).isEqualTo("kv_cache_usage_ratio");
    assertThat(d.get("Unit").asText()).isEqualTo("None");
    assertThat(d.get("StorageResolution").asInt()).isEqualTo(1);
  }

  @Test
  void builderRejectsBadSettingsNamingTheField() {
    assertThatThrownBy(() -> PutMetricDataPublisher.builder(client, "AWS/EC2"))
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> PutMetricDataPublisher.builder(client, "bad namespace!"))
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> PutMetricDataPublisher.builder(client, "x".repeat(256)))
        .hasMessageContaining("namespace");
    PutMetricDataPublisher.Builder b = PutMetricDataPublisher.builder(client, "ok");
    assertThatThrownBy(() -> b.maxDatumsPerRequest(1001)).hasMessageContaining("maxDatumsPerRequest");
    assertThatThrownBy(() -> b.maxValuesPerDatum(151)).hasMessageContaining("maxValuesPerDatum");
    assertThatThrownBy(() -> b.maxRequestBytes(2_000_000)).hasMessageContaining("maxRequestBytes");
    assertThatThrownBy(() -> b.flushInterval(Duration.ZERO)).hasMessageContaining("flushInterval");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("backoff");
  }
}

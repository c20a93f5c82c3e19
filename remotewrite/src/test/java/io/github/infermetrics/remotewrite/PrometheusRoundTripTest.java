package io.github.infermetrics.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real Prometheus: what it writes is read back through the query API, values and labels. */
class PrometheusRoundTripTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path dir;

  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    prometheus = PrometheusServer.start(dir);
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  private static Map<String, String> labels(JsonNode result) {
    Map<String, String> m = new TreeMap<>();
    result.path("metric").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  @Test
  void kpisComeBackWithTheirValuesLabelsAndTimestamps() throws Exception {
    Instant t1 = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    Instant t2 = t1.plusSeconds(15);
    try (RemoteWriteSink sink = RemoteWriteSink.builder(prometheus.writeUri()).metricPrefix("rt1_")
        .externalLabel("cluster", "prod").build()) {
      sink.write(new KpiSet("vllm", "qwen@10.0.0.7:8000", t1, Duration.ofSeconds(15), List.of(
          new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "Qwen/Qwen3-8B", "engine", "0"),
              0.1875),
          new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "Qwen/Qwen3-8B"), 4.25))));
      sink.write(new KpiSet("vllm", "qwen@10.0.0.7:8000", t2, Duration.ofSeconds(15), List.of(
          new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "Qwen/Qwen3-8B"), 5.5))));
      assertThat(sink.flush(WAIT)).isTrue();
      assertThat(sink.stats().samplesSent()).as(sink.stats().summary()).isEqualTo(3);
    }

    JsonNode ttft = prometheus.query("rt1_time_to_first_token_seconds_p95", seconds(t1));
    assertThat(ttft).hasSize(1);
    assertThat(labels(ttft.get(0))).isEqualTo(Map.of("__name__", "rt1_time_to_first_token_seconds_p95",
        "cluster", "prod", "engine", "0", "model", "Qwen/Qwen3-8B", "source", "vllm",
        "target", "qwen@10.0.0.7:8000"));
    assertThat(ttft.get(0).path("value").get(0).asDouble()).isEqualTo(seconds(t1));
    assertThat(ttft.get(0).path("value").get(1).asText()).isEqualTo("0.1875");

    // both samples of the series, in order, through a range selector ending at t2
    JsonNode rate = prometheus.query("rt1_request_rate_per_second[1m]", seconds(t2));
    assertThat(rate).hasSize(1);
    JsonNode values = rate.get(0).path("values");
    assertThat(values).hasSize(2);
    assertThat(values.get(0).get(0).asDouble()).isEqualTo(seconds(t1));
    assertThat(values.get(0).get(1).asText()).isEqualTo("4.25");
    assertThat(values.get(1).get(0).asDouble()).isEqualTo(seconds(t2));
    assertThat(values.get(1).get(1).asText()).isEqualTo("5.5");
  }

  @Test
  void rawHistogramBucketsWorkWithPromQl() throws Exception {
    MetricSnapshot snapshot;
    try (InputStream in = getClass().getResourceAsStream("/expositions/small.prom")) {
      snapshot = new SnapshotReader().read(in.readAllBytes());
    }
    Instant t = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
    try (RemoteWriteSink sink = RemoteWriteSink.builder(prometheus.writeUri()).metricPrefix("rt2_").build()) {
      assertThat(sink.write(snapshot, Labels.of("job", "vllm", "instance", "10.0.0.7:8000"), t)).isEqualTo(12);
      assertThat(sink.flush(WAIT)).isTrue();
      assertThat(sink.stats().samplesSent()).as(sink.stats().summary()).isEqualTo(12);
    }

    // buckets 0.005:1, 0.1:4, 1:9, +Inf:10; the median's rank 5 falls in (0.1, 1] holding ranks 5..9:
    // 0.1 + (1 - 0.1) * (5 - 4) / (9 - 4) = 0.28
    JsonNode q = prometheus.query("histogram_quantile(0.5, rt2_vllm:time_to_first_token_seconds_bucket)",
        seconds(t));
    assertThat(q).hasSize(1);
    assertThat(q.get(0).path("value").get(1).asDouble()).isCloseTo(0.28, within(1e-12));
    assertThat(labels(q.get(0))).containsEntry("job", "vllm").containsEntry("model_name", "qwen");

    JsonNode quantiles = prometheus.query("rt2_nv_inference_queue_summary_us", seconds(t));
    assertThat(quantiles).extracting(r -> labels(r).get("quantile") + "=" + r.path("value").get(1).asText())
        .containsExactlyInAnyOrder("0.5=150", "0.99=400");
  }

  @Test
  void aSampleOlderThanTheSeriesHeadIsRefusedWith4xxAndNotRetried() throws Exception {
    Instant t = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
    KpiValue v = new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.of("model", "m"), 0.5);
    try (RemoteWriteSink sink = RemoteWriteSink.builder(prometheus.writeUri()).metricPrefix("rt3_").build()) {
      sink.write(new KpiSet("vllm", "n", t, Duration.ofSeconds(15), List.of(v)));
      assertThat(sink.flush(WAIT)).isTrue();
      sink.write(new KpiSet("vllm", "n", t.minusSeconds(5), Duration.ofSeconds(15), List.of(v)));
      assertThat(sink.flush(WAIT)).isTrue();

      RemoteWriteStats stats = sink.stats();
      assertThat(stats.samplesSent()).isEqualTo(1);
      assertThat(stats.samplesFailed()).isEqualTo(1);
      assertThat(stats.retries()).isZero();
      assertThat(stats.lastError()).startsWith("HTTP 400").contains("out of order");
    }
  }
}

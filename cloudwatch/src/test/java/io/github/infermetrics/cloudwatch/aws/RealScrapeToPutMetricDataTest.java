package io.github.infermetrics.cloudwatch.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** Every counter and gauge sample of a real scrape, published as datums, arrives intact and exactly once. */
class RealScrapeToPutMetricDataTest {
  @ParameterizedTest
  @ValueSource(strings = {"fixtures/triton/triton_metrics_datadog-fixture.txt",
      "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt",
      "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt"})
  void everySampleArrivesOnce(String fixture) throws IOException {
    MetricSnapshot snapshot = new SnapshotReader().read(Files.readAllBytes(SharedData.dir(fixture)));
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    Map<String, Double> expected = new HashMap<>();
    try (FakeAwsEndpoint cloudWatch = FakeAwsEndpoint.cloudWatch();
        CloudWatchClient client = cloudWatch.cloudWatchClient()) {
      long published = 0;
      try (PutMetricDataPublisher publisher = PutMetricDataPublisher.builder(client, "Inference/Fixtures")
          .flushInterval(Duration.ofHours(1)).clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
        for (MetricFamily family : snapshot.families()) {
          for (MetricPoint p : family.points()) {
            double value;
            if (p instanceof GaugePoint g) {
              value = g.value();
            } else if (p instanceof CounterPoint c) {
              value = c.value();
            } else {
              continue;
            }
            if (!Double.isFinite(value)) {
              continue;
            }
            CloudWatchDatum d = CloudWatchDatum.builder(family.name()).unit("None").dimensions(p.labels())
                .value(value).timestamp(at).build();
            expected.put(d.name() + d.dimensions(), value);
            publisher.publish(d);
            published++;
          }
        }
        publisher.flush();
        assertThat(publisher.dropped()).isZero();
        assertThat(publisher.sent()).isEqualTo(published);
      }
      assertThat(published).isGreaterThan(20);
      Map<String, Double> received = new HashMap<>();
      for (FakeAwsEndpoint.Exchange e : cloudWatch.exchanges()) {
        for (JsonNode d : e.json().get("MetricData")) {
          StringBuilder dims = new StringBuilder();
          Map<String, String> labels = new HashMap<>();
          for (JsonNode dim : d.get("Dimensions")) {
            labels.put(dim.get("Name").asText(), dim.get("Value").asText());
          }
          dims.append(io.github.infermetrics.core.snapshot.Labels.of(labels));
          received.put(d.get("MetricName").asText() + dims, d.get("Value").asDouble());
        }
      }
      assertThat(received).isEqualTo(expected);
    }
  }
}

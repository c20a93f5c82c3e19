package io.github.infermetrics.tgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TgiMetricsTest {
  @Test
  void publishesSharedAndTgiOnlyKpisWithMethodAndReasonTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TgiMetrics metrics = new TgiMetrics(Tags.of("model", "bigscience/bloom-560m"))) {
      metrics.bindTo(registry);
      metrics.update(TgiKpisTest.fixtureAndTenSecondsLater());

      Gauge rate = registry.get("request.rate").tags("source", "tgi", "model", "bigscience/bloom-560m").gauge();
      assertThat(rate.value()).isCloseTo(1.2, within(1e-12));
      assertThat(registry.get("queue.depth").gauge().value()).isEqualTo(3);
      Gauge floor = registry.get("tgi.time.to.first.token.floor.mean").gauge();
      assertThat(floor.value()).isCloseTo(0.16026, within(1e-12));
      assertThat(floor.getId().getBaseUnit()).isEqualTo("seconds");
      assertThat(registry.get("tgi.batch.forward.time.mean").tags("method", "prefill").gauge().value())
          .isCloseTo(0.08, within(1e-12));
      assertThat(registry.get("tgi.failures").tags("reason", "overloaded").gauge().value())
          .isCloseTo(0.1, within(1e-12));
      assertThat(registry.find("time.to.first.token.p95").gauges()).isEmpty();
      assertThat(metrics.size()).isEqualTo(registry.getMeters().size());
      assertThat(metrics.rejectedMeters()).isZero();
    }
    assertThat(registry.find("tgi.failures").gauges()).isEmpty();
  }
}

package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class VllmMetricsTest {
  static final String QWEN = "Qwen/Qwen3-8B";

  @Test
  void publishesSharedAndVllmOnlyKpisWithModelAndEngineTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (VllmMetrics metrics = new VllmMetrics(Tags.of("target", "vllm-0:8000", "cluster", "prod"))) {
      metrics.bindTo(registry);
      metrics.update(VllmKpisTest.twoEngines());

      // shared vocabulary, per model (no engine tag) and per engine
      Gauge p90 = registry.get("time.to.first.token.p90").tags("model", QWEN, "source", "vllm",
          "target", "vllm-0:8000", "cluster", "prod").gauges().stream()
          .filter(g -> g.getId().getTag("engine") == null).findFirst().orElseThrow();
      assertThat(p90.value()).isCloseTo(0.875, within(1e-12));
      assertThat(registry.get("generation.token.rate").tags("engine", "1").gauge().value())
          .isCloseTo(200, within(1e-12));
      // vLLM-only measures under vllm. names
      Gauge goodput = registry.get("vllm.goodput").tags("engine", "0", "model", QWEN).gauge();
      assertThat(goodput.value()).isCloseTo(1.9, within(1e-12));
      assertThat(registry.get("vllm.queue.pressure").tags("engine", "0").gauge().value())
          .isCloseTo(0.25, within(1e-12));
      assertThat(registry.find("vllm.mm.cache.hit").gauges()).isEmpty(); // never computed
      assertThat(metrics.size()).isEqualTo(registry.getMeters().size());
      // the unit is the base unit; a count has none
      assertThat(goodput.getId().getBaseUnit()).isEqualTo("per_second");
      assertThat(registry.get("queue.depth").tags("engine", "0").gauge().getId().getBaseUnit()).isNull();

      // a window without traffic: latencies go NaN, rates stay
      VllmSnapshot same = Scrapes.resource("v1-two-engines-curr.prom");
      metrics.update(VllmKpis.between(same, same, 10));
      assertThat(p90.value()).isNaN();
      assertThat(goodput.value()).isZero();
    }
    assertThat(registry.find("vllm.goodput").gauges()).isEmpty();
  }

  @Test
  void valuesMissingForManyUpdatesAreRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    VllmMetrics metrics = new VllmMetrics(Tags.empty());
    metrics.update(VllmKpisTest.twoEngines());
    metrics.bindTo(registry); // binding late registers what is there already
    assertThat(registry.find("vllm.spec.decode.acceptance").gauges()).hasSize(3);

    VllmSnapshot idle = Scrapes.text("""
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="other"} 0
        """);
    for (int i = 0; i < io.github.infermetrics.core.micrometer.KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL; i++) {
      metrics.update(VllmKpis.between(idle, idle, 10));
    }
    assertThat(registry.find("vllm.spec.decode.acceptance").gauges()).isEmpty();
    assertThat(registry.get("batch.size").tags("model", "other").gauges()).hasSize(2);
    metrics.close();
  }
}

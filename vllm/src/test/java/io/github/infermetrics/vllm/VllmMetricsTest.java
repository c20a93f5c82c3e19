package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VllmMetricsTest {
  static final String QWEN = "Qwen/Qwen3-8B";

  @Test
  void publishesSharedAndVllmOnlyKpisWithModelAndEngineTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (VllmMetrics metrics = new VllmMetrics("vllm-0:8000", Tags.of("cluster", "prod"))) {
      metrics.bindTo(registry);
      metrics.update(VllmKpisTest.twoEngines(), Instant.now());

      // shared vocabulary, per model (no engine tag) and per engine
      Gauge p90 = registry.get("time_to_first_token_seconds_p90").tags("model", QWEN, "source", "vllm",
          "target", "vllm-0:8000", "cluster", "prod").gauges().stream()
          .filter(g -> g.getId().getTag("engine") == null).findFirst().orElseThrow();
      assertThat(p90.value()).isCloseTo(0.875, within(1e-12));
      assertThat(registry.get("generation_token_rate_per_second").tags("engine", "1").gauge().value())
          .isCloseTo(200, within(1e-12));
      // vLLM-only measures under vllm_ names
      Gauge goodput = registry.get("vllm_goodput_per_second").tags("engine", "0", "model", QWEN).gauge();
      assertThat(goodput.value()).isCloseTo(1.9, within(1e-12));
      assertThat(registry.get("vllm_queue_pressure_ratio").tags("engine", "0").gauge().value())
          .isCloseTo(0.25, within(1e-12));
      assertThat(registry.find("vllm_mm_cache_hit_ratio").gauges()).isEmpty(); // never computed
      assertThat(metrics.extraSize()).isPositive();

      // a window without traffic: latencies go NaN, rates stay
      VllmSnapshot same = Scrapes.resource("v1-two-engines-curr.prom");
      metrics.update(VllmKpis.between(same, same, 10), Instant.now());
      assertThat(p90.value()).isNaN();
      assertThat(goodput.value()).isZero();
    }
    assertThat(registry.find("vllm_goodput_per_second").gauges()).isEmpty();
  }

  @Test
  void valuesMissingForManyUpdatesAreRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    VllmMetrics metrics = new VllmMetrics(Tags.empty());
    metrics.update(VllmKpisTest.twoEngines(), Instant.now());
    metrics.bindTo(registry); // binding late registers what is there already
    assertThat(registry.find("vllm_spec_decode_acceptance_ratio").gauges()).hasSize(3);

    VllmSnapshot idle = Scrapes.text("""
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="other"} 0
        """);
    for (int i = 0; i < io.github.infermetrics.core.micrometer.KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL; i++) {
      metrics.update(VllmKpis.between(idle, idle, 10), Instant.now());
    }
    assertThat(registry.find("vllm_spec_decode_acceptance_ratio").gauges()).isEmpty();
    assertThat(registry.get("vllm_requests_running").tags("model", "other").gauges()).hasSize(2);
    metrics.close();
  }
}

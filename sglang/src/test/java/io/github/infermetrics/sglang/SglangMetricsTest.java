package io.github.infermetrics.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SglangMetricsTest {
  @Test
  void publishesSharedAndSglangOnlyKpisWithModelAndRankTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SglangMetrics metrics = new SglangMetrics(Tags.of("cluster", "prod"))) {
      metrics.bindTo(registry);
      metrics.update(SglangKpisTest.twoDataParallelRanks());

      // shared vocabulary, named as vLLM's: per model (no engine tag) and per rank
      Gauge p50 = registry.get("time.to.first.token.p50").tags("model", SglangKpisTest.QWEN, "source", "sglang",
          "cluster", "prod").gauge();
      assertThat(p50.value()).isCloseTo(0.26, within(1e-12));
      assertThat(registry.get("batch.size").tags("engine", "1", "tp_rank", "1", "pp_rank", "0").gauge().value())
          .isEqualTo(20);
      // SGLang-only measures under sglang. names, the unit as the base unit
      Gauge server = registry.get("sglang.server.generation.throughput").tags("model", SglangKpisTest.QWEN)
          .gauges().stream().filter(g -> g.getId().getTag("engine") == null).findFirst().orElseThrow();
      assertThat(server.value()).isCloseTo(240.5, within(1e-12));
      assertThat(server.getId().getBaseUnit()).isEqualTo("per_second");
      assertThat(metrics.size()).isEqualTo(registry.getMeters().size());
      assertThat(metrics.rejectedMeters()).isZero();

      // a window without traffic: latencies go NaN, rates stay
      SglangSnapshot same = Captures.resource("two-dp-ranks-curr.prom");
      metrics.update(SglangKpis.between(same, same, 10));
      assertThat(p50.value()).isNaN();
      assertThat(registry.get("generation.token.rate").tags("model", SglangKpisTest.QWEN).gauge().value()).isZero();
    }
    assertThat(registry.find("sglang.server.generation.throughput").gauges()).isEmpty();
  }
}

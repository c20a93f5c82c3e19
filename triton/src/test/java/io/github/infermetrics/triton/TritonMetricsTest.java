package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TritonMetricsTest {
  private static TritonKpis newerPair() {
    return TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("newer-curr.txt"), 15);
  }

  private static TritonKpis restart() {
    return TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("restarted-curr.txt"), 15);
  }

  @Test
  void kpisBecomeGaugesWithModelVersionAndGpuTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TritonMetrics triton = new TritonMetrics(Tags.of("cluster", "prod"))) {
      triton.bindTo(registry);
      triton.update(newerPair(), "triton-0", Instant.EPOCH);

      // core KPIs, named as everywhere else
      Gauge rate = registry.get("request_rate_per_second").tags("model", "resnet50", "model_version", "1",
          "device", "GPU-aaa", "namespace", "ns1", "source", "triton", "target", "triton-0", "cluster", "prod")
          .gauge();
      assertThat(rate.value()).isCloseTo(21.2, within(1e-12));     // 318 requests / 15 s
      assertThat(registry.get("error_rate_per_second").tags("model", "resnet50", "reason", "REJECTED").gauge()
          .value()).isCloseTo(1.0, within(1e-12));
      assertThat(registry.get("time_to_first_token_seconds_p95").tag("model", "resnet50").gauge().value())
          .isCloseTo(1.625, within(1e-12));
      assertThat(registry.get("accelerator_utilization_ratio").tags("device", "GPU-bbb", "cluster", "prod")
          .gauge().value()).isEqualTo(0.1);
      assertThat(registry.get("power_watts").tag("device", "GPU-aaa").gauge().value()).isEqualTo(250.5);

      // Triton-only measures
      assertThat(registry.get("triton_cache_hit_ratio").tags("model", "resnet50", "model_version", "1",
          "target", "triton-0", "cluster", "prod").gauge().value()).isEqualTo(0.2);
      assertThat(registry.get("triton_power_average_watts").tags("device", "GPU-aaa").gauge().value())
          .isEqualTo(250);
      assertThat(registry.get("triton_cpu_utilization_ratio").tags("target", "triton-0").gauge().value())
          .isEqualTo(0.125);
      assertThat(registry.get("triton_pending_requests").tag("model", "bert").gauge().value()).isZero();
      // no meter for what the window could not give
      assertThat(registry.find("queue_time_seconds_mean").tag("model", "ensemble_llm").gauge()).isNull();
      assertThat(registry.find("request_rate_per_second").tag("model", "bert").gauge()).isNull();
      assertThat(triton.size()).isEqualTo(registry.getMeters().size());
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void valuesThatGoAwayReadNanThenTheirMetersAreRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TritonMetrics triton = new TritonMetrics(Tags.empty(), 2);
    triton.bindTo(registry);
    triton.update(newerPair(), "triton-0", Instant.EPOCH);
    // after the restart the ensemble and GPU-bbb are gone
    triton.update(restart(), "triton-0", Instant.EPOCH.plusSeconds(15));
    assertThat(registry.get("request_rate_per_second").tag("model", "ensemble_llm").gauge().value()).isNaN();
    assertThat(registry.get("triton_power_average_watts").tag("device", "GPU-bbb").gauge().value()).isNaN();
    assertThat(registry.get("request_rate_per_second").tag("model", "resnet50").gauge().value())
        .isCloseTo(2.8, within(1e-12));   // 42 requests since the restart / 15 s
    triton.update(restart(), "triton-0", Instant.EPOCH.plusSeconds(30));
    assertThat(registry.find("request_rate_per_second").tag("model", "ensemble_llm").gauge()).isNull();
    assertThat(registry.find("triton_power_average_watts").tag("device", "GPU-bbb").gauge()).isNull();
    assertThat(registry.find("triton_power_average_watts").tag("device", "GPU-aaa").gauge()).isNotNull();
  }

  @Test
  void targetsAreKeptApartAndALateRegistryGetsTheExistingMeters() {
    TritonMetrics triton = new TritonMetrics(Tags.empty());
    triton.update(newerPair(), "pod-a", Instant.EPOCH);
    triton.update(restart(), "pod-b", Instant.EPOCH);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    triton.bindTo(registry);
    assertThat(registry.get("triton_inference_rate_per_second").tags("model", "resnet50", "target", "pod-a")
        .gauge().value()).isEqualTo(80);   // 1,200 inferences / 15 s
    assertThat(registry.get("triton_inference_rate_per_second").tags("model", "resnet50", "target", "pod-b")
        .gauge().value()).isCloseTo(160 / 15.0, within(1e-12));
    triton.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void updateWithoutATarget() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TritonMetrics triton = new TritonMetrics(Tags.empty());
    triton.bindTo(registry);
    triton.update(newerPair());
    assertThat(registry.get("batch_size").tag("model", "resnet50").gauge().value()).isEqualTo(4);
    assertThat(registry.get("batch_size").gauge().getId().getTag("target")).isNull();
  }

  @Test
  void theRemovalRuleIsValidated() {
    assertThatThrownBy(() -> new TritonMetrics(Tags.empty(), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missesBeforeRemoval");
  }
}

package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    try (TritonMetrics triton = new TritonMetrics(Tags.of("cluster", "prod", "target", "triton-0"))) {
      triton.bindTo(registry);
      triton.update(newerPair());

      // core KPIs, named by the shared vocabulary, dotted, the unit as base unit
      Gauge rate = registry.get("request.rate").tags("model", "resnet50", "model_version", "1",
          "device", "GPU-aaa", "namespace", "ns1", "source", "triton", "target", "triton-0", "cluster", "prod")
          .gauge();
      assertThat(rate.value()).isCloseTo(21.2, within(1e-12));     // 318 requests / 15 s
      assertThat(rate.getId().getBaseUnit()).isEqualTo("per_second");
      assertThat(registry.get("error.rate").tags("model", "resnet50", "reason", "REJECTED").gauge()
          .value()).isCloseTo(1.0, within(1e-12));
      assertThat(registry.get("time.to.first.token.p95").tag("model", "resnet50").gauge().value())
          .isCloseTo(1.625, within(1e-12));
      assertThat(registry.get("accelerator.utilization").tags("device", "GPU-bbb", "cluster", "prod")
          .gauge().value()).isEqualTo(0.1);
      assertThat(registry.get("power").tag("device", "GPU-aaa").gauge().value()).isEqualTo(250.5);

      // Triton-only measures
      assertThat(registry.get("triton.cache.hit").tags("model", "resnet50", "model_version", "1",
          "target", "triton-0", "cluster", "prod").gauge().value()).isEqualTo(0.2);
      assertThat(registry.get("triton.power.average").tags("device", "GPU-aaa").gauge().value())
          .isEqualTo(250);
      assertThat(registry.get("triton.cpu.utilization").tags("target", "triton-0").gauge().value())
          .isEqualTo(0.125);
      assertThat(registry.get("queue.depth").tag("model", "bert").gauge().value()).isZero();
      assertThat(registry.get("queue.depth").gauge().getId().getBaseUnit()).isNull();  // a count
      // no meter for what the window could not give
      assertThat(registry.find("queue.time.mean").tag("model", "ensemble_llm").gauge()).isNull();
      assertThat(registry.find("request.rate").tag("model", "bert").gauge()).isNull();
      assertThat(triton.size()).isEqualTo(registry.getMeters().size());
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void valuesThatGoAwayReadNanThenTheirMetersAreRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TritonMetrics triton = new TritonMetrics(Tags.empty(), 2);
    triton.bindTo(registry);
    triton.update(newerPair());
    // after the restart the ensemble and GPU-bbb are gone
    triton.update(restart());
    assertThat(registry.get("request.rate").tag("model", "ensemble_llm").gauge().value()).isNaN();
    assertThat(registry.get("triton.power.average").tag("device", "GPU-bbb").gauge().value()).isNaN();
    assertThat(registry.get("request.rate").tag("model", "resnet50").gauge().value())
        .isCloseTo(2.8, within(1e-12));   // 42 requests since the restart / 15 s
    triton.update(restart());
    assertThat(registry.find("request.rate").tag("model", "ensemble_llm").gauge()).isNull();
    assertThat(registry.find("triton.power.average").tag("device", "GPU-bbb").gauge()).isNull();
    assertThat(registry.find("triton.power.average").tag("device", "GPU-aaa").gauge()).isNotNull();
  }

  @Test
  void targetsAreKeptApartAndALateRegistryGetsTheExistingMeters() {
    // one engine for many targets: the pipeline's consumer shape
    WindowMetrics meters = new WindowMetrics(Tags.empty());
    meters.update(newerPair(), "pod-a");
    meters.update(restart(), "pod-b");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    meters.bindTo(registry);
    assertThat(registry.get("triton.inference.rate").tags("model", "resnet50", "target", "pod-a")
        .gauge().value()).isEqualTo(80);   // 1,200 inferences / 15 s
    assertThat(registry.get("triton.inference.rate").tags("model", "resnet50", "target", "pod-b")
        .gauge().value()).isCloseTo(160 / 15.0, within(1e-12));
    meters.removed("pod-a");
    assertThat(registry.find("triton.inference.rate").tag("target", "pod-a").gauges()).isEmpty();
    meters.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void updateWithoutATarget() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TritonMetrics triton = new TritonMetrics(Tags.empty());
    triton.bindTo(registry);
    triton.update(newerPair());
    assertThat(registry.get("batch.size").tag("model", "resnet50").gauge().value()).isEqualTo(4);
    assertThat(registry.get("batch.size").gauge().getId().getTag("target")).isNull();
  }

  @Test
  void theRemovalRuleIsValidated() {
    assertThatThrownBy(() -> new TritonMetrics(Tags.empty(), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missesBeforeRemoval");
  }
}

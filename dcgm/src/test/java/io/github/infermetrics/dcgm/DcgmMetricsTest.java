package io.github.infermetrics.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DcgmMetricsTest {

  @Test
  void gpusNodesAndPodsBecomeGaugesWithTheSharedNames() {
    DcgmKpis k = DcgmKpis.between(TestData.dcgm(TestData.resourceText("k8s-prev.txt")),
        TestData.dcgm(TestData.resourceText("k8s-curr.txt")), Duration.ofSeconds(30));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DcgmMetrics gpus = new DcgmMetrics(Tags.of("target", "gpu-node-1"))) {
      gpus.bindTo(registry);
      gpus.update(k);
      assertThat(registry.get("accelerator.utilization").tags("device", "GPU-5d9cc71f-b438-dc00-707d-c6c12bcfede1",
          "source", "dcgm", "target", "gpu-node-1").gauge().value()).isEqualTo(0.8125);
      assertThat(registry.get("power.average").tags("pod", "serving/qwen-7d9f8c6b5d-x2x4z").gauge().value())
          .isCloseTo(900, within(1e-9));                                   // 500 W + 400 W
      assertThat(registry.get("power.average").gauge().getId().getBaseUnit()).isEqualTo("watts");
      // the node's aggregate and the pod's both carry node; only the pod's carries pod
      assertThat(registry.find("accelerator.count").tag("node", "ip-10-0-1-23.ec2.internal").gauges())
          .extracting(g -> g.getId().getTag("pod") + "=" + g.value())
          .containsExactlyInAnyOrder("null=3.0", "serving/qwen-7d9f8c6b5d-x2x4z=2.0");
      assertThat(registry.get("dcgm.clock.event").tags("reason", "sw_power_cap").gauge().value()).isEqualTo(1);
      assertThat(registry.get("dcgm.gr.engine.active").tags("device", "GPU-be839661-c0f5-7452-284b-b875666df60c")
          .gauge().value()).isZero();
      assertThat(gpus.size()).isEqualTo(registry.getMeters().size());
      assertThat(gpus.rejectedMeters()).isZero();
    }
    assertThat(registry.getMeters()).isEmpty();
  }
}

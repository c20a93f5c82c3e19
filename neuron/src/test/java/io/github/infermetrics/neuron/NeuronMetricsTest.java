package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class NeuronMetricsTest {
  @Test
  void publishesTheKpisAndTheNodeGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (NeuronMetrics metrics = new NeuronMetrics("node-1", Tags.of("cluster", "prod"))) {
      metrics.bindTo(registry);
      assertThat(registry.get("neuron_achieved_tflops").gauge().value()).isNaN(); // no report yet
      metrics.update(TestData.report("trn2-current.json"));
      assertThat(registry.get("neuron_achieved_tflops").tag("cluster", "prod").tag("target", "node-1").gauge()
          .value()).isCloseTo(60, within(1e-9));
      assertThat(registry.get("neuron_ecc_uncorrected_events").gauge().value()).isEqualTo(1);
      assertThat(registry.get("request_rate_per_second").tag("runtime", "vllm-0").tag("source", "neuron").gauge()
          .value()).isEqualTo(100);
      assertThat(registry.get("accelerator_utilization_ratio").tag("device", "4").gauge().value()).isEqualTo(0.1);
      assertThat(registry.get("end_to_end_latency_seconds_p99").tag("runtime", "vllm-0").gauge().value())
          .isEqualTo(0.045);
      metrics.update(TestData.report("null-latency.json"));
      assertThat(registry.get("neuron_hbm_used_ratio").gauge().value()).isNaN(); // no memory_used group now
    }
    assertThat(registry.getMeters()).isEmpty();
  }
}

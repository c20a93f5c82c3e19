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
    try (NeuronMetrics metrics = new NeuronMetrics(Tags.of("cluster", "prod", "target", "node-1"))) {
      metrics.bindTo(registry);
      assertThat(registry.find("neuron.achieved.tflops").gauge()).isNull(); // no report yet
      metrics.update(NeuronKpis.of(TestData.report("trn2-current.json")));
      assertThat(registry.get("neuron.achieved.tflops").tags("cluster", "prod", "target", "node-1")
          .gauges()).filteredOn(g -> g.getId().getTag("device") == null).singleElement()
          .satisfies(g -> assertThat(g.value()).isCloseTo(60, within(1e-9)));
      assertThat(registry.get("neuron.ecc.uncorrected.events").gauge().value()).isEqualTo(1);
      assertThat(registry.get("request.rate").tag("runtime", "vllm-0").tag("source", "neuron").gauge()
          .value()).isEqualTo(100);
      assertThat(registry.get("accelerator.utilization").tag("device", "4").gauge().value()).isEqualTo(0.1);
      assertThat(registry.get("end.to.end.latency.p99").tag("runtime", "vllm-0").gauge().value())
          .isEqualTo(0.045);
      assertThat(registry.get("neuron.accelerator.memory.used").gauge().getId().getBaseUnit()).isEqualTo("ratio");
      metrics.update(NeuronKpis.of(TestData.report("null-latency.json")));
      // no memory_used group now: the ratio reads NaN until it comes back or its meter goes
      assertThat(registry.get("neuron.accelerator.memory.used").gauge().value()).isNaN();
    }
    assertThat(registry.getMeters()).isEmpty();
  }
}

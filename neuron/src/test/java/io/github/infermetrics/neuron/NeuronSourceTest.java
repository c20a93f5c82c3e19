package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NeuronSourceTest {
  private static MetricSnapshot read(String text) {
    return new SnapshotReader().read(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final String PREV = """
      # TYPE execution_status_total counter
      execution_status_total{runtime_tag="1001",status_type="completed"} 100.0
      # TYPE neuroncore_utilization_ratio gauge
      neuroncore_utilization_ratio{neuroncore="0",runtime_tag="1001"} 0.5
      neuroncore_utilization_ratio{neuroncore="1",runtime_tag="1001"} 0.5
      """;

  @Test
  void isRegisteredAndRecognisesTheConverter() {
    NeuronSource s = (NeuronSource) KpiSources.installed().require("neuron");
    assertThat(s.recognize(read(PREV))).isEqualTo(1);
    assertThat(s.recognize(read("up 1\n"))).isZero();
    assertThat(s.dashboard().orElseThrow().containerInsights()).isNotEmpty();
  }

  @Test
  void aNonFiniteGaugeCostsThatValueOnlyAndIsCounted() {
    // 50 executions in 10 s; core 1 reports NaN
    String curr = PREV.replace("} 100.0", "} 150.0").replace("neuroncore=\"1\",runtime_tag=\"1001\"} 0.5",
        "neuroncore=\"1\",runtime_tag=\"1001\"} NaN");
    KpiSet set = new NeuronSource().between(read(PREV), read(curr), Duration.ofSeconds(10))
        .toKpiSet("trn1-0", Instant.EPOCH);
    assertThat(set.dropped()).containsExactly(
        "neuroncore_utilization_ratio{neuroncore=\"1\",runtime_tag=\"1001\"} = NaN");
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE).map(KpiValue::value)).contains(5.0);
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, LabelMatcher.eq("device", "0"))
        .map(KpiValue::value)).contains(0.5);
    assertThat(set.values()).allMatch(v -> Double.isFinite(v.value()));
  }

  @Test
  void everyMeasureIsWellDeclared() {
    Stream.of(NeuronMeasure.values()).forEach(Measure::check);
  }
}

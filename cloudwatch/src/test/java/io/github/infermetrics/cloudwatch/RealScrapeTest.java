package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real scrapes from ../shared/fixtures (skipped when that folder is absent) written as EMF. */
class RealScrapeTest {
  @ParameterizedTest
  @ValueSource(strings = {"triton/triton_metrics_datadog-fixture.txt",
      "vllm/vllm_metrics_datadog-fixture_hybrid.txt",
      "neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt"})
  void everyGaugeOfARealScrapeBecomesValidEmf(String file) throws Exception {
    MetricSnapshot snapshot = new SnapshotReader().read(Files.readAllBytes(SharedData.dir("fixtures/" + file)));
    CapturingSink sink = new CapturingSink();
    EmfWriter w = EmfWriter.builder("Inference/Scrape").defaultDimension("cluster", "test").sink(sink).build();
    long now = System.currentTimeMillis();
    int gauges = 0;
    for (MetricFamily f : snapshot.families()) {
      for (MetricPoint p : f.points()) {
        if (p instanceof GaugePoint g) {
          EmfWriter.Event e = w.begin(now);
          List<String> keys = new ArrayList<>();
          for (int i = 0; i < g.labels().size(); i++) {
            if (!g.labels().value(i).isBlank()) { // an empty label is the same series as no label
              e.dimension(g.labels().name(i), g.labels().value(i));
              keys.add(g.labels().name(i));
            }
          }
          e.dimensionSet(keys.toArray(String[]::new)).metric(f.name(), "None", g.value()).end();
          gauges += Double.isFinite(g.value()) ? 1 : 0;
        }
      }
    }
    assertThat(gauges).isPositive();
    assertThat(sink.events).hasSize(gauges); // each one checked against the schema and the rules as it came
  }

  @Test
  void tritonGpuGaugesAsKpis() throws Exception {
    MetricSnapshot s = new SnapshotReader().read(Files.readAllBytes(SharedData.dir(
        "fixtures/triton/triton_metrics_datadog-fixture.txt")));
    List<KpiValue> values = new ArrayList<>();
    add(values, s, "nv_gpu_utilization", Kpi.ACCELERATOR_UTILIZATION);
    add(values, s, "nv_gpu_memory_used_bytes", Kpi.ACCELERATOR_MEMORY_USED);
    add(values, s, "nv_gpu_memory_total_bytes", Kpi.ACCELERATOR_MEMORY_TOTAL);
    add(values, s, "nv_gpu_power_usage", Kpi.POWER);
    KpiSet kpis = new KpiSet("triton", "triton:8002", Instant.now(), Duration.ofSeconds(15), values);
    CapturingSink sink = new CapturingSink();
    EmfWriter.builder("Inference").sink(sink).build().write(kpis);

    ObjectNode e = sink.parsed().get(0);
    assertThat(sink.events).hasSize(1); // one GPU: one set of dimensions
    assertThat(e.get("device").asText()).isEqualTo("GPU-951eeeeb-d284-d263-688e-d98a5306389b");
    // the fixture's values: utilisation 0, 266338304 of 16106127360 bytes used, 32.09 W
    assertThat(e.get("accelerator_utilization_ratio").asDouble()).isZero();
    assertThat(e.get("accelerator_memory_used_bytes").asLong()).isEqualTo(266_338_304L);
    assertThat(e.get("accelerator_memory_total_bytes").asLong()).isEqualTo(16_106_127_360L);
    assertThat(e.get("power_watts").asDouble()).isEqualTo(32.09);
    assertThat(e.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains(
        "{\"Name\":\"accelerator_memory_used_bytes\",\"Unit\":\"Bytes\"}",
        "{\"Name\":\"power_watts\",\"Unit\":\"None\"}");
    assertThat(e.get("source").asText()).isEqualTo("triton");
  }

  private static void add(List<KpiValue> out, MetricSnapshot s, String family, Kpi kpi) {
    for (MetricPoint p : s.select(family)) {
      GaugePoint g = (GaugePoint) p;
      out.add(new KpiValue(kpi, KpiStatistic.VALUE, Labels.of(KpiDimension.DEVICE, g.labels().get("gpu_uuid")),
          g.value()));
    }
  }
}

package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.SummaryPoint;
import io.github.infermetrics.core.testing.SharedData;
import io.github.infermetrics.triton.GpuMeasure;
import io.github.infermetrics.triton.GpuStats;
import io.github.infermetrics.triton.ModelKey;
import io.github.infermetrics.triton.ModelKpis;
import io.github.infermetrics.triton.ModelStats;
import io.github.infermetrics.triton.ModelSummary;
import io.github.infermetrics.triton.TritonKpis;
import io.github.infermetrics.triton.TritonSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Triton simulator against core's strict reader and the triton module's typed view. */
class TritonSimulatorTest {

  @Test
  void scrapedKpisFollowThePatternAndCountersAddUp() throws Exception {
    double rate = 200;
    TritonSimulator.Config config = TritonSimulator.Config.builder().pattern(LoadPattern.steady(rate)).gpus(2)
        .summaries(true).firstResponseHistogram(true).seed(5).build();
    try (TritonSimulator sim = TritonSimulator.start(config)) {
      Thread.sleep(200);
      long t0 = System.nanoTime();
      String first = Http.get(sim.metricsUri()).body();
      Thread.sleep(1000);
      long t1 = System.nanoTime();
      String second = Http.get(sim.metricsUri()).body();

      TritonSnapshot before = TritonSnapshot.of(Http.strict(first));
      TritonSnapshot after = TritonSnapshot.of(Http.strict(second));
      assertThat(TritonSnapshot.detect(after.snapshot())).isTrue();
      TritonKpis kpis = TritonKpis.between(before, after, (t1 - t0) / 1e9);
      double total = 0;
      for (ModelKpis m : kpis.models()) {
        total += m.requestRate().orElse(0);
      }
      // Poisson at 200/s over 1 s: 200 +- 14 (one standard deviation)
      assertThat(total).isBetween(rate * 0.5, rate * 1.5);
      // weights 0.5, 0.3, 0.2 of the default models
      assertThat(kpis.model(ModelKey.of("resnet50", "1")).orElseThrow().requestRate().orElseThrow())
          .isBetween(rate * 0.5 * 0.5, rate * 0.5 * 1.5);
      ModelKpis bert = kpis.model(ModelKey.of("bert_base", "2")).orElseThrow();
      // compute 12 ms median plus queue and I/O in the hundreds of microseconds
      assertThat(bert.requestLatencySeconds().orElseThrow()).isBetween(0.008, 0.03);
      // dynamic batches of 1 to 4 requests of one inference each
      assertThat(bert.batchSize().orElseThrow()).isBetween(1.0, 4.0);

      assertThat(after.gpus()).hasSize(2).allSatisfy(g -> {
        assertThat(g.uuid()).matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(g.memoryTotalBytes()).hasValue(24L << 30);
      });
      GpuStats gpu = after.gpus().get(0);
      assertThat(gpu.utilization().orElseThrow()).isBetween(0.0, 1.0);
      // energy grows by the average power over the window: between idle (60 W) and the limit (300 W)
      double averagePower = kpis.gpu(gpu.uuid()).orElseThrow().get(GpuMeasure.AVERAGE_POWER).orElseThrow();
      assertThat(averagePower).isBetween(59.0, 300.0);
      assertThat(after.cpu()).isPresent();

      for (ModelStats m : after.models()) {
        // the summaries' _count and _sum are the counters, as in Triton's docs
        SummaryPoint request = m.summary(ModelSummary.REQUEST).orElseThrow();
        assertThat(request.count()).isEqualTo(m.requestSuccess().orElseThrow());
        assertThat(m.firstResponseHistogramMs()).isPresent();
        assertThat(m.failuresByReason()).containsOnlyKeys("REJECTED", "CANCELED", "BACKEND", "OTHER");
      }
    }
  }

  @Test
  void hasTheFormatOfPrometheusCpp() throws IOException {
    try (TritonSimulator sim = TritonSimulator.start(TritonSimulator.Config.builder().model("simple", "1")
        .summaries(true).pattern(LoadPattern.steady(0)).build())) {
      Http.Response r = Http.get(sim.metricsUri());
      assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body()).startsWith("# HELP nv_inference_request_success Number of successful inference requests,"
          + " all batch sizes\n# TYPE nv_inference_request_success counter\n"
          + "nv_inference_request_success{model=\"simple\",version=\"1\"} 0\n")
          .contains("nv_inference_request_failure{model=\"simple\",reason=\"BACKEND\",version=\"1\"} 0\n")
          // no traffic: summaries are empty, and prometheus-cpp writes NaN as Nan
          .contains("nv_inference_request_summary_us_count{model=\"simple\",version=\"1\"} 0\n"
              + "nv_inference_request_summary_us_sum{model=\"simple\",version=\"1\"} 0\n"
              + "nv_inference_request_summary_us{model=\"simple\",version=\"1\",quantile=\"0.5\"} Nan\n")
          .contains("nv_gpu_power_limit{gpu_uuid=\"GPU-")
          .contains("\nnv_cpu_memory_total_bytes 66395840512\n")
          .doesNotContainPattern("_total[{ ]").endsWith("\n");
    }
  }

  /** Every family the simulator shares with the real Triton scrape has the same HELP and TYPE lines. */
  @Test
  void helpAndTypeLinesMatchTheRealOnes() throws IOException {
    String fixture = Files.readString(SharedData.dir("fixtures/triton").resolve(
        "triton_metrics_datadog-fixture.txt"), StandardCharsets.UTF_8);
    Set<String> shared = new TreeSet<>();
    try (TritonSimulator sim = TritonSimulator.start(TritonSimulator.Config.builder().summaries(true).build())) {
      for (String line : Http.get(sim.metricsUri()).body().split("\n")) {
        if (line.startsWith("# ") && fixture.contains("# TYPE " + line.split(" ")[2] + " ")) {
          shared.add(line);
        }
      }
    }
    Set<String> real = new TreeSet<>();
    for (String line : fixture.split("\n")) {
      if (line.startsWith("# ")) {
        real.add(line);
      }
    }
    assertThat(real).containsAll(shared);
    // 9 model counters, pending, 5 GPU gauges, energy, 3 CPU gauges, 5 summaries: HELP and TYPE each
    assertThat(shared).hasSize(2 * 24);
  }
}

package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infermetrics kpi --source ...}: a source's typed KPIs, printed as tables or JSON. */
class KpiSourceCommandTest {
  // Triton 24.x shape: success/failure by reason, durations in µs, one GPU; 10 s apart
  private static final String TRITON_PREV = """
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="resnet50",version="1"} 100
      # TYPE nv_inference_request_failure counter
      nv_inference_request_failure{model="resnet50",reason="REJECTED",version="1"} 0
      # TYPE nv_inference_count counter
      nv_inference_count{model="resnet50",version="1"} 400
      # TYPE nv_inference_exec_count counter
      nv_inference_exec_count{model="resnet50",version="1"} 100
      # TYPE nv_inference_request_duration_us counter
      nv_inference_request_duration_us{model="resnet50",version="1"} 1000000
      # TYPE nv_inference_queue_duration_us counter
      nv_inference_queue_duration_us{model="resnet50",version="1"} 100000
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-1"} 0.5
      """;
  private static final String TRITON_CURR = """
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="resnet50",version="1"} 150
      # TYPE nv_inference_request_failure counter
      nv_inference_request_failure{model="resnet50",reason="REJECTED",version="1"} 10
      # TYPE nv_inference_count counter
      nv_inference_count{model="resnet50",version="1"} 600
      # TYPE nv_inference_exec_count counter
      nv_inference_exec_count{model="resnet50",version="1"} 150
      # TYPE nv_inference_request_duration_us counter
      nv_inference_request_duration_us{model="resnet50",version="1"} 2000000
      # TYPE nv_inference_queue_duration_us counter
      nv_inference_queue_duration_us{model="resnet50",version="1"} 200000
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-1"} 0.75
      """;

  @TempDir
  Path dir;

  @Test
  void tritonJsonHasTheModelAndGpuTablesAndTheSharedKpis() throws IOException {
    CliRun r = CliRun.of("kpi", "--source", "triton", "--window", "10", "--json",
        CliRun.file(dir, "prev.prom", TRITON_PREV), CliRun.file(dir, "curr.prom", TRITON_CURR));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // 50 successes + 10 failures in 10 s: 6 requests/s, 1 failure/s, error ratio 10/60;
    // mean latency 1,000,000 µs / 50 successes = 0.02 s; queue 100,000 µs / 50 = 0.002 s; batch 200 / 50 = 4
    assertThat(r.out())
        .startsWith("{\"source\":\"triton\",\"window_seconds\":10,\"tables\":{\"models\":[{\"model\":\"resnet50\","
            + "\"version\":\"1\",")
        .contains("\"request_rate_per_second\":6,")
        .contains("\"gpus\":[{\"gpu_uuid\":\"GPU-1\"")
        .contains("{\"name\":\"error_ratio\",\"dimensions\":{\"model\":\"resnet50\",\"model_version\":\"1\"},"
            + "\"value\":0.16666666666666666}")
        .contains("{\"name\":\"queue_time_seconds_mean\",\"dimensions\":{\"model\":\"resnet50\","
            + "\"model_version\":\"1\"},\"value\":0.002}")
        .contains("{\"name\":\"batch_size\",\"dimensions\":{\"model\":\"resnet50\",\"model_version\":\"1\"},"
            + "\"value\":4}")
        .contains("{\"name\":\"accelerator_utilization_ratio\",\"dimensions\":{\"device\":\"GPU-1\"},"
            + "\"value\":0.75}")
        .endsWith("]}\n");
  }

  @Test
  void autoDetectsTritonAndPrintsAlignedTables() throws IOException {
    CliRun r = CliRun.of("kpi", "--source", "auto", "--window", "10",
        CliRun.file(dir, "prev.prom", TRITON_PREV), CliRun.file(dir, "curr.prom", TRITON_CURR));
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("source: triton, window: 10 s\n\nmodels\nMODEL     VERSION");
    assertThat(r.out().lines().filter(l -> l.startsWith("resnet50  1 "))).hasSize(1);
    assertThat(r.out()).contains("\ngpus\nGPU_UUID");
  }

  @Test
  void aSourceWhoseFamiliesAreMissingIsAnInputError() throws IOException {
    String other = "# TYPE up gauge\nup 1\n";
    CliRun r = CliRun.of("kpi", "--source", "triton", "--window", "10",
        CliRun.file(dir, "prev.prom", other), CliRun.file(dir, "curr.prom", other));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).endsWith("curr.prom: no Triton families (nv_*) in the exposition (--source triton)\n");
  }

  @Test
  void autoFallsBackToEverySeriesWhenNoSourceMatches() throws IOException {
    String other = "# TYPE up gauge\nup 1\n";
    CliRun r = CliRun.of("kpi", "--source", "auto", "--window", "10", "--json",
        CliRun.file(dir, "prev.prom", other), CliRun.file(dir, "curr.prom", other));
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("{\"window_seconds\":10,\"series\":[{\"name\":\"up\",\"labels\":{},"
        + "\"type\":\"gauge\",\"value\":1}]}\n");
  }

  @Test
  void unknownSourceIsAUsageError() throws IOException {
    CliRun r = CliRun.of("kpi", "--source", "tgi", "--window", "10", "a", "b");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--source");
  }

  @Test
  void cellsHaveFourSignificantDigitsWithoutExponents() {
    assertThat(KpiReportWriter.cell(0.000123456)).isEqualTo("0.0001235");
    assertThat(KpiReportWriter.cell(12.3456)).isEqualTo("12.35");
    assertThat(KpiReportWriter.cell(123456.7)).isEqualTo("123457");
    assertThat(KpiReportWriter.cell(4.0)).isEqualTo("4");
    assertThat(KpiReportWriter.cell(-0.0)).isEqualTo("0");
  }
}

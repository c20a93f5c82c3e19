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

  // vLLM V1: one engine, 10 s apart; TTFT buckets grow by 10 (le 0.1), 20 (le 0.5), 20 (+Inf)
  private static final String VLLM_PREV = """
      # TYPE vllm:num_requests_running gauge
      vllm:num_requests_running{engine="0",model_name="qwen"} 2.0
      # TYPE vllm:num_requests_waiting gauge
      vllm:num_requests_waiting{engine="0",model_name="qwen"} 0.0
      # TYPE vllm:kv_cache_usage_perc gauge
      vllm:kv_cache_usage_perc{engine="0",model_name="qwen"} 0.25
      # TYPE vllm:generation_tokens_total counter
      vllm:generation_tokens_total{engine="0",model_name="qwen"} 1000.0
      # TYPE vllm:request_success_total counter
      vllm:request_success_total{engine="0",finished_reason="stop",model_name="qwen"} 10.0
      # TYPE vllm:time_to_first_token_seconds histogram
      vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="qwen"} 5.0
      vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="qwen"} 10.0
      vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="qwen"} 10.0
      vllm:time_to_first_token_seconds_count{engine="0",model_name="qwen"} 10.0
      vllm:time_to_first_token_seconds_sum{engine="0",model_name="qwen"} 1.5
      """;
  private static final String VLLM_CURR = """
      # TYPE vllm:num_requests_running gauge
      vllm:num_requests_running{engine="0",model_name="qwen"} 3.0
      # TYPE vllm:num_requests_waiting gauge
      vllm:num_requests_waiting{engine="0",model_name="qwen"} 1.0
      # TYPE vllm:kv_cache_usage_perc gauge
      vllm:kv_cache_usage_perc{engine="0",model_name="qwen"} 0.5
      # TYPE vllm:generation_tokens_total counter
      vllm:generation_tokens_total{engine="0",model_name="qwen"} 2000.0
      # TYPE vllm:request_success_total counter
      vllm:request_success_total{engine="0",finished_reason="stop",model_name="qwen"} 30.0
      # TYPE vllm:time_to_first_token_seconds histogram
      vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="qwen"} 15.0
      vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="qwen"} 30.0
      vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="qwen"} 30.0
      vllm:time_to_first_token_seconds_count{engine="0",model_name="qwen"} 30.0
      vllm:time_to_first_token_seconds_sum{engine="0",model_name="qwen"} 5.5
      """;
  // neuron-monitor-prometheus: one runtime, two NeuronCores, 10 s apart
  private static final String NEURON_PREV = """
      # TYPE execution_status_total counter
      execution_status_total{runtime_tag="1001",status_type="completed"} 100.0
      # TYPE neuroncore_utilization_ratio gauge
      neuroncore_utilization_ratio{neuroncore="0",runtime_tag="1001"} 0.5
      neuroncore_utilization_ratio{neuroncore="1",runtime_tag="1001"} 0.25
      """;
  private static final String NEURON_CURR = """
      # TYPE execution_status_total counter
      execution_status_total{runtime_tag="1001",status_type="completed"} 150.0
      # TYPE neuroncore_utilization_ratio gauge
      neuroncore_utilization_ratio{neuroncore="0",runtime_tag="1001"} 0.75
      neuroncore_utilization_ratio{neuroncore="1",runtime_tag="1001"} 0.25
      """;

  @TempDir
  Path dir;

  @Test
  void vllmJsonHasTokenRatesAndPromQlQuantiles() throws IOException {
    CliRun r = CliRun.of("kpi", "--source", "auto", "--window", "10", "--json",
        CliRun.file(dir, "prev.prom", VLLM_PREV), CliRun.file(dir, "curr.prom", VLLM_CURR));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // 1000 tokens and 20 requests in 10 s; TTFT mean 4 / 20 = 0.2 s; p50: rank 10 of 20 ends the first bucket, 0.1;
    // p95: rank 19 is 9 into the 10 of (0.1, 0.5], 0.1 + 0.4 * 9 / 10 = 0.46 (0.4600000000000001 in binary)
    assertThat(r.out())
        .startsWith("{\"source\":\"vllm\",\"window_seconds\":10,\"tables\":{\"models\":[{\"model\":\"qwen\",")
        .contains("{\"name\":\"generation_token_rate_per_second\",\"dimensions\":{\"model\":\"qwen\"},"
            + "\"value\":100}")
        .contains("{\"name\":\"request_rate_per_second\",\"dimensions\":{\"model\":\"qwen\"},\"value\":2}")
        .contains("{\"name\":\"time_to_first_token_seconds_mean\",\"dimensions\":{\"model\":\"qwen\"},"
            + "\"value\":0.2}")
        // the p50 ends the first bucket, (0, 0.1]: PromQL's 0.1 is kept, and said to be only an upper bound
        .contains("{\"name\":\"time_to_first_token_seconds_p50\",\"dimensions\":{\"model\":\"qwen\"},"
            + "\"value\":0.1,\"bound\":\"upper\",\"limit\":0.1}")
        .contains("{\"name\":\"time_to_first_token_seconds_p95\",\"dimensions\":{\"model\":\"qwen\"},"
            + "\"value\":0.46")
        .contains("{\"name\":\"kv_cache_usage_ratio\",\"dimensions\":{\"engine\":\"0\",\"model\":\"qwen\"},"
            + "\"value\":0.5}");
  }

  @Test
  void neuronScrapesGiveExecutionRateAndNeuronCoreUtilisation() throws IOException {
    CliRun r = CliRun.of("kpi", "--source", "auto", "--window", "10", "--json",
        CliRun.file(dir, "prev.prom", NEURON_PREV), CliRun.file(dir, "curr.prom", NEURON_CURR));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // 50 executions in 10 s; cores at 0.75 and 0.25 average 0.5
    assertThat(r.out())
        .startsWith("{\"source\":\"neuron\",\"window_seconds\":10,\"tables\":{\"runtimes\":[{\"runtime\":\"1001\",")
        .contains("{\"name\":\"request_rate_per_second\",\"dimensions\":{},\"value\":5}")
        .contains("{\"name\":\"accelerator_utilization_ratio\",\"dimensions\":{},\"value\":0.5}")
        .contains("{\"name\":\"accelerator_utilization_ratio\",\"dimensions\":{\"device\":\"0\"},"
            + "\"value\":0.75}");
  }

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
    // the model table is wider than a terminal: cut into blocks of columns that each repeat the key columns
    assertThat(r.out().lines().filter(l -> l.startsWith("resnet50  1 "))).hasSizeGreaterThan(1);
    assertThat(r.out().lines()).allMatch(l -> l.length() <= 120);
    // values in the unit that suits them
    assertThat(r.out()).contains("20.0 ms").contains("16.7%");
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
    CliRun r = CliRun.of("kpi", "--source", "nosuch", "--window", "10", "a", "b");
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

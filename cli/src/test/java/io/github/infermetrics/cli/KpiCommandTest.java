package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infermetrics kpi}: hand-computed rates, means and quantiles between two captures. */
class KpiCommandTest {
  private static final String PREV = """
      # TYPE requests counter
      requests{model="a"} 10
      requests{model="b"} 100
      # TYPE running gauge
      running 3
      # TYPE latency histogram
      latency_bucket{le="0.1"} 2
      latency_bucket{le="0.5"} 5
      latency_bucket{le="+Inf"} 6
      latency_count 6
      latency_sum 1.5
      # TYPE gone gauge
      gone 1
      """;
  private static final String CURR = """
      # TYPE requests counter
      requests{model="a"} 25
      requests{model="b"} 5
      # TYPE running gauge
      running 7
      # TYPE latency histogram
      latency_bucket{le="0.1"} 4
      latency_bucket{le="0.5"} 13
      latency_bucket{le="+Inf"} 14
      latency_count 14
      latency_sum 4.7
      # TYPE rpc summary
      rpc{quantile="0.99"} 0.2
      rpc_count 3
      rpc_sum 0.4
      """;

  @TempDir
  Path dir;

  private String file(String name, String content) throws IOException {
    return CliRun.file(dir, name, content);
  }

  @Test
  void jsonHasRatesMeansAndQuantilesAsPromQlComputesThem() throws IOException {
    CliRun r = CliRun.of("kpi", "--window", "10", "--json", file("prev.prom", PREV), file("curr.prom", CURR));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // latency: Δbuckets 2, 8, 8 over 10 s; quantiles interpolate inside (0.1, 0.5]: 0.1 + 0.4 * (q*8 - 2) / 6
    assertThat(r.out()).isEqualTo("{\"window_seconds\":10,\"series\":["
        + "{\"name\":\"requests\",\"labels\":{\"model\":\"a\"},\"type\":\"counter\",\"increase\":15,\"rate\":1.5},"
        + "{\"name\":\"requests\",\"labels\":{\"model\":\"b\"},\"type\":\"counter\",\"reset\":true,\"increase\":5,"
        + "\"rate\":0.5},"
        + "{\"name\":\"running\",\"labels\":{},\"type\":\"gauge\",\"value\":7},"
        + "{\"name\":\"latency\",\"labels\":{},\"type\":\"histogram\",\"count_rate\":0.8,\"mean\":0.4,"
        + "\"quantiles\":{\"0.5\":0.23333333333333334,\"0.9\":0.44666666666666666,\"0.95\":0.4733333333333333,"
        + "\"0.99\":0.4946666666666667}},"
        + "{\"name\":\"rpc\",\"labels\":{},\"type\":\"summary\",\"status\":\"new\",\"quantiles\":{\"0.99\":0.2}},"
        + "{\"name\":\"gone\",\"labels\":{},\"type\":\"gauge\",\"status\":\"stale\"}"
        + "]}\n");
  }

  @Test
  void aLimitThatStopsACaptureNamesTheFlag() throws IOException {
    String prev = file("prev.prom", PREV);
    String curr = file("curr.prom", CURR);
    CliRun r = CliRun.of("kpi", "--window", "10", "--limit", "maxSeries=3", prev, curr);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(prev + ":").contains("(raise it: --limit maxSeries=N)");
    assertThat(CliRun.of("kpi", "--window", "10", "--limit", "maxSeries=100", prev, curr).code()).isZero();
    assertThat(CliRun.of("kpi", "--window", "10", "--limit", "sampleLimit=1", prev, curr).code()).isEqualTo(2);
  }

  @Test
  void textIsOneLinePerSeries() throws IOException {
    CliRun r = CliRun.of("kpi", "--window", "10", file("prev.prom", PREV), file("curr.prom", CURR));
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("window: 10 s, 6 series\n")
        .contains("requests{model=\"a\"} counter increase=15 rate=1.5\n")
        .contains("latency histogram count_rate=0.8 mean=0.4 p50=0.23333333333333334");
  }

  @Test
  void aZeroTrafficWindowHasNoMean() throws IOException {
    String same = "# TYPE latency histogram\nlatency_bucket{le=\"+Inf\"} 6\nlatency_count 6\nlatency_sum 1.5\n";
    CliRun r = CliRun.of("kpi", "--window", "15", "--json", file("a.prom", same), file("b.prom", same));
    assertThat(r.out()).contains("\"count_rate\":0,\"quantiles\":{\"0.5\":\"NaN\"").doesNotContain("\"mean\"");
  }

  @Test
  void errorsAndUsage() throws IOException {
    String prev = file("prev.prom", PREV);
    CliRun bad = CliRun.of("kpi", "--window", "10", prev, file("bad.prom", "requests{model=\"a\" 25\n"));
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).matches("(?s).*bad\\.prom:1:\\d+: .*");
    assertThat(CliRun.of("kpi", "--window", "0", prev, prev).code()).isEqualTo(2);
    assertThat(CliRun.of("kpi", prev, prev).code()).isEqualTo(2);
    assertThat(CliRun.of("kpi", "--window", "10", "-", "-").code()).isEqualTo(2);
    assertThat(CliRun.of("kpi", "--window", "10", prev, dir.resolve("missing").toString()).code()).isEqualTo(2);
  }

  @Test
  void theWindowTakesADurationOrSeconds() throws IOException {
    String prev = file("prev.prom", PREV);
    String curr = file("curr.prom", CURR);
    String seconds = CliRun.of("kpi", "--window", "10", "--json", prev, curr).out();
    assertThat(CliRun.of("kpi", "--window", "10s", "--json", prev, curr).out()).isEqualTo(seconds);
    assertThat(CliRun.of("kpi", "--window", "10000ms", "--json", prev, curr).out()).isEqualTo(seconds);
    assertThat(CliRun.of("kpi", "--window", "1m", "--json", prev, curr).out()).startsWith("{\"window_seconds\":60,");
    CliRun bad = CliRun.of("kpi", "--window", "10x", prev, curr);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("Invalid value for option '--window': unknown unit 'x' in '10x'");
  }

  @Test
  void capturesOfTwoDifferentServersAreRefused() throws IOException {
    // two vLLM servers serving different models: no series in common
    String qwen = file("qwen.prom", "# TYPE vllm:request_success_total counter\n"
        + "vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"qwen\"} 10\n"
        + "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1.7e9\n");
    String llama = file("llama.prom", "# TYPE vllm:request_success_total counter\n"
        + "vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"llama\"} 90\n"
        + "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1.7e9\n");
    for (String source : new String[] {"generic", "vllm", "auto"}) {
      CliRun r = CliRun.of("kpi", "--source", source, "--window", "15s", qwen, llama);
      assertThat(r.code()).as(source).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).isEqualTo(qwen + ", " + llama + ": the captures have no series in common (1 and 1 labelled"
          + " series): captures of two different servers cannot be compared; capture one server twice\n");
    }
    // two Triton servers with the same model: their GPUs differ
    String gpuA = file("a.prom", "nv_inference_count{model=\"m\",version=\"1\"} 10\n"
        + "nv_gpu_utilization{gpu_uuid=\"GPU-a\"} 0.5\n");
    String gpuB = file("b.prom", "nv_inference_count{model=\"m\",version=\"1\"} 20\n"
        + "nv_gpu_utilization{gpu_uuid=\"GPU-b\"} 0.5\n");
    CliRun triton = CliRun.of("kpi", "--source", "triton", "--window", "15s", gpuA, gpuB);
    assertThat(triton.code()).isEqualTo(1);
    assertThat(triton.err()).contains(": the captures come from different machines (gpu_uuid [GPU-a] then [GPU-b])");
  }

  @Test
  void aRestartBetweenTheCapturesIsWarnedAbout() throws IOException {
    String before = file("before.prom", "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 100\n"
        + "# TYPE requests counter\nrequests{model=\"a\"} 50\n");
    String after = file("after.prom", "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 200\n"
        + "# TYPE requests counter\nrequests{model=\"a\"} 5\n");
    CliRun r = CliRun.of("kpi", "--window", "15s", before, after);
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEqualTo(before + ", " + after + ": warning: process_start_time_seconds changed (100.0 then"
        + " 200.0): the server restarted between the captures, or they come from two servers; counters are read as"
        + " reset\n");
    assertThat(r.out()).contains("(reset)");
    // OpenMetrics' _created says the same
    String om1 = file("om1.txt", "# TYPE requests counter\nrequests_total{model=\"a\"} 50\n"
        + "requests_created{model=\"a\"} 100\n# EOF\n");
    String om2 = file("om2.txt", "# TYPE requests counter\nrequests_total{model=\"a\"} 5\n"
        + "requests_created{model=\"a\"} 200\n# EOF\n");
    assertThat(CliRun.of("kpi", "--window", "15s", om1, om2).err()).contains(": warning: 1 series were created"
        + " again between the captures (their _created time changed, requests{model=\"a\"} first)");
    // the same process twice: nothing to say
    assertThat(CliRun.of("kpi", "--window", "15s", before, before).err()).isEmpty();
  }
}

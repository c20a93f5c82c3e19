package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DashboardCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource({"triton,cloudwatch", "vllm,cloudwatch", "neuron,cloudwatch", "triton,grafana", "vllm,grafana",
      "neuron,grafana", "ray,cloudwatch", "ray,grafana"})
  void printsValidJson(String source, String target) throws Exception {
    CliRun r = CliRun.of("dashboard", "--source", source, "--target", target);
    assertThat(r.code()).isZero();
    JsonNode d = JSON.readTree(r.out());
    assertThat(d.has(target.equals("grafana") ? "panels" : "widgets")).isTrue();
  }

  @Test
  void cloudWatchTakesNamespaceClusterAndRegion() throws Exception {
    CliRun r = CliRun.of("dashboard", "--source", "vllm", "--target", "cloudwatch", "--namespace", "Serving",
        "--cluster", "inference", "--region", "eu-west-1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Namespace=\\\"Serving\\\"", "/aws/containerinsights/inference/performance",
        "\"region\": \"eu-west-1\"");
  }

  @Test
  void grafanaHasTheVllmFallbacks() {
    assertThat(CliRun.of("dashboard", "--source", "vllm", "--target", "grafana").out())
        .contains("{__name__=~\\\"(.*vllm[:_])?kv_cache_usage_perc\\\", model_name=~\\\"$model_name\\\"}"
            + " or {__name__=~\\\"(.*vllm[:_])?gpu_cache_usage_perc");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.of("dashboard", "--source", "nosuch", "--target", "grafana").code()).isEqualTo(2);
    assertThat(CliRun.of("dashboard", "--source", "vllm").code()).isEqualTo(2);
    CliRun bad = CliRun.of("dashboard", "--source", "vllm", "--target", "cloudwatch", "--namespace", "AWS/EC2");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("namespace:");
    assertThat(CliRun.of("dashboard", "--source", "vllm", "--target", "grafana", "--cluster", "c").code())
        .isEqualTo(2);
  }
}

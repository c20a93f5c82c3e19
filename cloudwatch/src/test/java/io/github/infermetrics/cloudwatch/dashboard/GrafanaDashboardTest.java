package io.github.infermetrics.cloudwatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrafanaDashboardTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(DashboardSource.class)
  void dashboardJsonHasPanelsWithPrometheusTargets(DashboardSource source) throws Exception {
    GrafanaDashboard g = GrafanaDashboard.of(source);
    JsonNode d = JSON.readTree(g.json());
    assertThat(d.get("uid").asText()).isEqualTo("infermetrics-" + source.id());
    assertThat(d.get("schemaVersion").asInt()).isEqualTo(39);
    assertThat(d.get("templating").get("list").get(0).get("type").asText()).isEqualTo("datasource");
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    int exprs = 0;
    for (JsonNode p : d.get("panels")) {
      assertThat(ids.add(p.get("id").asInt())).isTrue();
      JsonNode pos = p.get("gridPos");
      assertThat(pos.get("x").asInt() + pos.get("w").asInt()).isLessThanOrEqualTo(24);
      assertThat(cells.add(pos.get("x").asInt() + "," + pos.get("y").asInt())).as("panels overlap").isTrue();
      assertThat(p.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
      assertThat(p.get("targets").size()).isPositive();
      for (JsonNode t : p.get("targets")) {
        String e = t.get("expr").asText();
        assertThat(balanced(e)).as(e).isTrue();
        exprs++;
      }
    }
    assertThat(exprs).isEqualTo(g.expressions().size());
  }

  @Test
  void vllmUsesCurrentNamesWithFallbacksForOldOnes() {
    var exprs = GrafanaDashboard.of(DashboardSource.VLLM).expressions();
    assertThat(exprs).contains("vllm:kv_cache_usage_perc{model_name=~\"$model_name\"}"
        + " or vllm:gpu_cache_usage_perc{model_name=~\"$model_name\"}");
    assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (le, model_name) (rate("
        + "vllm:inter_token_latency_seconds_bucket") && e.contains(" or rate(vllm:time_per_output_token_seconds_bucket"));
    assertThat(exprs).anyMatch(e -> e.contains("vllm:prefix_cache_hits_total")
        && e.contains("or sum by (model_name) (rate(vllm:gpu_prefix_cache_hits_total"));
    // a dead name only ever appears as the fallback after an "or"
    for (String e : exprs) {
      for (String dead : new String[] {"gpu_cache_usage_perc", "time_per_output_token_seconds", "gpu_prefix_cache"}) {
        if (e.contains(dead)) {
          assertThat(e.indexOf(" or ")).as(e).isPositive().isLessThan(e.indexOf(dead));
        }
      }
    }
  }

  @Test
  void tritonFallsBackToTheOldComputeCounter() {
    var exprs = GrafanaDashboard.of(DashboardSource.TRITON).expressions();
    assertThat(exprs).anyMatch(e -> e.startsWith("sum by (model) (rate(nv_inference_compute_infer_duration_us")
        && e.contains(" or sum by (model) (rate(nv_inference_compute_duration_us"));
    assertThat(exprs).noneMatch(e -> e.contains("nv_inference_load_ratio"));
  }

  private static boolean balanced(String e) {
    int depth = 0;
    for (char c : e.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }
}

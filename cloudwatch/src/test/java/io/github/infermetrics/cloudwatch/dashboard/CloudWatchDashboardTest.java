package io.github.infermetrics.cloudwatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CloudWatchDashboardTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<KpiSource> sources() {
    return GrafanaDashboardTest.sources();
  }

  @ParameterizedTest
  @MethodSource("sources")
  void bodyHasTheDocumentedStructureAndStaysWithinLimits(KpiSource source) throws Exception {
    CloudWatchDashboard d = CloudWatchDashboard.builder(source).namespace("infermetrics").region("us-west-2")
        .cluster("inference").build();
    JsonNode body = JSON.readTree(d.body());
    JsonNode widgets = body.get("widgets");
    assertThat(widgets.size()).isEqualTo(d.widgetCount()).isLessThanOrEqualTo(CloudWatchDashboard.MAX_WIDGETS);
    int metrics = 0;
    List<String> searched = new ArrayList<>();
    for (JsonNode w : widgets) {
      assertThat(w.get("type").asText()).isIn("metric", "log", "text");
      int x = w.get("x").asInt();
      int width = w.get("width").asInt();
      assertThat(x).isBetween(0, 23);
      assertThat(x + width).isLessThanOrEqualTo(CloudWatchDashboard.GRID_WIDTH);
      assertThat(w.get("height").asInt()).isBetween(1, 1000);
      JsonNode p = w.get("properties");
      switch (w.get("type").asText()) {
        case "metric" -> {
          assertThat(p.get("region").asText()).isEqualTo("us-west-2");
          assertThat(p.get("metrics").size()).isBetween(1, CloudWatchDashboard.MAX_METRICS_PER_WIDGET);
          metrics += p.get("metrics").size();
          for (JsonNode m : p.get("metrics")) {
            String e = m.get(0).get("expression").asText();
            assertThat(e).matches("SEARCH\\('Namespace=\"[^\"]+\" MetricName=\"[a-z0-9_]+\"( ClusterName=\"[^\"]+\")?', "
                + "'(Average|Maximum)', \\d+\\)");
            assertThat(m.get(0).get("id").asText()).matches("[a-z][a-zA-Z0-9_]*");
            searched.add(e);
          }
        }
        case "log" -> {
          assertThat(p.get("query").asText()).startsWith("SOURCE '/aws/containerinsights/inference/");
          assertThat(p.get("region").asText()).isEqualTo("us-west-2");
        }
        default -> assertThat(p.get("markdown").asText()).startsWith("# " + source.dashboard().orElseThrow().title());
      }
    }
    assertThat(metrics).isEqualTo(d.metricCount()).isLessThanOrEqualTo(CloudWatchDashboard.MAX_METRICS);
    // every KPI statistic of the source is charted under the EMF metric name
    for (Kpi kpi : source.dashboard().orElseThrow().kpis()) {
      for (KpiStatistic s : kpi.statistics()) {
        assertThat(searched).anyMatch(e -> e.contains("MetricName=\"" + kpi.metricName(s) + "\""));
      }
    }
  }

  @Test
  void latenciesHaveMeanAndPercentiles() {
    String body = CloudWatchDashboard.builder(KpiSources.installed().require("vllm")).build().body();
    assertThat(body).contains("MetricName=\\\"time_to_first_token_seconds_p95\\\"",
        "MetricName=\\\"time_to_first_token_seconds_mean\\\"", "MetricName=\\\"kv_cache_usage_ratio\\\"");
    assertThat(body).doesNotContain("\"type\": \"log\"");
  }

  @Test
  void neuronWithClusterAddsContainerInsightsWidgets() {
    String body = CloudWatchDashboard.builder(KpiSources.installed().require("neuron")).cluster("trn").build().body();
    assertThat(body).contains("node_neuroncore_utilization", "neuron-monitor", "node_neuroncore_limit");
  }

  @Test
  void builderRejectsBadValues() {
    var b = CloudWatchDashboard.builder(KpiSources.installed().require("triton"));
    assertThatThrownBy(() -> b.namespace("a\"b")).hasMessageStartingWith("namespace:");
    assertThatThrownBy(() -> b.namespace("AWS/EC2")).hasMessageStartingWith("namespace:");
    assertThatThrownBy(() -> b.region("mars")).hasMessageStartingWith("region:");
    assertThatThrownBy(() -> b.period(45)).hasMessageStartingWith("period:");
    assertThatThrownBy(() -> b.cluster("a b")).hasMessageStartingWith("cluster:");
    assertThatThrownBy(() -> KpiSources.installed().require("nosuch")).hasMessageStartingWith("no source named");
  }
}

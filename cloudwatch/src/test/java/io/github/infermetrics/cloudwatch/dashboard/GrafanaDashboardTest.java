package io.github.infermetrics.cloudwatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GrafanaDashboardTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<KpiSource> sources() {
    List<KpiSource> all = KpiSources.installed().all();
    assertThat(all).as("the test class path has the source modules").isNotEmpty();
    return all;
  }

  @ParameterizedTest
  @MethodSource("sources")
  void dashboardJsonHasPanelsWithPrometheusTargets(KpiSource source) throws Exception {
    GrafanaDashboard g = GrafanaDashboard.of(source);
    JsonNode d = JSON.readTree(g.json());
    assertThat(d.get("uid").asText()).isEqualTo("infermetrics-" + source.name());
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
  void theVariableAndPanelsComeFromTheDeclaration() throws Exception {
    SourceDashboard declared = SourceDashboard.builder("My server")
        .variable("model", "Model", "label_values(my_requests_total, model)")
        .panel("Requests", "reqps", SourceDashboard.query("sum by (model) (rate(my_requests_total[5m]))",
            "{{model}}"))
        .build();
    JsonNode d = JSON.readTree(GrafanaDashboard.of("mine", declared).json());
    assertThat(d.get("title").asText()).isEqualTo("My server (infermetrics)");
    assertThat(d.get("templating").get("list").get(1).get("query").asText())
        .isEqualTo("label_values(my_requests_total, model)");
    assertThat(d.get("panels").get(0).get("targets").get(0).get("expr").asText())
        .isEqualTo("sum by (model) (rate(my_requests_total[5m]))");
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

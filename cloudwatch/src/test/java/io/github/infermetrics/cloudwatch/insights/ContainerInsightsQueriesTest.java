package io.github.infermetrics.cloudwatch.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden renderings in src/test/resources/insights/catalogue/NAME.txt, reviewed by hand. */
class ContainerInsightsQueriesTest {
  static final CatalogueParameters PARAMS = CatalogueParameters.of("inference").withNamespace("serving")
      .withPodPattern("^vllm-.*").withThreshold(85);

  static Stream<CatalogueEntry> entries() {
    return ContainerInsightsQueries.entries().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void rendersTheGoldenText(CatalogueEntry e) throws IOException {
    CatalogueQuery q = e.query(PARAMS);
    String rendered = "# " + e.name() + ": " + e.description() + "\n# log groups: "
        + String.join(", ", q.logGroupNames()) + "\n" + q.query().text() + "\n";
    try (InputStream in = getClass().getResourceAsStream("/insights/catalogue/" + e.name() + ".txt")) {
      assertThat(in).as("golden file for " + e.name()).isNotNull();
      assertThat(rendered).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(q.name()).isEqualTo(e.name());
  }

  @Test
  void coversTheWalkthroughQueries() {
    assertThat(ContainerInsightsQueries.entries()).extracting(CatalogueEntry::name).contains("serving-pod-logs",
        "pod-resources", "pod-neuron", "nodes-over-cpu", "neuron-monitor-pods");
    assertThat(ContainerInsightsQueries.entry("pod-neuron").query(PARAMS).query().text())
        .contains("filter pod_neuroncore_usage_total > 0");
    assertThat(ContainerInsightsQueries.entry("nodes-over-cpu").query(CatalogueParameters.of("c")).query().text())
        .contains("node_cpu_utilization > 80");
  }

  @Test
  void withoutNamespaceOrPodThereIsNoPodFilter() {
    CatalogueQuery q = ContainerInsightsQueries.entry("serving-pod-logs").query(CatalogueParameters.of("c1"));
    assertThat(q.query().text()).isEqualTo("""
        fields @timestamp, kubernetes.namespace_name, kubernetes.pod_name, kubernetes.container_name, log
        | sort @timestamp desc
        | limit 200""");
    assertThat(q.logGroupNames()).containsExactly("/aws/containerinsights/c1/application");
    assertThat(q.widgetText()).startsWith("SOURCE '/aws/containerinsights/c1/application' | fields @timestamp");
  }

  @Test
  void aPodPatternCannotBreakOutOfItsRegex() {
    CatalogueQuery q = ContainerInsightsQueries.entry("pod-resources")
        .query(CatalogueParameters.of("c").withPodPattern("x/ or Type = \"Node\" | fields secret #"));
    assertThat(q.query().text()).contains("PodName =~ /x\\/ or Type = \"Node\" | fields secret #/");
  }

  @Test
  void parametersAreValidated() {
    assertThatThrownBy(() -> CatalogueParameters.of("bad/cluster")).hasMessageStartingWith("cluster:");
    assertThatThrownBy(() -> CatalogueParameters.of("c").withNamespace("Bad_NS")).hasMessageStartingWith("namespace:");
    assertThatThrownBy(() -> CatalogueParameters.of("c").withThreshold(101)).hasMessageStartingWith("threshold:");
    assertThatThrownBy(() -> CatalogueParameters.of("c").withPodPattern("a\\")).hasMessageStartingWith("podPattern:");
    // what a shell user types by mistake: refused with the reason, never sent as /([/
    assertThatThrownBy(() -> CatalogueParameters.of("c").withPodPattern("([")).hasMessage(
        "podPattern: not a valid regular expression: '([': unclosed character class at character 2");
    assertThatThrownBy(() -> ContainerInsightsQueries.entry("nope")).hasMessageStartingWith("catalogue: no query 'nope'");
  }
}

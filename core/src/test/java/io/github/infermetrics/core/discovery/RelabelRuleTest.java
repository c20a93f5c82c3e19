package io.github.infermetrics.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.discovery.RelabelRule.Action;
import io.github.infermetrics.core.snapshot.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Relabelling as Prometheus does it: relabel/cases.txt lists a rules file, input labels and the labels after the
 * rules (or DROP); the expectations follow Prometheus's model/relabel semantics (anchored regexes, Go's $-expansion,
 * empty values deleting labels, MD5 hashmod).
 */
class RelabelRuleTest {
  static Stream<Arguments> cases() {
    return TestData.cases(TestData.dir("relabel/cases.txt")).stream()
        .map(c -> Arguments.of(c[0], c[1], c[2]));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void appliesRulesAsPrometheus(String rulesFile, String input, String expected) {
    List<RelabelRule> rules = RelabelRule.read(TestData.dir("relabel").resolve(rulesFile));
    Map<String, String> labels = new TreeMap<>(TestData.labels(input).asMap());
    boolean kept = true;
    for (RelabelRule r : rules) {
      if (!r.apply(labels)) {
        kept = false;
        break;
      }
    }
    if (expected.equals("DROP")) {
      assertThat(kept).as("dropped").isFalse();
    } else {
      assertThat(kept).as("kept").isTrue();
      assertThat(Labels.of(labels)).isEqualTo(TestData.labels(expected));
    }
  }

  static Stream<Arguments> invalidCases() {
    return TestData.cases(TestData.dir("relabel/invalid_cases.txt")).stream().map(c -> Arguments.of(c[0], c[1]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void rejectsWhatPrometheusRejectsWithThePlace(String file, String message) {
    Path path = TestData.dir("relabel").resolve(file);
    assertThatThrownBy(() -> RelabelRule.read(path))
        .isInstanceOf(DiscoveryException.class)
        .hasMessage(path + ":" + message);
  }

  @Test
  void builderDefaultsAreTheConfigurationDefaults() {
    RelabelRule r = RelabelRule.builder(Action.REPLACE).targetLabel("x").build();
    assertThat(r.separator()).isEqualTo(";");
    assertThat(r.regex()).isEqualTo("(.*)");
    assertThat(r.replacement()).isEqualTo("$1");
    assertThat(r.sourceLabels()).isEmpty();
    assertThat(r).hasToString("{action: replace, target_label: x}");
    assertThat(RelabelRule.builder(Action.KEEP).sourceLabels("app").regex("vllm|sglang").build())
        .hasToString("{action: keep, source_labels: [app], regex: \"vllm|sglang\"}");
  }

  @Test
  void actionsParseInAnyCase() {
    assertThat(Action.of("LabelMap")).isEqualTo(Action.LABELMAP);
    assertThat(Action.HASHMOD.configName()).isEqualTo("hashmod");
    assertThatThrownBy(() -> Action.of("keep_if")).hasMessage("unknown relabel action \"keep_if\"");
  }

  @Test
  void namedGroupsInRe2SyntaxExpand() {
    RelabelRule r = RelabelRule.builder(Action.REPLACE).sourceLabels("a").regex("(?P<host>[^:]+):(?<port>\\d+)")
        .targetLabel("b").replacement("${port}@$host").build();
    Map<String, String> labels = new TreeMap<>(Map.of("a", "db:5432"));
    r.apply(labels);
    assertThat(labels).containsEntry("b", "5432@db");
  }

  @Test
  void groupNamesJavaCannotHoldAreRejectedClearly() {
    assertThatThrownBy(() -> RelabelRule.builder(Action.KEEP).regex("(?P<host_name>.*)").build())
        .hasMessage("regex \"(?P<host_name>.*)\": group name \"host_name\" is not supported: Java allows only letters"
            + " and digits, starting with a letter");
  }

  @Test
  void aLeadingBracketInAClassIsLiteralAsInRe2() {
    RelabelRule r = RelabelRule.builder(Action.KEEP).sourceLabels("a").regex("[]x]+").build();
    assertThat(r.apply(new TreeMap<>(Map.of("a", "]x]")))).isTrue();
    assertThat(r.apply(new TreeMap<>(Map.of("a", "y")))).isFalse();
  }

  @Test
  void verticalTabMeansTheCharacterAsInRe2() {
    RelabelRule r = RelabelRule.builder(Action.KEEP).sourceLabels("a").regex("a\\vb").build();
    assertThat(r.apply(new TreeMap<>(Map.of("a", "a\u000Bb")))).isTrue();
    assertThat(r.apply(new TreeMap<>(Map.of("a", "a\nb")))).isFalse();
  }
}

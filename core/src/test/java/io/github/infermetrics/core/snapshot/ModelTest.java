package io.github.infermetrics.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.exposition.MetricType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value classes: sorted, deduplicated labels; validating builders; matchers. */
class ModelTest {

  @Test
  void labelsAreSortedAndCompareByContent() {
    Labels l = Labels.of("version", "1", "model", "m", "gpu", "0");
    assertThat(l.name(0)).isEqualTo("gpu");
    assertThat(l.name(2)).isEqualTo("version");
    assertThat(l).isEqualTo(Labels.of(Map.of("model", "m", "gpu", "0", "version", "1")));
    assertThat(l.hashCode()).isEqualTo(Labels.of("gpu", "0", "model", "m", "version", "1").hashCode());
    assertThat(l.get("model")).isEqualTo("m");
    assertThat(l.get("nope")).isNull();
    assertThat(l.with("engine", "0").toString()).isEqualTo("{engine=\"0\",gpu=\"0\",model=\"m\",version=\"1\"}");
    assertThat(l.without("gpu").without("model").without("version")).isSameAs(Labels.EMPTY);
    assertThat(Labels.of("a", "x\"y\\z\nw").toString()).isEqualTo("{a=\"x\\\"y\\\\z\\nw\"}");
    assertThat(l.asMap()).containsExactly(Map.entry("gpu", "0"), Map.entry("model", "m"), Map.entry("version", "1"));
  }

  @Test
  void labelsRejectDuplicatesEmptyNamesAndNulls() {
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate label name a");
    assertThatThrownBy(() -> Labels.of("", "1")).hasMessage("label name at position 0 is empty");
    assertThatThrownBy(() -> Labels.of("a", null)).hasMessage("value of label a is null");
    assertThatThrownBy(() -> Labels.of("a")).hasMessage("expected name/value pairs, got an odd number of strings: 1");
  }

  @Test
  void matchersFollowPromQl() {
    Labels l = Labels.of("model", "densenet_onnx", "version", "1");
    assertThat(LabelMatcher.eq("model", "densenet_onnx").matches(l)).isTrue();
    assertThat(LabelMatcher.neq("model", "densenet_onnx").matches(l)).isFalse();
    assertThat(LabelMatcher.regex("model", "dense.*").matches(l)).isTrue();
    assertThat(LabelMatcher.regex("model", "dense").matches(l)).as("anchored").isFalse();
    assertThat(LabelMatcher.notRegex("version", "2|3").matches(l)).isTrue();
    assertThat(LabelMatcher.eq("gpu", "").matches(l)).as("absent matches empty").isTrue();
    assertThat(LabelMatcher.regex("a", "x|y").toString()).isEqualTo("a=~\"x|y\"");
  }

  @Test
  void histogramBuilderSortsBucketsAndRejectsNonsense() {
    HistogramPoint h = HistogramPoint.builder(Labels.EMPTY).bucket(Double.POSITIVE_INFINITY, 9).bucket(0.1, 3)
        .bucket(0.5, 7).count(9).sum(2.4).build();
    assertThat(h.upperBounds()).containsExactly(0.1, 0.5, Double.POSITIVE_INFINITY);
    assertThat(h.cumulativeCounts()).containsExactly(3, 7, 9);
    assertThat(h.hasCount()).isTrue();
    assertThat(h.hasTimestamp()).isFalse();
    assertThat(h).isEqualTo(HistogramPoint.builder(Labels.EMPTY).bucket(0.1, 3).bucket(0.5, 7)
        .bucket(Double.POSITIVE_INFINITY, 9).count(9).sum(2.4).build());
    assertThatThrownBy(() -> HistogramPoint.builder(Labels.EMPTY).bucket(1, 1).bucket(1, 2))
        .hasMessage("duplicate bucket le=1.0");
    assertThatThrownBy(() -> HistogramPoint.builder(Labels.EMPTY).bucket(Double.NaN, 1))
        .hasMessage("bucket upper bound (le) is NaN");
    assertThatThrownBy(() -> HistogramPoint.builder(Labels.of("le", "1")))
        .hasMessage("histogram point labels must not contain le: {le=\"1\"}");
  }

  @Test
  void summaryBuilderSortsQuantiles() {
    SummaryPoint s = SummaryPoint.builder(Labels.EMPTY).quantile(0.99, 2).quantile(0.5, 1).build();
    assertThat(s.quantile(0)).isEqualTo(0.5);
    assertThat(s.valueAt(0.99)).isEqualTo(2);
    assertThat(s.valueAt(0.9)).isNaN();
    assertThat(s.hasCount()).isFalse();
    assertThatThrownBy(() -> SummaryPoint.builder(Labels.EMPTY).quantile(0.5, 1).quantile(0.5, 2))
        .hasMessage("duplicate quantile 0.5");
  }

  @Test
  void familiesCheckThatPointsFitTheType() {
    MetricFamily f = MetricFamily.of("up", MetricType.GAUGE, "help", null,
        List.of(new GaugePoint(Labels.EMPTY, 1, MetricPoint.NO_TIMESTAMP)));
    assertThat(f.points()).hasSize(1);
    assertThatThrownBy(() -> MetricFamily.of("up", MetricType.COUNTER, null, null,
        List.of(new GaugePoint(Labels.EMPTY, 1, MetricPoint.NO_TIMESTAMP))))
        .hasMessage("family up of type COUNTER cannot hold a GaugePoint");
    assertThatThrownBy(() -> MetricSnapshot.of(null, List.of(f, f))).hasMessage("two families named up");
    assertThat(MetricSnapshot.of(null, List.of(f)).select("up", LabelMatcher.eq("x", ""))).hasSize(1);
  }
}

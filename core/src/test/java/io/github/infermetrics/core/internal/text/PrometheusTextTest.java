package io.github.infermetrics.core.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared lines of the text format, and that our own parser reads them back. */
class PrometheusTextTest {

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "plain|plain",
      "a\\b|a\\\\b",
      "say \"hi\"|say \\\"hi\\\"",
      "''|''",
      // only backslash, double quote and line feed are escaped; other control characters are written as they are
      "tab\there|tab\there"})
  void labelValues(String value, String expected) {
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendLabel(sb, "l", value);
    assertThat(sb.toString()).isEqualTo("l=\"" + expected + "\"");
  }

  @Test
  void labelValuesWithLineBreaksControlCharactersAndSurrogates() {
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendLabel(sb, "l", "a\nb\r\u0000\u001f\uD83D\uDE00\uD83D");
    assertThat(sb.toString()).isEqualTo("l=\"a\\nb\r\u0000\u001f\uD83D\uDE00\uD83D\"");
  }

  @Test
  void helpEscapesTheQuoteOnlyInOpenMetrics() {
    StringBuilder text = new StringBuilder();
    PrometheusText.appendHeader(text, "m", "a \"b\" \\ c\nd", "gauge", false);
    assertThat(text.toString()).isEqualTo("# HELP m a \"b\" \\\\ c\\nd\n# TYPE m gauge\n");
    StringBuilder om = new StringBuilder();
    PrometheusText.appendHeader(om, "m", "a \"b\" \\ c\nd", "gauge", true);
    assertThat(om.toString()).isEqualTo("# HELP m a \\\"b\\\" \\\\ c\\nd\n# TYPE m gauge\n");
  }

  @Test
  void samplesWithAndWithoutLabels() {
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendSample(sb, "up", Labels.EMPTY, "1");
    PrometheusText.appendSample(sb, "m", Labels.of("b", "x\"y", "a", "1"), FloatFormats.go(-0.0));
    // Labels keeps its names sorted
    assertThat(sb.toString()).isEqualTo("up 1\nm{a=\"1\",b=\"x\\\"y\"} -0\n");
    assertThat(Labels.of("b", "x\"y", "a", "1\n").toString()).isEqualTo("{a=\"1\\n\",b=\"x\\\"y\"}");
    assertThat(Labels.EMPTY.toString()).isEqualTo("{}");
  }

  @Test
  void whatItWritesReadsBack() {
    String odd = "back\\slash \"quoted\"\nline \uD83D\uDE00 caf\u00e9";
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendHeader(sb, "m", odd, "gauge", false);
    for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e21, 1e-7, Double.MIN_VALUE}) {
      PrometheusText.appendSample(sb, "m", Labels.of("v", odd, "x", Double.toString(v)), FloatFormats.go(v));
    }
    MetricSnapshot snapshot = new SnapshotReader().read(sb.toString().getBytes(StandardCharsets.UTF_8),
        ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(snapshot.families()).hasSize(1);
    assertThat(snapshot.families().get(0).help()).isEqualTo(odd);
    assertThat(snapshot.families().get(0).points()).hasSize(6)
        .allSatisfy(p -> assertThat(p.labels().get("v")).isEqualTo(odd));
  }
}

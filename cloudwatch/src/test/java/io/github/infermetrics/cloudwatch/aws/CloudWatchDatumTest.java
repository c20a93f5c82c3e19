package io.github.infermetrics.cloudwatch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CloudWatchDatumTest {
  static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  static Labels dimensions(int n) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pairs.add("d" + i);
      pairs.add("v");
    }
    return Labels.of(pairs.toArray(String[]::new));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.argumentSet("empty name", CloudWatchDatum.builder("").unit("Count"), "name"),
        Arguments.argumentSet("256-character name", CloudWatchDatum.builder("n".repeat(256)), "name"),
        Arguments.argumentSet("unknown unit", CloudWatchDatum.builder("n").unit("Tokens"), "unit"),
        Arguments.argumentSet("unit in the wrong case", CloudWatchDatum.builder("n").unit("seconds"), "unit"),
        Arguments.argumentSet("31 dimensions", CloudWatchDatum.builder("n").dimensions(dimensions(31)),
            "dimensions"),
        Arguments.argumentSet("1025-character dimension value",
            CloudWatchDatum.builder("n").dimension("k", "v".repeat(1025)), "dimensions"),
        Arguments.argumentSet("256-character dimension name",
            CloudWatchDatum.builder("n").dimension("k".repeat(256), "v"), "dimensions"),
        Arguments.argumentSet("NaN", CloudWatchDatum.builder("n").value(Double.NaN), "value"),
        Arguments.argumentSet("+Inf", CloudWatchDatum.builder("n").value(Double.POSITIVE_INFINITY), "value"),
        Arguments.argumentSet("above 2^360", CloudWatchDatum.builder("n").value(0x1p361), "value"),
        Arguments.argumentSet("resolution 30", CloudWatchDatum.builder("n").storageResolution(30),
            "storageResolution"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsWhatCloudWatchRejectsNamingTheField(CloudWatchDatum.Builder builder, String field) {
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
  }

  @Test
  void acceptsTheLimitsThemselves() {
    CloudWatchDatum d = CloudWatchDatum.builder("n".repeat(255)).unit("Count/Second").dimensions(dimensions(30))
        .dimension("d0", "v".repeat(1024)).value(-0x1p360).timestamp(T).highResolution().build();
    assertThat(d.dimensions().size()).isEqualTo(30);
    assertThat(d.highResolution()).isTrue();
  }

  @Test
  void leavesOutDimensionsWithAnEmptyValue() {
    CloudWatchDatum d = CloudWatchDatum.builder("n").dimension("model", "m").dimension("engine", "")
        .timestamp(T).build();
    assertThat(d.dimensions()).isEqualTo(Labels.of("model", "m"));
    assertThat(d.unit()).isEqualTo("None");
    assertThat(d.storageResolution()).isEqualTo(60);
  }

  @Test
  void knowsAll27Units() {
    assertThat(CloudWatchDatum.UNITS).hasSize(27).contains("Seconds", "Count/Second", "Terabits/Second", "None");
  }
}

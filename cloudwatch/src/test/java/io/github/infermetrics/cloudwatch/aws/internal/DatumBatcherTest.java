package io.github.infermetrics.cloudwatch.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.cloudwatch.aws.CloudWatchDatum;
import io.github.infermetrics.cloudwatch.aws.internal.DatumBatcher.DatumBatch;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatumBatcherTest {
  static final Instant T = Instant.parse("2026-11-23T10:00:30Z");

  static CloudWatchDatum datum(String name, double value, Instant at, int resolution) {
    return new CloudWatchDatum(name, "Count", Labels.of("model", "m"), value, at, resolution);
  }

  @Test
  void cutsAt1000Datums() {
    List<CloudWatchDatum> in = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      in.add(datum("m" + i, i, T, 60));
    }
    List<DatumBatch> batches = new DatumBatcher(1000, 1_000_000, 150).batches(in, "ns");
    assertThat(batches).extracting(b -> b.data().size()).containsExactly(1000, 1000, 500);
    assertThat(batches).extracting(DatumBatch::sourceDatums).containsExactly(1000, 1000, 500);
  }

  @Test
  void mergesWithinTheStoragePeriodOnly() {
    // standard resolution: 10:00:30 and 10:00:59 share the minute, 10:01:00 does not -> 2 datums
    // high resolution: 10:00:30.000 and 10:00:30.999 share the second, 10:00:31 does not -> 2 datums
    List<CloudWatchDatum> in = List.of(
        datum("a", 1, T, 60), datum("a", 1, T.plusSeconds(29), 60), datum("a", 1, T.plusSeconds(30), 60),
        datum("b", 1, T, 1), datum("b", 2, T.plusMillis(999), 1), datum("b", 2, T.plusSeconds(1), 1));
    DatumBatch batch = new DatumBatcher(1000, 1_000_000, 150).batches(in, "ns").get(0);
    assertThat(batch.data()).hasSize(4);
    assertThat(batch.sourceDatums()).isEqualTo(6);
    // "a" at 10:00:30 and 10:00:59: one value, 1, twice
    assertThat(batch.data().get(0).values()).containsExactly(1.0);
    assertThat(batch.data().get(0).counts()).containsExactly(2.0);
    assertThat(batch.data().get(1).value()).isEqualTo(1.0);
    assertThat(batch.data().get(2).values()).containsExactly(1.0, 2.0);
    assertThat(batch.data().get(2).counts()).containsExactly(1.0, 1.0);
  }

  @Test
  void differentDimensionsUnitsOrResolutionsAreDifferentMetrics() {
    List<CloudWatchDatum> in = List.of(
        new CloudWatchDatum("a", "Count", Labels.of("model", "x"), 1, T, 60),
        new CloudWatchDatum("a", "Count", Labels.of("model", "y"), 1, T, 60),
        new CloudWatchDatum("a", "Seconds", Labels.of("model", "x"), 1, T, 60),
        new CloudWatchDatum("a", "Count", Labels.of("model", "x"), 1, T, 1));
    assertThat(new DatumBatcher(1000, 1_000_000, 150).batches(in, "ns").get(0).data()).hasSize(4);
  }

  @Test
  void negativeZeroIsZero() {
    List<CloudWatchDatum> in = List.of(datum("a", 0.0, T, 60), datum("a", -0.0, T, 60));
    DatumBatch batch = new DatumBatcher(1000, 1_000_000, 150).batches(in, "ns").get(0);
    assertThat(batch.data().get(0).values()).containsExactly(0.0);
    assertThat(batch.data().get(0).counts()).containsExactly(2.0);
  }

  @Test
  void theByteEstimateGrowsWithTheUtf8LengthAndTheValues() {
    CloudWatchDatum ascii = new CloudWatchDatum("n", "Count", Labels.of("k", "aaaa"), 1, T, 60);
    CloudWatchDatum wide = new CloudWatchDatum("n", "Count", Labels.of("k", "éééé"), 1, T, 60);
    // é is 2 bytes in UTF-8: 4 more bytes
    assertThat(DatumBatcher.estimateBytes(wide, 1) - DatumBatcher.estimateBytes(ascii, 1)).isEqualTo(4);
    // each further distinct value adds a float64 to Values and to Counts
    assertThat(DatumBatcher.estimateBytes(ascii, 3) - DatumBatcher.estimateBytes(ascii, 2)).isEqualTo(18);
    assertThat(DatumBatcher.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
  }
}

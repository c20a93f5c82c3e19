package io.github.infermetrics.core.series;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Increases of whole families: new series from zero, resets remembered. */
class FamilyIncreasesTest {
  private static MetricSnapshot read(String text) {
    return new SnapshotReader().read(text.getBytes(UTF_8));
  }

  @Test
  void countersIncreaseSeriesNewInTheWindowCountFromZeroAndAResetIsRemembered() {
    MetricSnapshot before = read("# TYPE req_total counter\nreq_total{m=\"a\"} 10\nreq_total{m=\"b\"} 8\n");
    MetricSnapshot after = read("# TYPE req_total counter\nreq_total{m=\"a\"} 15\nreq_total{m=\"b\"} 3\n"
        + "req_total{m=\"c\"} 2\n");
    FamilyIncreases increases = new FamilyIncreases();
    Map<Labels, Double> out = increases.counter(before.family("req_total").orElse(null),
        after.family("req_total").orElse(null));
    assertThat(out).containsExactly(Map.entry(Labels.of("m", "a"), 5.0), Map.entry(Labels.of("m", "b"), 3.0),
        Map.entry(Labels.of("m", "c"), 2.0));
    assertThat(increases.reset()).isTrue();
    assertThat(increases.counter(null, null)).isEmpty();
  }

  @Test
  void histogramsGiveBucketIncreasesAndANewSeriesItsWholeCounts() {
    String head = "# TYPE t histogram\n";
    MetricSnapshot before = read(head + "t_bucket{le=\"1\"} 1\nt_bucket{le=\"+Inf\"} 2\nt_sum 1\nt_count 2\n");
    MetricSnapshot after = read(head + "t_bucket{le=\"1\"} 4\nt_bucket{le=\"+Inf\"} 6\nt_sum 5\nt_count 6\n"
        + "t_bucket{m=\"new\",le=\"1\"} 1\nt_bucket{m=\"new\",le=\"+Inf\"} 1\nt_sum{m=\"new\"} 0.5\n"
        + "t_count{m=\"new\"} 1\n");
    FamilyIncreases increases = new FamilyIncreases();
    Map<Labels, BucketCounts> out = increases.histogram(before.family("t").orElse(null),
        after.family("t").orElse(null));
    assertThat(out.get(Labels.EMPTY).count()).isEqualTo(4);
    assertThat(out.get(Labels.of("m", "new")).count()).isEqualTo(1);
    assertThat(increases.reset()).isFalse();
  }
}

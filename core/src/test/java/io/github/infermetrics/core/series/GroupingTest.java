package io.github.infermetrics.core.series;

import static io.github.infermetrics.core.series.BucketCountsTest.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sum by} and {@code sum without} over rates and histogram buckets. */
class GroupingTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double EXACT = 1e-12;

  @Test
  void groupLabelsFollowByAndWithout() {
    Labels s = Labels.of("model_name", "qwen3", "engine", "1", "instance", "a:8000", "empty", "");
    assertThat(Grouping.by("model_name").groupOf(s)).isEqualTo(Labels.of("model_name", "qwen3"));
    assertThat(Grouping.by("model_name", "missing").groupOf(s)).isEqualTo(Labels.of("model_name", "qwen3"));
    assertThat(Grouping.by().groupOf(s)).isSameAs(Labels.EMPTY);
    assertThat(Grouping.without("engine", "instance").groupOf(s)).as("empty values count as absent")
        .isEqualTo(Labels.of("model_name", "qwen3"));
    assertThat(Grouping.without().groupOf(s)).isEqualTo(Labels.of("model_name", "qwen3", "engine", "1",
        "instance", "a:8000"));
    assertThat(Grouping.by("b", "a")).hasToString("by (a, b)").isEqualTo(Grouping.by("a", "b"));
    assertThat(Grouping.without("le")).hasToString("without (le)").isNotEqualTo(Grouping.by("le"));
  }

  @Test
  void ratesSumPerGroup() {
    // generation tokens/s of two vLLM engines per model, and one of another model
    Map<Labels, Double> rates = new LinkedHashMap<>();
    rates.put(Labels.of("model_name", "qwen3", "engine", "0"), 120.5);
    rates.put(Labels.of("model_name", "llama", "engine", "0"), 80.0);
    rates.put(Labels.of("model_name", "qwen3", "engine", "1"), 99.25);
    assertThat(Grouping.by("model_name").sum(rates)).containsExactly(
        Map.entry(Labels.of("model_name", "qwen3"), 219.75), Map.entry(Labels.of("model_name", "llama"), 80.0));
    assertThat(Grouping.without("engine").sum(rates)).isEqualTo(Grouping.by("model_name").sum(rates));
    assertThat(Grouping.by().sum(rates)).containsExactly(Map.entry(Labels.EMPTY, 299.75));
    assertThat(Grouping.by("engine").sum(rates)).containsExactly(
        Map.entry(Labels.of("engine", "0"), 200.5), Map.entry(Labels.of("engine", "1"), 99.25));
  }

  @Test
  void sumsAreCompensatedLikePromQl() {
    // plain left-to-right addition gives 0 (1e100 swallows 1); PromQL's compensated sum keeps the 2
    Map<Labels, Double> values = new LinkedHashMap<>();
    values.put(Labels.of("i", "1"), 1.0);
    values.put(Labels.of("i", "2"), 1e100);
    values.put(Labels.of("i", "3"), 1.0);
    values.put(Labels.of("i", "4"), -1e100);
    assertThat(Grouping.by().sum(values).get(Labels.EMPTY)).isEqualTo(2.0);
    values.put(Labels.of("i", "5"), Double.NaN);
    assertThat(Grouping.by().sum(values).get(Labels.EMPTY)).isNaN();
  }

  /**
   * Mirrors histograms.test "request_duration_seconds" (buckets 0.1, 0.2, +Inf growing by a fixed step per 5 m)
   * with the increase between the scrapes at 45 m and 50 m: the increase per series is its step, and rate()'s
   * common factor does not change quantiles.
   */
  @Test
  void histogramsSumBucketWiseThenGiveQuantiles() {
    Map<Labels, BucketCounts> increases = new LinkedHashMap<>();
    increases.put(Labels.of("job", "job1", "instance", "ins1"), step(1, 3, 4));
    increases.put(Labels.of("job", "job1", "instance", "ins2"), step(2, 5, 6));
    increases.put(Labels.of("job", "job2", "instance", "ins1"), step(3, 4, 6));
    increases.put(Labels.of("job", "job2", "instance", "ins2"), step(4, 7, 9));

    BucketCounts all = Grouping.by().sumHistograms(increases).get(Labels.EMPTY);
    assertThat(all.cumulativeCounts()).containsExactly(10, 19, 25);
    assertThat(all.count()).isEqualTo(25);
    // histogram_quantile(0.3, sum(rate(..._bucket[10m])) by (le)) = 0.075, (0.5) = 0.12777...
    assertThat(all.quantile(0.3)).isCloseTo(0.075, within(EXACT));
    assertThat(all.quantile(0.5)).isCloseTo(0.1 + 0.1 * 2.5 / 9, within(EXACT));

    Map<Labels, BucketCounts> byJob = Grouping.by("job").sumHistograms(increases);
    assertThat(byJob.get(Labels.of("job", "job1")).quantile(0.3)).isCloseTo(0.1, within(EXACT));
    assertThat(byJob.get(Labels.of("job", "job2")).quantile(0.3)).isCloseTo(0.0642857142857143, within(EXACT));
    assertThat(byJob.get(Labels.of("job", "job1")).quantile(0.5)).isCloseTo(0.14, within(EXACT));
    assertThat(byJob.get(Labels.of("job", "job2")).quantile(0.5)).isCloseTo(0.1125, within(EXACT));
    assertThat(Grouping.without("instance").sumHistograms(increases)).isEqualTo(byJob);

    Map<Labels, BucketCounts> byInstance = Grouping.by("instance").sumHistograms(increases);
    assertThat(byInstance.get(Labels.of("instance", "ins1")).quantile(0.5)).isCloseTo(0.1 + 0.1 / 3, within(EXACT));
    assertThat(byInstance.get(Labels.of("instance", "ins2")).quantile(0.5)).isCloseTo(0.125, within(EXACT));
    assertThat(byInstance.get(Labels.of("instance", "ins1")).quantile(0.3)).isCloseTo(0.075, within(EXACT));
  }

  @Test
  void differentBucketLayoutsSumToTheUnionOfBounds() {
    Map<Labels, BucketCounts> increases = new LinkedHashMap<>();
    increases.put(Labels.of("gpu", "0"), BucketCounts.of(histogram(new double[] {0.1, 0.5, INF},
        new double[] {2, 6, 8}, 8, 2)));
    increases.put(Labels.of("gpu", "1"), BucketCounts.of(HistogramPoint.builder(Labels.of("gpu", "1"))
        .bucket(0.1, 4).bucket(INF, 10).sum(3).build()));
    BucketCounts sum = Grouping.without("gpu").sumHistograms(increases).get(Labels.EMPTY);
    // le=0.5 only has gpu 0's count: 6 after 0.1's 6, and +Inf's 18
    assertThat(sum.upperBounds()).containsExactly(0.1, 0.5, INF);
    assertThat(sum.cumulativeCounts()).containsExactly(6, 6, 18);
    // gpu 1 has no _count: the _count sum is gpu 0's only, the _sum both
    assertThat(sum.count()).isEqualTo(8);
    assertThat(sum.sum()).isEqualTo(5);
    // rank 4.5 of 18: 0.1 x 4.5/6; rank 9 is in +Inf -> the largest finite bound
    assertThat(sum.quantile(0.25)).isCloseTo(0.075, within(EXACT));
    assertThat(sum.quantile(0.5)).isEqualTo(0.5);
  }

  @Test
  void aRestartInOneSeriesMarksTheGroup() {
    Map<Labels, BucketCounts> increases = new LinkedHashMap<>();
    increases.put(Labels.of("engine", "0"), BucketCounts.increase(
        histogram(new double[] {1, INF}, new double[] {5, 10}, 10, 4), histogram(new double[] {1, INF},
            new double[] {1, 2}, 2, 1)));
    increases.put(Labels.of("engine", "1"), step(1, 2, 2));
    BucketCounts sum = Grouping.by().sumHistograms(increases).get(Labels.EMPTY);
    assertThat(sum.reset()).isTrue();
  }

  /** The increase between 9 and 10 steps of a series growing by the given amounts per step. */
  private static BucketCounts step(double le01, double le02, double inf) {
    double[] bounds = {0.1, 0.2, INF};
    HistogramPoint before = histogram(bounds, new double[] {9 * le01, 9 * le02, 9 * inf}, 9 * inf, 0);
    HistogramPoint after = histogram(bounds, new double[] {10 * le01, 10 * le02, 10 * inf}, 10 * inf, 0);
    return BucketCounts.increase(before, after);
  }
}

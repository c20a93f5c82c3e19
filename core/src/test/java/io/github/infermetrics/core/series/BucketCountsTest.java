package io.github.infermetrics.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classic histogram quantiles and increases, against hand-computed PromQL results. */
class BucketCountsTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double EXACT = 1e-12;

  // mirrors histograms.test "testhistogram" at 50m, start="positive": 0.1:50, 0.2:70, 1:110, +Inf:120
  private static final double[] POSITIVE_BOUNDS = {0.1, 0.2, 1, INF};
  private static final double[] POSITIVE_COUNTS = {50, 70, 110, 120};
  // start="negative": -0.2:10, -0.1:20, 0.3:20, +Inf:30
  private static final double[] NEGATIVE_BOUNDS = {-0.2, -0.1, 0.3, INF};
  private static final double[] NEGATIVE_COUNTS = {10, 20, 20, 30};

  @ParameterizedTest(name = "q={0}: positive {1}, negative {2}")
  @CsvSource({
      // rank 0 lands in the first bucket: positive interpolates from 0, negative returns its bound
      "0, 0, -0.2",
      // rank 24 of 120: 0.1 x 24/50; rank 6 of 30 in the first negative bucket
      "0.2, 0.048, -0.2",
      // rank 60: 0.1 + 0.1 x 10/20; rank 15: -0.2 + 0.1 x 5/10
      "0.5, 0.15, -0.15",
      // rank 96: 0.2 + 0.8 x 26/40; rank 24 is in +Inf: the largest finite bound
      "0.8, 0.72, 0.3",
      // everything: in the +Inf bucket for both
      "1, 1, 0.3",
  })
  void quantileMirrorsUpstreamTestHistogram(double q, double positive, double negative) {
    assertThat(BucketCounts.quantile(q, POSITIVE_BOUNDS, POSITIVE_COUNTS)).isCloseTo(positive, within(EXACT));
    assertThat(BucketCounts.quantile(q, NEGATIVE_BOUNDS, NEGATIVE_COUNTS)).isCloseTo(negative, within(EXACT));
  }

  @ParameterizedTest(name = "q={0} -> {1}")
  @CsvSource({"0.16666666666666666, 1", "0.5, 3", "0.8333333333333334, 5"})
  void quantilesInTheMiddleOfBuckets(double q, double expected) {
    // mirrors histograms.test "testhistogram2": 0:0, 2:10, 4:20, 6:30, +Inf:30
    assertThat(BucketCounts.quantile(q, new double[] {0, 2, 4, 6, INF}, new double[] {0, 10, 20, 30, 30}))
        .isCloseTo(expected, within(EXACT));
  }

  @Test
  void outOfRangeQuantiles() {
    assertThat(BucketCounts.quantile(-0.1, POSITIVE_BOUNDS, POSITIVE_COUNTS)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(BucketCounts.quantile(1.01, POSITIVE_BOUNDS, POSITIVE_COUNTS)).isEqualTo(INF);
    assertThat(BucketCounts.quantile(Double.NaN, POSITIVE_BOUNDS, POSITIVE_COUNTS)).isNaN();
    // the quantile is checked before anything else, as in PromQL
    assertThat(BucketCounts.quantile(2, new double[0], new double[0])).isEqualTo(INF);
  }

  @Test
  void degenerateHistogramsGiveNaN() {
    assertThat(BucketCounts.quantile(0.5, new double[] {0.1, 1}, new double[] {1, 2})).as("no +Inf").isNaN();
    assertThat(BucketCounts.quantile(0.5, new double[] {INF}, new double[] {5})).as("one bucket").isNaN();
    assertThat(BucketCounts.quantile(0.5, new double[0], new double[0])).as("no buckets").isNaN();
    assertThat(BucketCounts.quantile(0.5, new double[] {0.1, 0.2, INF}, new double[] {0, 0, 0}))
        .as("no observations").isNaN();
    assertThat(BucketCounts.quantile(1, new double[] {0, 1, 2, INF}, new double[] {0, 0, 0, 0}))
        .as("histograms.test const_histogram: zero rates").isNaN();
  }

  @Test
  void equalBoundsAreMergedAndOrderDoesNotMatter() {
    // mirrors histograms.test "mixed_bucket" ins1: le 0.1, 0.2, 2e-1, 2.0e-1 each 10, +Inf 40 -> 0.1:10, 0.2:30
    double[] bounds = {0.2, INF, 0.1, 0.2, 0.2};
    double[] counts = {10, 40, 10, 10, 10};
    assertThat(BucketCounts.quantile(0.5, bounds, counts)).isCloseTo(0.15, within(EXACT));
    assertThat(BucketCounts.quantile(0.75, bounds, counts)).isCloseTo(0.2, within(EXACT));
    assertThat(BucketCounts.quantile(1, bounds, counts)).isCloseTo(0.2, within(EXACT));
    assertThat(bounds).as("inputs untouched").containsExactly(0.2, INF, 0.1, 0.2, 0.2);
    // ins2: "+inf" and "+Inf" are one bucket, leaving fewer than two
    assertThat(BucketCounts.quantile(0.5, new double[] {INF, INF}, new double[] {0, 0})).isNaN();
  }

  @ParameterizedTest(name = "q={0} -> {1}")
  @CsvSource({"0.01, 0.0045", "0.5, 8.5", "0.99, 979.75"})
  void nonMonotonicCountsAreLiftedToTheCountBefore(double q, double expected) {
    // mirrors histograms.test "nonmonotonic_bucket": 20, 10, 50, 40, 90, 80 read as 20, 20, 50, 50, 90, 90
    double[] bounds = {0.1, 1, 10, 100, 1000, INF};
    double[] counts = {20, 10, 50, 40, 90, 80};
    assertThat(BucketCounts.quantile(q, bounds, counts)).isCloseTo(expected, within(1e-9));
  }

  @Test
  void tinyRelativeDifferencesAreIgnoredInBothDirections() {
    // 1e13 then 1e13 + 2: a relative step of 1e-13, below PromQL's 1e-12 tolerance, so the second bucket is read
    // as 1e13. The median's rank 1e13 + 1 then falls into (2, 4] at its very start instead of half way into (1, 2].
    double[] bounds = {1, 2, 4, INF};
    double[] noise = {1e13, 1e13 + 2, 2e13 + 2, 2e13 + 2};
    assertThat(BucketCounts.quantile(0.5, bounds, noise)).isCloseTo(2, within(1e-9)).isGreaterThan(2);
    // a relative step of 1e-11 is real: rank 1e11 + 1 is half way into (1, 2]
    double[] real = {1e11, 1e11 + 2, 2e11 + 2, 2e11 + 2};
    assertThat(BucketCounts.quantile(0.5, bounds, real)).isEqualTo(1.5);
    // the same tolerance applies downwards, where the lift would have happened anyway
    double[] down = {1e13 + 2, 1e13, 2e13 + 2, 2e13 + 2};
    assertThat(BucketCounts.quantile(0.5, bounds, down)).isEqualTo(1 * (1e13 + 1) / (1e13 + 2));
  }

  @Test
  void quantileRejectsMalformedArrays() {
    assertThatThrownBy(() -> BucketCounts.quantile(0.5, new double[] {1, INF}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("2 bounds but 1 counts");
    assertThatThrownBy(() -> BucketCounts.quantile(0.5, new double[] {Double.NaN, INF}, new double[] {1, 2}))
        .hasMessage("bucket upper bound is NaN");
  }

  @Test
  void increaseSubtractsBucketByBucket() {
    HistogramPoint before = histogram(new double[] {0.1, 0.5, INF}, new double[] {10, 30, 40}, 40, 6.0);
    HistogramPoint after = histogram(new double[] {0.1, 0.5, INF}, new double[] {16, 46, 60}, 60, 10.5);
    BucketCounts b = BucketCounts.increase(before, after);
    assertThat(b.upperBounds()).containsExactly(0.1, 0.5, INF);
    assertThat(b.cumulativeCounts()).containsExactly(6, 16, 20);
    assertThat(b.count()).isEqualTo(20);
    assertThat(b.sum()).isEqualTo(4.5);
    assertThat(b.reset()).isFalse();
    assertThat(b.mean()).hasValue(0.225);
    // rank 10 of 20: 0.1 + 0.4 x 4/10; rank 19: 16 < 19 <= 20 is in +Inf -> 0.5
    assertThat(b.quantile(0.5)).isCloseTo(0.26, within(EXACT));
    assertThat(b.quantile(0.95)).isEqualTo(0.5);
    // the quantile in the first bucket: rank 2 of 20 -> 0.1 x 2/6
    assertThat(b.quantile(0.1)).isCloseTo(0.1 / 3, within(EXACT));
  }

  @Test
  void windowWithoutTrafficHasNoMeanAndNaNQuantiles() {
    HistogramPoint h = histogram(new double[] {0.1, INF}, new double[] {3, 5}, 5, 0.7);
    BucketCounts b = BucketCounts.increase(h, h);
    assertThat(b.count()).isZero();
    assertThat(b.mean()).isEmpty();
    assertThat(b.quantile(0.5)).isNaN();
    assertThat(b.quantile(0.99)).isNaN();
  }

  @Test
  void emptyHistogramHasNoMeanAndNaNQuantiles() {
    BucketCounts b = BucketCounts.of(histogram(new double[] {0.1, INF}, new double[] {0, 0}, 0, 0));
    assertThat(b.mean()).isEmpty();
    assertThat(b.quantile(0.5)).isNaN();
    BucketCounts noCount = BucketCounts.of(HistogramPoint.builder(Labels.EMPTY).bucket(1, 1).bucket(INF, 2).build());
    assertThat(noCount.mean()).as("no _count/_sum").isEmpty();
    assertThat(noCount.quantile(0.5)).isCloseTo(1, within(EXACT));
  }

  @Test
  void restartIsCountedPerBucketAsPromQlDoesAndFlagged() {
    // vLLM restarted between scrapes: _count fell from 1200 to 9. Bucket 0.5 had 5 before the restart and 7 after:
    // PromQL's per-bucket rule sees 7 - 5 = 2 (not the true 7); 0.1 (2 -> 1) and +Inf (1200 -> 9) went down and
    // count from zero. We give PromQL's numbers and flag the window.
    HistogramPoint before = histogram(new double[] {0.1, 0.5, INF}, new double[] {2, 5, 1200}, 1200, 900);
    HistogramPoint after = histogram(new double[] {0.1, 0.5, INF}, new double[] {1, 7, 9}, 9, 3.5);
    BucketCounts b = BucketCounts.increase(before, after);
    assertThat(b.reset()).isTrue();
    assertThat(b.cumulativeCounts()).containsExactly(1, 2, 9);
    assertThat(b.count()).isEqualTo(9);
    assertThat(b.sum()).isEqualTo(3.5);
    assertThat(b.mean()).hasValue(3.5 / 9);
    // histogram_quantile(0.5, ...) on 1, 2, 9: rank 4.5 falls in +Inf -> the largest finite bound
    assertThat(b.quantile(0.5)).isEqualTo(0.5);
  }

  @Test
  void aBucketThatWentDownAloneIsResetAloneAndTheQuantileRepairsTheResult() {
    // _count grew (30 -> 35); bucket 2 alone went 20 -> 19 and counts as reset: its increase is 19
    HistogramPoint before = histogram(new double[] {1, 2, INF}, new double[] {10, 20, 30}, 30, 40);
    HistogramPoint after = histogram(new double[] {1, 2, INF}, new double[] {12, 19, 35}, 35, 48);
    BucketCounts b = BucketCounts.increase(before, after);
    assertThat(b.reset()).isTrue();
    assertThat(b.cumulativeCounts()).containsExactly(2, 19, 5);
    // repaired to 2, 19, 19: rank 9.5 -> 1 + 1 x 7.5/17
    assertThat(b.quantile(0.5)).isCloseTo(1 + 7.5 / 17, within(EXACT));
  }

  @Test
  void withoutCountADecreasingBucketIsTheReset() {
    HistogramPoint before = HistogramPoint.builder(Labels.EMPTY).bucket(1, 8).bucket(INF, 10).build();
    HistogramPoint after = HistogramPoint.builder(Labels.EMPTY).bucket(1, 9).bucket(INF, 9).build();
    BucketCounts b = BucketCounts.increase(before, after);
    assertThat(b.reset()).isTrue();
    assertThat(b.cumulativeCounts()).containsExactly(1, 9);
    assertThat(b.count()).isNaN();
    assertThat(b.mean()).isEmpty();
  }

  @Test
  void increaseKeepsOnlyBoundsInBothScrapes() {
    // a deploy added le=0.25 and dropped le=1: as separate PromQL series, neither has an increase
    HistogramPoint before = histogram(new double[] {0.1, 0.5, 1, INF}, new double[] {1, 2, 3, 4}, 4, 1);
    HistogramPoint after = histogram(new double[] {0.1, 0.25, 0.5, INF}, new double[] {2, 4, 6, 8}, 8, 3);
    BucketCounts b = BucketCounts.increase(before, after);
    assertThat(b.upperBounds()).containsExactly(0.1, 0.5, INF);
    assertThat(b.cumulativeCounts()).containsExactly(1, 4, 4);
  }

  @Test
  void extrapolationScalesBucketsAlikeUnlessTheZeroStopCutsIn() {
    // scrapes at 0 s and 60 s, range (-6 s, 60 s]: 6 s of backwards extrapolation, factor 66/60 = 1.1
    HistogramPoint before = histogram(new double[] {1, INF}, new double[] {5, 10}, 10, 8);
    HistogramPoint after = histogram(new double[] {1, INF}, new double[] {15, 30}, 30, 24);
    BucketCounts e = BucketCounts.extrapolatedIncrease(before, 0, after, 60_000, -6_000, 60_000);
    assertThat(e.cumulativeCount(0)).isCloseTo(11, within(EXACT));
    assertThat(e.cumulativeCount(1)).isCloseTo(22, within(EXACT));
    assertThat(e.count()).isCloseTo(22, within(EXACT));
    assertThat(e.sum()).isCloseTo(17.6, within(EXACT));
    // the same factor everywhere: the same quantile as the plain increase (rank 5 of 20 -> 1 x 5/10)
    assertThat(e.quantile(0.25)).isCloseTo(BucketCounts.increase(before, after).quantile(0.25), within(EXACT))
        .isCloseTo(0.5, within(EXACT));

    // bucket 1 was empty before: its zero point is the first sample, so it is not extrapolated (10), while
    // +Inf (10 -> 30, zero point 30 s back) is (22): rank 5.5 -> 0.55 instead of the plain increase's 0.5
    HistogramPoint emptyBefore = histogram(new double[] {1, INF}, new double[] {0, 10}, 10, 8);
    HistogramPoint emptyAfter = histogram(new double[] {1, INF}, new double[] {10, 30}, 30, 24);
    BucketCounts skewed = BucketCounts.extrapolatedIncrease(emptyBefore, 0, emptyAfter, 60_000, -6_000, 60_000);
    assertThat(skewed.cumulativeCounts()[0]).isEqualTo(10);
    assertThat(skewed.quantile(0.25)).isCloseTo(0.55, within(EXACT));
    assertThat(BucketCounts.increase(emptyBefore, emptyAfter).quantile(0.25)).isCloseTo(0.5, within(EXACT));
  }

  @Test
  void extrapolationOnTheBoundariesIsThePlainIncrease() {
    // Prometheus 2's closed range with the samples on its boundaries: factor 1 for every bucket
    HistogramPoint before = histogram(new double[] {1, INF}, new double[] {0, 10}, 10, 8);
    HistogramPoint after = histogram(new double[] {1, INF}, new double[] {10, 30}, 30, 24);
    assertThat(BucketCounts.extrapolatedIncrease(before, 0, after, 60_000, 0, 60_000))
        .isEqualTo(BucketCounts.increase(before, after));
  }

  @Test
  void currentStateOfAGaugeHistogram() {
    BucketCounts b = BucketCounts.of(histogram(new double[] {1, 2, INF}, new double[] {2, 6, 8}, 8, 10));
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.upperBound(1)).isEqualTo(2);
    assertThat(b.cumulativeCount(1)).isEqualTo(6);
    assertThat(b.mean()).hasValue(1.25);
    // rank 4 of 8: 1 + 1 x 2/4
    assertThat(b.quantile(0.5)).isCloseTo(1.5, within(EXACT));
  }

  static HistogramPoint histogram(double[] bounds, double[] counts, double count, double sum) {
    return histogram(Labels.EMPTY, bounds, counts, count, sum);
  }

  static HistogramPoint histogram(Labels labels, double[] bounds, double[] counts, double count, double sum) {
    HistogramPoint.Builder b = HistogramPoint.builder(labels);
    for (int i = 0; i < bounds.length; i++) {
      b.bucket(bounds[i], counts[i]);
    }
    return b.count(count).sum(sum).build();
  }
}

package io.github.infermetrics.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Counter and gauge math against hand-computed PromQL results. */
class RatesTest {
  private static final double EXACT = 1e-12;

  @ParameterizedTest(name = "{0} -> {1}: increase {2}, rate over {3}s {4}")
  @CsvSource({
      // plain growth
      "10, 25, 15, 15, 1",
      "0, 0, 0, 30, 0",
      // server restart between scrapes: the counter went on from 0, so all of the new value is increase
      "1200, 40, 40, 15, 2.6666666666666665",
      "5, 0, 0, 10, 0",
      // fractional counters (Triton's energy in joules)
      "4879631.5, 4879641.75, 10.25, 5, 2.05",
  })
  void increaseAndRateFollowIrate(double previous, double current, double increase, double seconds, double rate) {
    assertThat(Rates.increase(previous, current)).isEqualTo(increase);
    assertThat(Rates.rate(previous, current, seconds)).isCloseTo(rate, within(EXACT));
  }

  @Test
  void nanSamplesGiveNaNAsIrateDoes() {
    // mirrors functions.test "irate(http_requests_nan[15m1s])" over 1 NaN NaN 5 11 at 5 m spacing
    assertThat(Rates.rate(1, Double.NaN, 300)).isNaN();
    assertThat(Rates.rate(Double.NaN, Double.NaN, 300)).isNaN();
    assertThat(Rates.rate(Double.NaN, 5, 300)).isNaN();
    assertThat(Rates.rate(5, 11, 300)).isCloseTo(0.02, within(EXACT));
  }

  @Test
  void noTimeBetweenSamplesGivesNoRate() {
    assertThat(Rates.rate(1, 2, 0)).isNaN();
    assertThat(Rates.rate(1, 2, -1)).isNaN();
    assertThat(Rates.rate(1, 2, Double.NaN)).isNaN();
  }

  @Test
  void twoSamplesExtrapolateToANearRangeStart() {
    // 100 @ 0 s, 160 @ 60 s, x[65s] at 60 s: the start is 5 s before the first sample, within 1.1 x 60 s, so the
    // 60 spread over 60 s is extrapolated over 65 s; the zero point (100 s back) is farther than the start
    assertThat(Rates.extrapolatedIncrease(100, 0, 160, 60_000, -5_000, 60_000)).isCloseTo(65, within(EXACT));
    assertThat(Rates.extrapolatedRate(100, 0, 160, 60_000, -5_000, 60_000)).isCloseTo(1, within(EXACT));
  }

  @Test
  void twoSamplesOnTheBoundariesAreNotExtrapolated() {
    // Prometheus 2 semantics (closed range): both samples on the boundaries give the plain difference
    assertThat(Rates.extrapolatedIncrease(100, 0, 160, 60_000, 0, 60_000)).isEqualTo(60);
    assertThat(Rates.extrapolatedIncrease(100, 0, 40, 60_000, 0, 60_000)).as("reset").isEqualTo(40);
  }

  @Test
  void aFarRangeStartExtrapolatesHalfAnInterval() {
    // start 120 s before the first sample, beyond 1.1 x 60 s: extrapolate 30 s only -> 60 x 90/60 = 90 over 180 s
    assertThat(Rates.extrapolatedIncrease(100, 0, 160, 60_000, -120_000, 60_000)).isCloseTo(90, within(EXACT));
    assertThat(Rates.extrapolatedRate(100, 0, 160, 60_000, -120_000, 60_000)).isCloseTo(0.5, within(EXACT));
    // the same at the end: 40 s after the last sample is within 66 s, so all of it counts -> 60 x 105/60
    assertThat(Rates.extrapolatedIncrease(100, 0, 160, 60_000, -5_000, 100_000)).isCloseTo(105, within(EXACT));
  }

  @Test
  void counterExtrapolationStopsAtZero() {
    // 1 @ 0 s, 61 @ 60 s, start 30 s back: the counter would have been 0 one second before the first sample
    assertThat(Rates.extrapolatedIncrease(1, 0, 61, 60_000, -30_000, 60_000)).isCloseTo(61, within(EXACT));
    // a counter starting from 0 is not extrapolated backwards at all
    assertThat(Rates.extrapolatedIncrease(0, 0, 60, 60_000, -30_000, 60_000)).isCloseTo(60, within(EXACT));
  }

  @Test
  void zeroCutoffMirrorsUpstreamRateTest() {
    // mirrors functions.test "rate(testcounter_zero_cutoff_total[20m])" at 10m, load 4m:
    // start="1m" series 60+240x10 -> samples 60 @ 0, 300 @ 4m, 540 @ 8m in (-10m, 10m]
    long[] t = {0, 240_000, 480_000};
    assertThat(Rates.extrapolatedRate(t, new double[] {60, 300, 540}, -600_000, 600_000))
        .isCloseTo(0.55, within(EXACT));
    // start="0m": 0, 240, 480 -> no backwards extrapolation, 2 m forwards: 480 x 600/480 / 1200
    assertThat(Rates.extrapolatedRate(t, new double[] {0, 240, 480}, -600_000, 600_000))
        .isCloseTo(0.5, within(EXACT));
    // start="3m": 180, 420, 660 -> the zero point (6 m back) is beyond half an interval (2 m): 480 x 720/480 / 1200
    assertThat(Rates.extrapolatedRate(t, new double[] {180, 420, 660}, -600_000, 600_000))
        .isCloseTo(0.6, within(EXACT));
  }

  @Test
  void resetsInsideTheRangeAddTheValueBeforeTheReset() {
    // mirrors functions.test "increase(http_requests_total[30m])" at 30m over 0 1 2 3 2 3 4 (load 5m); the
    // range is left-open, so the sample at 0 is out: 1 2 3 2 3 4 -> 3 + 3 (reset after 3), extrapolated
    // 250 s back (to the zero point) over 1500 s: 6 x 1750/1500 = 7
    long[] t = {300_000, 600_000, 900_000, 1_200_000, 1_500_000, 1_800_000};
    double[] v = {1, 2, 3, 2, 3, 4};
    assertThat(Rates.extrapolatedIncrease(t, v, 0, 1_800_000)).isCloseTo(7, within(EXACT));
  }

  @Test
  void resetInTheMiddleMirrorsUpstreamRateTest() {
    // mirrors functions.test "rate(testcounter_reset_middle_total[50m])" at 50m: 0+27x4 0+27x5, left-open
    // -> 27 54 81 108 0 27 54 81 108 135 at 5m..50m: 135 - 27 + 108 = 216, x 3000/2700 = 240, / 3000 s
    long[] t = new long[10];
    for (int i = 0; i < 10; i++) {
      t[i] = (i + 1) * 300_000L;
    }
    double[] v = {27, 54, 81, 108, 0, 27, 54, 81, 108, 135};
    assertThat(Rates.extrapolatedRate(t, v, 0, 3_000_000)).isCloseTo(0.08, within(EXACT));
  }

  @Test
  void longRangesMirrorUpstreamIncreaseTest() {
    // mirrors functions.test "increase(http_requests_total[100m])" at 50m, samples at 0..50m every 5m
    long[] t = new long[11];
    for (int i = 0; i <= 10; i++) {
      t[i] = i * 300_000L;
    }
    assertThat(Rates.extrapolatedIncrease(t, series(0, 10), -3_000_000, 3_000_000)).as("/foo")
        .isCloseTo(100, within(EXACT));
    assertThat(Rates.extrapolatedIncrease(t, series(10, 10), -3_000_000, 3_000_000)).as("/dings")
        .isCloseTo(105, within(EXACT));
    assertThat(Rates.extrapolatedIncrease(t, series(1, 10), -3_000_000, 3_000_000)).as("/bumms")
        .isCloseTo(101, within(EXACT));
  }

  @Test
  void deltaIsNotACounter() {
    // mirrors functions.test "delta(http_requests[20m])" at 20m over 0 50 100 150 200 (left-open: 50..200)
    long[] t = {300_000, 600_000, 900_000, 1_200_000};
    assertThat(Rates.extrapolatedDelta(t, new double[] {50, 100, 150, 200}, 0, 1_200_000))
        .isCloseTo(200, within(EXACT));
    assertThat(Rates.extrapolatedDelta(t, new double[] {150, 100, 50, 0}, 0, 1_200_000))
        .isCloseTo(-200, within(EXACT));
    // increase() would read the falling gauge as resets
    assertThat(Rates.extrapolatedIncrease(t, new double[] {150, 100, 50, 0}, 0, 1_200_000)).isPositive();
  }

  @Test
  void fewerThanTwoSamplesGiveNoResult() {
    assertThat(Rates.extrapolatedIncrease(new long[] {10}, new double[] {1}, 0, 60)).isNaN();
    assertThat(Rates.extrapolatedRate(new long[0], new double[0], 0, 60)).isNaN();
  }

  @Test
  void samplesMustBeInsideTheRangeAndOrdered() {
    assertThatThrownBy(() -> Rates.extrapolatedIncrease(1, 0, 2, 10, 5, 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the range");
    assertThatThrownBy(() -> Rates.extrapolatedIncrease(1, 10, 2, 10, 0, 20))
        .hasMessageContaining("timestamps must increase");
    assertThatThrownBy(() -> Rates.extrapolatedIncrease(new long[] {1, 2}, new double[] {1}, 0, 5))
        .hasMessageContaining("2 timestamps but 1 values");
    assertThatThrownBy(() -> Rates.extrapolatedDelta(new long[] {1, 2}, new double[] {1, 2}, 5, 5))
        .hasMessageContaining("empty range");
  }

  private static double[] series(double start, double step) {
    double[] v = new double[11];
    for (int i = 0; i < v.length; i++) {
      v[i] = start + i * step;
    }
    return v;
  }
}

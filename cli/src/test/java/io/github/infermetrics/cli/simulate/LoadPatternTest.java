package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LoadPatternTest {

  @ParameterizedTest(name = "{0} at {1} ms = {2}")
  @CsvSource({
      "steady:5, 0, 5",
      "steady:5, 99000, 5",
      "steady:0.5, 1000, 0.5",
      // ramp 1 -> 20 over 60 s: at 30 s, 1 + 19 * 0.5 = 10.5; after the ramp it stays at 20
      "ramp:1-20/60s, 0, 1",
      "ramp:1-20/60s, 30000, 10.5",
      "ramp:1-20/60s, 60000, 20",
      "ramp:1-20/60s, 600000, 20",
      "ramp:10-0/1m, 15000, 7.5",
      // burst 2 -> 30, every 20 s for 5 s: 0..5 s peak, 5..20 s base, 20..25 s peak again
      "burst:2-30/20s/5s, 0, 30",
      "burst:2-30/20s/5s, 4999, 30",
      "burst:2-30/20s/5s, 5000, 2",
      "burst:2-30/20s/5s, 19999, 2",
      "burst:2-30/20s/5s, 21000, 30",
      "burst:1-4/500ms/100ms, 550, 4",
      "BURST:1-4/1h/1m, 61000, 1"})
  void ratesFollowThePattern(String text, long millis, double expected) {
    assertThat(LoadPattern.parse(text).rateAt(Duration.ofMillis(millis))).isCloseTo(expected,
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "steady|no kind before ':'",
      "flat:5|unknown kind 'flat'",
      "steady:-1|a rate must be finite and not negative",
      "steady:abc|not a rate: 'abc'",
      "steady:5/10s|expected 1 part",
      "ramp:1-20|expected 2 parts",
      "ramp:20/60s|expected two rates FROM-TO",
      "ramp:1-20/60x|unknown unit 'x' in '60x' (use ms, s, m or h",
      "ramp:1-20/sixty|not a duration: 'sixty'",
      "ramp:1-20/0s|a duration must be more than zero, got '0s'",
      "ramp:20-1/0ms|a duration must be more than zero, got '0ms'",
      "burst:2-30/5s/20s|is longer than the period",
      "burst:2-30/20s|expected 3 parts"})
  void badTextsSayWhatIsWrongAndWhatIsExpected(String text, String why) {
    assertThatThrownBy(() -> LoadPattern.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'").hasMessageContaining(why)
        .hasMessageContaining("expected steady:RATE, ramp:FROM-TO/DURATION or burst:BASE-PEAK/PERIOD/LENGTH");
  }

  @Test
  void textFormRoundTrips() {
    assertThat(LoadPattern.parse("ramp:1-20/60s")).hasToString("ramp:1-20/1m");
    for (String text : new String[] {"steady:5", "steady:0.25", "ramp:1-20/1m", "burst:2-30/20s/5s",
        "burst:1-4/500ms/100ms", "ramp:0-8/2m"}) {
      assertThat(LoadPattern.parse(text)).hasToString(text);
      assertThat(LoadPattern.parse(LoadPattern.parse(text).toString())).isEqualTo(LoadPattern.parse(text));
    }
  }

  @Test
  void factoriesValidateTheirFields() {
    assertThatThrownBy(() -> LoadPattern.steady(Double.NaN)).hasMessageStartingWith("requestsPerSecond:");
    assertThatThrownBy(() -> LoadPattern.ramp(1, 2, Duration.ZERO)).hasMessage(
        "duration: must be more than zero, got 0s");
    assertThatThrownBy(() -> LoadPattern.burst(1, 2, Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .hasMessageStartingWith("burstLength:");
    assertThatThrownBy(() -> Distribution.uniform(5, 1)).hasMessageStartingWith("max:");
    assertThatThrownBy(() -> Distribution.logNormal(0, 1)).hasMessageStartingWith("median:");
  }

  @Test
  void negativeTimeCountsAsTheStart() {
    assertThat(LoadPattern.parse("ramp:1-20/60s").rateAt(Duration.ofSeconds(-5))).isEqualTo(1);
    assertThat(LoadPattern.parse("burst:2-30/20s/5s").rateAt(Duration.ofSeconds(-5))).isEqualTo(30);
  }
}

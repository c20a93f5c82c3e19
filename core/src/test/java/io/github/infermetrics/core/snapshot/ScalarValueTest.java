package io.github.infermetrics.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one number of a gauge, counter or untyped point; NaN for points that hold several. */
class ScalarValueTest {
  @Test
  void gaugesCountersAndUntypedPointsGiveTheirValueOthersNaN() {
    Labels l = Labels.of("model", "m");
    assertThat(new GaugePoint(l, 0.25, MetricPoint.NO_TIMESTAMP).scalarValue()).isEqualTo(0.25);
    assertThat(new UnknownPoint(l, 7, MetricPoint.NO_TIMESTAMP).scalarValue()).isEqualTo(7);
    assertThat(new CounterPoint(l, 42, Double.NaN, null, MetricPoint.NO_TIMESTAMP).scalarValue()).isEqualTo(42);
    assertThat(new InfoPoint(l, MetricPoint.NO_TIMESTAMP).scalarValue()).isNaN();
  }
}

package io.github.infermetrics.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KpiTest {

  @Test
  void metricNamesCarryUnitAndStatistic() {
    assertThat(Kpi.TIME_TO_FIRST_TOKEN.metricName(KpiStatistic.P95)).isEqualTo("time_to_first_token_seconds_p95");
    assertThat(Kpi.TIME_TO_FIRST_TOKEN.metricName(KpiStatistic.MEAN)).isEqualTo("time_to_first_token_seconds_mean");
    assertThat(Kpi.REQUEST_RATE.metricName(KpiStatistic.VALUE)).isEqualTo("request_rate_per_second");
    assertThat(Kpi.KV_CACHE_USAGE.metricName(KpiStatistic.VALUE)).isEqualTo("kv_cache_usage_ratio");
    assertThat(Kpi.POWER.metricName(KpiStatistic.VALUE)).isEqualTo("power_watts");
    assertThat(Kpi.ERROR_RATIO.metricName(KpiStatistic.VALUE)).isEqualTo("error_ratio");
    assertThat(Kpi.BATCH_SIZE.metricName(KpiStatistic.VALUE)).isEqualTo("batch_size");
    assertThatThrownBy(() -> Kpi.POWER.metricName(KpiStatistic.P99)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power has no statistic P99");
  }

  @Test
  void everyMetricNameIsUnique() {
    Set<String> names = new HashSet<>();
    for (Kpi k : Kpi.values()) {
      for (KpiStatistic s : k.statistics()) {
        assertThat(names.add(k.metricName(s))).as(k.metricName(s)).isTrue();
      }
    }
    assertThat(Kpi.QUEUE_TIME.statistics()).isEqualTo(EnumSet.of(KpiStatistic.MEAN, KpiStatistic.P50,
        KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99));
    assertThat(KpiStatistic.P99.quantile()).isEqualTo(0.99);
    assertThat(KpiStatistic.MEAN.isQuantile()).isFalse();
  }

  @Test
  void valuesAreValidated() {
    assertThatThrownBy(() -> new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.P50, Labels.EMPTY, 1))
        .hasMessage("statistic: request_rate has no P50");
    assertThatThrownBy(() -> new KpiValue(Kpi.QUEUE_TIME, KpiStatistic.MEAN, Labels.EMPTY, Double.NaN))
        .hasMessage("value of queue_time_seconds_mean must be finite: NaN");
  }

  @Test
  void setsFindValuesByDimensions() {
    KpiValue a = new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of(KpiDimension.MODEL, "qwen3"), 0.2);
    KpiValue b = new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of(KpiDimension.MODEL, "llama"), 0.3);
    KpiSet set = new KpiSet("vllm", "pod-0", Instant.EPOCH, Duration.ofSeconds(15), List.of(a, b));
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, LabelMatcher.eq(KpiDimension.MODEL, "llama")))
        .contains(b);
    assertThat(set.values(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95)).containsExactly(a, b);
    assertThat(set.find(Kpi.QUEUE_TIME, KpiStatistic.MEAN)).isEmpty();
    assertThatThrownBy(() -> new KpiSet("vllm", "", Instant.EPOCH, Duration.ZERO, List.of()))
        .hasMessage("window must be positive: PT0S");
  }
}

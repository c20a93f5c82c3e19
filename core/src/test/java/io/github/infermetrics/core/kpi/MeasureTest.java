package io.github.infermetrics.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MeasureTest {
  @Test
  void aCoreKpiMeasureHasTheVocabularysNames() {
    Measure ttft = Measure.of(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, "TTFT p95");
    assertThat(ttft.columnName()).isEqualTo("time_to_first_token_seconds_p95");
    assertThat(ttft.meterName("vllm")).isEqualTo("time.to.first.token.p95");
    assertThat(ttft.kpi()).contains(Kpi.TIME_TO_FIRST_TOKEN);
    assertThat(ttft.description()).isEqualTo(Kpi.TIME_TO_FIRST_TOKEN.description());
  }

  @Test
  void aSourceOnlyMeasureIsNamedWithItsSource() {
    Measure hits = Measure.of("cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "HIT", "Cache hits over lookups");
    assertThat(hits.columnName()).isEqualTo("cache_hit_ratio");
    assertThat(hits.meterName("triton")).isEqualTo("triton.cache.hit");
    Measure done = Measure.of("done", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "DONE/S", "Jobs per second");
    assertThat(done.columnName()).isEqualTo("done_per_second");
    Measure perStep = Measure.of("tokens_per_step", KpiUnit.COUNT, KpiStatistic.MEAN, "TOK/STEP", "x");
    assertThat(perStep.columnName()).isEqualTo("tokens_per_step_mean");
  }

  @Test
  void declarationsAreChecked() {
    assertThatThrownBy(() -> Measure.of("Bad-Id", KpiUnit.RATIO, KpiStatistic.VALUE, "X", "x"))
        .hasMessageContaining("lower case");
    assertThatThrownBy(() -> Measure.of(Kpi.KV_CACHE_USAGE, KpiStatistic.P95, "KV"))
        .hasMessageContaining("does not match its KPI");
    assertThatThrownBy(() -> Measure.of("x", KpiUnit.RATIO, KpiStatistic.VALUE, " ", "x"))
        .hasMessageContaining("no header");
  }
}

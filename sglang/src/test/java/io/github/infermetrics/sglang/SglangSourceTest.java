package io.github.infermetrics.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SglangSourceTest {
  @Test
  void isRegisteredForTheServiceLoader() {
    KpiSource s = KpiSources.installed().require("sglang");
    assertThat(s).isInstanceOf(SglangSource.class);
    assertThat(s.description()).contains("sglang:");
  }

  @Test
  void recognisesSglangAndComputesItsWindow() {
    SglangSource source = new SglangSource();
    MetricSnapshot prev = Captures.resource("two-dp-ranks-prev.prom").source();
    MetricSnapshot curr = Captures.resource("two-dp-ranks-curr.prom").source();
    assertThat(source.recognize(curr)).isEqualTo(1);
    assertThat(source.recognize(Captures.read(Captures.fixture()))).isEqualTo(1);
    // an sglang: family this library does not read: still SGLang, with less confidence
    assertThat(source.recognize(Captures.read("# TYPE sglang:utilization gauge\nsglang:utilization 0.5\n")))
        .isEqualTo(KpiSource.RECOGNIZED);
    assertThat(source.recognize(Captures.read("# TYPE vllm:num_requests_running gauge\n"
        + "vllm:num_requests_running 1\n"))).isZero();
    KpiWindow w = source.between(prev, curr, Duration.ofSeconds(15));
    assertThat(w.source()).isEqualTo("sglang");
    assertThat(w.window()).isEqualTo(Duration.ofSeconds(15));
    assertThat(w.toKpiSet("", Instant.EPOCH).values()).isNotEmpty();
    assertThatThrownBy(() -> source.between(prev, Captures.read("x 1\n"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no SGLang families (sglang:*) in the exposition");
    assertThatThrownBy(() -> source.between(prev, curr, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window must be positive");
  }

  @Test
  void aNonFiniteGaugeCostsWhatItFeedsOnlyAndIsCounted() {
    String prev = """
        # TYPE sglang:num_running_reqs gauge
        sglang:num_running_reqs{dp_rank="0",model_name="m",tp_rank="0"} 3.0
        sglang:num_running_reqs{dp_rank="1",model_name="m",tp_rank="1"} 2.0
        # TYPE sglang:num_queue_reqs gauge
        sglang:num_queue_reqs{dp_rank="0",model_name="m",tp_rank="0"} 1.0
        sglang:num_queue_reqs{dp_rank="1",model_name="m",tp_rank="1"} 1.0
        # TYPE sglang:generation_tokens_total counter
        sglang:generation_tokens_total{model_name="m"} 100.0
        """;
    String curr = prev.replace("} 3.0", "} +Inf").replace("} 100.0", "} 400.0");
    KpiSet set = new SglangSource().between(Captures.read(prev), Captures.read(curr), Duration.ofSeconds(10))
        .toKpiSet("sglang-0", Instant.EPOCH);
    assertThat(set.dropped())
        .containsExactly("sglang:num_running_reqs{dp_rank=\"0\",model_name=\"m\",tp_rank=\"0\"} = Infinity");
    // the model's batch size would need rank 0's: absent; rank 1's stands
    assertThat(set.values()).noneMatch(v -> v.kpi() == Kpi.BATCH_SIZE && !v.dimensions().contains("engine"));
    assertThat(set.values()).filteredOn(v -> v.kpi() == Kpi.BATCH_SIZE).extracting(KpiValue::value)
        .containsExactly(2.0);
    assertThat(set.find(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE)).map(KpiValue::value).contains(30.0);
    assertThat(set.values()).filteredOn(v -> v.kpi() == Kpi.QUEUE_DEPTH).extracting(KpiValue::value)
        .containsExactly(2.0, 1.0, 1.0); // the model, rank 0, rank 1
  }

  @Test
  void dashboardUsesCurrentNamesWithFallbacksForOldOnesAndParses(@TempDir Path tmp) throws Exception {
    List<String> exprs = new SglangSource().dashboard().orElseThrow().expressions();
    assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (le, model_name) (rate("
        + "sglang:inter_token_latency_seconds_bucket") && e.contains(" or rate(sglang:time_per_output_token_seconds"));
    assertThat(exprs).contains("sum by (model_name) (avg by (model_name, dp_rank) (sglang:num_running_reqs"
        + "{model_name=~\"$model_name\"}))");
    for (String e : exprs) {
      if (e.contains("time_per_output_token")) {
        assertThat(e.indexOf(" or ")).as(e).isPositive().isLessThan(e.indexOf("time_per_output_token"));
      }
    }
    assertThat(new SglangSource().dashboard().orElseThrow().kpis()).doesNotContain(Kpi.ACCELERATOR_UTILIZATION);
    PromTool.assertParses(exprs, tmp);
  }
}

package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The charts' history: how a window of several models and sources becomes one point, and its bounds. */
class KpiHistoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private static SourceWindow source(String name, KpiSet set) {
    return new SourceWindow(name, MeasuredWindow.builder(name, WINDOW).build(), set);
  }

  /** Two models on vLLM, and Triton reporting the same requests again (its vLLM backend). */
  private static TargetWindow window(String target, int i) {
    Labels a = Labels.of("model", "a");
    Labels b = Labels.of("model", "b");
    KpiSet vllm = KpiSet.builder("vllm", target, AT.plusSeconds(5L * i), WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, a, 3)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, b, 4)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "a", "engine", "0"), 3)
        .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, a, 0.2)
        .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, b, 0.1, Optional.of(Bound.atMost(0.1)))
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, a, 0.3)
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, b, 0.6)
        .add(Kpi.SLO_GOODPUT, KpiStatistic.VALUE, Labels.of("model", "a", "slo", "ttft<=500ms"), 0.9)
        .add(Kpi.SLO_GOODPUT, KpiStatistic.VALUE, Labels.of("model", "b", "slo", "ttft<=500ms"), 0.7)
        .add(Kpi.SLO_GOODPUT, KpiStatistic.VALUE, Labels.of("model", "b", "engine", "1", "slo", "ttft<=500ms"), 0.1)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "0"), 0.2)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "1"), 0.4)
        .build();
    KpiSet triton = KpiSet.builder("triton", target, AT.plusSeconds(5L * i), WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "a", "model_version", "1"), 3)
        .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "a", "model_version", "1"), 9)
        .add(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, Labels.of("model", "a", "model_version", "1"), 50)
        .build();
    return new TargetWindow(target, AT.plusSeconds(5L * i), WINDOW, List.of(source("vllm", vllm),
        source("triton", triton)), List.of());
  }

  private static TargetStatus status(String name) {
    return new TargetStatus(PipelineTarget.builder(URI.create("http://127.0.0.1:1/metrics")).name(name).build(),
        TargetStatus.State.UP, Optional.empty(), List.of("vllm", "triton"), Optional.empty(), 1, Optional.of(AT));
  }

  @Test
  void aJoinedWindowOfTheSameMomentBecomesPartOfItsPointNotASecondPoint() {
    KpiHistory history = new KpiHistory(10);
    for (int i = 0; i < 3; i++) {
      Instant at = AT.plusSeconds(5L * i);
      KpiSet vllm = KpiSet.builder("vllm", "t", at, WINDOW)
          .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "a"), 3).build();
      history.accept(new TargetWindow("t", at, WINDOW, List.of(source("vllm", vllm)), List.of()));
      // what AcceleratorJoin passes next: the pod's GPU values, same target and moment, its own source
      KpiSet gpus = KpiSet.builder(AcceleratorJoin.SOURCE, "t", at, WINDOW)
          .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("pod", "demo/vllm-0"), 0.5).build();
      history.accept(new TargetWindow("t", at, WINDOW, List.of(source(AcceleratorJoin.SOURCE, gpus)), List.of()));
    }
    List<KpiHistory.Point> points = history.points("t");
    assertThat(points).hasSize(3);
    assertThat(points).allSatisfy(p -> {
      assertThat(p.values()[1]).isEqualTo(3);
      assertThat(p.values()[4]).isEqualTo(0.5);
    });
  }

  @Test
  void aPointSumsRatesTakesTheWorstOfTheRestAndEachNumberFromTheFirstSourceThatHasIt() {
    KpiHistory.Point p = KpiHistory.point(window("t", 0));
    double[] v = p.values();
    assertThat(v[0]).isEqualTo(0.2); // TTFT p95: the largest of vLLM's models; Triton's 9 s comes second
    assertThat(v[1]).isEqualTo(7); // requests/s: vLLM's models summed, not its engines, not Triton's again
    assertThat(v[2]).isEqualTo(50); // tokens/s: only Triton has it
    assertThat(v[3]).isEqualTo(0.6); // KV cache: the fullest model
    assertThat(v[4]).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12)); // accelerator: the devices' mean
    assertThat(v[5]).isNaN(); // no saturation in these sets
    assertThat(p.goodput()).containsExactly(java.util.Map.entry("ttft<=500ms", 0.7)); // the worst model
    assertThat(p.bounds()[0]).isNull(); // the largest TTFT (model a) is an estimate, not a bound
  }

  @Test
  void keepsTheLastWindowsOfTargetsStillWatchedWithTheLatestBounds() throws Exception {
    KpiHistory h = new KpiHistory(3);
    for (int i = 0; i < 5; i++) {
      h.accept(window("t", i));
      h.accept(window("gone", i));
    }
    assertThat(h.points("t")).hasSize(3).first().satisfies(p -> assertThat(p.at()).isEqualTo(AT.plusSeconds(10)));
    h.removed("gone");
    assertThat(h.points("gone")).isEmpty();
    h.accept(window("raced", 0)); // a window that comes after its target was removed
    JsonNode json = JSON.readTree(h.json(AT, WINDOW, List.of(status("t"))));
    assertThat(json.get("capacity").asInt()).isEqualTo(3);
    assertThat(json.get("interval_seconds").asDouble()).isEqualTo(5);
    assertThat(json.get("targets")).hasSize(1);
    JsonNode t = json.get("targets").get(0);
    assertThat(t.get("points").get("at")).hasSize(3);
    assertThat(t.get("points").get("at").get(2).asLong()).isEqualTo(AT.plusSeconds(20).toEpochMilli());
    assertThat(t.get("points").get("saturation_ratio").get(0).isNull()).isTrue();
    assertThat(t.get("goodput").get("ttft<=500ms").get(2).asDouble()).isEqualTo(0.7);
    assertThat(t.get("bounds").isEmpty()).isTrue();
    // the raced window is not kept for a target no longer watched
    assertThat(h.points("raced")).isEmpty();

    KpiSet bounded = KpiSet.builder("triton", "b", AT, WINDOW).add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95,
        Labels.of("model", "m"), 0.095, Optional.of(Bound.atMost(0.1))).build();
    h.accept(new TargetWindow("b", AT, WINDOW, List.of(source("triton", bounded)), List.of()));
    JsonNode b = JSON.readTree(h.json(AT, WINDOW, List.of(status("b")))).get("targets").get(0);
    assertThat(b.get("bounds").get("time_to_first_token_seconds_p95").toString())
        .isEqualTo("{\"bound\":\"upper\",\"limit\":0.1}");
  }
}

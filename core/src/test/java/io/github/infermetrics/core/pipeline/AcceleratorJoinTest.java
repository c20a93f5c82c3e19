package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceleratorJoinTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:30Z");
  private static final Duration WINDOW = Duration.ofSeconds(15);
  private static final String POD = "serving/qwen-0";
  private static final Labels POD_DIMS = Labels.of("pod", POD, "node", "gpu-node-7");

  /** What the downstream consumer saw. */
  private static final class Recorder implements KpiConsumer {
    final List<TargetWindow> windows = new ArrayList<>();
    final List<String> removed = new ArrayList<>();

    @Override
    public void accept(TargetWindow window) {
      windows.add(window);
    }

    @Override
    public void removed(String target) {
      removed.add(target);
    }

    List<TargetWindow> joined() {
      return windows.stream().filter(w -> w.source(AcceleratorJoin.SOURCE).isPresent()).toList();
    }
  }

  private static TargetWindow window(String target, String source, Instant at, List<KpiValue> values) {
    MeasuredWindow.Builder b = MeasuredWindow.builder(source, WINDOW);
    for (KpiValue v : values) {
      b.add(new MeasureValue(io.github.infermetrics.core.kpi.Measure.of(v.kpi(), v.statistic(), "X"),
          v.dimensions(), v.value()));
    }
    MeasuredWindow w = b.build();
    return new TargetWindow(target, at, WINDOW, List.of(new SourceWindow(source, w, w.toKpiSet(target, at))),
        List.of());
  }

  private static KpiValue v(Kpi kpi, Labels dims, double value) {
    return new KpiValue(kpi, KpiStatistic.VALUE, dims, value);
  }

  /** A GPU exporter's window: per-device values (not joined) and the pod's aggregates. */
  private static TargetWindow gpus(Instant at) {
    return window("gpu-node-7", "dcgm", at, List.of(
        v(Kpi.ACCELERATOR_UTILIZATION, Labels.of("device", "GPU-a"), 0.8125),
        v(Kpi.POWER, Labels.of("device", "GPU-a"), 512.5),
        v(Kpi.ACCELERATOR_UTILIZATION, POD_DIMS, 0.75),
        v(Kpi.ACCELERATOR_MEMORY_USED, POD_DIMS, 149946368000.0),
        v(Kpi.ACCELERATOR_MEMORY_TOTAL, POD_DIMS, 171043930112.0),
        v(Kpi.POWER, POD_DIMS, 962.75),
        v(Kpi.AVERAGE_POWER, POD_DIMS, 900),
        v(Kpi.ACCELERATOR_COUNT, POD_DIMS, 2),
        v(Kpi.ACCELERATOR_UTILIZATION, Labels.of("pod", "other/pod-1"), 0.1),
        v(Kpi.ACCELERATOR_UTILIZATION, Labels.of("node", "gpu-node-7"), 0.5)));
  }

  /** A vLLM window: 1800 generated tokens/s for the model, 900 per engine (which must not count twice). */
  private static TargetWindow vllm(Instant at) {
    return window("qwen", "vllm", at, List.of(
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "Qwen/Qwen3-8B"), 1800),
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "Qwen/Qwen3-8B", "engine", "0"), 900),
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "Qwen/Qwen3-8B", "engine", "1"), 900),
        v(Kpi.KV_CACHE_USAGE, Labels.of("model", "Qwen/Qwen3-8B"), 0.4)));
  }

  private static AcceleratorJoin join(Recorder r) {
    return AcceleratorJoin.builder(r).target("qwen", POD).pricePerAcceleratorHour(4).build();
  }

  private static double value(KpiSet set, Kpi kpi) {
    return set.find(kpi, KpiStatistic.VALUE).orElseThrow(() -> new AssertionError(kpi + " in " + set)).value();
  }

  @Test
  void theModelServerGetsItsPodsGpusAndTheKpisNoSingleExporterHas() {
    Recorder r = new Recorder();
    AcceleratorJoin join = join(r);
    join.accept(gpus(T0));
    join.accept(vllm(T0.plusMillis(300)));

    // both windows pass through unchanged, then the joined one for the model server
    assertThat(r.windows).extracting(TargetWindow::target).containsExactly("gpu-node-7", "qwen", "qwen");
    TargetWindow joined = r.windows.get(2);
    assertThat(joined.sources()).extracting(SourceWindow::source).containsExactly("accelerators");
    assertThat(joined.at()).isEqualTo(T0.plusMillis(300));
    assertThat(joined.window()).isEqualTo(WINDOW);
    KpiSet set = joined.kpiSets().get(0);
    assertThat(set.source()).isEqualTo("accelerators");
    assertThat(set.target()).isEqualTo("qwen");
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE).orElseThrow().dimensions())
        .isEqualTo(POD_DIMS);
    assertThat(value(set, Kpi.ACCELERATOR_UTILIZATION)).isEqualTo(0.75);
    assertThat(value(set, Kpi.ACCELERATOR_MEMORY_USED)).isEqualTo(149946368000.0);
    assertThat(value(set, Kpi.POWER)).isEqualTo(962.75);
    assertThat(value(set, Kpi.ACCELERATOR_COUNT)).isEqualTo(2);
    // 1800 tokens/s (the model's, not the engines' 900 + 900 once more) over 2 GPUs
    KpiValue perGpu = set.find(Kpi.GENERATION_TOKENS_PER_ACCELERATOR, KpiStatistic.VALUE).orElseThrow();
    assertThat(perGpu.value()).isEqualTo(900);
    assertThat(perGpu.dimensions()).isEqualTo(POD_DIMS.with("model", "Qwen/Qwen3-8B"));
    // 1800 tokens/s over 900 W = 900 J/s: 2 tokens per joule
    assertThat(value(set, Kpi.GENERATION_TOKENS_PER_JOULE)).isEqualTo(2.0);
    // $4 per GPU-hour x 2 GPUs = $8/h = $0.0022222/s; per token 0.0022222 / 1800; per million: 8e6 / (3600 x 1800)
    assertThat(value(set, Kpi.COST_PER_MILLION_TOKENS)).isCloseTo(1.2345679012345678, within(1e-12));
    assertThat(set.values()).hasSize(9);
    assertThat(joined.sources().get(0).window().tables()).singleElement()
        .satisfies(t -> assertThat(t.name()).isEqualTo("accelerators"));
    assertThat(join.joined()).isEqualTo(1);
    assertThat(join.waiting()).isEmpty();
  }

  @Test
  void aModelServerWindowThatArrivesFirstIsJoinedWhenItsGpusArrive() {
    Recorder r = new Recorder();
    AcceleratorJoin join = join(r);
    join.accept(vllm(T0));
    assertThat(r.joined()).isEmpty();
    assertThat(join.waiting()).containsOnlyKeys("qwen");
    assertThat(join.waiting().get("qwen")).isEqualTo("no GPU values for pod serving/qwen-0 yet from any exporter"
        + " watched");
    join.accept(gpus(T0.plusSeconds(2)));
    assertThat(r.windows).extracting(TargetWindow::target).containsExactly("qwen", "gpu-node-7", "qwen");
    assertThat(r.joined()).singleElement().satisfies(w -> {
      assertThat(w.at()).isEqualTo(T0);                     // the model server's moment
      assertThat(value(w.kpiSets().get(0), Kpi.ACCELERATOR_UTILIZATION)).isEqualTo(0.75);
    });
    assertThat(join.waiting()).isEmpty();
    assertThat(join.unjoined()).isZero();
  }

  @Test
  void gpuValuesMoreThanAWindowAwayAreNotUsedAndAWindowLeftWithoutThemIsCounted() {
    Recorder r = new Recorder();
    AcceleratorJoin join = join(r);
    join.accept(gpus(T0));
    join.accept(vllm(T0.plusSeconds(16)));                  // 16 s > the 15 s window: stale
    assertThat(r.joined()).isEmpty();
    assertThat(join.waiting().get("qwen")).startsWith("the GPU values for pod serving/qwen-0 are from "
        + "2026-12-01T00:00:30Z, more than PT15S from");
    join.accept(vllm(T0.plusSeconds(31)));                  // the next window replaces the one left waiting
    assertThat(join.unjoined()).isEqualTo(1);
    join.accept(gpus(T0.plusSeconds(32)));
    assertThat(r.joined()).singleElement().satisfies(w -> assertThat(w.at()).isEqualTo(T0.plusSeconds(31)));
    join.removed("qwen");
    assertThat(r.removed).containsExactly("qwen");
  }

  @Test
  void targetsWithoutAPodAndGpusOfOtherPodsAreLeftAsTheyAre() {
    Recorder r = new Recorder();
    AcceleratorJoin join = AcceleratorJoin.builder(r).target(PipelineTarget.builder(
        URI.create("http://10.0.0.8:8000/metrics")).name("plain").build()).build();
    join.accept(gpus(T0));
    join.accept(window("plain", "vllm", T0, List.of(v(Kpi.GENERATION_TOKEN_RATE, Labels.EMPTY, 10))));
    assertThat(r.joined()).isEmpty();
    assertThat(r.windows).hasSize(2);
    assertThat(join.waiting()).isEmpty();
    // a target watched later, by its pod
    join.watch(PipelineTarget.builder(URI.create("http://10.0.0.8:8000/metrics")).name("plain")
        .pod("other/pod-1").build());
    join.accept(window("plain", "vllm", T0.plusSeconds(1), List.of(v(Kpi.GENERATION_TOKEN_RATE, Labels.EMPTY,
        10))));
    KpiSet set = r.joined().get(0).kpiSets().get(0);
    assertThat(value(set, Kpi.ACCELERATOR_UTILIZATION)).isEqualTo(0.1);
    // no GPU count, no power: no per-GPU, per-joule or cost values
    assertThat(set.values()).extracting(KpiValue::kpi).containsExactly(Kpi.ACCELERATOR_UTILIZATION);
  }

  @Test
  void severalModelsAreSummedWithoutAModelAndPowerStandsInForAnAbsentEnergyCounter() {
    Recorder r = new Recorder();
    AcceleratorJoin join = AcceleratorJoin.builder(r).target("triton", POD).build();
    join.accept(window("gpu-node-7", "dcgm", T0, List.of(v(Kpi.POWER, POD_DIMS, 250),
        v(Kpi.ACCELERATOR_COUNT, POD_DIMS, 1))));
    join.accept(window("triton", "vllm", T0, List.of(
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "a", "model_version", "1"), 100),
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "a", "model_version", "2"), 50),
        v(Kpi.GENERATION_TOKEN_RATE, Labels.of("model", "b"), 350))));
    KpiSet set = r.joined().get(0).kpiSets().get(0);
    // 100 + 50 + 350 = 500 tokens/s for the pod's one GPU, over 250 W (no average power): 2 tokens per joule
    KpiValue perJoule = set.find(Kpi.GENERATION_TOKENS_PER_JOULE, KpiStatistic.VALUE).orElseThrow();
    assertThat(perJoule.value()).isEqualTo(2.0);
    assertThat(perJoule.dimensions()).isEqualTo(POD_DIMS);
    assertThat(value(set, Kpi.GENERATION_TOKENS_PER_ACCELERATOR)).isEqualTo(500);
    assertThat(set.find(Kpi.COST_PER_MILLION_TOKENS, KpiStatistic.VALUE)).isEmpty();     // no price given
    assertThat(set.find(Kpi.GENERATION_TOKENS_PER_ACCELERATOR, KpiStatistic.VALUE, LabelMatcher.eq("model", "a")))
        .isEmpty();
  }

  @Test
  void aPriceMustBePositive() {
    assertThatThrownBy(() -> AcceleratorJoin.builder(new Recorder()).pricePerAcceleratorHour(0))
        .hasMessage("price per accelerator-hour must be positive and finite: 0.0");
    assertThatThrownBy(() -> AcceleratorJoin.builder(new Recorder()).target("qwen", "qwen-0"))
        .hasMessage("pod must be namespace/name: 'qwen-0'");
  }
}

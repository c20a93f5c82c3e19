package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.testing.AllocationMeter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@code watch} table, character for character, for every kind of row: models, versions and namespaces,
 * deployments, whole-target values, bounds, a mean latency standing in for the p95, device and joined accelerator
 * use, down, unrecognized and waiting targets; and widths that do not shrink from one frame to the next.
 */
class WatchViewTest {
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private static SourceWindow source(KpiSet set) {
    return new SourceWindow(set.source(), MeasuredWindow.builder(set.source(), WINDOW).build(), set);
  }

  private static TargetStatus up(String name, SourceWindow... sources) {
    List<String> names = java.util.Arrays.stream(sources).map(SourceWindow::source).toList();
    return new TargetStatus(target(name), TargetStatus.State.UP, Optional.empty(), names,
        Optional.of(new TargetWindow(name, AT, WINDOW, List.of(sources), List.of())), 1, Optional.of(AT));
  }

  private static PipelineTarget target(String name) {
    return PipelineTarget.builder(URI.create("http://127.0.0.1:1/metrics")).name(name).build();
  }

  private static List<TargetStatus> fleet(double scale) {
    Labels a = Labels.of("model", "a");
    Labels b = Labels.of("model", "Qwen/Qwen3-8B é");
    KpiSet vllm = KpiSet.builder("vllm", "t", AT, WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, a, 3 * scale)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, b, 0.01)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "a", "engine", "0"), 3)
        .add(Kpi.ERROR_RATIO, KpiStatistic.VALUE, a, 0.0125)
        .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, a, 0.2 * scale)
        .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, b, 0.1, Optional.of(Bound.atMost(0.1)))
        .add(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, b, 12.5, Optional.of(Bound.above(10)))
        .add(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, a, 1467.25 * scale)
        .add(Kpi.QUEUE_TIME, KpiStatistic.MEAN, a, 0.0000081)
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, a, 0)
        .add(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, a, 123456.75 * scale)
        .add(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, b, -0.04)
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, a, 0.3)
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, b, 0.6)
        .add(Kpi.SLO_GOODPUT, KpiStatistic.VALUE, Labels.of("model", "a", "slo", "ttft<=500ms"), 0.9)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "0"), 0.2)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "1"), 0.45)
        .build();
    KpiSet triton = KpiSet.builder("triton", "t", AT, WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "a", "model_version", "1"), 2.25)
        .add(Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, Labels.of("model", "a", "model_version", "1"), 0.095)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "b", "namespace", "ns"), 1)
        .add(Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, Labels.of("model", "b", "namespace", "ns"), 0.5)
        .add(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, Labels.of("model", "b", "namespace", "ns"), 0.75)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("runtime", "python"), 1)
        .build();
    KpiSet ray = KpiSet.builder("ray", "t", AT, WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("application", "app", "deployment", "d1"), 1e10)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("deployment", "d2"), 0.05)
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Labels.EMPTY, 7)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.EMPTY, 0.875)
        .build();
    KpiSet quiet = KpiSet.builder("neuron", "t", AT, WINDOW)
        .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("route", "/x"), 1)
        .build();
    KpiSet gpus = KpiSet.builder("dcgm", "t", AT, WINDOW)
        .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "0"), 0.33)
        .build();
    return List.of(
        up("vllm-0", source(vllm), source(triton)),
        up("ray-head-with-a-long-name", source(ray)),
        up("neuron", source(quiet)),
        new TargetStatus(target("gone"), TargetStatus.State.DOWN, Optional.of("connection refused"), List.of(),
            Optional.empty(), 0, Optional.empty()),
        new TargetStatus(target("odd"), TargetStatus.State.UNRECOGNIZED, Optional.empty(), List.of("x"),
            Optional.empty(), 0, Optional.empty()),
        new TargetStatus(target("new"), TargetStatus.State.WAITING, Optional.empty(), List.of("vllm", "triton"),
            Optional.empty(), 0, Optional.empty()),
        up("gpu-pod", source(KpiSet.builder("tgi", "t", AT, WINDOW)
            .add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.EMPTY, 2).build())),
        up("joined-" + (int) scale, source(gpus)));
  }

  @Test
  void everyKindOfRowShowsAsBefore() {
    Assumptions.assumeTrue(Cells.UNICODE, "the expected text has ≤ and µ");
    WatchView view = new WatchView();
    Map<String, TargetWindow> joined = Map.of("gpu-pod", new TargetWindow("gpu-pod", AT, WINDOW,
        List.of(source(KpiSet.builder("dcgm", "gpu-pod", AT, WINDOW)
            .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.EMPTY, 0.61).build())), List.of()));

    String first = view.text(WatchView.rows(fleet(1), joined));
    String second = view.text(WatchView.rows(fleet(0.001), joined));

    assertThat(first).isEqualTo(FIRST);
    assertThat(second).isEqualTo(SECOND);
  }

  @Test
  void aFrameDrawnInPlaceIsTheSameTextAndAWarmFrameAllocatesLittle() {
    Assumptions.assumeTrue(Cells.UNICODE, "the expected text has ≤ and µ");
    WatchView view = new WatchView();
    Map<String, TargetWindow> joined = Map.of("gpu-pod", new TargetWindow("gpu-pod", AT, WINDOW,
        List.of(source(KpiSet.builder("dcgm", "gpu-pod", AT, WINDOW)
            .add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.EMPTY, 0.61).build())), List.of()));

    assertThat(view.draw(fleet(1), joined).toString()).isEqualTo(FIRST);
    StringWriter written = new StringWriter();
    List<TargetStatus> second = fleet(0.001);
    view.draw(second, joined);
    view.write(new PrintWriter(written));
    assertThat(written.toString()).isEqualTo(SECOND);

    // a fleet of 200 targets: once the first frames have sized the buffers, a frame allocates next to nothing,
    // not its 2,400 cells; ties (12.5 at one decimal) and huge values still go through String.format, about 1.7 KB
    // each, so the values here have none
    List<TargetStatus> fleet = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      KpiSet.Builder set = KpiSet.builder("vllm", "t", AT, WINDOW);
      for (String model : List.of("qwen", "llama")) {
        Labels m = Labels.of("model", model);
        set.add(Kpi.REQUEST_RATE, KpiStatistic.VALUE, m, 3.1416 + i)
            .add(Kpi.ERROR_RATIO, KpiStatistic.VALUE, m, 0.0123)
            .add(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, m, 0.2718 + i / 1000.0)
            .add(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, m, 1.4142)
            .add(Kpi.QUEUE_TIME, KpiStatistic.MEAN, m, 0.0017)
            .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, m, i)
            .add(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, m, 1234.5678 + i)
            .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, m, 0.4321);
      }
      set.add(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of("device", "0"), 0.6789);
      fleet.add(up("vllm-" + i, source(set.build())));
    }
    for (int i = 0; i < 50; i++) {
      view.draw(fleet, Map.of());
    }
    long bytes = AllocationMeter.forCurrentThread().fewestOf3(() -> view.draw(fleet, Map.of()));
    assertThat(bytes).isLessThan(1024); // 0 when measured; the JVM can allocate a little once on its own
  }

  private static final String FIRST = """
      TARGET                     SOURCE       MODEL                    REQ/S  ERR %  TTFT p95       E2E p95  QUEUE mean  WAITING     TOK/S  KV %  ACCEL %
      vllm-0                     vllm         a                          3.0    1.3    200 ms        1467 s     8.10 µs      0.0  123456.8  30.0     32.5
      vllm-0                     vllm         Qwen/Qwen3-8B é           <0.1      -   ≤100 ms       >10.0 s           -        -      -0.0  60.0     32.5
      vllm-0                     triton       a:1                        2.3      -         -  mean 95.0 ms           -        -         -     -     32.5
      vllm-0                     triton       ns/b                       1.0      -         -        750 ms           -        -         -     -     32.5
      ray-head-with-a-long-name  ray          app/d1           10000000000.0      -         -             -           -        -         -     -     87.5
      ray-head-with-a-long-name  ray          d2                         0.1      -         -             -           -        -         -     -     87.5
      ray-head-with-a-long-name  ray          -                            -      -         -             -           -      7.0         -     -     87.5
      neuron                     neuron       -                            -      -         -             -           -        -         -     -        -
      gone                       ?            down: connection refused
      odd                        ?            up, no known source
      new                        vllm+triton  (waiting for a second scrape)
      gpu-pod                    tgi          -                          2.0      -         -             -           -        -         -     -     61.0
      joined-1                   dcgm         -                            -      -         -             -           -        -         -     -     33.0
      """;
  private static final String SECOND = """
      TARGET                     SOURCE       MODEL                    REQ/S  ERR %  TTFT p95       E2E p95  QUEUE mean  WAITING     TOK/S  KV %  ACCEL %
      vllm-0                     vllm         a                         <0.1    1.3    200 µs        1.47 s     8.10 µs      0.0     123.5  30.0     32.5
      vllm-0                     vllm         Qwen/Qwen3-8B é           <0.1      -   ≤100 ms       >10.0 s           -        -      -0.0  60.0     32.5
      vllm-0                     triton       a:1                        2.3      -         -  mean 95.0 ms           -        -         -     -     32.5
      vllm-0                     triton       ns/b                       1.0      -         -        750 ms           -        -         -     -     32.5
      ray-head-with-a-long-name  ray          app/d1           10000000000.0      -         -             -           -        -         -     -     87.5
      ray-head-with-a-long-name  ray          d2                         0.1      -         -             -           -        -         -     -     87.5
      ray-head-with-a-long-name  ray          -                            -      -         -             -           -      7.0         -     -     87.5
      neuron                     neuron       -                            -      -         -             -           -        -         -     -        -
      gone                       ?            down: connection refused
      odd                        ?            up, no known source
      new                        vllm+triton  (waiting for a second scrape)
      gpu-pod                    tgi          -                          2.0      -         -             -           -        -         -     -     61.0
      joined-0                   dcgm         -                            -      -         -             -           -        -         -     -     33.0
      """;
}

package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Slo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict from hand-made steps: which step, which limit, what it costs. */
class VerdictTest {
  private static final List<Slo> SLOS = Slo.parseAll("ttft=500ms,itl=50ms");
  private int ids;

  /** A step of 20 measured requests over 10 s: {@code slow} of them with a TTFT of 2 s, {@code failed} failed. */
  private StepResult step(int index, double load, int slow, int failed, ServerStats server) {
    List<RequestRecord> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long sent = 1_000_000L + i * 500_000L;
      if (i < failed) {
        records.add(new RequestRecord(++ids, index, false, RequestRecord.Status.FAILED, sent, sent, -1, -1,
            new int[0], 10, 0, RequestRecord.TokensFrom.CHUNKS, "HTTP 503: overloaded", "HTTP 503"));
        continue;
      }
      int ttft = i < failed + slow ? 2_000_000 : 100_000;
      int[] tokens = new int[11];
      for (int t = 0; t < tokens.length; t++) {
        tokens[t] = ttft + t * 20_000;
      }
      records.add(new RequestRecord(++ids, index, false, RequestRecord.Status.OK, sent, sent, ttft,
          ttft + 200_000, tokens, 10, 11, RequestRecord.TokensFrom.USAGE, null, null));
    }
    StepRunner.StepRun run = new StepRunner.StepRun(index, LoadMode.RATE, load, 0, 1_000_000, 11_000_000,
        12_000_000, records, StepRunner.Stop.COMPLETED);
    return StepResult.of(run, ClientStats.of(run, SLOS), server, 0.95);
  }

  private static ServerStats server(double kvMax, double queueMean, double queueSlope, double accelerator,
      double devices) {
    Map<ServerSample.Gauge, ServerStats.Spread> g = new EnumMap<>(ServerSample.Gauge.class);
    g.put(ServerSample.Gauge.KV_CACHE_USAGE, new ServerStats.Spread(kvMax / 2, kvMax, 5, 0));
    g.put(ServerSample.Gauge.QUEUE_DEPTH, new ServerStats.Spread(queueMean, queueMean * 2, 5, queueSlope));
    g.put(ServerSample.Gauge.ACCELERATOR_UTILIZATION, new ServerStats.Spread(accelerator, accelerator, 5, 0));
    g.put(ServerSample.Gauge.DEVICES, new ServerStats.Spread(devices, devices, 5, 0));
    return new ServerStats(true, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, 12, Map.of(), g, List.of());
  }

  @Test
  void theVerdictIsTheStepBeforeTheFirstFailingOneAndItCosts() {
    List<StepResult> steps = List.of(step(1, 1, 0, 0, server(0.2, 0, 0, 0.3, 4)),
        step(2, 2, 1, 0, server(0.4, 0, 0, 0.5, 4)), step(3, 4, 10, 0, server(0.95, 3, 0.5, 0.7, 4)),
        step(4, 8, 0, 0, server(0.5, 0, 0, 0.5, 4)));
    Verdict v = Verdict.of(steps, SLOS, 0.95, 0, 3.6);
    assertThat(v.step()).isEqualTo(2);
    assertThat(v.firstFailing()).isEqualTo(3);
    // the KV cache was 95 % full: that comes before the queue
    assertThat(v.limit()).isEqualTo("kv_cache");
    assertThat(v.signals()).first().asString().startsWith("the KV cache was 95 % full");
    assertThat(v.failingObjective()).isEqualTo("ttft<=500ms");
    // 20 requests of 11 tokens over 10 s: 22 tokens/s on 4 accelerators, $3.60/h
    assertThat(v.outputTokensPerSecond()).isEqualTo(22);
    assertThat(v.outputTokensPerSecondPerAccelerator()).isEqualTo(5.5);
    assertThat(v.usdPerMillionOutputTokens()).isEqualTo(3.6 / (22 * 3600) * 1e6);
    assertThat(v.summary()).startsWith("rate 2 req/s is the highest load that meets the SLO (goodput 95 % >= 95 %)")
        .contains("At rate 4 req/s the goodput falls to 50 %");
  }

  @Test
  void errorsComeFirstAndTheirMostFrequentKindIsSaid() {
    List<StepResult> steps = List.of(step(1, 1, 0, 0, server(0.2, 0, 0, 0.3, 1)),
        step(2, 2, 0, 6, server(0.95, 5, 1, 0.95, 1)));
    Verdict v = Verdict.of(steps, SLOS, 0.95, 0, Double.NaN);
    assertThat(v.limit()).isEqualTo("errors");
    assertThat(v.signals().get(0)).isEqualTo("6 of 20 requests failed, most often HTTP 503 (6); first: HTTP 503:"
        + " overloaded");
    assertThat(v.signals()).anyMatch(s -> s.startsWith("the accelerators were 95 % busy"));
    assertThat(v.usdPerMillionOutputTokens()).isNaN();
  }

  @Test
  void whenEveryStepMeetsTheSloTheLimitIsNotReachedAndWhenNoneDoesThereIsNoStep() {
    Verdict all = Verdict.of(List.of(step(1, 1, 0, 0, ServerStats.none(List.of())),
        step(2, 2, 0, 0, ServerStats.none(List.of()))), SLOS, 0.95, 2, Double.NaN);
    assertThat(all.step()).isEqualTo(2);
    assertThat(all.limit()).isEqualTo("not_reached");
    assertThat(all.accelerators()).isEqualTo(2);
    assertThat(all.summary()).contains("Every load tried meets the SLO").contains("try higher loads");
    Verdict none = Verdict.of(List.of(step(1, 1, 5, 0, ServerStats.none(List.of()))), SLOS, 0.95, 0, 1.0);
    assertThat(none.step()).isZero();
    assertThat(none.firstFailing()).isEqualTo(1);
    assertThat(none.outputTokensPerSecond()).isNaN();
    assertThat(none.summary()).startsWith("No step meets the SLO");
  }

  @Test
  void withoutServerMetricsAQueueIsInferredFromTheClientsTtft() {
    Verdict v = Verdict.of(List.of(step(1, 1, 0, 0, ServerStats.none(List.of())),
        step(2, 2, 15, 0, ServerStats.none(List.of()))), SLOS, 0.95, 0, Double.NaN);
    assertThat(v.limit()).isEqualTo("queue");
    assertThat(v.signals().get(0)).contains("no server metrics: a queue is inferred");
  }

  @Test
  void goodputCountsFailedRequestsAndAnItlObjectiveIsCheckedAgainstTpot() {
    StepResult s = step(1, 1, 2, 3, ServerStats.none(List.of()));
    assertThat(s.client().due()).isEqualTo(20);
    assertThat(s.client().good()).isEqualTo(15);
    assertThat(s.client().goodput()).isEqualTo(0.75);
    assertThat(s.client().perSlo()).containsEntry("ttft<=500ms", 0.75).containsEntry("itl<=50ms", 0.85);
    // TPOT = (E2E - TTFT) / (11 - 1) = 200 ms / 10
    assertThat(s.client().tpot().p50()).isEqualTo(0.02);
    assertThat(s.client().errors()).containsEntry("HTTP 503", 3);
  }
}

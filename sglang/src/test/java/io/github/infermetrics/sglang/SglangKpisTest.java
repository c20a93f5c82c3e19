package io.github.infermetrics.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.testing.LaterCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every expectation is computed by hand in the comment beside it; percentiles as PromQL's
 * {@code histogram_quantile}: rank = q x count, the first bucket whose cumulative count reaches the rank,
 * interpolated linearly inside it; the {@code +Inf} bucket gives the largest finite bound.
 */
class SglangKpisTest {
  static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";
  static final String QWEN = "Qwen/Qwen3-8B";
  static final Map<String, String> LLAMA_LABELS = Map.of("model_name", LLAMA);

  /**
   * The documented example (SGLang 2024: {@code time_per_output_token_seconds}, no {@code num_requests_total}, no
   * queue time, schedulers labelled by model only) and a capture 10 s later with known traffic.
   */
  static SglangKpis documentedExampleAndTenSecondsLater() {
    String earlier = Captures.fixture();
    String m = "{model_name=\"" + LLAMA + "\"}";
    LaterCapture later = new LaterCapture(earlier)
        .add("sglang:prompt_tokens_total" + m, 2000)
        .add("sglang:generation_tokens_total" + m, 500)
        .set("sglang:token_usage" + m, 0.45)
        .set("sglang:cache_hit_rate" + m, 0.25)
        .set("sglang:num_running_reqs" + m, 170)
        .set("sglang:num_queue_reqs" + m, 30)
        .set("sglang:gen_throughput" + m, 48.5)
        .set("sglang:num_used_tokens" + m, 130000)
        .observe("sglang:time_to_first_token_seconds", LLAMA_LABELS,
            0.05, 0.07, 0.07, 0.09, 0.3, 0.6, 0.9, 2.0, 4.0, 40.0)
        .observe("sglang:e2e_request_latency_seconds", LLAMA_LABELS, 0.4, 3, 6, 12, 25, 35, 45, 55)
        .observe("sglang:time_per_output_token_seconds", LLAMA_LABELS, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06,
            0.06, 0.06, 0.06, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.25, 0.25)
        // and a histogram SGLang's docs show that is not a KPI
        .observe("sglang:func_latency_seconds", Map.of("name", "generate_request"), 0.01);
    // 2 counters, 6 gauges, TTFT 21 buckets + count + sum, E2E 16 + 2, TPOT 19 + 2, func_latency 19 + 2
    assertThat(later.changed()).isEqualTo(2 + 6 + 23 + 18 + 21 + 21);
    return SglangKpis.between(Captures.text(earlier), Captures.text(later.text()), 10);
  }

  @Test
  void documentedExamplePlusKnownTrafficGivesHandComputedKpis() {
    SglangKpis kpis = documentedExampleAndTenSecondsLater();
    assertThat(kpis.ranks()).isEmpty(); // schedulers labelled by model only
    assertThat(kpis.resetDetected()).isFalse();
    SglangWindow w = kpis.model(LLAMA).orElseThrow();

    // no num_requests_total in 2024: each finished request is one E2E observation, 8 in 10 s
    assertValue(w, SglangMeasure.REQUEST_RATE, 0.8);
    assertValue(w, SglangMeasure.PROMPT_TOKEN_RATE, 200);            // 2000 / 10
    assertValue(w, SglangMeasure.GENERATION_TOKEN_RATE, 50);         // 500 / 10
    assertValue(w, SglangMeasure.PROMPT_TOKENS_PER_REQUEST, 250);    // 2000 / 8
    assertValue(w, SglangMeasure.GENERATION_TOKENS_PER_REQUEST, 62.5); // 500 / 8
    assertValue(w, SglangMeasure.REQUESTS_RUNNING, 170);
    assertValue(w, SglangMeasure.REQUESTS_WAITING, 30);
    assertValue(w, SglangMeasure.QUEUE_PRESSURE, 0.15);              // 30 / (170 + 30)
    assertValue(w, SglangMeasure.KV_CACHE_USAGE, 0.45);
    assertValue(w, SglangMeasure.KV_CACHE_HEADROOM, 0.55);
    assertValue(w, SglangMeasure.KV_CACHE_USED_TOKENS, 130000);
    assertValue(w, SglangMeasure.SERVER_CACHE_HIT_RATIO, 0.25);
    assertValue(w, SglangMeasure.SERVER_GENERATION_THROUGHPUT, 48.5);
    // families this release does not have: absent, not 0
    for (SglangMeasure absent : List.of(SglangMeasure.ERROR_RATE, SglangMeasure.ERROR_RATIO,
        SglangMeasure.PREFIX_CACHE_HIT_RATIO, SglangMeasure.KV_CACHE_CAPACITY_TOKENS, SglangMeasure.RETRACTION_RATE,
        SglangMeasure.SPEC_DECODE_ACCEPTANCE_RATE, SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH)) {
      assertThat(w.get(absent)).as(absent.name()).isEmpty();
    }
    assertThat(w.queueTime()).isEqualTo(LatencyStats.ABSENT);

    // TTFT, 10 observations; cumulative increases le 0.06:1, 0.08:3, 0.1:4, 0.25:4, 0.5:5, 0.75:6, 1:7, 2.5:8,
    // 5:9, 7.5..30:9, +Inf:10. mean = 48.08 / 10.
    // p50: rank 5 in (0.25, 0.5] (4 below, 1 in it): 0.25 + 0.25 x 1/1 = 0.5
    // p90: rank 9 in (2.5, 5] (8 below, 1 in it): 2.5 + 2.5 x 1/1 = 5
    // p95, p99: rank 9.5, 9.9 in +Inf: the largest finite bound, 30, only a lower bound
    LatencyStats ttft = w.timeToFirstToken();
    assertStats(ttft, 1.0, 4.808, 0.5, 5.0, 30, 30);
    assertThat(ttft.bound(KpiStatistic.P50)).isEmpty();
    assertThat(ttft.bound(KpiStatistic.P95)).contains(Bound.above(30));
    assertThat(ttft.bound(KpiStatistic.P99)).contains(Bound.above(30));

    // E2E, 8 observations; cumulative increases le 0.5:1, 5:2, 10:3, 15:4, 20:4, 30:5, 40:6, 50:7, 60:8.
    // mean = 181.4 / 8 = 22.675
    // p50: rank 4 in (10, 15] (3 below, 1 in it): 15
    // p90: rank 7.2 in (50, 60] (7 below): 50 + 10 x 0.2 = 52; p95: 50 + 10 x 0.6 = 56; p99: 50 + 10 x 0.92 = 59.2
    assertStats(w.endToEndLatency(), 0.8, 22.675, 15, 52, 56, 59.2);

    // inter-token latency under its 2024 name: 10 x 0.06 (0.05, 0.075], 8 x 0.09 (0.075, 0.1], 2 x 0.25 (0.2, 0.3]
    // mean = (0.6 + 0.72 + 0.5) / 20 = 0.091
    // p50: rank 10 in (0.05, 0.075] (0 below, 10 in it): 0.075
    // p90: rank 18 in (0.075, 0.1] (10 below, 8 in it): 0.1
    // p95: rank 19 in (0.2, 0.3] (18 below, 2 in it): 0.2 + 0.1 x 1/2 = 0.25; p99: 0.2 + 0.1 x 1.8/2 = 0.29
    assertStats(w.interTokenLatency(), 2.0, 0.091, 0.075, 0.1, 0.25, 0.29);
  }

  @Test
  void theSameCaptureTwiceGivesZeroRatesAndNoLatencies() {
    SglangSnapshot s = Captures.text(Captures.fixture());
    SglangWindow w = SglangKpis.between(s, s, 10).model(LLAMA).orElseThrow();
    assertValue(w, SglangMeasure.REQUEST_RATE, 0);
    assertValue(w, SglangMeasure.GENERATION_TOKEN_RATE, 0);
    assertThat(w.get(SglangMeasure.PROMPT_TOKENS_PER_REQUEST)).isEmpty(); // 0 / 0
    assertThat(w.timeToFirstToken().p95()).isEmpty();
    assertThat(w.timeToFirstToken().perSecond()).hasValue(0);
    assertValue(w, SglangMeasure.KV_CACHE_USAGE, 0.28);                 // the gauge as it is
  }

  /**
   * The hand-made pair (current names and labels, two data-parallel ranks with DP attention, 15 s apart): see the
   * resources for the raw numbers.
   */
  static SglangKpis twoDataParallelRanks() {
    return SglangKpis.between(Captures.resource("two-dp-ranks-prev.prom"),
        Captures.resource("two-dp-ranks-curr.prom"), 15);
  }

  @Test
  void currentReleaseWithTwoDataParallelRanksGivesHandComputedKpis() {
    SglangKpis kpis = twoDataParallelRanks();
    SglangWindow w = kpis.model(QWEN).orElseThrow();
    assertThat(w.key()).isEqualTo(Labels.of("model", QWEN));
    assertValue(w, SglangMeasure.REQUEST_RATE, 2.0);                 // num_requests_total 100 -> 130 in 15 s
    assertValue(w, SglangMeasure.ERROR_RATE, 0.2);                   // num_aborted_requests_total 2 -> 5
    assertValue(w, SglangMeasure.ERROR_RATIO, 1.0 / 11);             // 3 / (30 + 3)
    assertValue(w, SglangMeasure.PROMPT_TOKEN_RATE, 600);            // 9000 / 15
    assertValue(w, SglangMeasure.GENERATION_TOKEN_RATE, 240);        // 3600 / 15
    assertValue(w, SglangMeasure.PROMPT_TOKENS_PER_REQUEST, 300);    // 9000 / 30
    assertValue(w, SglangMeasure.GENERATION_TOKENS_PER_REQUEST, 120);
    // cached: device 1000 -> 2800, host new at 450 (counted from zero): 2250 of 9000 prompt tokens
    assertValue(w, SglangMeasure.PREFIX_CACHE_HIT_RATIO, 0.25);
    assertValue(w, SglangMeasure.REQUESTS_RUNNING, 32);              // 12 + 20
    assertValue(w, SglangMeasure.REQUESTS_WAITING, 4);               // 4 + 0
    assertValue(w, SglangMeasure.QUEUE_PRESSURE, 4.0 / 36);
    assertValue(w, SglangMeasure.KV_CACHE_USAGE, 0.4);               // mean of 0.3 and 0.5
    assertValue(w, SglangMeasure.KV_CACHE_HEADROOM, 0.6);
    assertValue(w, SglangMeasure.KV_CACHE_USED_TOKENS, 80000);       // 30000 + 50000
    assertValue(w, SglangMeasure.KV_CACHE_CAPACITY_TOKENS, 200000);
    assertValue(w, SglangMeasure.SERVER_CACHE_HIT_RATIO, 0.25);      // mean of 0.2 and 0.3
    // the schedulers' own gauge beside the rate from the counter (240)
    assertValue(w, SglangMeasure.SERVER_GENERATION_THROUGHPUT, 240.5); // 100.5 + 140
    assertValue(w, SglangMeasure.RETRACTION_RATE, 0.2);              // rank 0: 1 -> 4
    // speculative decoding off: SGLang writes 0 to both gauges, which are left out
    assertThat(w.get(SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH)).isEmpty();
    assertThat(w.get(SglangMeasure.SPEC_DECODE_ACCEPTANCE_RATE)).isEmpty();

    // TTFT increases: le 0.2:12, 0.4:22, 0.6:28, 0.8:28, 1:28, 2:30; sum 39.3 - 30 = 9.3
    // p50: rank 15 in (0.2, 0.4] (12 below, 10 in it): 0.2 + 0.2 x 3/10 = 0.26
    // p90: rank 27 in (0.4, 0.6] (22 below, 6 in it): 0.4 + 0.2 x 5/6
    // p95: rank 28.5 in (1, 2] (28 below, 2 in it): 1 + 0.5/2 = 1.25; p99: 1 + 1.7/2 = 1.85
    assertStats(w.timeToFirstToken(), 2.0, 0.31, 0.26, 0.4 + 0.2 * 5 / 6, 1.25, 1.85);
    // inter-token latency, 3570 tokens: (0.015, 0.02]: 3000, (0.02, 0.025]: 500, (0.04, 0.06]: 70; sum 64.26
    // p50: rank 1785: 0.015 + 0.005 x 1785/3000 = 0.017975
    // p90: rank 3213: 0.02 + 0.005 x 213/500 = 0.02213; p95: rank 3391.5: 0.02 + 0.005 x 391.5/500 = 0.023915
    // p99: rank 3534.3 in (0.04, 0.06] (3500 below): 0.04 + 0.02 x 34.3/70 = 0.0498
    assertStats(w.interTokenLatency(), 238, 0.018, 0.017975, 0.02213, 0.023915, 0.0498);
    // E2E, 30 requests: (1, 2]: 5, (2, 4]: 20, (4, 6]: 5; sum 90
    // p50: rank 15: 2 + 2 x 10/20 = 3; p90: rank 27: 4 + 2 x 2/5 = 4.8; p95: 4 + 2 x 3.5/5 = 5.4;
    // p99: 4 + 2 x 4.7/5 = 5.88
    assertStats(w.endToEndLatency(), 2.0, 3.0, 3.0, 4.8, 5.4, 5.88);
    // queue time summed over both ranks: le 0:15 (rank 1, never queued), 0.1:25, 0.2:30; sum 1.2
    // p50: rank 15 in the first bucket, le="0.0": PromQL gives its bound, 0, and it is only "at most 0"
    // p90: rank 27 in (0.1, 0.2] (25 below, 5 in it): 0.1 + 0.1 x 2/5 = 0.14; p95: 0.17; p99: 0.194
    LatencyStats queue = w.queueTime();
    assertStats(queue, 2.0, 0.04, 0, 0.14, 0.17, 0.194);
    assertThat(queue.bound(KpiStatistic.P50)).contains(Bound.atMost(0));

    // ranks: engine = dp_rank, with SGLang's tp_rank and pp_rank
    assertThat(kpis.ranks()).extracting(SglangWindow::key).containsExactly(
        Labels.of("model", QWEN, "engine", "0", "tp_rank", "0", "pp_rank", "0"),
        Labels.of("model", QWEN, "engine", "1", "tp_rank", "1", "pp_rank", "0"));
    SglangWindow r0 = kpis.ranks().get(0);
    assertValue(r0, SglangMeasure.REQUESTS_RUNNING, 12);
    assertValue(r0, SglangMeasure.REQUESTS_WAITING, 4);
    assertValue(r0, SglangMeasure.QUEUE_PRESSURE, 0.25);
    assertValue(r0, SglangMeasure.KV_CACHE_USAGE, 0.3);
    assertValue(r0, SglangMeasure.SERVER_GENERATION_THROUGHPUT, 100.5);
    assertValue(r0, SglangMeasure.RETRACTION_RATE, 0.2);
    assertThat(r0.get(SglangMeasure.REQUEST_RATE)).isEmpty(); // the tokenizer's families have no rank
    assertThat(r0.timeToFirstToken()).isEqualTo(LatencyStats.ABSENT);
    // rank 0's queue: (0, 0.1]: 10, (0.1, 0.2]: 5; sum 1.2. p50: rank 7.5: 0.1 x 7.5/10 = 0.075;
    // p90: rank 13.5: 0.1 + 0.1 x 3.5/5 = 0.17; p95: 0.1 + 0.1 x 4.25/5 = 0.185; p99: 0.1 + 0.1 x 4.85/5 = 0.197
    assertStats(r0.queueTime(), 1.0, 0.08, 0.075, 0.17, 0.185, 0.197);
    SglangWindow r1 = kpis.ranks().get(1);
    assertValue(r1, SglangMeasure.QUEUE_PRESSURE, 0);                // 0 waiting of 20
    assertValue(r1, SglangMeasure.RETRACTION_RATE, 0);
    assertStats(r1.queueTime(), 1.0, 0, 0, 0, 0, 0);
  }

  @Test
  void copiesOfOneSchedulerFromItsTensorParallelRanksAreAveragedNotAdded() {
    // --enable-metrics-for-all-schedulers, TP 2, no data parallelism: both TP ranks report the one scheduler
    String prev = """
        # TYPE sglang:num_running_reqs gauge
        sglang:num_running_reqs{model_name="m",pp_rank="0",tp_rank="0"} 10.0
        sglang:num_running_reqs{model_name="m",pp_rank="0",tp_rank="1"} 10.0
        # TYPE sglang:token_usage gauge
        sglang:token_usage{model_name="m",pp_rank="0",tp_rank="0"} 0.4
        sglang:token_usage{model_name="m",pp_rank="0",tp_rank="1"} 0.4
        # TYPE sglang:num_retracted_requests_total counter
        sglang:num_retracted_requests_total{model_name="m",pp_rank="0",tp_rank="0"} 0.0
        sglang:num_retracted_requests_total{model_name="m",pp_rank="0",tp_rank="1"} 0.0
        """;
    String curr = prev.replace("} 0.0", "} 5.0");
    SglangKpis kpis = SglangKpis.between(Captures.text(prev), Captures.text(curr), 10);
    SglangWindow m = kpis.model("m").orElseThrow();
    assertValue(m, SglangMeasure.REQUESTS_RUNNING, 10);              // one batch of 10, reported twice
    assertValue(m, SglangMeasure.KV_CACHE_USAGE, 0.4);
    assertValue(m, SglangMeasure.RETRACTION_RATE, 0.5);              // 5 retractions in 10 s, counted by both
    // each copy is a rank row, engine "0" (no dp_rank: one data-parallel replica)
    assertThat(kpis.ranks()).extracting(SglangWindow::key).containsExactly(
        Labels.of("model", "m", "engine", "0", "tp_rank", "0", "pp_rank", "0"),
        Labels.of("model", "m", "engine", "0", "tp_rank", "1", "pp_rank", "0"));
  }

  @Test
  void speculativeDecodingGaugesCountOnlyWhereSpeculationRuns() {
    // rank 0 speculates (accepted length 3.2, rate 0.55); rank 1 writes SGLang's zeros: it does not
    String s = """
        # TYPE sglang:spec_accept_length gauge
        sglang:spec_accept_length{dp_rank="0",model_name="m",tp_rank="0"} 3.2
        sglang:spec_accept_length{dp_rank="1",model_name="m",tp_rank="1"} 0.0
        # TYPE sglang:spec_accept_rate gauge
        sglang:spec_accept_rate{dp_rank="0",model_name="m",tp_rank="0"} 0.55
        sglang:spec_accept_rate{dp_rank="1",model_name="m",tp_rank="1"} 0.0
        """;
    SglangKpis kpis = SglangKpis.between(Captures.text(s), Captures.text(s), 10);
    SglangWindow m = kpis.model("m").orElseThrow();
    assertValue(m, SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH, 3.2); // rank 0's alone, not (3.2 + 0) / 2
    assertValue(m, SglangMeasure.SPEC_DECODE_ACCEPTANCE_RATE, 0.55);
    assertValue(kpis.ranks().get(0), SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH, 3.2);
    assertThat(kpis.ranks().get(1).get(SglangMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH)).isEmpty();
    // no request family in this scrape: no request rate at all, rather than 0
    assertThat(m.get(SglangMeasure.REQUEST_RATE)).isEmpty();
  }

  @Test
  void theOldAndTheNewInterTokenNameAreOneMeasureAndTheNewOneWins() {
    String old = """
        # TYPE sglang:time_per_output_token_seconds histogram
        sglang:time_per_output_token_seconds_bucket{le="0.1",model_name="m"} N
        sglang:time_per_output_token_seconds_bucket{le="+Inf",model_name="m"} N
        sglang:time_per_output_token_seconds_count{model_name="m"} N
        sglang:time_per_output_token_seconds_sum{model_name="m"} S
        """;
    String both = old + old.replace("time_per_output_token", "inter_token_latency").replace("0.1", "0.2");
    SglangKpis oldOnly = SglangKpis.between(Captures.text(old.replace("N", "0").replace("S", "0")),
        Captures.text(old.replace("N", "4").replace("S", "0.2")), 2);
    // 4 tokens in (0, 0.1]: mean 0.05, p50 = 0.1 x 2/4
    assertStats(oldOnly.model("m").orElseThrow().interTokenLatency(), 2, 0.05, 0.05, 0.09, 0.095, 0.099);
    SglangSnapshot curr = Captures.text(both.replace("N", "4").replace("S", "0.2"));
    assertThat(curr.familyName(SglangMetric.INTER_TOKEN_LATENCY)).contains("sglang:inter_token_latency_seconds");
    SglangKpis newWins = SglangKpis.between(Captures.text(both.replace("N", "0").replace("S", "0")), curr, 2);
    // the same 4 tokens in the new histogram's (0, 0.2]: p50 = 0.2 x 2/4
    assertThat(newWins.model("m").orElseThrow().interTokenLatency().p50().orElseThrow())
        .isCloseTo(0.1, within(1e-12));
  }

  @Test
  void fillsTheSharedKpisWithTheNamesAndDimensionsVllmUses() {
    KpiSet set = twoDataParallelRanks().toKpiSet("sglang-0:30000", Instant.EPOCH);
    assertThat(set.source()).isEqualTo("sglang");
    Set<String> perModel = new TreeSet<>();
    for (KpiValue v : set.values()) {
      if (v.dimensions().equals(Labels.of("model", QWEN))) {
        perModel.add(v.metricName());
      }
    }
    // what the vllm module fills per model (VllmKpis.toKpiSet), name for name
    List<String> vllm = new ArrayList<>(List.of("request_rate_per_second", "error_rate_per_second", "error_ratio",
        "prompt_token_rate_per_second", "generation_token_rate_per_second", "kv_cache_usage_ratio", "batch_size",
        "queue_depth"));
    for (Kpi k : List.of(Kpi.TIME_TO_FIRST_TOKEN, Kpi.INTER_TOKEN_LATENCY, Kpi.END_TO_END_LATENCY,
        Kpi.QUEUE_TIME)) {
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        vllm.add(k.metricName(s));
      }
    }
    assertThat(perModel).containsExactlyInAnyOrderElementsOf(vllm);
    // per rank: the scheduler's KPIs, with engine like vLLM's engines
    assertThat(set.find(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE,
        io.github.infermetrics.core.snapshot.LabelMatcher.eq("engine", "0"))).map(KpiValue::value).contains(4.0);
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95,
        io.github.infermetrics.core.snapshot.LabelMatcher.eq("engine", "0"))).isEmpty();
  }

  @Test
  void tablesHaveAColumnPerMeasureAndARowPerLatency() {
    List<KpiTable> tables = twoDataParallelRanks().tables();
    assertThat(tables).extracting(KpiTable::name)
        .containsExactly("models", "model_latencies", "ranks", "rank_latencies");
    KpiTable models = tables.get(0);
    assertThat(models.columns()).hasSize(SglangMeasure.values().length);
    assertThat(models.rows()).hasSize(1);
    assertThat(models.rows().get(0).value(models, "server_generation_throughput_per_second")).hasValue(240.5);
    KpiTable latencies = tables.get(1);
    assertThat(latencies.rows()).extracting(r -> r.key().get("latency"))
        .containsExactly("time_to_first_token", "inter_token_latency", "end_to_end_latency", "queue_time");
    KpiTable rankLatencies = tables.get(3);
    assertThat(rankLatencies.rows()).extracting(r -> r.key().get("latency")).containsOnly("queue_time");
    assertThat(rankLatencies.rows().get(1).bound(2)).contains(Bound.atMost(0)); // rank 1's p50
    KpiTable ranks = tables.get(2);
    assertThat(ranks.keys()).containsExactly("model", "engine", "tp_rank", "pp_rank");
    assertThat(ranks.columns()).noneMatch(c -> c.name().equals("request_rate_per_second"));
  }

  @Test
  void measuresAreWellDeclared() {
    for (SglangMeasure m : SglangMeasure.values()) {
      Measure.check(m);
    }
    for (SglangLatency l : SglangLatency.values()) {
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        assertThat(Measure.check(SglangLatencyMeasure.of(l, s)).columnName())
            .isEqualTo(l.kpi().metricName(s));
      }
    }
    assertThat(SglangMeasure.SERVER_GENERATION_THROUGHPUT.columnName())
        .isEqualTo("server_generation_throughput_per_second");
    assertThat(SglangMeasure.REQUESTS_RUNNING.columnName()).isEqualTo("batch_size");
  }

  static void assertValue(SglangWindow w, SglangMeasure m, double expected) {
    OptionalDouble v = w.get(m);
    assertThat(v).as(m.name() + " of " + w.key()).isPresent();
    assertThat(v.getAsDouble()).as(m.name() + " of " + w.key()).isCloseTo(expected, within(1e-9));
  }

  static void assertStats(LatencyStats s, double perSecond, double mean, double p50, double p90, double p95,
      double p99) {
    double[] expected = {perSecond, mean, p50, p90, p95, p99};
    OptionalDouble[] actual = {s.perSecond(), s.mean(), s.p50(), s.p90(), s.p95(), s.p99()};
    String[] names = {"per second", "mean", "p50", "p90", "p95", "p99"};
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as(names[i]).isPresent();
      assertThat(actual[i].getAsDouble()).as(names[i]).isCloseTo(expected[i], within(1e-9));
    }
  }
}

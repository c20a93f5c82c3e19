package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KPIs over hand-computed windows. v1-two-engines-{prev,curr}.prom are 10 s apart; the comments give each expected
 * value from the files' numbers, with PromQL's histogram_quantile: rank = q * count, find the first bucket whose
 * cumulative count reaches the rank, interpolate linearly inside it (the +Inf bucket gives the highest finite
 * bound).
 */
class VllmKpisTest {
  static final String QWEN = "Qwen/Qwen3-8B";
  static final Offset<Double> EXACT = within(1e-12);
  static final Instant AT = Instant.parse("2026-09-01T12:00:00Z");

  static VllmKpis twoEngines() {
    return VllmKpis.between(Scrapes.resource("v1-two-engines-prev.prom"),
        Scrapes.resource("v1-two-engines-curr.prom"), 10);
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }

  @Test
  void latencyPercentilesMatchHistogramQuantilePerEngineAndSummedOverEngines() {
    VllmKpis k = twoEngines();
    // engine 0 TTFT increases: le 0.1: 4-2=2, 0.25: 15-5=10, 0.5: 28-8=20, 1: 20, +Inf: 20; sum 9-3=6
    LatencyStats e0 = k.engine(QWEN, "0").orElseThrow().timeToFirstToken();
    assertThat(value(e0.mean())).isCloseTo(6.0 / 20, EXACT);
    assertThat(value(e0.p50())).isCloseTo(0.25, EXACT); // rank 10 in (0.1, 0.25]: 0.1 + 0.15 * (10-2)/8
    assertThat(value(e0.p90())).isCloseTo(0.45, EXACT); // rank 18 in (0.25, 0.5]: 0.25 + 0.25 * (18-10)/10
    assertThat(value(e0.p95())).isCloseTo(0.475, EXACT); // 0.25 + 0.25 * 9/10
    assertThat(value(e0.p99())).isCloseTo(0.495, EXACT); // 0.25 + 0.25 * 9.8/10
    assertThat(value(e0.perSecond())).isCloseTo(2.0, EXACT); // 20 first tokens in 10 s

    // engine 1 TTFT from zero: 0, 0, 10, 18, 20; sum 12
    LatencyStats e1 = k.engine(QWEN, "1").orElseThrow().timeToFirstToken();
    assertThat(value(e1.mean())).isCloseTo(0.6, EXACT);
    assertThat(value(e1.p50())).isCloseTo(0.5, EXACT); // rank 10 in (0.25, 0.5]: 0.25 + 0.25 * 10/10
    assertThat(value(e1.p90())).isCloseTo(1.0, EXACT); // rank 18 in (0.5, 1]: 0.5 + 0.5 * 8/8
    assertThat(value(e1.p95())).isCloseTo(1.0, EXACT); // rank 19 in +Inf: the highest finite bound

    // sum by (le): 2, 10, 30, 38, 40; sum 18
    LatencyStats model = k.model(QWEN).orElseThrow().timeToFirstToken();
    assertThat(value(model.mean())).isCloseTo(18.0 / 40, EXACT);
    assertThat(value(model.p50())).isCloseTo(0.375, EXACT); // rank 20 in (0.25, 0.5]: 0.25 + 0.25 * 10/20
    assertThat(value(model.p90())).isCloseTo(0.875, EXACT); // rank 36 in (0.5, 1]: 0.5 + 0.5 * 6/8
    assertThat(value(model.p95())).isCloseTo(1.0, EXACT); // rank 38 = cumulative count of le=1
    assertThat(value(model.p99())).isCloseTo(1.0, EXACT); // rank 39.6 in +Inf

    // e2e: engine 0 +20 (sum +60), engine 1 +20 (sum +80), all in (1, 5]
    LatencyStats e2e = k.model(QWEN).orElseThrow().endToEndLatency();
    assertThat(value(e2e.mean())).isCloseTo(3.5, EXACT); // 140 / 40
    assertThat(value(e2e.p50())).isCloseTo(3.0, EXACT); // rank 20 of 40 in (1, 5]: 1 + 4 * 20/40
    // no inter-token latency histogram in these scrapes: absent, not zero
    assertThat(k.model(QWEN).orElseThrow().interTokenLatency()).isEqualTo(LatencyStats.ABSENT);
  }

  @Test
  void ratesAndRatiosPerEngineAndSummedOverEngines() {
    VllmKpis k = twoEngines();
    VllmWindow e0 = k.engine(QWEN, "0").orElseThrow();
    VllmWindow e1 = k.engine(QWEN, "1").orElseThrow();
    VllmWindow m = k.model(QWEN).orElseThrow();
    assertThat(k.models()).hasSize(1);
    assertThat(k.engines()).hasSize(2);
    assertThat(m.key()).isEqualTo(Labels.of("model", QWEN));
    assertThat(e1.key()).isEqualTo(Labels.of("model", QWEN, "engine", "1"));

    // prompt tokens: (3000-1000)/10 = 200, (1500-500)/10 = 100; generation (8000-4000)/10, (2000-0)/10
    assertThat(value(e0.promptTokensPerSecond())).isCloseTo(200, EXACT);
    assertThat(value(e1.promptTokensPerSecond())).isCloseTo(100, EXACT);
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(300, EXACT);
    assertThat(value(m.generationTokensPerSecond())).isCloseTo(600, EXACT);

    // engine 0 finished: stop +18, length +1, abort +1 -> 2.0/s, errors 0.1/s
    assertThat(value(e0.requestsPerSecond())).isCloseTo(2.0, EXACT);
    assertThat(value(e0.get(VllmMeasure.ERROR_RATE))).isCloseTo(0.1, EXACT);
    assertThat(value(e0.goodputPerSecond())).isCloseTo(1.9, EXACT);
    assertThat(value(e0.get(VllmMeasure.ERROR_RATIO))).isCloseTo(0.05, EXACT);
    assertThat(e0.requestRateByReason()).containsEntry("stop", 1.8).containsEntry("abort", 0.1)
        .containsEntry("error", 0.0);
    // both engines: 4.0/s of which 0.1 aborted
    assertThat(value(m.requestsPerSecond())).isCloseTo(4.0, EXACT);
    assertThat(value(m.goodputPerSecond())).isCloseTo(3.9, EXACT);
    assertThat(value(m.get(VllmMeasure.ERROR_RATIO))).isCloseTo(0.025, EXACT);
    assertThat(m.requestRateByReason().get("stop")).isCloseTo(3.6, EXACT);

    // prefix cache: engine 0 hits +1000 of +2000 queries; engine 1 0 of +1000; model 1000/3000
    assertThat(value(e0.get(VllmMeasure.PREFIX_CACHE_HIT_RATIO))).isCloseTo(0.5, EXACT);
    assertThat(value(e1.get(VllmMeasure.PREFIX_CACHE_HIT_RATIO))).isCloseTo(0.0, EXACT);
    assertThat(value(m.get(VllmMeasure.PREFIX_CACHE_HIT_RATIO))).isCloseTo(1.0 / 3, EXACT);
    assertThat(value(e0.get(VllmMeasure.PREEMPTION_RATE))).isCloseTo(0.5, EXACT);
    assertThat(value(m.get(VllmMeasure.PREEMPTION_RATE))).isCloseTo(0.5, EXACT);

    // gauges now: running 6 + 2, waiting 2 + 0; KV cache 0.8 and 0.4, mean 0.6
    assertThat(value(m.get(VllmMeasure.REQUESTS_RUNNING))).isEqualTo(8);
    assertThat(value(m.get(VllmMeasure.REQUESTS_WAITING))).isEqualTo(2);
    assertThat(value(m.get(VllmMeasure.QUEUE_PRESSURE))).isCloseTo(0.2, EXACT); // 2 / (8 + 2)
    assertThat(value(e0.get(VllmMeasure.QUEUE_PRESSURE))).isCloseTo(0.25, EXACT); // 2 / (6 + 2)
    assertThat(value(e1.get(VllmMeasure.QUEUE_PRESSURE))).isCloseTo(0.0, EXACT);
    assertThat(value(m.kvCacheUsage())).isCloseTo(0.6, EXACT);
    assertThat(value(m.get(VllmMeasure.KV_CACHE_HEADROOM))).isCloseTo(0.4, EXACT);
    assertThat(value(e0.kvCacheUsage())).isCloseTo(0.8, EXACT);

    // tokens per request: engine 0 +4000 over +20, engine 1 +1000 over +20, model 5000/40
    assertThat(value(e0.get(VllmMeasure.PROMPT_TOKENS_PER_REQUEST))).isCloseTo(200, EXACT);
    assertThat(value(e1.get(VllmMeasure.PROMPT_TOKENS_PER_REQUEST))).isCloseTo(50, EXACT);
    assertThat(value(m.get(VllmMeasure.PROMPT_TOKENS_PER_REQUEST))).isCloseTo(125, EXACT);
    assertThat(m.get(VllmMeasure.GENERATION_TOKENS_PER_REQUEST)).isEmpty(); // no such histogram here
    // tokens per step: +8000 over +200 steps, +2000 over +100, model 10000/300
    assertThat(value(e0.get(VllmMeasure.BATCH_TOKENS_PER_STEP))).isCloseTo(40, EXACT);
    assertThat(value(m.get(VllmMeasure.BATCH_TOKENS_PER_STEP))).isCloseTo(100.0 / 3, EXACT);

    // spec decode: engine 0 150 of 300 draft tokens in 100 drafts; engine 1 90 of 300 in 100
    assertThat(value(e0.get(VllmMeasure.SPEC_DECODE_ACCEPTANCE_RATE))).isCloseTo(0.5, EXACT);
    assertThat(value(e0.get(VllmMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH))).isCloseTo(2.5, EXACT); // 1 + 150/100
    assertThat(value(e1.get(VllmMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH))).isCloseTo(1.9, EXACT);
    assertThat(value(m.get(VllmMeasure.SPEC_DECODE_ACCEPTANCE_RATE))).isCloseTo(0.4, EXACT); // 240 / 600
    assertThat(value(m.get(VllmMeasure.SPEC_DECODE_ACCEPTANCE_LENGTH))).isCloseTo(2.2, EXACT); // 1 + 240/200
    assertThat(m.get(VllmMeasure.MM_CACHE_HIT_RATIO)).isEmpty();
    assertThat(k.resetDetected()).isFalse();
    assertThat(k.generation()).isEqualTo(VllmGeneration.V1);
  }

  @Test
  void counterResetBetweenScrapesCountsFromZeroAsPromQlDoes() {
    VllmSnapshot before = Scrapes.text("""
        # TYPE vllm:prompt_tokens_total counter
        vllm:prompt_tokens_total{engine="0",model_name="m"} 3000
        # TYPE vllm:request_success_total counter
        vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 28
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="m"} 4
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.25",model_name="m"} 15
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="m"} 28
        vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="m"} 30
        vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} 30
        vllm:time_to_first_token_seconds_count{engine="0",model_name="m"} 30
        vllm:time_to_first_token_seconds_sum{engine="0",model_name="m"} 9.0
        """);
    // the server restarted: every counter starts again from zero
    VllmSnapshot after = Scrapes.text("""
        # TYPE vllm:prompt_tokens_total counter
        vllm:prompt_tokens_total{engine="0",model_name="m"} 500
        # TYPE vllm:request_success_total counter
        vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 3
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="m"} 1
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.25",model_name="m"} 2
        vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="m"} 3
        vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="m"} 3
        vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} 3
        vllm:time_to_first_token_seconds_count{engine="0",model_name="m"} 3
        vllm:time_to_first_token_seconds_sum{engine="0",model_name="m"} 0.9
        """);
    VllmKpis k = VllmKpis.between(before, after, 10);
    VllmWindow m = k.model("m").orElseThrow();

    assertThat(k.resetDetected()).isTrue();
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(50, EXACT); // 500 since the restart, not -2500
    assertThat(value(m.requestsPerSecond())).isCloseTo(0.3, EXACT);
    // increases are the new counts: 1, 2, 3, 3, 3; sum 0.9
    LatencyStats ttft = m.timeToFirstToken();
    assertThat(value(ttft.mean())).isCloseTo(0.3, EXACT);
    assertThat(value(ttft.p50())).isCloseTo(0.175, EXACT); // rank 1.5 in (0.1, 0.25]: 0.1 + 0.15 * 0.5/1
    assertThat(value(ttft.p99())).isCloseTo(0.4925, EXACT); // rank 2.97 in (0.25, 0.5]: 0.25 + 0.25 * 0.97
  }

  @ParameterizedTest
  @ValueSource(strings = {VllmSnapshotTest.V0, VllmSnapshotTest.HYBRID})
  void aWindowWithoutRequestsHasRatesOfZeroAndNoLatencies(String fixture) {
    VllmSnapshot s = Scrapes.shared(fixture);
    VllmKpis k = VllmKpis.between(s, s, 15);
    VllmWindow m = k.model(VllmSnapshotTest.OPT).orElseThrow();

    assertThat(k.engines()).isEmpty(); // no engine label in these scrapes
    assertThat(m.requestsPerSecond()).hasValue(0);
    assertThat(m.get(VllmMeasure.ERROR_RATE)).hasValue(0);
    assertThat(m.promptTokensPerSecond()).hasValue(0);
    assertThat(m.get(VllmMeasure.ERROR_RATIO)).isEmpty();
    assertThat(m.get(VllmMeasure.PROMPT_TOKENS_PER_REQUEST)).isEmpty();
    assertThat(m.get(VllmMeasure.QUEUE_PRESSURE)).isEmpty(); // nothing running, nothing waiting
    assertThat(m.kvCacheUsage()).hasValue(0);
    for (VllmLatency l : VllmLatency.values()) {
      LatencyStats s1 = m.latency(l);
      assertThat(s1.mean()).isEmpty();
      assertThat(s1.p50()).isEmpty();
      assertThat(s1.p99()).isEmpty();
    }
    assertThat(m.timeToFirstToken().perSecond()).hasValue(0);

    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.values(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95)).isEmpty();
    assertThat(set.values()).allMatch(v -> Double.isFinite(v.value()));
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE)).map(KpiValue::value).hasValue(0.0);
  }

  @Test
  void hybridFixtureReadsPrefixCacheAndNewHistogramsInAWindow() {
    VllmSnapshot s = Scrapes.shared(VllmSnapshotTest.HYBRID);
    VllmWindow m = VllmKpis.between(s, s, 15).model(VllmSnapshotTest.OPT).orElseThrow();
    // no queries in the window: no hit ratio (the 64/117 since start is not this window's)
    assertThat(m.get(VllmMeasure.PREFIX_CACHE_HIT_RATIO)).isEmpty();
    assertThat(m.latency(VllmLatency.PREFILL_TIME).perSecond()).hasValue(0);
    assertThat(m.latency(VllmLatency.INTER_TOKEN_LATENCY).perSecond()).hasValue(0);
  }

  @Test
  void toKpiSetMapsOntoTheSharedVocabularyPerModelAndPerEngine() {
    KpiSet set = twoEngines().toKpiSet("vllm-0:8000", AT);

    assertThat(set.source()).isEqualTo("vllm");
    assertThat(set.target()).isEqualTo("vllm-0:8000");
    assertThat(set.at()).isEqualTo(AT);
    assertThat(set.window()).isEqualTo(Duration.ofSeconds(10));
    LabelMatcher model = LabelMatcher.eq("model", QWEN);
    LabelMatcher noEngine = LabelMatcher.eq("engine", "");
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P90, model, noEngine).map(KpiValue::value))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(0.875, EXACT));
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P50, LabelMatcher.eq("engine", "1"))
        .map(KpiValue::value)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.5, EXACT));
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, noEngine).map(KpiValue::value))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(3.5, EXACT));
    assertThat(set.find(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, noEngine).map(KpiValue::value))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(600, EXACT));
    assertThat(set.find(Kpi.ERROR_RATIO, KpiStatistic.VALUE, noEngine).map(KpiValue::value))
        .hasValueSatisfying(v -> assertThat(v).isCloseTo(0.025, EXACT));
    assertThat(set.find(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, LabelMatcher.eq("engine", "0"))
        .map(KpiValue::value)).hasValue(0.8);
    assertThat(set.find(Kpi.BATCH_SIZE, KpiStatistic.VALUE, noEngine).map(KpiValue::value)).hasValue(8.0);
    // no ITL and no queue-time histogram in these scrapes
    assertThat(set.values(Kpi.INTER_TOKEN_LATENCY, KpiStatistic.MEAN)).isEmpty();
    assertThat(set.values(Kpi.QUEUE_TIME, KpiStatistic.P99)).isEmpty();
    // one model row and two engine rows for each rate
    assertThat(set.values(Kpi.REQUEST_RATE, KpiStatistic.VALUE)).extracting(KpiValue::dimensions)
        .containsExactly(Labels.of("model", QWEN), Labels.of("model", QWEN, "engine", "0"),
            Labels.of("model", QWEN, "engine", "1"));
  }

  @Test
  void tablesHoldEverythingComputedWithAbsentValuesEmpty() {
    java.util.List<KpiTable> tables = twoEngines().tables();
    assertThat(tables).extracting(KpiTable::name)
        .containsExactly("models", "model_latencies", "engines", "engine_latencies");

    KpiTable models = tables.get(0);
    assertThat(models.keys()).containsExactly("model", "model_version");
    assertThat(models.rows()).hasSize(1);
    KpiTable.Row row = models.rows().get(0);
    assertThat(row.key()).isEqualTo(Labels.of("model", QWEN));
    assertThat(value(row.value(models, "goodput_per_second"))).isCloseTo(3.9, EXACT);
    assertThat(value(row.value(models, "requests_abort_per_second"))).isCloseTo(0.1, EXACT);
    assertThat(row.value(models, "requests_repetition_per_second")).isEmpty(); // not in this vLLM
    assertThat(row.value(models, "mm_cache_hit_ratio")).isEmpty();
    assertThat(models.columns()).hasSize(VllmMeasure.values().length + VllmKpis.FINISHED_REASONS.size());

    KpiTable latencies = tables.get(1);
    assertThat(latencies.rows()).extracting(r -> r.key().get("latency"))
        .containsExactly("time_to_first_token", "end_to_end_latency");
    assertThat(value(latencies.rows().get(0).value(latencies, "seconds_p90"))).isCloseTo(0.875, EXACT);

    KpiTable engines = tables.get(2);
    assertThat(engines.rows()).extracting(KpiTable.Row::key).containsExactly(
        Labels.of("model", QWEN, "engine", "0"), Labels.of("model", QWEN, "engine", "1"));
    assertThat(tables.get(3).rows()).hasSize(4);
  }

  @Test
  void neuronScrapesGetPerBucketKpis() {
    VllmKpis k = VllmKpis.between(Scrapes.resource("vllm-neuron-prev.prom"),
        Scrapes.resource("vllm-neuron-curr.prom"), 10);

    assertThat(k.neuronBuckets()).hasSize(3);
    VllmNeuronBucketKpis decode = k.neuronBuckets().get(0);
    assertThat(decode.bucketName()).isEqualTo("decode_b8");
    assertThat(value(decode.neffExecutionsPerSecond())).isCloseTo(80, EXACT); // (1800 - 1000) / 10
    assertThat(value(decode.meanSeqsPadding())).isCloseTo(2.0, EXACT); // (3600 - 2000) / (1800 - 1000)
    assertThat(decode.meanBatchedTokensPadding()).isEmpty();
    assertThat(decode.compilationTimeSeconds()).hasValue(97.25);
    VllmNeuronBucketKpis prefill = k.neuronBuckets().get(1);
    assertThat(value(prefill.neffExecutionsPerSecond())).isCloseTo(5, EXACT); // (150 - 100) / 10
    assertThat(value(prefill.meanBatchedTokensPadding())).isCloseTo(50, EXACT); // 2500 / 50
    // the standard vllm: families are read as usual on Neuron
    assertThat(value(k.engine(QWEN, "0").orElseThrow().promptTokensPerSecond())).isCloseTo(200, EXACT);

    KpiTable neuron = k.tables().get(4);
    assertThat(neuron.name()).isEqualTo("neuron_buckets");
    assertThat(neuron.rows().get(0).key()).isEqualTo(Labels.of("model", QWEN, "bucket_name", "decode_b8",
        "rank_id", "0"));
    assertThat(neuron.rows().get(2).key()).isEqualTo(Labels.of("model", QWEN, "rank_id", "0"));
  }

  @Test
  void tritonVllmBackendIsReadWithModelAndVersion() {
    VllmKpis k = VllmKpis.between(Scrapes.text(TritonScrape.PREVIOUS), Scrapes.text(TritonScrape.CURRENT), 10);

    assertThat(k.engines()).isEmpty();
    VllmWindow m = k.model("vllm_model").orElseThrow();
    assertThat(m.key()).isEqualTo(Labels.of("model", "vllm_model", "model_version", "1"));
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(10, EXACT); // (110 - 10) / 10
    assertThat(value(m.generationTokensPerSecond())).isCloseTo(8, EXACT); // (180 - 100) / 10
    // time_per_output_token increases: 0, 20, 60, 80, 80; sum 3.2
    LatencyStats itl = m.interTokenLatency();
    assertThat(value(itl.mean())).isCloseTo(0.04, EXACT);
    assertThat(value(itl.p50())).isCloseTo(0.0375, EXACT); // rank 40 in (0.025, 0.05]: 0.025 + 0.025 * 20/40
    assertThat(value(itl.p90())).isCloseTo(0.065, EXACT); // rank 72 in (0.05, 0.075]: 0.05 + 0.025 * 12/20
    assertThat(m.requestsPerSecond()).isEmpty(); // Triton's backend has no request_success here
    assertThat(k.toKpiSet("", AT).find(Kpi.INTER_TOKEN_LATENCY, KpiStatistic.P50).map(KpiValue::dimensions))
        .hasValue(Labels.of("model", "vllm_model", "model_version", "1"));
  }

  @Test
  void badWindowsAreRejected() {
    VllmSnapshot s = Scrapes.resource("v1-two-engines-curr.prom");
    for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> VllmKpis.between(s, s, w)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("windowSeconds must be a positive finite number of seconds");
    }
    assertThatThrownBy(() -> VllmKpis.between(null, s, 1)).hasMessage("previous");
    assertThatThrownBy(() -> VllmKpis.between(s, null, 1)).hasMessage("current");
    assertThat(VllmKpis.between(s, s, 0.25).toKpiSet("", AT).window()).isEqualTo(Duration.ofMillis(250));
  }
}

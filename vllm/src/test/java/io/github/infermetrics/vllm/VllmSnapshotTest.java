package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VllmSnapshotTest {
  static final String V0 = "fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt";
  static final String HYBRID = "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt";
  static final String OPT = "facebook/opt-125m";

  @Test
  void v0FixtureReadsLegacyNamesUnderTheirConcepts() {
    VllmSnapshot s = Scrapes.shared(V0);

    assertThat(s.generation()).isEqualTo(VllmGeneration.V0);
    assertThat(s.servedByTriton()).isFalse();
    assertThat(s.namesFound()).contains("vllm:gpu_cache_usage_perc", "vllm:num_requests_swapped",
        "vllm:time_per_output_token_seconds", "vllm:avg_prompt_throughput_toks_per_s")
        .doesNotContain("vllm:kv_cache_usage_perc", "python_info");
    assertThat(s.familyName(VllmMetric.KV_CACHE_USAGE)).hasValue("vllm:gpu_cache_usage_perc");
    assertThat(s.familyName(VllmMetric.INTER_TOKEN_LATENCY)).hasValue("vllm:time_per_output_token_seconds");
    assertThat(s.familyName(VllmMetric.PREFIX_CACHE_QUERIES)).isEmpty();

    assertThat(s.engines()).hasSize(1);
    VllmEngine e = s.engines().get(0);
    assertThat(e.model()).isEqualTo(OPT);
    assertThat(e.engine()).isEmpty();
    assertThat(e.key()).isEqualTo(Labels.of("model", OPT));
    assertThat(e.promptTokens()).hasValue(5);
    assertThat(e.generationTokens()).hasValue(7);
    assertThat(e.requestSuccess()).containsExactly(Map.entry("length", 1.0));
    assertThat(e.kvCacheUsage()).hasValue(0);
    assertThat(e.swappedRequests()).hasValue(0);
    assertThat(e.value(VllmMetric.CPU_CACHE_USAGE)).hasValue(0);
    assertThat(e.value(VllmMetric.AVG_GENERATION_THROUGHPUT)).hasValue(0);
    // one request of 7 tokens: 6 gaps between tokens
    assertThat(e.interTokenLatency().map(HistogramPoint::count)).hasValue(6.0);
    assertThat(e.timeToFirstToken().map(HistogramPoint::sum)).hasValue(0.31326723098754883);
    assertThat(e.histogram(VllmMetric.REQUEST_PARAMS_BEST_OF).map(HistogramPoint::count)).hasValue(1.0);
    // V0 exposes cache_config_info without model_name: it still describes this engine
    assertThat(e.cacheConfig()).hasValueSatisfying(i -> {
      assertThat(i.key()).isEqualTo(Labels.EMPTY);
      assertThat(i.get("block_size")).isEqualTo("16");
      assertThat(i.get("num_gpu_blocks")).isEqualTo("7281");
    });
    assertThat(e.sleepState()).isEmpty();
    assertThat(s.lora()).isEmpty();
    assertThat(s.neuronBuckets()).isEmpty();
  }

  @Test
  void hybridFixturePrefersTheNewNameWhenBothArePresent() {
    VllmSnapshot s = Scrapes.shared(HYBRID);

    assertThat(s.generation()).isEqualTo(VllmGeneration.MIXED);
    assertThat(s.namesFound()).contains("vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc",
        "vllm:time_per_output_token_seconds", "vllm:inter_token_latency_seconds");
    assertThat(s.familyName(VllmMetric.KV_CACHE_USAGE)).hasValue("vllm:kv_cache_usage_perc");
    assertThat(s.familyName(VllmMetric.INTER_TOKEN_LATENCY)).hasValue("vllm:inter_token_latency_seconds");
    VllmEngine e = s.engines().get(0);
    // 144 from inter_token_latency_seconds, not the 6 of the old time_per_output_token_seconds
    assertThat(e.interTokenLatency().map(HistogramPoint::count)).hasValue(144.0);
    assertThat(e.prefixCacheQueries()).hasValue(117);
    assertThat(e.prefixCacheHits()).hasValue(64);
    assertThat(s.prefixCacheCountsBlocks()).isFalse();
    assertThat(e.promptTokensBySource()).containsEntry("local_cache_hit", 64.0).containsEntry("local_compute", 53.0);
    assertThat(e.value(VllmMetric.PROMPT_TOKENS_CACHED)).hasValue(64);
    assertThat(e.sleepState()).hasValue("awake");
    assertThat(e.histogram(VllmMetric.ITERATION_TOKENS).map(HistogramPoint::sum)).hasValue(267.0);
    assertThat(e.histogram(VllmMetric.REQUEST_PREFILL_KV_COMPUTED_TOKENS).map(HistogramPoint::sum)).hasValue(53.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {V0, HYBRID})
  void fixturesAreDetectedAsVllm(String fixture) {
    VllmSnapshot s = Scrapes.shared(fixture);
    assertThat(VllmSnapshot.detect(s.source())).isTrue();
    assertThat(s.engines()).extracting(VllmEngine::model).containsExactly(OPT);
  }

  @Test
  void handWrittenV1ScrapeHasOneEntryPerEngine() {
    VllmSnapshot s = Scrapes.resource("v1-two-engines-curr.prom");

    assertThat(s.generation()).isEqualTo(VllmGeneration.V1);
    assertThat(s.engines()).extracting(VllmEngine::engine).map(o -> o.orElseThrow()).containsExactly("0", "1");
    VllmEngine e0 = s.engine(Labels.of("model", "Qwen/Qwen3-8B", "engine", "0")).orElseThrow();
    assertThat(e0.runningRequests()).hasValue(6);
    assertThat(e0.waitingRequests()).hasValue(2);
    assertThat(e0.waitingRequestsByReason()).containsExactly(Map.entry("capacity", 2.0), Map.entry("deferred", 0.0));
    assertThat(e0.requestSuccess()).containsEntry("stop", 28.0).containsEntry("abort", 1.0);
    // value() of a concept with a detail label sums over it: 28 + 1 + 1 + 0
    assertThat(e0.value(VllmMetric.REQUEST_SUCCESS)).hasValue(30);
    assertThat(e0.cacheConfig().map(i -> i.get("enable_prefix_caching"))).hasValue("True");
    assertThat(e0.cacheConfig().map(VllmInfo::key)).hasValue(Labels.of("engine", "0"));
    // _created gauges and process_/python_ families are not vLLM concepts
    assertThat(s.namesFound()).contains("vllm:prompt_tokens_created").doesNotContain("process_open_fds");
  }

  @Test
  void neuronScrapeInMultiprocessModeHasBucketsPerModelAndRank() {
    VllmSnapshot s = Scrapes.resource("vllm-neuron-curr.prom");

    assertThat(VllmSnapshot.detect(s.source())).isTrue();
    assertThat(s.source().families()).noneMatch(f -> f.name().startsWith("process_") || f.name().startsWith("python_"));
    assertThat(s.engines()).hasSize(1);
    assertThat(s.neuronBuckets()).extracting(VllmNeuronBucket::bucketName)
        .containsExactly("decode_b8", "prefill_s1024", "");
    VllmNeuronBucket prefill = s.neuronBuckets().get(1);
    assertThat(prefill.neffExecutions()).hasValue(150);
    assertThat(prefill.compilationTimeSeconds()).hasValue(412.5);
    assertThat(prefill.numBatchedTokensPadding().map(HistogramPoint::count)).hasValue(150.0);
    assertThat(prefill.numSeqsPadding()).isEmpty();
    VllmNeuronBucket whole = s.neuronBuckets().get(2);
    assertThat(whole.rankId()).isEqualTo("0");
    assertThat(whole.startupTimeSeconds()).hasValue(655);
    assertThat(whole.modelLoadSizeBytes()).hasValue(1.6384e10);
    assertThat(whole.modelLoadTimeSeconds()).hasValue(41.5);
  }

  @Test
  void v1WithDeprecatedNamesReadsThemUntilTheNewOnesAppear() {
    // vLLM 0.8 (V1): engine label, gpu_cache_usage_perc and gpu_prefix_cache_* (in blocks)
    VllmSnapshot s = Scrapes.text("""
        # TYPE vllm:gpu_cache_usage_perc gauge
        vllm:gpu_cache_usage_perc{engine="0",model_name="m"} 0.25
        # TYPE vllm:gpu_prefix_cache_queries_total counter
        vllm:gpu_prefix_cache_queries_total{engine="0",model_name="m"} 40.0
        # TYPE vllm:gpu_prefix_cache_hits_total counter
        vllm:gpu_prefix_cache_hits_total{engine="0",model_name="m"} 10.0
        """);
    assertThat(s.generation()).isEqualTo(VllmGeneration.V1_DEPRECATED_NAMES);
    VllmEngine e = s.engines().get(0);
    assertThat(e.kvCacheUsage()).hasValue(0.25);
    assertThat(e.prefixCacheQueries()).hasValue(40);
    assertThat(e.prefixCacheHits()).hasValue(10);
    assertThat(s.prefixCacheCountsBlocks()).isTrue();

    // vLLM 0.10: both names, possibly different values while the old one is kept for dashboards
    VllmSnapshot both = Scrapes.text("""
        # TYPE vllm:gpu_cache_usage_perc gauge
        vllm:gpu_cache_usage_perc{engine="0",model_name="m"} 0.25
        # TYPE vllm:kv_cache_usage_perc gauge
        vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.5
        """);
    assertThat(both.generation()).isEqualTo(VllmGeneration.V1_DEPRECATED_NAMES);
    assertThat(both.engines().get(0).kvCacheUsage()).hasValue(0.5);
  }

  @Test
  void openMetricsCountersWithoutTotalAreFound() {
    VllmSnapshot s = Scrapes.text("""
        # TYPE vllm:prompt_tokens counter
        vllm:prompt_tokens_total{engine="0",model_name="m"} 12.0
        vllm:prompt_tokens_created{engine="0",model_name="m"} 1.7e9
        # TYPE vllm:inter_token_latency_seconds histogram
        vllm:inter_token_latency_seconds_bucket{engine="0",le="0.1",model_name="m"} 3
        vllm:inter_token_latency_seconds_bucket{engine="0",le="+Inf",model_name="m"} 4
        vllm:inter_token_latency_seconds_count{engine="0",model_name="m"} 4
        vllm:inter_token_latency_seconds_sum{engine="0",model_name="m"} 0.5
        # EOF
        """);
    assertThat(s.familyName(VllmMetric.PROMPT_TOKENS)).hasValue("vllm:prompt_tokens");
    assertThat(s.engines().get(0).promptTokens()).hasValue(12);
    assertThat(s.generation()).isEqualTo(VllmGeneration.V1);
  }

  @Test
  void tritonVllmBackendLabelsBecomeModelAndVersion() {
    VllmSnapshot s = Scrapes.text(TritonScrape.CURRENT);

    assertThat(s.servedByTriton()).isTrue();
    assertThat(s.generation()).isEqualTo(VllmGeneration.UNKNOWN);
    assertThat(s.namesFound()).doesNotContain("nv_inference_count");
    VllmEngine e = s.engines().get(0);
    assertThat(e.key()).isEqualTo(Labels.of("model", "vllm_model", "model_version", "1"));
    assertThat(e.model()).isEqualTo("vllm_model");
    assertThat(e.modelVersion()).hasValue("1");
    assertThat(e.engine()).isEmpty();
    assertThat(e.promptTokens()).hasValue(110);
    assertThat(e.interTokenLatency().map(HistogramPoint::count)).hasValue(90.0);
  }

  @Test
  void loraInfoComesFromTheNewestSeries() {
    VllmSnapshot s = Scrapes.text("""
        # TYPE vllm:lora_requests_info gauge
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="",waiting_lora_adapters=""} 1.7561e9
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="sql,chat",waiting_lora_adapters="chat"} 1.7562e9
        """);
    assertThat(s.lora()).hasValue(new VllmLoraInfo(4, java.util.List.of("chat"), java.util.List.of("sql", "chat"),
        1.7562e9));
    // LoRA info has no model_name/engine: it is not an engine
    assertThat(s.engines()).isEmpty();
  }

  @Test
  void unknownFamiliesAreListedButIgnored() {
    VllmSnapshot s = Scrapes.text("""
        # TYPE vllm:nixl_num_pending_sends gauge
        vllm:nixl_num_pending_sends{engine="0",model_name="m"} 3
        # TYPE nv_gpu_utilization gauge
        nv_gpu_utilization{gpu_uuid="GPU-1"} 0.5
        """);
    assertThat(s.namesFound()).containsExactly("vllm:nixl_num_pending_sends");
    assertThat(s.engines()).isEmpty();
    assertThat(VllmSnapshot.detect(s.source())).isTrue();
    assertThat(VllmSnapshot.detect(Scrapes.read("nv_gpu_utilization 0.5\n".getBytes(
        java.nio.charset.StandardCharsets.UTF_8)))).isFalse();
  }

  @Test
  void nullInputIsRejectedWithTheArgumentName() {
    assertThatThrownBy(() -> VllmSnapshot.of(null)).isInstanceOf(NullPointerException.class).hasMessage("snapshot");
    assertThatThrownBy(() -> VllmSnapshot.detect(null)).hasMessage("snapshot");
    VllmEngine e = Scrapes.resource("v1-two-engines-curr.prom").engines().get(0);
    assertThat(e.value(VllmMetric.CORRUPTED_REQUESTS)).isEqualTo(OptionalDouble.empty());
  }
}

package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TritonKpisTest {
  private static final Offset<Double> EXACT = within(1e-12);
  private static final ModelKey RESNET = new ModelKey(
      Labels.of("gpu_uuid", "GPU-aaa", "model", "resnet50", "namespace", "ns1", "version", "1"));
  private static final ModelKey ENSEMBLE = new ModelKey(
      Labels.of("model", "ensemble_llm", "namespace", "ns1", "version", "2"));
  private static final ModelKey BERT = new ModelKey(Labels.of("model", "bert", "namespace", "ns2", "version", "1"));

  private static TritonKpis newerPair() {
    return TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("newer-curr.txt"), 15);
  }

  private static void assertValue(OptionalDouble actual, double expected) {
    assertThat(actual).isPresent();
    assertThat(actual.getAsDouble()).isCloseTo(expected, EXACT);
  }

  @Test
  void perModelKpisOverAWindowWithTraffic() {
    ModelKpis m = newerPair().model(RESNET).orElseThrow();
    assertThat(m.reset()).isFalse();
    assertThat(m.isNew()).isFalse();
    // Δsuccess = 1300 - 1000 = 300; Δfailure = (25-10) + (3-0) + (5-5) + (0-0) = 18; window 15 s
    assertValue(m.requestRate(), 318 / 15.0);                           // 21.2 req/s
    assertValue(m.get(ModelMeasure.SUCCESS_RATE), 20);
    assertValue(m.get(ModelMeasure.ERROR_RATE), 1.2);
    assertValue(m.errorRatio(), 18 / 318.0);
    assertThat(m.failureRateByReason()).containsOnlyKeys("REJECTED", "CANCELED", "BACKEND", "OTHER");
    assertThat(m.failureRateByReason().get("REJECTED")).isCloseTo(1.0, EXACT);   // 15 / 15
    assertThat(m.failureRateByReason().get("CANCELED")).isCloseTo(0.2, EXACT);   // 3 / 15
    assertThat(m.failureRateByReason().get("BACKEND")).isZero();
    // Δinference = 5200 - 4000 = 1200, Δexec = 1300 - 1000 = 300
    assertValue(m.inferenceRate(), 80);
    assertValue(m.get(ModelMeasure.EXECUTION_RATE), 20);
    assertValue(m.batchSize(), 4);                                      // 1200 / 300
    assertValue(m.get(ModelMeasure.REQUESTS_PER_EXECUTION), 1);         // 300 / 300
    // Δrequest_duration = 15,000,000 µs over 300 successes = 50,000 µs; Δqueue = 1,500,000 µs -> 5,000 µs
    assertValue(m.requestLatencySeconds(), 0.05);
    assertValue(m.queueTimeSeconds(), 0.005);
    assertValue(m.get(ModelMeasure.QUEUE_SHARE), 0.1);                  // 1.5e6 / 15e6
    // cache: Δhits 60, Δmisses 240 -> 0.2; computed requests = 300 - 60 = 240
    assertValue(m.get(ModelMeasure.CACHE_HIT_RATIO), 0.2);
    assertValue(m.get(ModelMeasure.COMPUTE_INPUT_MEAN), 0.002);         // 480,000 / 240 µs
    assertValue(m.get(ModelMeasure.COMPUTE_INFER_MEAN), 0.04);          // 9,600,000 / 240 µs
    assertValue(m.get(ModelMeasure.COMPUTE_OUTPUT_MEAN), 0.001);        // 240,000 / 240 µs
    assertValue(m.get(ModelMeasure.COMPUTE_MEAN), 0.043);               // 10,320,000 / 240 µs
    assertValue(m.get(ModelMeasure.LOAD_RATIO), 15_000_000 / 10_320_000.0);
    // first response: bucket increases le100 200, le500 240, le2000 300, le5000 300, +Inf 300; Δsum 36,000 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_MEAN), 0.12);   // 36,000 / 300 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50), 0.075);   // rank 150 in (0,100]: 100*150/200 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P90), 1.25);    // rank 270: 500 + 1500*30/60 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P95), 1.625);   // rank 285: 500 + 1500*45/60 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P99), 1.925);   // rank 297: 500 + 1500*57/60 ms
    // request summary of the current scrape, µs -> s
    assertValue(m.get(ModelMeasure.REQUEST_LATENCY_P50), 0.045);
    assertValue(m.get(ModelMeasure.REQUEST_LATENCY_P99), 0.15);
    assertValue(m.get(ModelMeasure.PENDING_REQUESTS), 4);
    assertValue(m.get(ModelMeasure.LOAD_DURATION), 12.5);
  }

  @Test
  void aWindowWithoutTrafficHasRatesOfZeroAndNoAverages() {
    ModelKpis m = newerPair().model(ENSEMBLE).orElseThrow();
    assertValue(m.requestRate(), 0);
    assertValue(m.get(ModelMeasure.ERROR_RATE), 0);
    assertThat(m.failureRateByReason()).containsEntry("OTHER", 0.0);
    assertThat(m.errorRatio()).isEmpty();          // 0 / 0
    assertThat(m.requestLatencySeconds()).isEmpty();
    assertThat(m.queueTimeSeconds()).isEmpty();
    assertThat(m.get(ModelMeasure.COMPUTE_MEAN)).isEmpty();
    assertThat(m.batchSize()).isEmpty();           // no executions
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_MEAN)).isEmpty();
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P99)).isEmpty();
    assertThat(m.get(ModelMeasure.CACHE_HIT_RATIO)).isEmpty();    // no per-model cache families
    assertValue(m.get(ModelMeasure.PENDING_REQUESTS), 0);
    assertThat(m.values().values()).allMatch(Double::isFinite);
  }

  @Test
  void aNewModelHasItsGaugesButNoRates() {
    ModelKpis m = newerPair().model(BERT).orElseThrow();
    assertThat(m.isNew()).isTrue();
    assertThat(m.requestRate()).isEmpty();
    assertThat(m.failureRateByReason()).isEmpty();
    assertThat(m.values()).containsOnlyKeys(ModelMeasure.PENDING_REQUESTS, ModelMeasure.LOAD_DURATION);
    assertValue(m.get(ModelMeasure.LOAD_DURATION), 3.75);
  }

  @Test
  void perGpuAndServerKpis() {
    TritonKpis k = newerPair();
    GpuKpis a = k.gpu("GPU-aaa").orElseThrow();
    assertValue(a.get(GpuMeasure.UTILIZATION), 0.75);
    assertValue(a.get(GpuMeasure.MEMORY_USED), 20e9);
    assertValue(a.get(GpuMeasure.MEMORY_TOTAL), 80e9);
    assertValue(a.get(GpuMeasure.MEMORY_USED_RATIO), 0.25);
    assertValue(a.get(GpuMeasure.POWER), 250.5);
    assertValue(a.get(GpuMeasure.POWER_LIMIT), 400);
    assertValue(a.get(GpuMeasure.AVERAGE_POWER), 250);            // 3,750 J / 15 s
    assertValue(a.get(GpuMeasure.INFERENCES_PER_JOULE), 0.32);    // resnet50 on GPU-aaa: 1,200 / 3,750 J
    GpuKpis b = k.gpu("GPU-bbb").orElseThrow();
    assertValue(b.get(GpuMeasure.AVERAGE_POWER), 60);             // 900 J / 15 s
    assertThat(b.get(GpuMeasure.INFERENCES_PER_JOULE)).isEmpty(); // no model series bound to it

    ServerKpis s = k.server();
    assertValue(s.get(ServerMeasure.CPU_UTILIZATION), 0.125);
    assertValue(s.get(ServerMeasure.CPU_MEMORY_USED_RATIO), 0.25);  // 16e9 / 64e9
    assertValue(s.get(ServerMeasure.PINNED_MEMORY_USED), 1048576);
    assertValue(s.get(ServerMeasure.PINNED_MEMORY_TOTAL), 268435456);
    assertValue(s.get(ServerMeasure.RESPONSE_CACHE_UTILIZATION), 0.5);
    assertValue(s.get(ServerMeasure.RESPONSE_CACHE_HIT_RATIO), 0.2);  // Δhits 60 / (60 + Δmisses 240)
    assertValue(s.get(ServerMeasure.INFERENCE_RATE), 80);             // (1,200 + 0) / 15
    assertValue(s.get(ServerMeasure.AVERAGE_POWER), 310);             // (3,750 + 900) J / 15 s
    assertValue(s.get(ServerMeasure.INFERENCES_PER_JOULE), 1200 / 4650.0);
  }

  @Test
  void aRestartBetweenTheScrapesCountsFromZero() {
    // restarted-curr.txt: the server restarted after newer-prev.txt; every counter is below its old value
    TritonKpis k = TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("restarted-curr.txt"), 15);
    assertThat(k.models()).extracting(ModelKpis::key).containsExactly(RESNET); // ensemble not loaded (yet)
    ModelKpis m = k.models().get(0);
    assertThat(m.reset()).isTrue();
    // the increases are the new values: Δsuccess 40, Δfailure 2 (REJECTED), Δinference 160, Δexec 40
    assertValue(m.requestRate(), 42 / 15.0);
    assertValue(m.errorRatio(), 2 / 42.0);
    assertThat(m.failureRateByReason().get("REJECTED")).isCloseTo(2 / 15.0, EXACT);
    assertValue(m.batchSize(), 4);                                  // 160 / 40
    assertValue(m.requestLatencySeconds(), 0.05);                   // 2,000,000 / 40 µs
    assertValue(m.queueTimeSeconds(), 0.005);                       // 200,000 / 40 µs
    assertValue(m.get(ModelMeasure.COMPUTE_MEAN), 0.043);           // 1,720,000 / (40 - 0 hits) µs
    assertValue(m.get(ModelMeasure.CACHE_HIT_RATIO), 0);            // 0 / (0 + 40)
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_MEAN), 0.1);     // 4,000 / 40 ms
    assertValue(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50), 0.2 / 3);  // rank 20 in (0,100]: 100*20/30 ms
    assertValue(m.get(ModelMeasure.LOAD_DURATION), 11.25);
    assertThat(m.values().values()).allMatch(v -> v >= 0);

    assertThat(k.gpus()).extracting(GpuKpis::uuid).containsExactly("GPU-aaa");
    assertValue(k.gpus().get(0).get(GpuMeasure.AVERAGE_POWER), 60);  // 900 J since the restart / 15 s
    assertValue(k.gpus().get(0).get(GpuMeasure.INFERENCES_PER_JOULE), 160 / 900.0);
    assertThat(k.gpus().get(0).get(GpuMeasure.MEMORY_USED)).isEmpty();
  }

  @Test
  void earlyTritonWithTheSingleComputeCounter() {
    TritonKpis k = TritonKpis.between(TestData.triton("old-prev.txt"), TestData.triton("old-curr.txt"), 10);
    ModelKpis m = k.models().get(0);
    // Δsuccess 20, Δfailure 0, Δinference 40, Δexec 20, Δrequest 20,000 µs, Δqueue 2,000 µs, Δcompute 16,000 µs
    assertValue(m.requestRate(), 2);
    assertValue(m.errorRatio(), 0);
    assertThat(m.failureRateByReason()).isEmpty();
    assertValue(m.requestLatencySeconds(), 0.001);
    assertValue(m.queueTimeSeconds(), 0.0001);
    assertValue(m.get(ModelMeasure.COMPUTE_MEAN), 0.0008);
    assertThat(m.get(ModelMeasure.COMPUTE_INFER_MEAN)).isEmpty();
    assertValue(m.get(ModelMeasure.LOAD_RATIO), 1.25);              // 20,000 / 16,000
    assertValue(m.batchSize(), 2);
    assertValue(k.gpus().get(0).get(GpuMeasure.UTILIZATION), 0.5);
    assertThat(k.gpus().get(0).get(GpuMeasure.AVERAGE_POWER)).isEmpty();  // no energy counter yet

    // without a reason label the error rate is one value without the reason dimension
    KpiSet set = k.toKpiSet("", Instant.EPOCH);
    assertThat(set.values(Kpi.ERROR_RATE, KpiStatistic.VALUE)).singleElement()
        .satisfies(v -> assertThat(v.dimensions().contains(KpiDimension.REASON)).isFalse())
        .satisfies(v -> assertThat(v.dimensions().get(KpiDimension.DEVICE)).isEqualTo("GPU-old"));
  }

  @Test
  void theRealFixtureWithTrafficAdded() {
    // the real scrape, and the same scrape 10 s later with 10 more densenet_onnx requests
    String before = TestData.sharedText(TestData.FIXTURE);
    String after = before
        .replace("nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 3",
            "nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 13")
        .replace("nv_inference_count{model=\"densenet_onnx\",version=\"1\"} 3",
            "nv_inference_count{model=\"densenet_onnx\",version=\"1\"} 23")
        .replace("nv_inference_exec_count{model=\"densenet_onnx\",version=\"1\"} 3",
            "nv_inference_exec_count{model=\"densenet_onnx\",version=\"1\"} 13")
        .replace("nv_inference_request_duration_us{model=\"densenet_onnx\",version=\"1\"} 1327965",
            "nv_inference_request_duration_us{model=\"densenet_onnx\",version=\"1\"} 5327965")
        .replace("nv_inference_queue_duration_us{model=\"densenet_onnx\",version=\"1\"} 145",
            "nv_inference_queue_duration_us{model=\"densenet_onnx\",version=\"1\"} 1145")
        // the summary saw the 10 requests too: its quantiles belong to this window
        .replace("nv_inference_request_summary_us_count{model=\"densenet_onnx\",version=\"1\"} 3",
            "nv_inference_request_summary_us_count{model=\"densenet_onnx\",version=\"1\"} 13");
    assertThat(after).isNotEqualTo(before);
    TritonKpis k = TritonKpis.between(TritonSnapshot.of(TestData.read(before)),
        TritonSnapshot.of(TestData.read(after)), 10);
    ModelKpis densenet = k.model(ModelKey.of("densenet_onnx", "1")).orElseThrow();
    assertValue(densenet.requestRate(), 1);                     // 10 / 10 s
    assertValue(densenet.errorRatio(), 0);
    assertValue(densenet.requestLatencySeconds(), 0.4);         // 4,000,000 / 10 µs
    assertValue(densenet.queueTimeSeconds(), 0.0001);           // 1,000 / 10 µs
    assertValue(densenet.batchSize(), 2);                       // 20 / 10
    assertValue(densenet.get(ModelMeasure.REQUEST_LATENCY_P50), 3e-6);  // the (hand-edited) summary says 3 µs
    ModelKpis idle = k.model(ModelKey.of("simple", "1")).orElseThrow();
    assertValue(idle.requestRate(), 0);
    assertThat(idle.requestLatencySeconds()).isEmpty();
    GpuKpis gpu = k.gpus().get(0);
    assertValue(gpu.get(GpuMeasure.POWER), 32.09);
    assertValue(gpu.get(GpuMeasure.AVERAGE_POWER), 0);          // the energy counter did not move
    assertThat(gpu.get(GpuMeasure.INFERENCES_PER_JOULE)).isEmpty();
    assertValue(k.server().get(ServerMeasure.CPU_MEMORY_TOTAL), 33164935168.0);
    assertThat(k.server().get(ServerMeasure.RESPONSE_CACHE_HIT_RATIO)).isEmpty();  // 0 / 0 lookups
    assertThat(k.server().get(ServerMeasure.INFERENCES_PER_JOULE)).isEmpty();      // 20 inferences / 0 J
  }

  @Test
  void toKpiSetMapsOntoTheSharedVocabulary() {
    Instant at = Instant.parse("2026-01-01T00:00:15Z");
    KpiSet set = newerPair().toKpiSet("triton-0:8002", at);
    assertThat(set.source()).isEqualTo("triton");
    assertThat(set.target()).isEqualTo("triton-0:8002");
    assertThat(set.at()).isEqualTo(at);
    assertThat(set.window()).isEqualTo(Duration.ofSeconds(15));

    LabelMatcher resnet = LabelMatcher.eq(KpiDimension.MODEL, "resnet50");
    KpiValue rate = set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE, resnet).orElseThrow();
    assertThat(rate.value()).isCloseTo(21.2, EXACT);
    assertThat(rate.dimensions()).isEqualTo(Labels.of("model", "resnet50", "model_version", "1", "device",
        "GPU-aaa", "namespace", "ns1"));
    assertThat(set.values(Kpi.ERROR_RATE, KpiStatistic.VALUE, resnet)).extracting(v -> v.dimensions().get("reason"))
        .containsExactly("REJECTED", "CANCELED", "BACKEND", "OTHER");
    assertThat(set.find(Kpi.ERROR_RATE, KpiStatistic.VALUE, resnet, LabelMatcher.eq("reason", "REJECTED"))
        .orElseThrow().value()).isCloseTo(1.0, EXACT);
    assertThat(set.find(Kpi.ERROR_RATIO, KpiStatistic.VALUE, resnet).orElseThrow().value())
        .isCloseTo(18 / 318.0, EXACT);
    assertThat(set.find(Kpi.QUEUE_TIME, KpiStatistic.MEAN, resnet).orElseThrow().value()).isCloseTo(0.005, EXACT);
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, resnet).orElseThrow().value())
        .isCloseTo(0.05, EXACT);
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, resnet).orElseThrow().value())
        .isCloseTo(0.095, EXACT);
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, resnet).orElseThrow().value())
        .isCloseTo(1.625, EXACT);
    assertThat(set.find(Kpi.BATCH_SIZE, KpiStatistic.VALUE, resnet).orElseThrow().value()).isCloseTo(4, EXACT);
    // nv_inference_pending_request_count is the shared queue depth (what autoscalers and saturation read)
    assertThat(set.find(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, resnet).orElseThrow().value()).isCloseTo(4, EXACT);
    // absent stays absent: the idle ensemble has no error ratio, the new bert no rate
    assertThat(set.find(Kpi.ERROR_RATIO, KpiStatistic.VALUE, LabelMatcher.eq("model", "ensemble_llm"))).isEmpty();
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE, LabelMatcher.eq("model", "bert"))).isEmpty();

    LabelMatcher gpuB = LabelMatcher.eq(KpiDimension.DEVICE, "GPU-bbb");
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, gpuB).orElseThrow().value()).isEqualTo(0.1);
    assertThat(set.find(Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, gpuB).orElseThrow().value()).isEqualTo(8e9);
    assertThat(set.find(Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE, gpuB).orElseThrow().value())
        .isEqualTo(80e9);
    assertThat(set.find(Kpi.POWER, KpiStatistic.VALUE, gpuB).orElseThrow().value()).isEqualTo(60);
    assertThat(set.values()).allMatch(v -> !v.dimensions().isEmpty());
  }

  @Test
  void tablesHoldEverythingForPeople() {
    TritonKpis k = newerPair();
    Map<String, KpiTable> tables = new java.util.LinkedHashMap<>();
    k.tables().forEach(t -> tables.put(t.name(), t));
    assertThat(tables).containsOnlyKeys("models", "gpus", "server", "trt_llm");

    KpiTable models = tables.get("models");
    assertThat(models.keys()).containsExactly("model", "version", "namespace", "gpu_uuid");
    assertThat(models.columns()).hasSize(ModelMeasure.values().length + 4);
    assertThat(models.columnIndex("error_rate_rejected_per_second")).isPositive();
    assertThat(models.rows()).hasSize(3);
    KpiTable.Row resnet = models.rows().get(0);
    assertThat(resnet.key()).isEqualTo(RESNET.labels());
    assertThat(resnet.value(models, "cache_hit_ratio")).hasValue(0.2);
    assertThat(resnet.value(models, "error_rate_canceled_per_second").getAsDouble()).isCloseTo(0.2, EXACT);
    assertThat(resnet.value(models, "time_to_first_token_seconds_p50").getAsDouble()).isCloseTo(0.075, EXACT);
    KpiTable.Row ensemble = models.rows().get(1);
    assertThat(ensemble.value(models, "queue_time_seconds_mean")).isEmpty();
    assertThat(ensemble.value(models, "request_rate_per_second")).hasValue(0);

    KpiTable gpus = tables.get("gpus");
    assertThat(gpus.keys()).containsExactly("gpu_uuid");
    assertThat(gpus.rows()).extracting(r -> r.key().get("gpu_uuid")).containsExactly("GPU-aaa", "GPU-bbb");
    assertThat(gpus.rows().get(1).value(gpus, "power_average_watts").getAsDouble()).isCloseTo(60, EXACT);
    assertThat(gpus.rows().get(1).value(gpus, "inferences_per_joule")).isEmpty();

    KpiTable server = tables.get("server");
    assertThat(server.rows()).singleElement().satisfies(r -> {
      assertThat(r.key().isEmpty()).isTrue();
      assertThat(r.value(server, "cpu_utilization_ratio")).hasValue(0.125);
    });

    KpiTable trt = tables.get("trt_llm");
    assertThat(trt.rows()).anySatisfy(r -> {
      assertThat(r.key()).isEqualTo(Labels.of("model", "tensorrt_llm", "version", "1", "metric",
          "request_metrics.active"));
      assertThat(r.values()).containsExactly(OptionalDouble.of(3));
    });
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void theWindowMustBePositive(double seconds) {
    TritonSnapshot s = TestData.triton("old-prev.txt");
    assertThatThrownBy(() -> TritonKpis.between(s, s, seconds))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowSeconds");
  }

  @Test
  void anEmptyScrapeGivesEmptyKpis() {
    TritonSnapshot empty = TritonSnapshot.of(TestData.read(""));
    TritonKpis k = TritonKpis.between(empty, empty, 15);
    assertThat(k.models()).isEmpty();
    assertThat(k.gpus()).isEmpty();
    assertThat(k.server().values()).isEmpty();
    assertThat(k.toKpiSet("", Instant.EPOCH).values()).isEmpty();
    assertThat(k.tables()).extracting(KpiTable::name).containsExactly("models", "gpus", "server");
    assertThat(k.tables()).allMatch(t -> t.rows().isEmpty());
  }
}

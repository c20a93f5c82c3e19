package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The KPI-source view of Triton: bounds, quiet summaries, TensorRT-LLM, non-finite samples, registration. */
class TritonWindowTest {
  private static final Instant AT = Instant.parse("2026-12-01T00:00:15Z");

  /** A first-response histogram (ms, Triton's default buckets) with the given cumulative bucket counts. */
  private static String ttft(long le100, long le500, long le2000, long le5000, long inf, long sum) {
    String l = "{model=\"m\",version=\"1\",";
    return "# TYPE nv_inference_request_success counter\n"
        + "nv_inference_request_success{model=\"m\",version=\"1\"} " + inf + "\n"
        + "# TYPE nv_inference_first_response_histogram_ms histogram\n"
        + "nv_inference_first_response_histogram_ms_bucket" + l + "le=\"100\"} " + le100 + "\n"
        + "nv_inference_first_response_histogram_ms_bucket" + l + "le=\"500\"} " + le500 + "\n"
        + "nv_inference_first_response_histogram_ms_bucket" + l + "le=\"2000\"} " + le2000 + "\n"
        + "nv_inference_first_response_histogram_ms_bucket" + l + "le=\"5000\"} " + le5000 + "\n"
        + "nv_inference_first_response_histogram_ms_bucket" + l + "le=\"+Inf\"} " + inf + "\n"
        + "nv_inference_first_response_histogram_ms_sum{model=\"m\",version=\"1\"} " + sum + "\n"
        + "nv_inference_first_response_histogram_ms_count{model=\"m\",version=\"1\"} " + inf + "\n";
  }

  private static TritonKpis window(String before, String after) {
    return new TritonSource().between(TestData.read(before), TestData.read(after), Duration.ofSeconds(15));
  }

  @Test
  void aQuantileInTheFirstBucketIsOnlyAnUpperBound() {
    // 100 requests, every one under 100 ms (mean 4.6 ms): PromQL interpolates p95 to 95 ms inside le="100"
    TritonKpis k = window(ttft(0, 0, 0, 0, 0, 0), ttft(100, 100, 100, 100, 100, 460));
    ModelKpis m = k.models().get(0);
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P95).getAsDouble()).isCloseTo(0.095, within(1e-12));
    assertThat(m.bound(ModelMeasure.TIME_TO_FIRST_RESPONSE_P95)).contains(Bound.atMost(0.1));
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_MEAN).getAsDouble()).isCloseTo(0.0046, within(1e-12));

    KpiSet set = k.toKpiSet("t", AT);
    KpiValue p95 = set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95).orElseThrow();
    assertThat(p95.value()).isCloseTo(0.095, within(1e-12));           // the PromQL value is kept
    assertThat(p95.bound()).contains(Bound.atMost(0.1));                // and said to be only "at most 100 ms"
    assertThat(set.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.MEAN).orElseThrow().bound()).isEmpty();

    KpiTable models = k.tables().get(0);
    KpiTable.Row row = models.rows().get(0);
    assertThat(row.bound(models.columnIndex("time_to_first_token_seconds_p95"))).contains(Bound.atMost(0.1));
    assertThat(row.bound(models.columnIndex("time_to_first_token_seconds_mean"))).isEmpty();
  }

  @Test
  void aQuantileInTheInfBucketIsOnlyALowerBound() {
    // 10 requests slower than the last finite bound, 5 s: PromQL answers 5 s
    TritonKpis k = window(ttft(0, 0, 0, 0, 0, 0), ttft(0, 0, 0, 0, 10, 80000));
    ModelKpis m = k.models().get(0);
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50).getAsDouble()).isEqualTo(5.0);
    assertThat(m.bound(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50)).contains(Bound.above(5.0));
  }

  @Test
  void aQuantileBetweenTwoFiniteBoundsIsAnEstimate() {
    TritonKpis k = window(ttft(0, 0, 0, 0, 0, 0), ttft(10, 100, 100, 100, 100, 30000));
    ModelKpis m = k.models().get(0);
    assertThat(m.get(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50).getAsDouble()).isCloseTo(0.2777777, within(1e-6));
    assertThat(m.bound(ModelMeasure.TIME_TO_FIRST_RESPONSE_P50)).isEmpty();
  }

  private static String summary(long success, long count, double p50) {
    String l = "{model=\"m\",version=\"1\"";
    return "# TYPE nv_inference_request_success counter\n"
        + "nv_inference_request_success" + l + "} " + success + "\n"
        + "# TYPE nv_inference_request_summary_us summary\n"
        + "nv_inference_request_summary_us_count" + l + "} " + count + "\n"
        + "nv_inference_request_summary_us_sum" + l + "} " + count * 1000 + "\n"
        + "nv_inference_request_summary_us" + l + ",quantile=\"0.5\"} " + p50 + "\n"
        + "nv_inference_request_summary_us" + l + ",quantile=\"0.99\"} " + p50 * 2 + "\n";
  }

  @Test
  void summaryQuantilesOfAWindowWithoutRequestsAreLeftOut() {
    // the summary's sliding window still shows old requests, but none came in this window
    TritonKpis quiet = window(summary(100, 100, 4000), summary(100, 100, 4000));
    assertThat(quiet.models().get(0).get(ModelMeasure.REQUEST_LATENCY_P50)).isEmpty();
    assertThat(quiet.models().get(0).get(ModelMeasure.REQUEST_RATE)).hasValue(0);
    assertThat(quiet.toKpiSet("", AT).find(Kpi.END_TO_END_LATENCY, KpiStatistic.P50)).isEmpty();

    TritonKpis busy = window(summary(100, 100, 4000), summary(130, 130, 5000));
    assertThat(busy.models().get(0).get(ModelMeasure.REQUEST_LATENCY_P50)).hasValue(0.005);
    assertThat(busy.models().get(0).get(ModelMeasure.REQUEST_LATENCY_P99)).hasValue(0.01);
  }

  @Test
  void tensorRtLlmCountersBecomeRatesAndTheBlockFractionIsTheKvCacheUsage() {
    String before = TestData.sharedText("fixtures/triton/trtllm-backend-readme-inflight-batcher-block.txt");
    // 15 s later: 30 more requests counted by the disaggregated-serving counter, the KV cache fuller
    String after = before
        .replace("disaggregated_serving_type=\"request_count\",model=\"tensorrt_llm\",version=\"1\"} 0",
            "disaggregated_serving_type=\"request_count\",model=\"tensorrt_llm\",version=\"1\"} 30")
        .replace("kv_cache_block_type=\"fraction\",model=\"tensorrt_llm\",version=\"1\"} 0.4875",
            "kv_cache_block_type=\"fraction\",model=\"tensorrt_llm\",version=\"1\"} 0.625");
    assertThat(after).isNotEqualTo(before);
    TritonKpis k = window(before, after);

    KpiSet set = k.toKpiSet("trt", AT);
    KpiValue kv = set.find(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, LabelMatcher.eq("model", "tensorrt_llm"))
        .orElseThrow();
    assertThat(kv.value()).isEqualTo(0.625);
    assertThat(kv.dimensions().get("model_version")).isEqualTo("1");

    assertThat(k.values()).filteredOn(v -> v.measure() == TrtLlmMeasure.COUNTER_RATE)
        .extracting(v -> v.dimensions().get("type") + "=" + v.value())
        .containsExactlyInAnyOrder("kv_cache_transfer_ms=0.0", "request_count=2.0"); // 30 / 15 s
    // a gauge family is not a rate
    assertThat(k.values()).filteredOn(v -> v.measure() == TrtLlmMeasure.COUNTER_RATE)
        .noneMatch(v -> "request_metrics".equals(v.dimensions().get("metric")));
    assertThat(k.values()).filteredOn(v -> v.measure() == TrtLlmMeasure.GAUGE)
        .anyMatch(v -> "request_metrics".equals(v.dimensions().get("metric"))
            && "max".equals(v.dimensions().get("type")) && v.value() == 512);

    KpiTable trt = k.tables().stream().filter(t -> t.name().equals("trt_llm")).findFirst().orElseThrow();
    assertThat(trt.rows()).anySatisfy(r -> {
      assertThat(r.key().get("metric")).isEqualTo("disaggregated_serving_metrics.request_count_per_second");
      assertThat(r.values()).containsExactly(java.util.OptionalDouble.of(2));
    });
  }

  @Test
  void aNonFiniteGaugeCostsThatValueOnlyAndIsCounted() {
    String prev = "# TYPE nv_gpu_utilization gauge\nnv_gpu_utilization{gpu_uuid=\"GPU-a\"} 0.5\n"
        + "# TYPE nv_gpu_power_usage gauge\nnv_gpu_power_usage{gpu_uuid=\"GPU-a\"} 100\n";
    String curr = prev.replace("} 0.5", "} +Inf");
    KpiSet set = window(prev, curr).toKpiSet("t", AT);
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE)).isEmpty();
    assertThat(set.find(Kpi.POWER, KpiStatistic.VALUE)).map(KpiValue::value).contains(100.0);
    assertThat(set.dropped()).containsExactly("nv_gpu_utilization{gpu_uuid=\"GPU-a\"} = Infinity");
  }

  @Test
  void everyValueOfTheWindowHasItsMeasureAndTheKpiSetIsDerivedFromThem() {
    TritonKpis k = TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("newer-curr.txt"),
        Duration.ofSeconds(15));
    KpiSet set = k.toKpiSet("", AT);
    long kpiValues = k.values().stream().map(MeasureValue::toKpiValue).filter(Optional::isPresent).count();
    assertThat(set.values()).hasSize((int) kpiValues);
    assertThat(k.values()).extracting(v -> v.measure().meterName("triton"))
        .contains("request.rate", "triton.cache.hit", "accelerator.utilization", "triton.cpu.utilization");
  }

  @Test
  void isRegisteredForTheServiceLoaderAndRecognisesTriton() {
    TritonSource source = (TritonSource) KpiSources.installed().require("triton");
    MetricSnapshot triton = TestData.triton("newer-curr.txt").snapshot();
    assertThat(source.recognize(triton)).isEqualTo(1);
    assertThat(source.recognize(TestData.read("# TYPE nv_trt_llm_x gauge\nnv_trt_llm_x{model=\"m\"} 1\n")))
        .isEqualTo(0.6);
    assertThat(source.recognize(TestData.read("vllm:num_requests_running 1\n"))).isZero();
    assertThat(KpiSources.installed().detect(triton)).extracting(s -> s.name()).contains("triton");
  }

  @Test
  void dashboardFallsBackToTheOldComputeCounter() {
    var exprs = new TritonSource().dashboard().orElseThrow().expressions();
    assertThat(exprs).anyMatch(e -> e.startsWith("sum by (model) (rate(nv_inference_compute_infer_duration_us")
        && e.contains(" or sum by (model) (rate(nv_inference_compute_duration_us"));
    assertThat(exprs).noneMatch(e -> e.contains("nv_inference_load_ratio"));
  }

  @Test
  void sloGoodputFromTheFirstResponseHistogram() {
    TritonKpis k = TritonKpis.between(TestData.triton("newer-prev.txt"), TestData.triton("newer-curr.txt"),
        Duration.ofSeconds(15));
    // resnet50's increase: 200 up to 100 ms, 240 up to 500 ms, 300 up to 2 s, 300 up to 5 s, 300 in all
    var goodput = io.github.infermetrics.core.kpi.SloGoodput.of(
        io.github.infermetrics.core.kpi.Slo.parseAll("ttft=500ms"), k).stream()
        .filter(v -> "resnet50".equals(v.dimensions().get("model"))).toList();
    assertThat(goodput).singleElement().satisfies(v -> {
      assertThat(v.value()).isCloseTo(240 / 300.0, within(1e-12));          // a bucket bound: exact
      assertThat(v.dimensions().get("slo")).isEqualTo("ttft<=500ms");
      assertThat(v.bound()).isEmpty();
    });
    // between bounds: 240 + 60 * (1 - 0.5) / (2 - 0.5) = 260 of 300
    assertThat(io.github.infermetrics.core.kpi.SloGoodput.of(io.github.infermetrics.core.kpi.Slo.parseAll("ttft=1s"),
        k).stream().filter(v -> "resnet50".equals(v.dimensions().get("model"))).findFirst().orElseThrow().value())
        .isCloseTo(260 / 300.0, within(1e-12));
    // beyond the last finite bound (5 s): all 300 are under 5 s, so at least that share met 10 s
    MeasureValue beyond = io.github.infermetrics.core.kpi.SloGoodput.of(
        io.github.infermetrics.core.kpi.Slo.parseAll("ttft=10s"), k).stream()
        .filter(v -> "resnet50".equals(v.dimensions().get("model"))).findFirst().orElseThrow();
    assertThat(beyond.value()).isEqualTo(1.0);
    assertThat(beyond.bound()).contains(Bound.above(1.0));
  }

  @Test
  void everyMeasureIsWellDeclared() {
    java.util.stream.Stream.of(ModelMeasure.values(), GpuMeasure.values(), ServerMeasure.values(),
        TrtLlmMeasure.values()).flatMap(java.util.Arrays::stream)
        .forEach(io.github.infermetrics.core.kpi.Measure::check);
  }
}

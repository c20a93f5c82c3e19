package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TritonSnapshotTest {
  private static final String GPU = "GPU-951eeeeb-d284-d263-688e-d98a5306389b";

  @Test
  void readsTheRealFixture() {
    // Triton ~23.09-23.12: 8 models, one T4-class GPU, CPU, response-cache plugin gauges, summaries; no trailing
    // newline, integers without decimals, no reason label, no pinned memory
    MetricSnapshot scrape = TestData.read(TestData.sharedText(TestData.FIXTURE));
    assertThat(TritonSnapshot.detect(scrape)).isTrue();
    TritonSnapshot t = TritonSnapshot.of(scrape);

    assertThat(t.models()).extracting(m -> m.key().model()).containsExactly("simple_string", "simple_sequence",
        "simple_int8", "simple_identity", "densenet_onnx", "simple_dyna_sequence", "inception_graphdef", "simple");
    ModelStats densenet = t.model(ModelKey.of("densenet_onnx", "1")).orElseThrow();
    assertThat(densenet.requestSuccess()).hasValue(3);
    assertThat(densenet.requestFailure()).hasValue(0);
    assertThat(densenet.failuresByReason()).isEmpty();
    assertThat(densenet.inferenceCount()).hasValue(3);
    assertThat(densenet.execCount()).hasValue(3);
    assertThat(densenet.counter(ModelCounter.REQUEST_DURATION_US)).hasValue(1327965);
    assertThat(densenet.counter(ModelCounter.QUEUE_DURATION_US)).hasValue(145);
    assertThat(densenet.counter(ModelCounter.COMPUTE_INFER_DURATION_US)).hasValue(1326831);
    assertThat(densenet.counter(ModelCounter.COMPUTE_DURATION_US)).isEmpty();
    assertThat(densenet.counter(ModelCounter.CACHE_HITS)).isEmpty();
    assertThat(densenet.pendingRequests()).hasValue(0);
    assertThat(densenet.loadDurationSeconds()).isEmpty();
    assertThat(densenet.firstResponseHistogramMs()).isEmpty();
    assertThat(densenet.summaries()).containsOnlyKeys(ModelSummary.REQUEST, ModelSummary.QUEUE,
        ModelSummary.COMPUTE_INPUT, ModelSummary.COMPUTE_INFER, ModelSummary.COMPUTE_OUTPUT);
    assertThat(densenet.summary(ModelSummary.REQUEST).orElseThrow().sum()).isEqualTo(1327965);
    assertThat(densenet.summary(ModelSummary.REQUEST).orElseThrow().valueAt(0.999)).isEqualTo(3);
    assertThat(densenet.key().namespace()).isEmpty();
    assertThat(densenet.key().gpuUuid()).isEmpty();

    assertThat(t.gpus()).containsExactly(new GpuStats(GPU, od(0), od(16106127360.0), od(266338304),
        od(32.09), od(70), od(4879631.328000044)));
    assertThat(t.cpu()).contains(new CpuStats(od(0), od(33164935168.0), od(2249916416.0)));
    assertThat(t.responseCache().orElseThrow().utilization()).hasValue(0.0001220703125);
    assertThat(t.responseCache().orElseThrow().lookups()).hasValue(0);
    assertThat(t.pinnedMemory()).isEmpty();
    assertThat(t.trtLlm()).isEmpty();
    assertThat(t.vllmFamilies().families()).isEmpty();
  }

  @Test
  void readsANewerServerWithEveryOptionalFamily() {
    TritonSnapshot t = TestData.triton("newer-curr.txt");
    assertThat(t.models()).extracting(m -> m.key().labels()).containsExactly(
        Labels.of("gpu_uuid", "GPU-aaa", "model", "resnet50", "namespace", "ns1", "version", "1"),
        Labels.of("model", "ensemble_llm", "namespace", "ns1", "version", "2"),
        Labels.of("model", "bert", "namespace", "ns2", "version", "1"));
    ModelStats resnet = t.models().get(0);
    assertThat(resnet.key().model()).isEqualTo("resnet50");
    assertThat(resnet.key().version()).isEqualTo("1");
    assertThat(resnet.key().namespace()).contains("ns1");
    assertThat(resnet.key().gpuUuid()).contains("GPU-aaa");
    assertThat(resnet.failuresByReason()).containsExactly(Map.entry("REJECTED", 25.0), Map.entry("CANCELED", 3.0),
        Map.entry("BACKEND", 5.0), Map.entry("OTHER", 0.0));
    assertThat(resnet.requestFailure()).hasValue(33); // 25 + 3 + 5 + 0
    assertThat(resnet.counter(ModelCounter.CACHE_HITS)).hasValue(160);
    assertThat(resnet.counter(ModelCounter.CACHE_MISS_DURATION_US)).hasValue(114000);
    assertThat(resnet.pendingRequests()).hasValue(4);
    assertThat(resnet.loadDurationSeconds()).hasValue(12.5);
    HistogramPoint ttft = resnet.firstResponseHistogramMs().orElseThrow();
    assertThat(ttft.upperBounds()).containsExactly(100, 500, 2000, 5000, Double.POSITIVE_INFINITY);
    assertThat(ttft.count()).isEqualTo(1300);
    assertThat(resnet.summary(ModelSummary.REQUEST).orElseThrow().valueAt(0.99)).isEqualTo(150000);

    assertThat(t.gpus()).extracting(GpuStats::uuid).containsExactly("GPU-aaa", "GPU-bbb");
    assertThat(t.pinnedMemory()).contains(new PinnedMemoryStats(od(268435456), od(1048576)));
    assertThat(t.cpu().orElseThrow().utilization()).hasValue(0.125);
    assertThat(t.responseCache().orElseThrow().hits()).hasValue(160);

    assertThat(t.trtLlm()).hasSize(1);
    TrtLlmGauges trt = t.trtLlm().get(0);
    assertThat(trt.key()).isEqualTo(ModelKey.of("tensorrt_llm", "1"));
    assertThat(trt.requestMetrics()).containsEntry("active", 3.0).containsEntry("waiting", 1.0)
        .containsEntry("max", 64.0).hasSize(5);
    assertThat(trt.kvCacheBlockMetrics()).containsEntry("used", 120.0).containsEntry("free", 880.0);
    assertThat(trt.runtimeMemoryMetrics()).containsEntry("gpu", 1073741824.0);
    assertThat(trt.generalMetrics()).containsEntry("iteration_counter", 100.0);
    assertThat(trt.inflightBatcherMetrics()).isEmpty();

    // the vLLM backend's families go to the vllm module; the unknown nv_ family and process_* are ignored
    MetricSnapshot vllm = t.vllmFamilies();
    assertThat(vllm.families()).extracting(MetricFamily::name).allMatch(n -> n.startsWith("vllm:")).hasSize(2);
    assertThat(vllm.select("vllm:num_requests_running")).hasSize(1);
  }

  @Test
  void readsEarlyTritonNames() {
    TritonSnapshot t = TestData.triton("old-prev.txt");
    ModelStats simple = t.models().get(0);
    assertThat(simple.key().gpuUuid()).contains("GPU-old");
    assertThat(simple.counter(ModelCounter.COMPUTE_DURATION_US)).hasValue(8000);
    assertThat(simple.counter(ModelCounter.COMPUTE_INFER_DURATION_US)).isEmpty();
    assertThat(simple.requestFailure()).hasValue(1);
    assertThat(simple.failuresByReason()).isEmpty(); // no reason label before ~24.07
    assertThat(simple.loadRatioHistogram().orElseThrow().sum()).isEqualTo(12.5);
    assertThat(t.cpu()).isEmpty();
    assertThat(t.responseCache()).isEmpty();
    assertThat(t.gpus().get(0).energyJoules()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"newer-prev.txt", "newer-curr.txt", "restarted-curr.txt", "old-prev.txt", "old-curr.txt"})
  void everyHandWrittenScrapeIsTriton(String file) {
    MetricSnapshot scrape = TestData.read(TestData.resource(file));
    assertThat(TritonSnapshot.detect(scrape)).isTrue();
    TritonSnapshot t = TritonSnapshot.of(scrape);
    assertThat(t.models()).isNotEmpty().allSatisfy(m -> {
      assertThat(m.key().model()).isNotBlank();
      assertThat(m.requestSuccess()).isPresent();
    });
    assertThat(t.gpus()).isNotEmpty();
  }

  @Test
  void otherSourcesAreNotTriton() {
    assertThat(TritonSnapshot.detect(MetricSnapshot.of(null, List.of()))).isFalse();
    MetricSnapshot vllm = TestData.read(TestData.sharedText("fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt"));
    assertThat(TritonSnapshot.detect(vllm)).isFalse();
    TritonSnapshot view = TritonSnapshot.of(vllm);
    assertThat(view.models()).isEmpty();
    assertThat(view.gpus()).isEmpty();
    assertThat(view.vllmFamilies().families()).isNotEmpty();
  }

  @Test
  void unknownFamiliesAndSeriesWithoutAModelAreIgnored() {
    MetricSnapshot s = TestData.read("""
        # TYPE nv_inference_request_success counter
        nv_inference_request_success{model="m",version="1"} 4
        nv_inference_request_success{version="1"} 9
        # TYPE nv_brand_new_family gauge
        nv_brand_new_family{model="m",version="1"} 1
        nv_untyped_thing 3
        """);
    TritonSnapshot t = TritonSnapshot.of(s);
    assertThat(t.models()).hasSize(1);
    assertThat(t.models().get(0).requestSuccess()).hasValue(4);
    assertThat(t.models().get(0).execCount()).isEmpty();
  }

  @Test
  void aFamilyWithoutTypeIsReadAsWell() {
    // no # TYPE lines: the parser gives untyped points, which still carry the value
    TritonSnapshot t = TritonSnapshot.of(TestData.read(
        "nv_inference_count{model=\"m\",version=\"1\"} 12\nnv_gpu_utilization{gpu_uuid=\"GPU-x\"} 0.5"));
    assertThat(t.models().get(0).inferenceCount()).hasValue(12);
    assertThat(t.gpus().get(0).utilization()).hasValue(0.5);
  }

  @Test
  void aModelKeyNeedsAModel() {
    assertThatThrownBy(() -> new ModelKey(Labels.of("version", "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model label");
    assertThat(ModelKey.of("m", "3").labels().asMap()).containsExactly(Map.entry("model", "m"),
        Map.entry("version", "3"));
    assertThat(new ModelKey(Labels.of("model", "m")).version()).isEmpty();
  }

  @Test
  void modelsKeepTheirModelTagsApart() {
    // model metric tags (_<tag>) and gpu_uuid make separate series of one model
    TritonSnapshot t = TritonSnapshot.of(TestData.read("""
        # TYPE nv_inference_count counter
        nv_inference_count{_team="a",gpu_uuid="GPU-0",model="m",version="1"} 1
        nv_inference_count{_team="a",gpu_uuid="GPU-1",model="m",version="1"} 2
        """));
    assertThat(t.models()).extracting(m -> m.key().gpuUuid().orElseThrow()).containsExactly("GPU-0", "GPU-1");
    assertThat(t.models().stream().map(m -> m.key().labels().get("_team")).collect(Collectors.toSet()))
        .containsExactly("a");
  }

  private static java.util.OptionalDouble od(double v) {
    return java.util.OptionalDouble.of(v);
  }
}

package io.github.infermetrics.core.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.testing.AllocationMeter;
import io.github.infermetrics.core.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest {
  private static final String TRITON = """
      # HELP nv_inference_request_success Number of successful inference requests, all batch sizes
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="densenet_onnx",version="1"} 4
      nv_inference_request_success{model="simple",version="1"} 0
      # HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-0f6b"} 0.25
      # TYPE nv_inference_request_summary_us summary
      nv_inference_request_summary_us_count{model="densenet_onnx",version="1"} 4
      nv_inference_request_summary_us_sum{model="densenet_onnx",version="1"} 2055
      nv_inference_request_summary_us{model="densenet_onnx",version="1",quantile="0.5"} 510
      nv_inference_request_summary_us{model="densenet_onnx",version="1",quantile="0.99"} 530
      # TYPE vllm:e2e_request_latency_seconds histogram
      vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="qwen3"} 1
      vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="qwen3"} 2
      vllm:e2e_request_latency_seconds_bucket{le="1.0",model_name="qwen3"} 2
      vllm:e2e_request_latency_seconds_count{model_name="qwen3"} 2
      vllm:e2e_request_latency_seconds_sum{model_name="qwen3"} 1.5
      # HELP never_observed A family with metadata and no samples
      # TYPE never_observed counter
      """;

  private static final String OPENMETRICS = """
      # TYPE vllm:request_success counter
      vllm:request_success_total{finished_reason="stop"} 17 # {trace_id="4bf92f35"} 1 1700000000.5
      vllm:request_success_created{finished_reason="stop"} 1.7e9
      # TYPE ttft_seconds histogram
      # UNIT ttft_seconds seconds
      ttft_seconds_bucket{le="0.1"} 5 # {trace_id="ab"} 0.05
      ttft_seconds_bucket{le="+Inf"} 9
      ttft_seconds_count 9
      ttft_seconds_sum 1.25
      ttft_seconds_created 1.6e9
      # TYPE q gaugehistogram
      q_bucket{le="1"} 2
      q_bucket{le="+Inf"} 3
      q_gcount 3
      q_gsum 2
      # TYPE engine info
      engine_info{name="vLLM"} 1
      # TYPE state stateset
      state{state="awake"} 1
      state{state="asleep"} 0
      # TYPE temp gauge
      temp 1 100
      temp 2 101
      # EOF
      """;

  @Test
  void prometheusTextBecomesTypedFamilies() {
    MetricSnapshot s = new SnapshotReader().read(TRITON.getBytes(UTF_8));
    assertThat(s.format()).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(s.families()).extracting(MetricFamily::name).containsExactly("nv_inference_request_success",
        "nv_gpu_utilization", "nv_inference_request_summary_us", "vllm:e2e_request_latency_seconds",
        "never_observed");
    assertThat(s.sampleCount()).isEqualTo(12);

    MetricFamily success = s.family("nv_inference_request_success").orElseThrow();
    assertThat(success.type()).isEqualTo(MetricType.COUNTER);
    assertThat(success.help()).isEqualTo("Number of successful inference requests, all batch sizes");
    assertThat(success.points()).containsExactly(
        CounterPoint.of(Labels.of("model", "densenet_onnx", "version", "1"), 4),
        CounterPoint.of(Labels.of("model", "simple", "version", "1"), 0));
    assertThat(s.select("nv_inference_request_success", LabelMatcher.eq("model", "simple"))).hasSize(1);
    assertThat(s.select("nv_gpu_utilization")).containsExactly(
        new GaugePoint(Labels.of("gpu_uuid", "GPU-0f6b"), 0.25, MetricPoint.NO_TIMESTAMP));

    SummaryPoint summary = (SummaryPoint) s.select("nv_inference_request_summary_us").get(0);
    assertThat(summary.labels()).isEqualTo(Labels.of("model", "densenet_onnx", "version", "1"));
    assertThat(summary.count()).isEqualTo(4);
    assertThat(summary.sum()).isEqualTo(2055);
    assertThat(summary.valueAt(0.99)).isEqualTo(530);
    assertThat(summary.quantile(0)).isEqualTo(0.5);

    HistogramPoint h = (HistogramPoint) s.select("vllm:e2e_request_latency_seconds").get(0);
    assertThat(h.labels()).isEqualTo(Labels.of("model_name", "qwen3"));
    assertThat(h.upperBounds()).containsExactly(0.3, 1.0, Double.POSITIVE_INFINITY);
    assertThat(h.cumulativeCounts()).containsExactly(1, 2, 2);
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.sum()).isEqualTo(1.5);
    assertThat(h.hasTimestamp()).isFalse();

    assertThat(s.family("never_observed").orElseThrow().points()).isEmpty();
  }

  @Test
  void aReusedReaderPlacesExemplarsThatComeLateOrOutOfOrderAndForgetsThemWhenTheyGo() {
    SnapshotReader reader = new SnapshotReader(ExpositionParser.builder().build());
    String head = "# TYPE h histogram\n";
    String tail = "h_count 9\nh_sum 2\n# EOF\n";
    // no exemplar on the first buckets, then one on a bucket that sorts before the others, on more than 4 buckets
    HistogramPoint first = (HistogramPoint) reader.read((head
        + "h_bucket{le=\"0.5\"} 2\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"2\"} 4\nh_bucket{le=\"4\"} 5\n"
        + "h_bucket{le=\"8\"} 6\nh_bucket{le=\"+Inf\"} 9\nh_bucket{le=\"0.1\"} 1 # {trace_id=\"a\"} 0.05\n"
        + tail).getBytes(UTF_8)).select("h").get(0);
    assertThat(first.exemplar(0)).isEqualTo(new Exemplar(Labels.of("trace_id", "a"), 0.05, MetricPoint.NO_TIMESTAMP));
    for (int i = 1; i < 7; i++) {
      assertThat(first.exemplar(i)).isNull();
    }
    assertThat(first.cumulativeCount(0)).isEqualTo(1);
    assertThat(first.cumulativeCount(6)).isEqualTo(9);

    HistogramPoint second = (HistogramPoint) reader.read((head
        + "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"0.5\"} 2\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"2\"} 4\n"
        + "h_bucket{le=\"4\"} 5\nh_bucket{le=\"8\"} 6 # {trace_id=\"b\"} 7\nh_bucket{le=\"+Inf\"} 9\n"
        + tail).getBytes(UTF_8)).select("h").get(0);
    assertThat(second.exemplar(0)).isNull();
    assertThat(second.exemplar(5)).isEqualTo(new Exemplar(Labels.of("trace_id", "b"), 7, MetricPoint.NO_TIMESTAMP));

    HistogramPoint third = (HistogramPoint) reader.read((head
        + "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 9\n" + tail).getBytes(UTF_8)).select("h").get(0);
    assertThat(third.exemplar(0)).isNull();
    assertThat(third.exemplar(1)).isNull();
  }

  @Test
  void openMetricsKeepsCreatedExemplarsUnitsInfoAndStates() {
    MetricSnapshot s = new SnapshotReader(ExpositionParser.builder().strict(true).build())
        .read(OPENMETRICS.getBytes(UTF_8));
    assertThat(s.format()).isEqualTo(ExpositionFormat.OPENMETRICS);

    CounterPoint c = (CounterPoint) s.select("vllm:request_success").get(0);
    assertThat(c.value()).isEqualTo(17);
    assertThat(c.createdSeconds()).isEqualTo(1.7e9);
    assertThat(c.exemplar()).isEqualTo(new Exemplar(Labels.of("trace_id", "4bf92f35"), 1, 1_700_000_000_500L));

    MetricFamily ttft = s.family("ttft_seconds").orElseThrow();
    assertThat(ttft.unit()).isEqualTo("seconds");
    HistogramPoint h = (HistogramPoint) ttft.points().get(0);
    assertThat(h.exemplar(0)).isEqualTo(new Exemplar(Labels.of("trace_id", "ab"), 0.05, MetricPoint.NO_TIMESTAMP));
    assertThat(h.exemplar(1)).isNull();
    assertThat(h.createdSeconds()).isEqualTo(1.6e9);

    MetricFamily q = s.family("q").orElseThrow();
    assertThat(q.type()).isEqualTo(MetricType.GAUGE_HISTOGRAM);
    assertThat(((HistogramPoint) q.points().get(0)).count()).isEqualTo(3);

    assertThat(s.select("engine")).containsExactly(new InfoPoint(Labels.of("name", "vLLM"), MetricPoint.NO_TIMESTAMP));
    StateSetPoint st = (StateSetPoint) s.select("state").get(0);
    assertThat(st.labels()).isEqualTo(Labels.EMPTY);
    assertThat(st.states()).containsExactly(Map.entry("asleep", false), Map.entry("awake", true));

    assertThat(s.select("temp")).containsExactly(new GaugePoint(Labels.EMPTY, 1, 100_000),
        new GaugePoint(Labels.EMPTY, 2, 101_000));
  }

  @Test
  void theStreamPathGivesTheSameSnapshot() {
    SnapshotReader reader = new SnapshotReader();
    MetricSnapshot fromArray = reader.read(OPENMETRICS.getBytes(UTF_8));
    MetricSnapshot fromStream = reader.read(new ByteArrayInputStream(OPENMETRICS.getBytes(UTF_8)),
        ExpositionFormat.OPENMETRICS);
    assertThat(fromStream.families()).isEqualTo(fromArray.families());
  }

  @Test
  void aReReadSharesTheLabelsOfUnchangedSeries() {
    SnapshotReader reader = new SnapshotReader();
    MetricSnapshot first = reader.read(TRITON.getBytes(UTF_8));
    MetricSnapshot second = reader.read(TRITON.replace(" 4\n", " 5\n").getBytes(UTF_8));
    MetricPoint a = first.select("nv_inference_request_success").get(0);
    MetricPoint b = second.select("nv_inference_request_success").get(0);
    assertThat(b).isNotEqualTo(a);
    assertThat(b.labels()).isSameAs(a.labels());
    assertThat(second.select("vllm:e2e_request_latency_seconds").get(0).labels())
        .isSameAs(first.select("vllm:e2e_request_latency_seconds").get(0).labels());
  }

  @Test
  void reReadingATargetAllocatesLittleBeyondTheNewPoints() throws IOException {
    byte[] bytes = Files.readAllBytes(
        SharedData.dir("conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt"));
    SnapshotReader reader = new SnapshotReader();
    for (int i = 0; i < 200; i++) {
      reader.read(bytes);
    }
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    MetricSnapshot[] last = new MetricSnapshot[1];
    long bytesPerRead = meter.measure(() -> {
      for (int i = 0; i < 10; i++) {
        last[0] = reader.read(bytes);
      }
    }) / 10;
    long points = last[0].families().stream().mapToLong(f -> f.points().size()).sum();
    // the points themselves (records with a value, or histogram/summary arrays), the lists and maps that hold
    // them, and nothing per label, name or value
    assertThat(bytesPerRead / points).as("bytes per point on a re-read").isLessThan(200);
    assertThat(bytesPerRead).as("bytes per re-read of a 190 KB exposition").isLessThan(bytes.length);
  }

  @Test
  void whatTheModelCannotHoldIsRejectedWithALocation() {
    SnapshotReader reader = new SnapshotReader();
    assertThatThrownBy(() -> reader.read("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n".getBytes(UTF_8)))
        .isInstanceOf(ExpositionParseException.class)
        .hasMessage("line 2, column 1: le of h_bucket is not a number: \"x\" in: h_bucket{le=\"x\"} 1");
    assertThatThrownBy(() -> reader.read("# TYPE s summary\ns 1\n".getBytes(UTF_8)))
        .hasMessageContaining("summary sample s has no quantile label");
    assertThatThrownBy(() -> reader.read("# TYPE h histogram\nh_count 1\nh_count 2\n".getBytes(UTF_8)))
        .hasMessageContaining("duplicate h_count for h{}");
    assertThatThrownBy(() -> reader.read("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n"
        .getBytes(UTF_8))).hasMessageContaining("duplicate bucket le=\"1.0\" for h{}");
  }

  @Test
  void underSkipTheRejectedSampleIsLeftOutAndCounted() {
    SnapshotReader reader = new SnapshotReader(ExpositionParser.builder().badLinePolicy(BadLinePolicy.SKIP).build());
    MetricSnapshot s = reader.read("# TYPE h histogram\nh_bucket{le=\"x\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
        .getBytes(UTF_8));
    assertThat(s.skippedLines()).isEqualTo(1);
    assertThat(((HistogramPoint) s.select("h").get(0)).bucketCount()).isEqualTo(1);
  }

  @Test
  void labelsWrittenInAnotherOrderAreTheSameSeries() {
    MetricSnapshot s = new SnapshotReader().read(("# TYPE s summary\ns_count{b=\"2\",a=\"1\"} 20\n"
        + "s{a=\"1\",b=\"2\",quantile=\"0.3\"} 1\n").getBytes(UTF_8));
    assertThat(s.select("s")).hasSize(1);
    SummaryPoint p = (SummaryPoint) s.select("s").get(0);
    assertThat(p.count()).isEqualTo(20);
    assertThat(p.valueAt(0.3)).isEqualTo(1);
  }

  @Test
  void aLateTypeConvertsTheEarlierSamples() {
    MetricSnapshot s = new SnapshotReader().read("m 4.12\n# TYPE m counter\nm{a=\"b\"} 5\n".getBytes(UTF_8));
    assertThat(s.select("m")).containsExactly(CounterPoint.of(Labels.EMPTY, 4.12), CounterPoint.of(Labels.of("a", "b"), 5));
  }

  @Test
  void prometheusTextMergesASummaryAcrossTimestampsLikeExpfmt() {
    MetricSnapshot s = new SnapshotReader().read(("# TYPE s summary\ns{quantile=\"0.5\"} 1 10\ns_count 3 20\n"
        + "s_sum 2\n").getBytes(UTF_8));
    SummaryPoint p = (SummaryPoint) s.select("s").get(0);
    assertThat(s.select("s")).hasSize(1);
    assertThat(p.timestampMillis()).isEqualTo(20);
    assertThat(p.count()).isEqualTo(3);
  }

  @Test
  void realFixturesBecomeSnapshots() throws IOException {
    byte[] triton = Files.readAllBytes(SharedData.dir("fixtures/triton/triton_metrics_datadog-fixture.txt"));
    MetricSnapshot s = new SnapshotReader().read(triton);
    assertThat(s.families()).hasSize(32);
    List<MetricPoint> success = s.select("nv_inference_request_success", LabelMatcher.eq("model", "densenet_onnx"));
    assertThat(success).hasSize(1);
    assertThat(((CounterPoint) success.get(0)).value()).isPositive();
    assertThat(s.family("nv_gpu_memory_total_bytes").orElseThrow().type()).isEqualTo(MetricType.GAUGE);
    double sum = 0;
    for (MetricPoint p : s.select("nv_inference_request_summary_us")) {
      sum += ((SummaryPoint) p).valueAt(0.5);
    }
    assertThat(sum).isCloseTo(3 * s.select("nv_inference_request_summary_us").size(), within(1e-9));
  }
}

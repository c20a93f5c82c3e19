package io.github.infermetrics.core.series;

import static io.github.infermetrics.core.series.BucketCountsTest.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.series.SeriesChange.Status;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The comparison behind {@code infermetrics kpi --window}. */
class SnapshotComparisonTest {
  private static final double EXACT = 1e-12;
  private static final double INF = Double.POSITIVE_INFINITY;

  private static final String PREV = "# TYPE vllm:generation_tokens counter\n"
      + "vllm:generation_tokens{engine=\"0\",model_name=\"qwen3\"} 1000\n"
      + "vllm:generation_tokens{engine=\"1\",model_name=\"qwen3\"} 500\n"
      + "# TYPE vllm:num_requests_running gauge\n"
      + "vllm:num_requests_running{engine=\"0\"} 3\n"
      + "# TYPE vllm:e2e_request_latency_seconds histogram\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"0.5\"} 10\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"1\"} 30\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"+Inf\"} 40\n"
      + "vllm:e2e_request_latency_seconds_sum{engine=\"0\"} 30\n"
      + "vllm:e2e_request_latency_seconds_count{engine=\"0\"} 40\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"0.5\"} 1\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"1\"} 2\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"+Inf\"} 3\n"
      + "vllm:e2e_request_latency_seconds_sum{engine=\"1\"} 2.5\n"
      + "vllm:e2e_request_latency_seconds_count{engine=\"1\"} 3\n"
      + "# TYPE rpc_seconds summary\n"
      + "rpc_seconds{quantile=\"0.5\"} 0.1\n"
      + "rpc_seconds{quantile=\"0.99\"} 0.9\n"
      + "rpc_seconds_sum 50\n"
      + "rpc_seconds_count 100\n"
      + "# TYPE old_metric gauge\n"
      + "old_metric 1\n"
      + "untyped_thing 7\n";

  private static final String CURR = "# TYPE vllm:generation_tokens counter\n"
      + "vllm:generation_tokens{engine=\"0\",model_name=\"qwen3\"} 1150\n"
      + "vllm:generation_tokens{engine=\"1\",model_name=\"qwen3\"} 20\n"
      + "vllm:generation_tokens{engine=\"2\",model_name=\"qwen3\"} 70\n"
      + "# TYPE vllm:num_requests_running gauge\n"
      + "vllm:num_requests_running{engine=\"0\"} 5\n"
      + "# TYPE vllm:e2e_request_latency_seconds histogram\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"0.5\"} 16\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"1\"} 46\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"0\",le=\"+Inf\"} 60\n"
      + "vllm:e2e_request_latency_seconds_sum{engine=\"0\"} 40\n"
      + "vllm:e2e_request_latency_seconds_count{engine=\"0\"} 60\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"0.5\"} 1\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"1\"} 2\n"
      + "vllm:e2e_request_latency_seconds_bucket{engine=\"1\",le=\"+Inf\"} 3\n"
      + "vllm:e2e_request_latency_seconds_sum{engine=\"1\"} 2.5\n"
      + "vllm:e2e_request_latency_seconds_count{engine=\"1\"} 3\n"
      + "# TYPE rpc_seconds summary\n"
      + "rpc_seconds{quantile=\"0.5\"} 0.2\n"
      + "rpc_seconds{quantile=\"0.99\"} 1.1\n"
      + "rpc_seconds_sum 62\n"
      + "rpc_seconds_count 130\n"
      + "# TYPE new_metric gauge\n"
      + "new_metric 2\n"
      + "untyped_thing 8\n";

  @Test
  void everyTypeGetsItsFields() {
    SnapshotReader reader = new SnapshotReader();
    MetricSnapshot prev = read(reader, PREV);
    MetricSnapshot curr = read(reader, CURR);
    SnapshotComparison c = SnapshotComparison.compare(prev, curr, 15);

    assertThat(c.windowSeconds()).isEqualTo(15);
    assertThat(c.series().stream().map(s -> s.name() + s.labels() + " " + s.typeName() + " " + s.status())
        .collect(Collectors.toList())).containsExactly(
            "vllm:generation_tokens{engine=\"0\",model_name=\"qwen3\"} counter CONTINUING",
            "vllm:generation_tokens{engine=\"1\",model_name=\"qwen3\"} counter CONTINUING",
            "vllm:generation_tokens{engine=\"2\",model_name=\"qwen3\"} counter NEW",
            "vllm:num_requests_running{engine=\"0\"} gauge CONTINUING",
            "vllm:e2e_request_latency_seconds{engine=\"0\"} histogram CONTINUING",
            "vllm:e2e_request_latency_seconds{engine=\"1\"} histogram CONTINUING",
            "rpc_seconds{} summary CONTINUING",
            "new_metric{} gauge NEW",
            "untyped_thing{} unknown CONTINUING",
            "old_metric{} gauge STALE");

    List<SeriesChange> tokens = c.series("vllm:generation_tokens");
    // 1000 -> 1150 over 15 s
    assertThat(tokens.get(0).increase()).hasValue(150);
    assertThat(tokens.get(0).rate()).hasValue(10);
    assertThat(tokens.get(0).reset()).isFalse();
    // engine 1 restarted: 500 -> 20 is an increase of 20
    assertThat(tokens.get(1).increase()).hasValue(20);
    assertThat(tokens.get(1).rate().getAsDouble()).isCloseTo(20 / 15.0, within(EXACT));
    assertThat(tokens.get(1).reset()).isTrue();
    // engine 2 is new: nothing to compare with
    assertThat(tokens.get(2).increase()).isEmpty();
    assertThat(tokens.get(2).rate()).isEmpty();
    assertThat(tokens.get(2).value()).isEmpty();

    assertThat(c.series("vllm:num_requests_running").get(0).value()).hasValue(5);
    assertThat(c.series("vllm:num_requests_running").get(0).rate()).isEmpty();

    List<SeriesChange> latency = c.series("vllm:e2e_request_latency_seconds");
    SeriesChange busy = latency.get(0);
    // +20 requests in 15 s, +10 s of latency; buckets +6, +16, +20
    assertThat(busy.countRate().getAsDouble()).isCloseTo(20 / 15.0, within(EXACT));
    assertThat(busy.mean()).hasValue(0.5);
    assertThat(busy.quantiles().keySet()).containsExactly(0.5, 0.9, 0.95, 0.99);
    // rank 10: 0.5 + 0.5 x 4/10; ranks 18, 19, 19.8 are beyond 16, in +Inf: the largest finite bound
    assertThat(busy.quantiles().get(0.5)).isCloseTo(0.7, within(EXACT));
    assertThat(busy.quantiles().get(0.9)).isEqualTo(1);
    assertThat(busy.quantiles().get(0.99)).isEqualTo(1);
    assertThat(busy.buckets()).hasValueSatisfying(b -> assertThat(b.cumulativeCounts()).containsExactly(6, 16, 20));
    // no traffic on engine 1: a rate of 0, no mean, NaN quantiles
    SeriesChange idle = latency.get(1);
    assertThat(idle.countRate()).hasValue(0);
    assertThat(idle.mean()).isEmpty();
    assertThat(idle.quantiles().values()).allMatch(v -> Double.isNaN(v));

    SeriesChange rpc = c.series("rpc_seconds").get(0);
    assertThat(rpc.quantiles()).containsExactly(Map.entry(0.5, 0.2), Map.entry(0.99, 1.1));
    assertThat(rpc.countRate()).hasValue(2);
    assertThat(rpc.mean().getAsDouble()).isCloseTo(0.4, within(EXACT));

    assertThat(c.series("untyped_thing").get(0).value()).hasValue(8);
    assertThat(c.series("new_metric").get(0).value()).hasValue(2);
    SeriesChange stale = c.series("old_metric").get(0);
    assertThat(stale.value()).isEmpty();
    assertThat(stale.quantiles()).isEmpty();

    // sum by (model_name) (irate(...)): engine 2 has no rate yet
    assertThat(c.sumRates("vllm:generation_tokens", Grouping.by("model_name")))
        .containsOnlyKeys(Labels.of("model_name", "qwen3"))
        .hasEntrySatisfying(Labels.of("model_name", "qwen3"), v -> assertThat(v).isCloseTo(10 + 20 / 15.0,
            within(EXACT)));
    // histogram_quantile(0.5, sum by (le) (...)) over both engines: engine 1 adds nothing
    BucketCounts both = c.sumHistograms("vllm:e2e_request_latency_seconds", Grouping.by()).get(Labels.EMPTY);
    assertThat(both.quantile(0.5)).isCloseTo(0.7, within(EXACT));
  }

  @Test
  void histogramRestartIsReported() {
    SnapshotReader reader = new SnapshotReader();
    MetricSnapshot prev = read(reader, "# TYPE h histogram\nh_bucket{le=\"1\"} 50\nh_bucket{le=\"+Inf\"} 100\n"
        + "h_count 100\nh_sum 70\n");
    MetricSnapshot curr = read(reader, "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 4\n"
        + "h_count 4\nh_sum 2\n");
    SeriesChange h = SnapshotComparison.compare(prev, curr, 10).series().get(0);
    assertThat(h.reset()).isTrue();
    assertThat(h.countRate()).hasValue(0.4);
    assertThat(h.mean()).hasValue(0.5);
  }

  @Test
  void gaugeHistogramsReportTheirCurrentState() {
    MetricFamily queue = MetricFamily.of("queue_depth", MetricType.GAUGE_HISTOGRAM, null, null, List.of(
        histogram(Labels.of("pool", "a"), new double[] {1, 2, INF}, new double[] {2, 6, 8}, 8, 10)));
    MetricSnapshot prev = MetricSnapshot.of(null, List.of());
    MetricSnapshot curr = MetricSnapshot.of(null, List.of(queue));
    SeriesChange g = SnapshotComparison.compare(prev, curr, 5).series().get(0);
    assertThat(g.status()).isEqualTo(Status.NEW);
    assertThat(g.typeName()).isEqualTo("histogram");
    assertThat(g.type()).isEqualTo(MetricType.GAUGE_HISTOGRAM);
    assertThat(g.countRate()).isEmpty();
    assertThat(g.mean()).hasValue(1.25);
    assertThat(g.quantiles().get(0.5)).isCloseTo(1.5, within(EXACT));
    SeriesChange again = SnapshotComparison.compare(curr, curr, 5).series().get(0);
    assertThat(again.status()).isEqualTo(Status.CONTINUING);
    assertThat(again.quantiles()).isEqualTo(g.quantiles());
  }

  @Test
  void windowMustBePositive() {
    MetricSnapshot s = MetricSnapshot.of(null, List.of());
    assertThatThrownBy(() -> SnapshotComparison.compare(s, s, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotComparison.compare(s, s, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotComparison.compare(s, s, INF)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A real Triton scrape, and the same with some counters advanced by known amounts. */
  @Test
  void tritonFixtureAgainstAModifiedCopy() throws IOException {
    String before = new String(Files.readAllBytes(SharedData.dir(
        "fixtures/triton/triton_metrics_datadog-fixture.txt")), StandardCharsets.UTF_8);
    String after = replace(before, "nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 3\n",
        "nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 13\n"
            + "nv_inference_request_success{model=\"resnet50\",version=\"1\"} 4\n");
    after = replace(after, "nv_inference_request_success{model=\"simple\",version=\"1\"} 0\n", "");
    after = replace(after, "nv_inference_count{model=\"densenet_onnx\",version=\"1\"} 3\n",
        "nv_inference_count{model=\"densenet_onnx\",version=\"1\"} 8\n");
    after = replace(after, "} 4879631.328000044\n", "} 4879731.828000044\n");
    after = replace(after, "nv_inference_request_summary_us_count{model=\"densenet_onnx\",version=\"1\"} 3\n",
        "nv_inference_request_summary_us_count{model=\"densenet_onnx\",version=\"1\"} 6\n");
    after = replace(after, "nv_inference_request_summary_us_sum{model=\"densenet_onnx\",version=\"1\"} 1327965\n",
        "nv_inference_request_summary_us_sum{model=\"densenet_onnx\",version=\"1\"} 1627965\n");

    SnapshotReader reader = new SnapshotReader();
    MetricSnapshot prev = read(reader, before);
    MetricSnapshot curr = read(reader, after);
    SnapshotComparison c = SnapshotComparison.compare(prev, curr, 10);

    long currentSeries = curr.families().stream().mapToLong(f -> f.points().size()).sum();
    assertThat(c.series()).hasSize((int) currentSeries + 1);
    assertThat(c.series().stream().filter(s -> s.status() == Status.NEW)).singleElement()
        .satisfies(s -> assertThat(s.labels()).isEqualTo(Labels.of("model", "resnet50", "version", "1")));
    assertThat(c.series().get(c.series().size() - 1)).satisfies(s -> {
      assertThat(s.status()).isEqualTo(Status.STALE);
      assertThat(s.name()).isEqualTo("nv_inference_request_success");
      assertThat(s.labels()).isEqualTo(Labels.of("model", "simple", "version", "1"));
    });

    Labels densenet = Labels.of("model", "densenet_onnx", "version", "1");
    assertThat(find(c, "nv_inference_request_success", densenet).increase()).hasValue(10);
    assertThat(find(c, "nv_inference_request_success", densenet).rate()).hasValue(1);
    assertThat(find(c, "nv_inference_count", densenet).rate()).hasValue(0.5);
    assertThat(find(c, "nv_inference_exec_count", densenet).increase()).hasValue(0);
    assertThat(c.series("nv_energy_consumption").get(0).increase().getAsDouble()).isCloseTo(100.5, within(1e-6));
    SeriesChange summary = find(c, "nv_inference_request_summary_us", densenet);
    assertThat(summary.countRate().getAsDouble()).isCloseTo(0.3, within(EXACT));
    assertThat(summary.mean()).hasValue(100000);
    assertThat(summary.quantiles()).containsOnlyKeys(0.5, 0.9, 0.95, 0.99, 0.999);
    assertThat(c.series("nv_gpu_utilization").get(0).value()).hasValue(0);
    // every counter that was not touched moved by exactly 0
    assertThat(c.series().stream().filter(s -> s.type() == MetricType.COUNTER && s.status() == Status.CONTINUING
        && !s.labels().equals(densenet) && !s.name().equals("nv_energy_consumption"))
        .allMatch(s -> s.increase().getAsDouble() == 0)).isTrue();
    assertThat(c.sumRates("nv_inference_request_success", Grouping.by("version")))
        .containsExactly(Map.entry(Labels.of("version", "1"), 1.0));
  }

  private static SeriesChange find(SnapshotComparison c, String family, Labels labels) {
    return c.series(family).stream().filter(s -> s.labels().equals(labels)).findFirst().orElseThrow();
  }

  private static String replace(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  private static MetricSnapshot read(SnapshotReader reader, String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8));
  }
}

package io.github.infermetrics.remotewrite.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import io.github.infermetrics.remotewrite.WriteRequests;
import io.github.infermetrics.remotewrite.WriteRequests.Series;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SampleConversionTest {
  private static final long T = 1_760_000_000_000L;

  private static List<Series> decode(List<EncodedSample> samples) throws Exception {
    return WriteRequests.decode(WriteRequestEncoder.encode(samples));
  }

  @Test
  void kpiValuesBecomeSeriesWithDimensionsSourceTargetAndExternalLabels() throws Exception {
    KpiSet set = new KpiSet("vllm", "qwen@10.0.0.7:8000", Instant.ofEpochMilli(T), Duration.ofSeconds(15), List.of(
        new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of("model", "qwen", "engine", "0"), 0.25),
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "qwen", "cluster", "own"), 4.0)));

    List<Series> series = decode(new SampleConversion("infermetrics_", Labels.of("cluster", "prod")).samples(set));

    assertThat(series).hasSize(2);
    // sorted by name: "__name__" < "cluster" < "engine" < ... ('_' is 0x5F, below the lowercase letters)
    assertThat(series.get(0).labelNames()).containsExactly("__name__", "cluster", "engine", "model", "source",
        "target");
    assertThat(series.get(0).labels()).isEqualTo(Map.of("__name__", "infermetrics_time_to_first_token_seconds_p95",
        "cluster", "prod", "engine", "0", "model", "qwen", "source", "vllm", "target", "qwen@10.0.0.7:8000"));
    assertThat(series.get(0).samples()).containsExactly(new WriteRequests.Sample(0.25, T));
    // the series' own label wins over the external one, as in Prometheus
    assertThat(series.get(1).labels()).containsEntry("cluster", "own")
        .containsEntry("__name__", "infermetrics_request_rate_per_second");
  }

  @Test
  void aSetWithoutSourceOrTargetHasNoSuchLabels() throws Exception {
    KpiSet set = new KpiSet("", "", Instant.ofEpochMilli(T), Duration.ofSeconds(1),
        List.of(new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.EMPTY, 0.5)));

    List<Series> series = decode(new SampleConversion("", Labels.EMPTY).samples(set));

    assertThat(series.get(0).labels()).isEqualTo(Map.of("__name__", "kv_cache_usage_ratio"));
  }

  @Test
  void anEmptyTargetLabelIsAnAbsentLabelNotAnError() throws Exception {
    // Labels allows empty values; Prometheus treats them as absent, as the points' own empty labels are
    MetricSnapshot snapshot = new SnapshotReader().read("up{zone=\"\"} 1\n".getBytes(UTF_8));

    List<Series> series = decode(new SampleConversion("", Labels.EMPTY).samples(snapshot,
        Labels.of("job", "vllm", "instance", ""), T));

    assertThat(series.get(0).labels()).isEqualTo(Map.of("__name__", "up", "job", "vllm"));
  }

  @Test
  void rawSeriesUseClassicPrometheusNaming() throws Exception {
    MetricSnapshot snapshot;
    try (InputStream in = getClass().getResourceAsStream("/expositions/small.prom")) {
      snapshot = new SnapshotReader().read(in.readAllBytes());
    }

    List<Series> series = decode(new SampleConversion("", Labels.EMPTY).samples(snapshot,
        Labels.of("job", "vllm", "instance", "10.0.0.7:8000"), T));

    List<String> lines = new ArrayList<>();
    for (Series s : series) {
      Map<String, String> l = new java.util.TreeMap<>(s.labels());
      l.remove("__name__");
      l.remove("job");
      l.remove("instance");
      lines.add(s.name() + l + " " + s.samples().get(0).value());
    }
    // the file's 14 samples, in family order; le and quantile as Go writes them ("1.0" becomes "1")
    assertThat(lines).containsExactly(
        "vllm:num_requests_running{engine=0, model_name=qwen} 3.0",
        "vllm:prompt_tokens_total{engine=0, model_name=qwen} 1234.0",
        "vllm:time_to_first_token_seconds_bucket{engine=0, le=0.005, model_name=qwen} 1.0",
        "vllm:time_to_first_token_seconds_bucket{engine=0, le=0.1, model_name=qwen} 4.0",
        "vllm:time_to_first_token_seconds_bucket{engine=0, le=1, model_name=qwen} 9.0",
        "vllm:time_to_first_token_seconds_bucket{engine=0, le=+Inf, model_name=qwen} 10.0",
        "vllm:time_to_first_token_seconds_sum{engine=0, model_name=qwen} 2.75",
        "vllm:time_to_first_token_seconds_count{engine=0, model_name=qwen} 10.0",
        "nv_inference_queue_summary_us{model=densenet_onnx, quantile=0.5, version=1} 150.0",
        "nv_inference_queue_summary_us{model=densenet_onnx, quantile=0.99, version=1} 400.0",
        "nv_inference_queue_summary_us_sum{model=densenet_onnx, version=1} 2000.0",
        "nv_inference_queue_summary_us_count{model=densenet_onnx, version=1} 10.0");
    assertThat(series).allSatisfy(s -> assertThat(s.labels()).containsEntry("job", "vllm")
        .containsEntry("instance", "10.0.0.7:8000"));
    assertThat(series).allSatisfy(s -> assertThat(s.samples()).containsExactly(new WriteRequests.Sample(
        s.samples().get(0).value(), T)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"vllm/vllm_metrics_datadog-fixture_hybrid.txt", "triton/triton_metrics_datadog-fixture.txt",
      "neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt"})
  void everySampleLineOfARealScrapeBecomesOneSeries(String fixture) throws Exception {
    Path file = SharedData.dir("fixtures/" + fixture);
    byte[] bytes = Files.readAllBytes(file);
    MetricSnapshot snapshot = new SnapshotReader().read(bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);
    // a counter's _created sample is left out, unless the exposition declares it as a family of its own (the
    // neuron exporter's old Python client writes "# TYPE execution_errors_created gauge")
    long lines = text.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .filter(name -> !name.endsWith("_created") || text.contains("# TYPE " + name + " "))
        .count();

    List<Series> series = decode(new SampleConversion("", Labels.EMPTY).samples(snapshot, Labels.EMPTY, T));

    assertThat(series).hasSize((int) lines);
    assertThat(series).extracting(s -> s.labels().keySet().size()).allMatch(n -> n >= 1);
  }
}

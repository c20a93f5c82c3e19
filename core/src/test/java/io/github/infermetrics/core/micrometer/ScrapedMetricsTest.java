package io.github.infermetrics.core.micrometer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapedMetricsTest {
  private static final String FIRST = """
      # HELP nv_inference_request_success Number of successful inference requests
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="resnet50",version="1"} 10
      nv_inference_request_success{model="bert",version="3"} 4
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-1"} 0.5
      # TYPE vllm:time_to_first_token_seconds histogram
      vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="qwen3"} 3
      vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="qwen3"} 5
      vllm:time_to_first_token_seconds_count{model_name="qwen3"} 5
      vllm:time_to_first_token_seconds_sum{model_name="qwen3"} 0.75
      """;
  private static final String SECOND = """
      # HELP nv_inference_request_success Number of successful inference requests
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="resnet50",version="1"} 15
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-1"} 0.75
      """;

  private final SnapshotReader reader = new SnapshotReader();

  private MetricSnapshot read(String text) {
    return reader.read(text.getBytes(UTF_8));
  }

  @Test
  void registersUpdatesAndRemovesStaleSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScrapedMetrics metrics = new ScrapedMetrics(Tags.of("pod", "triton-0"));
    metrics.bindTo(registry);

    metrics.update(read(FIRST));
    assertThat(metrics.seriesCount()).isEqualTo(7);
    FunctionCounter success = registry.get("nv_inference_request_success").tags("model", "resnet50", "version", "1",
        "pod", "triton-0").functionCounter();
    assertThat(success.count()).isEqualTo(10);
    assertThat(registry.get("nv_gpu_utilization").tag("gpu_uuid", "GPU-1").gauge().value()).isEqualTo(0.5);
    assertThat(registry.get("vllm:time_to_first_token_seconds_bucket").tag("le", "0.1").gauge().value()).isEqualTo(3);
    assertThat(registry.get("vllm:time_to_first_token_seconds_bucket").tag("le", "+Inf").gauge().value())
        .isEqualTo(5);
    assertThat(registry.get("vllm:time_to_first_token_seconds_sum").gauge().value()).isEqualTo(0.75);

    metrics.update(read(SECOND));
    assertThat(success.count()).isEqualTo(15);
    assertThat(registry.get("nv_gpu_utilization").gauge().value()).isEqualTo(0.75);
    assertThat(registry.find("nv_inference_request_success").tag("model", "bert").functionCounter()).isNull();
    assertThat(registry.find("vllm:time_to_first_token_seconds_bucket").gauges()).isEmpty();
    assertThat(metrics.seriesCount()).isEqualTo(2);

    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aRegistryBoundLaterGetsTheExistingSeries() {
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.update(read(FIRST));
    SimpleMeterRegistry late = new SimpleMeterRegistry();
    metrics.bindTo(late);
    assertThat(late.get("nv_gpu_utilization").gauge().value()).isEqualTo(0.5);
  }

  @Test
  void prometheusReExposureParsesBackToTheScrapedValues() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScrapedMetrics metrics = new ScrapedMetrics(Tags.of("pod", "triton-0"));
    metrics.bindTo(registry);
    MetricSnapshot original = read(FIRST);
    metrics.update(original);

    for (String contentType : new String[] {ExpositionFormat.PROMETHEUS_TEXT.contentType(),
        ExpositionFormat.OPENMETRICS.contentType()}) {
      byte[] exposed = registry.scrape(contentType).getBytes(UTF_8);
      MetricSnapshot back = new SnapshotReader().read(exposed,
          ExpositionFormat.fromContentType(contentType).orElseThrow());
      String counterFamily = contentType.startsWith("text/plain") ? "nv_inference_request_success_total"
          : "nv_inference_request_success";
      CounterPoint c = (CounterPoint) back.select(counterFamily, LabelMatcher.eq("model", "resnet50")).get(0);
      assertThat(c.value()).isEqualTo(10);
      assertThat(c.labels().get("pod")).isEqualTo("triton-0");
      GaugePoint g = (GaugePoint) back.select("nv_gpu_utilization").get(0);
      assertThat(g.value()).isEqualTo(0.5);
      // client_java's naming drops the reserved _bucket suffix from gauge names: the buckets come back as
      // gauges named like the family, tagged le
      MetricPoint inf = back.select("vllm:time_to_first_token_seconds", LabelMatcher.eq("le", "+Inf")).get(0);
      assertThat(((GaugePoint) inf).value()).isEqualTo(5);
      assertThat(((GaugePoint) back.select("vllm:time_to_first_token_seconds_count").get(0)).value()).isEqualTo(5);
    }
    assertThat(metrics.rejectedMeters()).isZero();
  }

  @Test
  void aRealTritonScrapeIsReExposedCompletely() throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir("fixtures/triton/triton_metrics_datadog-fixture.txt"));
    MetricSnapshot snapshot = reader.read(bytes);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.bindTo(registry);
    metrics.update(snapshot);
    // every sample line of the scrape is one meter
    long exposedSamples = snapshot.sampleCount();
    assertThat(metrics.seriesCount()).isEqualTo(exposedSamples);
    assertThat(registry.getMeters()).hasSize((int) exposedSamples);
    assertThat(registry.find("nv_gpu_utilization").gauges()).isNotEmpty();
  }

  @Test
  void refusedMetersAreCountedNotThrown() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.bindTo(registry);
    // one family, two tag key sets: Prometheus accepts only one of them
    metrics.update(read("# TYPE failures counter\nfailures{model=\"a\"} 1\nfailures{model=\"b\",reason=\"REJECTED\"} 2\n"));
    assertThat(metrics.seriesCount()).isEqualTo(2);
    assertThat(registry.scrape()).contains("failures_total");
  }

  @Test
  void createdTimestampsAreLeftOutAndCounted() throws IOException {
    // neuron-monitor-prometheus.py, like vLLM, writes x_created gauges beside each counter through prometheus_client
    byte[] bytes = Files.readAllBytes(
        SharedData.dir("fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt"));
    MetricSnapshot scrape = new SnapshotReader().read(bytes);
    long created = scrape.families().stream().filter(f -> f.name().endsWith("_created"))
        .mapToLong(f -> f.points().size()).sum();
    assertThat(created).isPositive();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.bindTo(registry);
    metrics.update(scrape);
    assertThat(metrics.createdSkipped()).isEqualTo(created);
    assertThat(metrics.rejectedMeters()).isZero();
    assertThat(registry.scrape()).doesNotContain("_created").contains("execution_status_total{");
  }

  @Test
  void aGaugeNamedLikeACounterBesideItIsNotACreationTime() {
    ScrapedMetrics metrics = new ScrapedMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    metrics.update(read("# TYPE jobs_created gauge\njobs_created 4\n"));
    assertThat(metrics.createdSkipped()).isZero();
    assertThat(registry.get("jobs_created").gauge().value()).isEqualTo(4);
  }

  @Test
  void aMeterTheRegistryRefusesIsCounted() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // the application's own counter takes the name first
    registry.counter("jobs", "queue", "a").increment();
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.bindTo(registry);
    metrics.update(read("# TYPE jobs gauge\njobs{queue=\"b\"} 1\n"));
    assertThat(metrics.rejectedMeters()).isEqualTo(1);
  }

  @Test
  void bucketsReExposedToPrometheusStillGiveTheQuantile() {
    String exposition = """
        # TYPE ttft histogram
        ttft_bucket{model="a",le="0.1"} 10
        ttft_bucket{model="a",le="0.5"} 90
        ttft_bucket{model="a",le="+Inf"} 100
        ttft_sum{model="a"} 20
        ttft_count{model="a"} 100
        """;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScrapedMetrics metrics = new ScrapedMetrics();
    metrics.bindTo(registry);
    metrics.update(read(exposition));
    // the registry drops _bucket from the gauges' name; the le label is what histogram_quantile needs
    MetricSnapshot back = new SnapshotReader().read(registry.scrape().getBytes(StandardCharsets.UTF_8));
    List<MetricPoint> buckets = back.select("ttft");
    double[] bounds = new double[buckets.size()];
    double[] counts = new double[buckets.size()];
    for (int i = 0; i < buckets.size(); i++) {
      MetricPoint p = buckets.get(i);
      String le = p.labels().get("le");
      bounds[i] = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      counts[i] = ((GaugePoint) p).value();
    }
    // p50: rank 50 is 40 into the 80 of (0.1, 0.5]: 0.1 + 0.4 * 40 / 80 = 0.3
    assertThat(BucketCounts.quantile(0.5, bounds, counts)).isCloseTo(0.3, within(1e-12));
  }
}

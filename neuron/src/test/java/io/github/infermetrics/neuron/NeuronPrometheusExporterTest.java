package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeuronPrometheusExporterTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_721_133_719), ZoneOffset.UTC);

  /** Family name to "TYPE label,names" for the neuron families (not the Python process collectors). */
  private static Map<String, String> shape(MetricSnapshot s) {
    Map<String, String> out = new TreeMap<>();
    for (MetricFamily f : s.families()) {
      if (f.name().startsWith("python_") || f.name().startsWith("process_")) {
        continue;
      }
      Set<String> names = new TreeSet<>();
      for (MetricPoint p : f.points()) {
        for (int i = 0; i < p.labels().size(); i++) {
          names.add(p.labels().name(i));
        }
      }
      out.put(f.name(), f.type() + " " + String.join(",", names));
    }
    return out;
  }

  private static double value(MetricSnapshot s, String family, LabelMatcher... matchers) {
    MetricPoint p = s.select(family, matchers).get(0);
    return p instanceof io.github.infermetrics.core.snapshot.GaugePoint g ? g.value()
        : ((io.github.infermetrics.core.snapshot.CounterPoint) p).value();
  }

  @Test
  void theConvertedRealReportHasTheFamiliesTypesAndLabelsOfTheRealConverter() {
    MetricSnapshot real = new SnapshotReader().read(TestData.sharedBytes(TestData.PROMETHEUS_SCRAPE));
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(NeuronReportReader.parse(TestData.sharedBytes(TestData.WITH_RUNTIME)));
    Map<String, String> ours = shape(exporter.snapshot());
    Map<String, String> theirs = shape(real);
    // 20 families, 3 of them counters with their *_created gauge
    assertThat(ours.keySet()).hasSize(23).isEqualTo(theirs.keySet());
    // the 2023 report has no neuron_device_memory_size yet, the 2024 scrape does: compared on the 2026 record below
    theirs.put("neuron_hardware_info", theirs.get("neuron_hardware_info").replace("neuron_device_memory_size,", ""));
    assertThat(ours).isEqualTo(theirs);
    assertThat(exporter.snapshot().family("execution_errors_total").orElseThrow().type())
        .isEqualTo(MetricType.COUNTER);
  }

  @Test
  void theRealCurrentRecordGivesTheHardwareInfoLabelsOfTheRealConverter() {
    MetricSnapshot real = new SnapshotReader().read(TestData.sharedBytes(TestData.PROMETHEUS_SCRAPE));
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(NeuronReportReader.parse(TestData.sharedBytes(TestData.NO_RUNTIME)));
    assertThat(shape(exporter.snapshot())).containsEntry("neuron_hardware_info", shape(real).get("neuron_hardware_info"))
        .containsEntry("instance_info", shape(real).get("instance_info"));
  }

  @Test
  void helpAndTypeLinesAreThoseOfTheRealConverter() throws Exception {
    String real = new String(TestData.sharedBytes(TestData.PROMETHEUS_SCRAPE), java.nio.charset.StandardCharsets.UTF_8);
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(NeuronReportReader.parse(TestData.sharedBytes(TestData.WITH_RUNTIME)));
    java.util.List<String> ours = exporter.exposition().lines().filter(l -> l.startsWith("#")).toList();
    java.util.List<String> theirs = real.lines().filter(l -> l.startsWith("#"))
        .filter(l -> !l.contains(" python_") && !l.contains(" process_")).toList();
    assertThat(ours).containsExactlyElementsOf(theirs); // same text, same order
  }

  @Test
  void transformsFollowTheConverter() {
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(TestData.report("trn2-current.json"));
    MetricSnapshot s = exporter.snapshot();
    LabelMatcher rt0 = LabelMatcher.eq("runtime_tag", "vllm-0");
    // utilisation 70 % -> 0.7
    assertThat(value(s, "neuroncore_utilization_ratio", rt0, LabelMatcher.eq("neuroncore", "1"))).isEqualTo(0.7);
    // runtime vCPU 120.5 % -> 1.205 (not capped: only the system vCPU is)
    assertThat(value(s, "neuron_runtime_vcpu_usage_ratio", rt0, LabelMatcher.eq("usage_type", "user")))
        .isEqualTo(1.205);
    // system vCPU: user + nice = 35 -> 0.35; system + io_wait + irq + soft_irq = 15 -> 0.15
    assertThat(value(s, "system_vcpu_usage_ratio", LabelMatcher.eq("usage_type", "user"))).isEqualTo(0.35);
    assertThat(value(s, "system_vcpu_usage_ratio", LabelMatcher.eq("usage_type", "system"))).isEqualTo(0.15);
    assertThat(value(s, "system_vcpu_count")).isEqualTo(4);
    // total_latency only
    assertThat(value(s, "execution_latency_seconds", rt0, LabelMatcher.eq("percentile", "p99"))).isEqualTo(0.045);
    // the literal "None" memory_location on per-core memory
    assertThat(s.select("neuroncore_memory_usage_tensors", rt0, LabelMatcher.eq("neuroncore", "1")))
        .singleElement().satisfies(p -> assertThat(p.labels().get("memory_location")).isEqualTo("None"));
    assertThat(value(s, "neuron_runtime_memory_used_bytes", rt0, LabelMatcher.eq("memory_location", "neuron_device")))
        .isEqualTo(32212254720.0);
    // k8s info adds the pod to the per-core series
    assertThat(s.select("neuroncore_utilization_ratio", LabelMatcher.eq("neuroncore", "4"))).singleElement()
        .satisfies(p -> assertThat(p.labels().get("container_name")).isEqualTo("vllm,sidecar"));
    assertThat(value(s, "hardware_ecc_events_total", LabelMatcher.eq("neuron_device_index", "1"),
        LabelMatcher.eq("event_type", "sram_ecc_uncorrected"))).isEqualTo(1);
  }

  @Test
  void countersAddEachPeriodsCountsAndCarryTheirCreatedTime() {
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    NeuronReport r = TestData.report("trn2-current.json");
    exporter.update(r);
    exporter.update(r);
    exporter.update(r);
    MetricSnapshot s = exporter.snapshot();
    LabelMatcher rt0 = LabelMatcher.eq("runtime_tag", "vllm-0");
    // completed 97 per period, 3 periods -> 291
    assertThat(value(s, "execution_status_total", rt0, LabelMatcher.eq("status_type", "completed"))).isEqualTo(291);
    assertThat(value(s, "execution_errors_total", rt0, LabelMatcher.eq("error_type", "transient"))).isEqualTo(6);
    assertThat(value(s, "hardware_ecc_events_total", LabelMatcher.eq("neuron_device_index", "1"),
        LabelMatcher.eq("event_type", "mem_ecc_corrected"))).isEqualTo(6);
    assertThat(value(s, "execution_status_created", rt0, LabelMatcher.eq("status_type", "completed")))
        .isEqualTo(1_721_133_719.0);
  }

  @Test
  void runtimeSeriesAreClearedWhenNoRuntimeRunsAndSystemSeriesStay() throws Exception {
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(TestData.report("trn2-current.json"));
    exporter.update(TestData.report("null-latency.json")); // only "idle-app" runs now
    MetricSnapshot s = exporter.snapshot();
    assertThat(s.select("neuroncore_utilization_ratio")).extracting(p -> p.labels().get("runtime_tag"))
        .containsOnly("idle-app");
    // the idle runtime's null latency sets nothing; the gone runtimes' latencies are dropped
    assertThat(s.select("execution_latency_seconds")).isEmpty();
    assertThat(s.select("execution_status_created")).extracting(p -> p.labels().get("runtime_tag"))
        .containsOnly("idle-app");
    // a group not in the report keeps its last value
    assertThat(value(s, "system_vcpu_count")).isEqualTo(4);
    // the Info gauges follow the instance of the last report
    assertThat(s.select("instance_info")).singleElement()
        .satisfies(p -> assertThat(p.labels().get("instance_id")).isEqualTo("i-idle"));

    exporter.update(NeuronReportReader.parse(TestData.line(TestData.resource("null-latency.json"))
        .replaceFirst("\"neuron_runtime_data\":\\[.*\\],\"system_data\"", "\"neuron_runtime_data\":[],\"system_data\"")));
    s = exporter.snapshot();
    assertThat(s.select("neuroncore_utilization_ratio")).isEmpty();
    assertThat(s.select("execution_status_total")).isEmpty();
    assertThat(s.family("execution_status_total")).isPresent(); // help and type lines stay, like prometheus_client
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.writeTo(out);
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(exporter.exposition());
  }

  @Test
  void ultraserverIdJoinsTheInstanceLabelsWhenReported() {
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    exporter.update(TestData.report("old-names.json"));
    assertThat(exporter.snapshot().select("instance_info")).singleElement().satisfies(p ->
        assertThat(p.labels()).isEqualTo(Labels.of("availability_zone", "us-east-1a", "instance_id", "i-old",
            "instance_name", "", "instance_type", "trn2.3xlarge", "region", "us-east-1", "subnet_id", "subnet-2",
            "ultraserver_id", "us-42")));
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0.0",
      "4, 4.0",
      "0.15, 0.15",
      "1.6491081503838823e-12, 1.6491081503838823e-12",
      "8102633472, 8.102633472e+09",
      "188901012, 1.88901012e+08",
      "1721133719.6327603, 1.7211337196327603e+09",
      "1000000, 1e+06",
      "999999, 999999.0",
      "1e16, 1e+16",
      "0.0001, 0.0001",
      "0.00001, 1e-05",
      "8.893013000488281e-05, 8.893013000488281e-05",
      "-2.5, -2.5",
  })
  void valuesAreFormattedLikePrometheusClient(double value, String expected) {
    assertThat(FloatFormats.pythonClient(value)).isEqualTo(expected);
  }

  @Test
  void valuesOfTheRealScrapeReadBackTheSame() {
    // every sample value text of the real scrape is what FloatFormats.pythonClient writes for its value
    String real = new String(TestData.sharedBytes(TestData.PROMETHEUS_SCRAPE), java.nio.charset.StandardCharsets.UTF_8);
    real.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
      String text = l.substring(l.lastIndexOf(' ') + 1);
      assertThat(FloatFormats.pythonClient(Double.parseDouble(text))).as(l).isEqualTo(text);
    });
  }

  @Test
  void servesTheLastReportOverHttp() throws Exception {
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter(CLOCK);
    HttpClient client = HttpClient.newHttpClient();
    try (NeuronPrometheusExporter.Endpoint endpoint =
             exporter.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      URI metrics = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
      HttpResponse<String> empty = client.send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(empty.statusCode()).isEqualTo(200);
      assertThat(empty.body()).contains("# TYPE neuroncore_utilization_ratio gauge")
          .doesNotContain("neuroncore_utilization_ratio{");

      exporter.update(TestData.report("trn2-current.json"));
      HttpResponse<byte[]> full = client.send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(full.headers().firstValue("Content-Type")).hasValue(NeuronPrometheusExporter.CONTENT_TYPE);
      MetricSnapshot s = new SnapshotReader().read(full.body());
      assertThat(s.select("neuroncore_utilization_ratio")).hasSize(4);

      HttpResponse<String> other = client.send(HttpRequest.newBuilder(metrics.resolve("/other")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(other.statusCode()).isEqualTo(404);
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(metrics)
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }
}

package io.github.infermetrics.neuron.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeuronPrometheusSnapshotTest {

  @Test
  void realFixtureHasFourRuntimesWithEveryRuntimeFamily() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.shared(Scrapes.REAL_FIXTURE));

    assertThat(s.runtimes()).extracting(NeuronRuntime::tag).containsExactly("31961", "32265", "32276", "32786");
    NeuronRuntime r = s.runtime("32786").orElseThrow();
    assertThat(r.neuroncores()).extracting(NeuronCoreUsage::index).containsExactly(0, 1, 2, 3);
    assertThat(r.neuroncore(1).orElseThrow().utilization()).hasValue(0.0031171891334815026);
    // core 1: constants 184502276 + model_code 4266480 + runtime_memory 132256 (+ two zeros) = 188901012
    assertThat(r.neuroncore(1).orElseThrow().memoryBytes()).containsEntry("constants", 1.84502276e8)
        .containsEntry("model_shared_scratchpad", 0.0).hasSize(5);
    assertThat(r.neuroncore(1).orElseThrow().memoryTotalBytes()).hasValue(1.88901012e8);
    assertThat(r.deviceMemoryUsedBytes()).hasValue(1.88901012e8);
    assertThat(r.hostMemoryUsedBytes()).hasValue(2.474258432e9);
    assertThat(r.vcpuUsage()).containsExactly(Map.entry("system", 0.0362), Map.entry("user", 0.1388));
    assertThat(r.executionStatus()).hasSize(6).containsEntry("completed", 4.0);
    assertThat(r.executionsTotal()).isEqualTo(4.0);
    assertThat(r.executionErrors()).hasSize(6).containsKeys("generic", "numerical", "transient", "model",
        "runtime", "hardware");
    assertThat(r.latencySeconds()).hasSize(7);
    assertThat(r.latency("p50")).hasValue(0.007892131805419922);
    assertThat(r.latency("p99")).hasValue(0.008591890335083008);
    // the shared labels: the instance labels (instance_name is empty, and so counts as absent in PromQL)
    assertThat(r.labels().get("instance_id")).isEqualTo("i-022af70542e30e040");
    assertThat(r.labels().contains("runtime_tag")).isFalse();
    assertThat(r.labels().contains("neuroncore")).isFalse();
    assertThat(r.labels().contains("memory_location")).isFalse();

    // 31961 never ran an execution in a period with latency: no latency gauges; 32265 has no device memory in use
    assertThat(s.runtime("31961").orElseThrow().latencySeconds()).isEmpty();
    assertThat(s.runtime("32265").orElseThrow().deviceMemoryUsedBytes()).hasValue(0.0);
  }

  @Test
  void realFixtureInstanceHardwareSystemAndEcc() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.shared(Scrapes.REAL_FIXTURE));

    InstanceInfo i = s.instance().orElseThrow();
    assertThat(i.instanceId()).hasValue("i-022af70542e30e040");
    assertThat(i.instanceType()).hasValue("inf1.xlarge");
    assertThat(i.availabilityZone()).hasValue("eu-north-1a");
    assertThat(i.region()).hasValue("eu-north-1");
    assertThat(i.subnetId()).hasValue("subnet-2677974f");
    assertThat(i.instanceName()).isEmpty();
    NeuronHardware h = s.hardware().orElseThrow();
    assertThat(h.deviceCount()).isEqualTo(1);
    assertThat(h.neuroncoresPerDevice()).isEqualTo(4);
    assertThat(h.neuroncoreCount()).isEqualTo(4);
    assertThat(h.deviceMemoryBytes()).hasValue(8589934592L);
    assertThat(h.totalDeviceMemoryBytes()).hasValue(8589934592L);
    assertThat(s.system().vcpuCount()).hasValue(4.0);
    assertThat(s.system().vcpuUsage()).containsEntry("user", 0.0).containsEntry("system", 0.0);
    assertThat(s.system().memoryTotalBytes()).hasValue(8.102633472e9);
    assertThat(s.system().memoryUsedBytes()).hasValue(2.516926464e9);
    assertThat(s.system().swapTotalBytes()).hasValue(0.0);
    assertThat(s.system().swapUsedBytes()).hasValue(0.0);
    // 2516926464 / 8102633472 = 0.3106306...
    assertThat(s.system().memoryUsedRatio().getAsDouble()).isCloseTo(0.3106307, within(1e-7));
    assertThat(s.ecc()).singleElement().satisfies(e -> {
      assertThat(e.deviceIndex()).isZero();
      assertThat(e.events()).containsOnlyKeys("mem_ecc_corrected", "mem_ecc_uncorrected", "sram_ecc_corrected",
          "sram_ecc_uncorrected");
      assertThat(e.uncorrected()).isZero();
    });
  }

  /** Nothing is lost: every sample of the converter's 20 families lands somewhere in the view. */
  @Test
  void realFixtureViewHoldsEverySampleOfTheTwentyFamilies() {
    MetricSnapshot scrape = Scrapes.shared(Scrapes.REAL_FIXTURE);
    Set<String> twenty = Set.of("neuroncore_utilization_ratio", "neuron_runtime_vcpu_usage_ratio",
        "neuron_runtime_memory_used_bytes", "neuroncore_memory_usage_constants", "neuroncore_memory_usage_model_code",
        "neuroncore_memory_usage_model_shared_scratchpad", "neuroncore_memory_usage_runtime_memory",
        "neuroncore_memory_usage_tensors", "execution_errors_total", "execution_status_total",
        "execution_latency_seconds", "hardware_ecc_events_total", "system_vcpu_count", "system_vcpu_usage_ratio",
        "system_memory_total_bytes", "system_memory_used_bytes", "system_swap_total_bytes",
        "system_swap_used_bytes", "instance_info", "neuron_hardware_info");
    long samples = 0;
    for (MetricFamily f : scrape.families()) {
      if (twenty.contains(f.name())) {
        samples += f.points().size();
      }
    }
    assertThat(scrape.families()).extracting(MetricFamily::name).containsAll(twenty);

    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(scrape);
    long held = 0;
    for (NeuronRuntime r : s.runtimes()) {
      for (NeuronCoreUsage c : r.neuroncores()) {
        held += (c.utilization().isPresent() ? 1 : 0) + c.memoryBytes().size();
      }
      held += r.memoryUsedBytes().size() + r.vcpuUsage().size() + r.executionStatus().size()
          + r.executionErrors().size() + r.latencySeconds().size();
    }
    for (EccCounters e : s.ecc()) {
      held += e.events().size();
    }
    SystemUsage sys = s.system();
    held += sys.vcpuUsage().size() + count(sys.vcpuCount()) + count(sys.memoryTotalBytes())
        + count(sys.memoryUsedBytes()) + count(sys.swapTotalBytes()) + count(sys.swapUsedBytes());
    held += s.instance().isPresent() ? 1 : 0;
    held += s.hardware().isPresent() ? 1 : 0;
    // 16 utilization + 80 core memory + 8 runtime memory + 8 vCPU + 24 status + 24 errors + 14 latency
    // + 4 ECC + 7 system + 2 info = 187
    assertThat(held).isEqualTo(samples).isEqualTo(187);
  }

  private static int count(OptionalDouble v) {
    return v.isPresent() ? 1 : 0;
  }

  @Test
  void detectsTheConverterAndNothingElse() {
    assertThat(NeuronPrometheusSnapshot.detect(Scrapes.shared(Scrapes.REAL_FIXTURE))).isTrue();
    assertThat(NeuronPrometheusSnapshot.detect(Scrapes.resource("no-runtime.prom"))).isTrue();
    assertThat(NeuronPrometheusSnapshot.detect(Scrapes.text("""
        # TYPE instance_info gauge
        instance_info{instance_id="i-1"} 1
        # TYPE system_memory_used_bytes gauge
        system_memory_used_bytes 5
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{model_name="m"} 1
        """))).isFalse();
  }

  @Test
  void detectIsFalseForTheVllmAndTritonFixtures() {
    assertThat(NeuronPrometheusSnapshot.detect(Scrapes.shared("fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt")))
        .isFalse();
    assertThat(NeuronPrometheusSnapshot.detect(Scrapes.shared("fixtures/triton/triton_metrics_datadog-fixture.txt")))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"trn1-before.prom", "trn1-after.prom", "trn1-restarted.prom", "no-runtime.prom",
      "inf2.24xlarge-k8s.openmetrics.txt"})
  void everyHandWrittenScrapeIsDetectedAndRead(String name) {
    MetricSnapshot scrape = Scrapes.resource(name);
    assertThat(NeuronPrometheusSnapshot.detect(scrape)).isTrue();
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(scrape);
    assertThat(s.source()).isSameAs(scrape);
    for (NeuronRuntime r : s.runtimes()) {
      assertThat(r.tag()).isNotEmpty();
      assertThat(r.labels().contains("runtime_tag")).isFalse();
    }
  }

  @Test
  void noRuntimeRunning() {
    NeuronPrometheusSnapshot s = Scrapes.view("no-runtime.prom");
    assertThat(s.runtimes()).isEmpty();
    assertThat(s.ecc()).isEmpty();
    assertThat(s.hardware()).isEmpty();
    assertThat(s.instance().orElseThrow().instanceType()).hasValue("trn1.2xlarge");
    assertThat(s.system().vcpuCount()).isEmpty();
  }

  @Test
  void openMetricsScrapeWithMoreCoresAndKubernetesLabels() {
    NeuronPrometheusSnapshot s = Scrapes.view("inf2.24xlarge-k8s.openmetrics.txt");

    assertThat(s.source().format()).isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(s.source().family("execution_status").orElseThrow().type()).isEqualTo(MetricType.COUNTER);
    assertThat(s.runtimes()).extracting(NeuronRuntime::tag).containsExactly("vllm-a", "vllm-b");
    NeuronRuntime a = s.runtime("vllm-a").orElseThrow();
    assertThat(a.neuroncores()).hasSize(12);
    assertThat(a.neuroncore(5).orElseThrow().utilization()).hasValue(0.25);
    assertThat(a.neuroncore(5).orElseThrow().memoryTotalBytes()).hasValue(5.0e9);
    assertThat(a.neuroncore(6).orElseThrow().memoryBytes()).isEmpty();
    assertThat(a.executionStatus()).hasSize(6).containsEntry("completed", 1200.0);
    assertThat(a.executionErrors()).hasSize(6);
    assertThat(a.latency("p99")).hasValue(1.0);
    assertThat(a.labels().get("pod_name")).isEqualTo("vllm-a-0");
    assertThat(a.labels().get("namespace")).isEqualTo("default");
    assertThat(a.labels().get("instance_type")).isEqualTo("inf2.24xlarge");
    // OpenMetrics info families "instance" and "neuron_hardware"
    assertThat(s.instance().orElseThrow().instanceId()).hasValue("i-0inf2");
    NeuronHardware h = s.hardware().orElseThrow();
    assertThat(h.neuroncoreCount()).isEqualTo(12);
    assertThat(h.totalDeviceMemoryBytes()).hasValue(6 * 34359738368L);
    assertThat(s.ecc()).hasSize(6).extracting(EccCounters::deviceIndex).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(s.system().vcpuCount()).hasValue(96.0);
  }

  @Test
  void olderConverterNamesReadAsTheCurrentOnes() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.text("""
        # TYPE inference_status_total counter
        inference_status_total{runtime_tag="7",status_type="completed"} 12
        # TYPE inference_errors_total counter
        inference_errors_total{runtime_tag="7",error_type="generic"} 1
        # TYPE inference_latency_seconds gauge
        inference_latency_seconds{runtime_tag="7",percentile="p50"} 0.5
        """));
    NeuronRuntime r = s.runtime("7").orElseThrow();
    assertThat(r.executionStatus()).containsExactly(Map.entry("completed", 12.0));
    assertThat(r.executionErrors()).containsExactly(Map.entry("generic", 1.0));
    assertThat(r.latency("p50")).hasValue(0.5);
  }

  @Test
  void unknownFamiliesAndLabelsAreIgnored() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.text("""
        # TYPE neuroncore_utilization_ratio gauge
        neuroncore_utilization_ratio{runtime_tag="7",neuroncore="3",future_label="x"} 0.5
        # TYPE neuroncore_flops_per_second gauge
        neuroncore_flops_per_second{runtime_tag="7",neuroncore="3"} 1e12
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 12.5
        # TYPE neuroncore_memory_usage_total gauge
        neuroncore_memory_usage_total{NeuronCore="core3"} 5
        # TYPE neuroncore_memory_usage_future histogram
        neuroncore_memory_usage_future_bucket{le="+Inf"} 1
        neuroncore_memory_usage_future_count 1
        neuroncore_memory_usage_future_sum 1
        """));
    NeuronRuntime r = s.runtime("7").orElseThrow();
    assertThat(r.neuroncores()).singleElement().satisfies(c -> {
      assertThat(c.index()).isEqualTo(3);
      assertThat(c.utilization()).hasValue(0.5);
      assertThat(c.memoryBytes()).isEmpty();
    });
    assertThat(r.labels()).isEqualTo(Labels.of("future_label", "x"));
  }

  @Test
  void aSeriesWithoutRuntimeTagIsAnErrorNamingTheFamily() {
    MetricSnapshot scrape = Scrapes.text("""
        # TYPE execution_status_total counter
        execution_status_total{status_type="completed"} 12
        """);
    assertThatThrownBy(() -> NeuronPrometheusSnapshot.of(scrape)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution_status_total").hasMessageContaining("no label runtime_tag");
  }

  @Test
  void aNeuronCoreLabelThatIsNotAnIndexIsAnError() {
    MetricSnapshot scrape = Scrapes.text("""
        # TYPE neuroncore_memory_usage_tensors gauge
        neuroncore_memory_usage_tensors{runtime_tag="7",neuroncore="nc0",memory_location="None"} 1
        """);
    assertThatThrownBy(() -> NeuronPrometheusSnapshot.of(scrape)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neuroncore_memory_usage_tensors").hasMessageContaining("neuroncore=\"nc0\"")
        .hasMessageContaining("not an index");
  }

  @Test
  void aFederatedScrapeWithRepeatedSeriesIsRejected() {
    MetricSnapshot scrape = Scrapes.text("""
        # TYPE neuroncore_utilization_ratio gauge
        neuroncore_utilization_ratio{instance_id="i-1",runtime_tag="7",neuroncore="0"} 0.5
        neuroncore_utilization_ratio{instance_id="i-2",runtime_tag="7",neuroncore="0"} 0.25
        """);
    assertThatThrownBy(() -> NeuronPrometheusSnapshot.of(scrape)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("series repeated").hasMessageContaining("i-2");
  }

  @Test
  void hardwareInfoWithoutDeviceCountIsAnErrorNamingTheLabel() {
    MetricSnapshot scrape = Scrapes.text("""
        # TYPE neuron_hardware_info gauge
        neuron_hardware_info{neuroncore_per_device_count="2"} 1
        """);
    assertThatThrownBy(() -> NeuronPrometheusSnapshot.of(scrape)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neuron_hardware_info").hasMessageContaining("neuron_device_count");
  }

  @Test
  void aHistogramWhereTheConverterWritesAGaugeIsAnError() {
    MetricSnapshot scrape = Scrapes.text("""
        # TYPE execution_latency_seconds histogram
        execution_latency_seconds_bucket{runtime_tag="7",le="+Inf"} 1
        execution_latency_seconds_count{runtime_tag="7"} 1
        execution_latency_seconds_sum{runtime_tag="7"} 0.1
        """);
    assertThatThrownBy(() -> NeuronPrometheusSnapshot.of(scrape)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution_latency_seconds is a HISTOGRAM");
  }

  @Test
  void recordsValidateTheirFields() {
    assertThatThrownBy(() -> new NeuronCoreUsage(-1, OptionalDouble.empty(), Map.of()))
        .hasMessageContaining("index");
    assertThatThrownBy(() -> new EccCounters(-1, Map.of())).hasMessageContaining("deviceIndex");
    assertThatThrownBy(() -> new NeuronHardware(-1, 2, OptionalLong.empty(), Labels.EMPTY))
        .hasMessageContaining("deviceCount");
    assertThatThrownBy(() -> new NeuronRuntime("", Labels.EMPTY, List.of(), Map.of(), Map.of(), Map.of(), Map.of(),
        Map.of())).hasMessageContaining("tag");
    NeuronCoreUsage core = new NeuronCoreUsage(0, OptionalDouble.of(0.5), Map.of());
    assertThatThrownBy(() -> new NeuronRuntime("7", Labels.EMPTY, List.of(core, core), Map.of(), Map.of(), Map.of(),
        Map.of(), Map.of())).hasMessageContaining("NeuronCore 0 twice");
  }

  @Test
  void runtimesAreInNumericTagOrder() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.text("""
        # TYPE neuron_runtime_memory_used_bytes gauge
        neuron_runtime_memory_used_bytes{runtime_tag="vllm",memory_location="host"} 1
        neuron_runtime_memory_used_bytes{runtime_tag="10000",memory_location="host"} 1
        neuron_runtime_memory_used_bytes{runtime_tag="999",memory_location="host"} 1
        """));
    assertThat(s.runtimes()).extracting(NeuronRuntime::tag).containsExactly("999", "10000", "vllm");
  }
}

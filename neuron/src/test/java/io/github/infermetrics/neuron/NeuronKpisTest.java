package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NeuronKpisTest {
  private static final Instant AT = Instant.parse("2026-09-01T12:00:00Z");

  @Test
  void computesTheKpisOfACurrentReport() {
    NeuronKpis k = NeuronKpis.of(TestData.report("trn2-current.json"));
    NeuronKpis.RuntimeKpis rt0 = k.runtimes().get(0);
    // 97 completed + 3 completed_with_err in a 1 s period
    assertThat(rt0.executionsPerSecond()).isEqualTo(OptionalDouble.of(100));
    assertThat(rt0.completedPerSecond()).isEqualTo(OptionalDouble.of(97));
    assertThat(rt0.errorsPerSecond()).isEqualTo(OptionalDouble.of(3));
    assertThat(rt0.errorRatio().getAsDouble()).isCloseTo(0.03, within(1e-12)); // 3 / 100
    assertThat(rt0.errorRatioByType()).containsEntry("transient", 0.02).containsEntry("generic", 0.01);
    assertThat(rt0.latencyP50()).isEqualTo(OptionalDouble.of(0.02));
    assertThat(rt0.latencyP99()).isEqualTo(OptionalDouble.of(0.045));
    assertThat(rt0.deviceLatencyP99()).isEqualTo(OptionalDouble.of(0.03));
    assertThat(rt0.hostOverheadP50().getAsDouble()).isCloseTo(0.005, within(1e-12)); // 0.020 - 0.015
    assertThat(rt0.vcpuUserRatio()).isEqualTo(OptionalDouble.of(1.205));
    assertThat(k.runtimes().get(1).deviceLatencyP50()).isEmpty(); // null device_latency
    // cores 0, 1, 4, 5 at 50, 70, 10, 30 %: mean 40 %, max 70 %
    assertThat(k.utilizationAverage().getAsDouble()).isCloseTo(0.4, within(1e-12));
    assertThat(k.utilizationMax()).isEqualTo(OptionalDouble.of(0.7));
    assertThat(k.cores()).extracting(NeuronKpis.CoreKpis::core).containsExactly(0, 1, 4, 5);
    NeuronKpis.CoreKpis core0 = k.cores().get(0);
    assertThat(core0.device()).isEqualTo(OptionalInt.of(0));
    assertThat(core0.tflops()).isEqualTo(OptionalDouble.of(25)); // 2.5e13 / 1e12
    assertThat(core0.memoryBytes()).isEqualTo(OptionalLong.of(15000)); // 1000+2000+3000+4000+5000
    assertThat(k.cores().get(2).device()).isEqualTo(OptionalInt.of(1)); // core 4 / 4 cores per device
    assertThat(k.cores().get(2).tflops()).isEmpty();
    // 2.5e13 + 3.5e13 = 6e13 FLOPS = 60 TFLOPS
    assertThat(k.achievedTflops().getAsDouble()).isCloseTo(60, within(1e-9));
    // HBM: (30 GiB + 10 GiB) / (2 × 96 GiB) = 40 / 192
    assertThat(k.deviceMemoryUsedBytes()).isEqualTo(OptionalLong.of(42949672960L));
    assertThat(k.hbmUsedRatio().getAsDouble()).isCloseTo(40.0 / 192, within(1e-12));
    // vCPU: (30 + 5) + (10 + 2 + 1 + 2) = 50 % busy
    assertThat(k.vcpuUsage().getAsDouble()).isCloseTo(0.5, within(1e-12));
    // device 1: sram_ecc_uncorrected = 1
    assertThat(k.eccHealth()).isEqualTo(NeuronKpis.EccHealth.UNCORRECTED_ERRORS);
    assertThat(k.uncorrectedEccEvents()).isEqualTo(OptionalLong.of(1));
    assertThat(k.window()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anIdlePeriodHasNoLatencyAndNoErrorRatio() {
    NeuronKpis k = NeuronKpis.of(TestData.report("null-latency.json"));
    NeuronKpis.RuntimeKpis rt = k.runtimes().get(0);
    assertThat(rt.executionsPerSecond()).isEqualTo(OptionalDouble.of(0)); // a rate of 0 is a fact
    assertThat(rt.errorRatio()).isEmpty(); // 0 / 0 is not
    assertThat(rt.errorRatioByType()).isEmpty();
    assertThat(rt.latencyP50()).isEmpty();
    assertThat(k.hbmUsedRatio()).isEmpty(); // no memory_used group
    assertThat(k.eccHealth()).isEqualTo(NeuronKpis.EccHealth.UNKNOWN);
    assertThat(k.achievedTflops()).isEqualTo(OptionalDouble.of(0));
    assertThat(k.window()).isEqualTo(Duration.ofSeconds(5));
    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.P50)).isEmpty();
    assertThat(set.find(Kpi.ERROR_RATIO, KpiStatistic.VALUE)).isEmpty();
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE)).map(KpiValue::value).hasValue(0.0);
  }

  @Test
  void mapsOntoTheSharedKpiVocabulary() {
    KpiSet set = NeuronKpis.of(TestData.report("trn2-current.json")).toKpiSet("node-1", AT);
    assertThat(set.source()).isEqualTo("neuron");
    assertThat(set.target()).isEqualTo("node-1");
    assertThat(set.window()).isEqualTo(Duration.ofSeconds(1));
    LabelMatcher vllm0 = LabelMatcher.eq(KpiDimension.RUNTIME, "vllm-0");
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE, vllm0)).map(KpiValue::value).hasValue(100.0);
    assertThat(set.find(Kpi.ERROR_RATE, KpiStatistic.VALUE, vllm0)).map(KpiValue::value).hasValue(3.0);
    assertThat(set.find(Kpi.ERROR_RATE, KpiStatistic.VALUE, vllm0, LabelMatcher.eq(KpiDimension.REASON,
        "transient"))).map(KpiValue::value).hasValue(2.0); // 0.02 × 100/s
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.P99, vllm0)).map(KpiValue::value).hasValue(0.045);
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.P50, LabelMatcher.eq(KpiDimension.RUNTIME, "vllm-1")))
        .map(KpiValue::value).hasValue(0.01);
    // overall first, then per NeuronCore
    KpiValue overall = set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE).orElseThrow();
    assertThat(overall.dimensions()).isEqualTo(Labels.EMPTY);
    assertThat(overall.value()).isCloseTo(0.4, within(1e-12));
    assertThat(set.values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE)).hasSize(5);
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, LabelMatcher.eq(KpiDimension.DEVICE, "5")))
        .map(KpiValue::value).hasValue(0.3);
    assertThat(set.find(Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE)).map(KpiValue::value)
        .hasValue(42949672960.0);
    assertThat(set.find(Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE)).map(KpiValue::value)
        .hasValue(2 * 103079215104.0);
  }

  @Test
  void tablesHoldEverythingForPeople() {
    List<KpiTable> tables = NeuronKpis.of(TestData.report("trn2-current.json")).tables();
    assertThat(tables).extracting(KpiTable::name).containsExactly("runtimes", "neuroncores", "system");
    KpiTable runtimes = tables.get(0);
    assertThat(runtimes.rows()).hasSize(2);
    assertThat(runtimes.rows().get(1).value(runtimes, "device_latency_seconds_p50")).isEmpty();
    KpiTable cores = tables.get(1);
    assertThat(cores.rows().get(3).key()).isEqualTo(Labels.of("neuroncore", "5", "neuron_device", "1"));
    KpiTable system = tables.get(2);
    assertThat(system.rows()).singleElement().satisfies(r -> {
      assertThat(r.value(system, "achieved_tflops").getAsDouble()).isCloseTo(60, within(1e-9));
      assertThat(r.value(system, "ecc_uncorrected_events")).isEqualTo(OptionalDouble.of(1));
    });
  }

  @Test
  void theRealReportGivesItsKpis() {
    NeuronKpis k = NeuronKpis.of(NeuronReportReader.parse(TestData.sharedBytes(TestData.WITH_RUNTIME)));
    NeuronKpis.RuntimeKpis rt = k.runtimes().get(0);
    // 260 completed in 0.99915655 s
    assertThat(rt.executionsPerSecond().getAsDouble()).isCloseTo(260 / 0.99915655, within(1e-9));
    // every execution completed, but error_summary counts 23,654 generic errors: the error figures follow
    // error_summary, so that the total agrees with the per-type values; the failed executions are apart
    assertThat(rt.failedExecutionsPerSecond()).isEqualTo(OptionalDouble.of(0));
    assertThat(rt.errorRatio().getAsDouble()).isCloseTo(23654 / 260.0, within(1e-9));
    assertThat(rt.errorRatioByType().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(rt.errorRatio().getAsDouble(), within(1e-9));
    assertThat(rt.errorsPerSecond().getAsDouble()).isCloseTo(23654 / 0.99915655, within(1e-6));
    // core 0 at 1.36 %, core 1 at 0 %
    assertThat(k.utilizationMax().getAsDouble()).isCloseTo(0.013631567613356375, within(1e-15));
    assertThat(k.hbmUsedRatio()).isEmpty(); // the 2023 report has no neuron_device_memory_size
    assertThat(k.eccHealth()).isEqualTo(NeuronKpis.EccHealth.OK);
    assertThat(k.achievedTflops()).isEmpty(); // no flops before Neuron 2.7
    // 8 vCPUs on average: (16.99 + 0) + (2.94 + 0 + 0 + 0) = 19.93 %
    assertThat(k.vcpuUsage().getAsDouble()).isCloseTo(0.1993, within(1e-12));
  }
}

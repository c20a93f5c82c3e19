package io.github.infermetrics.neuron.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeuronPrometheusKpisTest {
  private static final Instant AT = Instant.parse("2026-09-01T12:00:15Z");

  /** trn1-before.prom at 0 s, trn1-after.prom at 15 s. */
  private static NeuronPrometheusKpis beforeAfter() {
    return NeuronPrometheusKpis.between(Scrapes.view("trn1-before.prom"), Scrapes.view("trn1-after.prom"), 15);
  }

  @Test
  void continuingRuntimeRatesFromKnownCounterDeltas() {
    NeuronRuntimeKpis r = beforeAfter().runtime("1001").orElseThrow();

    assertThat(r.isNew()).isFalse();
    assertThat(r.counterReset()).isFalse();
    // status deltas: completed 250-100 = 150, completed_with_err 5-2 = 3, timed_out 0, failed_to_queue 1-1 = 0
    assertThat(r.executionsInWindow()).hasValue(153.0);
    assertThat(r.executionRates()).containsExactly(Map.entry("completed", 10.0),
        Map.entry("completed_with_err", 0.2), Map.entry("failed_to_queue", 0.0), Map.entry("timed_out", 0.0));
    assertThat(r.executionRate()).hasValue(153.0 / 15); // 10.2
    assertThat(r.completedRate()).hasValue(10.0);
    assertThat(r.failedExecutionRate()).hasValue(0.2); // (3 + 0 + 0) / 15
    // error deltas: generic 3-1 = 2, numerical 2-1 = 1, transient 0
    assertThat(r.errorsInWindow()).hasValue(3.0);
    assertThat(r.errorRate()).hasValue(0.2);
    assertThat(r.errorRates()).containsExactly(Map.entry("generic", 2.0 / 15), Map.entry("numerical", 1.0 / 15),
        Map.entry("transient", 0.0));
    assertThat(r.errorRatio()).hasValue(3.0 / 153); // 0.0196...
    assertThat(r.errorRatios()).containsExactly(Map.entry("generic", 2.0 / 153), Map.entry("numerical", 1.0 / 153),
        Map.entry("transient", 0.0));
    // latency gauges of the current scrape
    assertThat(r.latencyP50()).hasValue(0.012);
    assertThat(r.latencyP99()).hasValue(0.040);
    assertThat(r.latency("p75")).isEmpty(); // not in the scrape
    assertThat(r.deviceLatency("p50")).isEmpty(); // the converter never exports device_latency
    // utilization 0.8 and 0.4: mean 0.6, max 0.8
    assertThat(r.neuroncoreUtilization()).containsExactly(Map.entry(0, 0.8), Map.entry(1, 0.4));
    assertThat(r.utilizationAvg().getAsDouble()).isCloseTo(0.6, within(1e-15));
    assertThat(r.utilizationMax()).hasValue(0.8);
    // core 0: constants 1000 + tensors 24; core 1 has no memory of this runtime
    assertThat(r.neuroncoreMemoryBytes()).containsExactly(Map.entry(0, 1024.0));
    assertThat(r.deviceMemoryUsedBytes()).hasValue(4.5e9);
    assertThat(r.hostMemoryUsedBytes()).hasValue(1.0e9);
    assertThat(r.vcpuUserRatio()).hasValue(0.1);
    assertThat(r.vcpuSystemRatio()).hasValue(0.05);
  }

  @Test
  void newRuntimeCountsFromZero() {
    NeuronRuntimeKpis r = beforeAfter().runtime("1003").orElseThrow();

    assertThat(r.isNew()).isTrue();
    assertThat(r.executionRate()).hasValue(2.0); // 30 completed since it started, / 15 s
    assertThat(r.errorRate()).hasValue(0.0);
    assertThat(r.errorRatio()).hasValue(0.0); // 0 errors / 30 executions
    assertThat(r.latencyP50()).hasValue(0.020);
    assertThat(r.latencyP99()).hasValue(0.050);
    assertThat(r.utilizationAvg().getAsDouble()).isCloseTo(0.5, within(1e-15)); // (0.1 + 0.9) / 2
    assertThat(r.neuroncoreMemoryBytes()).containsExactly(Map.entry(1, 512.0)); // 500 + 12
    assertThat(r.vcpuUserRatio()).isEmpty();
  }

  @Test
  void aRuntimeThatDisappearedHasNoKpis() {
    NeuronPrometheusKpis k = beforeAfter();

    assertThat(k.goneRuntimes()).containsExactly("1002");
    assertThat(k.runtime("1002")).isEmpty();
    assertThat(k.runtimes()).extracting(NeuronRuntimeKpis::tag).containsExactly("1001", "1003");
    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.values(Kpi.REQUEST_RATE, KpiStatistic.VALUE, LabelMatcher.eq(NeuronPrometheusKpis.RUNTIME,
        "1002"))).isEmpty();
  }

  @Test
  void instanceKpis() {
    NeuronPrometheusKpis k = beforeAfter();

    assertThat(k.windowSeconds()).isEqualTo(15);
    assertThat(k.executionRate().getAsDouble()).isCloseTo(12.2, within(1e-12)); // 10.2 + 2
    assertThat(k.errorRate()).hasValue(0.2); // 0.2 + 0
    assertThat(k.errorRatio()).hasValue(3.0 / 183); // (3 + 0) / (153 + 30)
    // per core, the max over the runtimes: core 0 max(0.8, 0.1), core 1 max(0.4, 0.9)
    assertThat(k.neuroncoreUtilization()).containsExactly(Map.entry(0, 0.8), Map.entry(1, 0.9));
    assertThat(k.utilizationAvg().getAsDouble()).isCloseTo(0.85, within(1e-15));
    assertThat(k.utilizationMax()).hasValue(0.9);
    assertThat(k.neuroncoreMemoryBytes()).containsExactly(Map.entry(0, 1024.0), Map.entry(1, 512.0));
    assertThat(k.deviceMemoryUsedBytes()).hasValue(5.5e9); // 4.5e9 + 1e9
    assertThat(k.deviceMemoryTotalBytes()).hasValue(34359738368.0); // 1 device x 32 GiB
    assertThat(k.deviceMemoryUsedRatio()).hasValue(5.5e9 / 34359738368.0); // 0.16007
  }

  @Test
  void anUncorrectedEccEventInTheWindowIsUnhealthy() {
    NeuronPrometheusKpis k = beforeAfter();

    // mem_ecc_corrected 3 -> 4, mem_ecc_uncorrected 0 -> 1
    assertThat(k.eccIncrease()).singleElement().satisfies(e -> {
      assertThat(e.events()).containsEntry("mem_ecc_corrected", 1.0).containsEntry("mem_ecc_uncorrected", 1.0)
          .containsEntry("sram_ecc_uncorrected", 0.0);
      assertThat(e.uncorrected()).isEqualTo(1.0);
      assertThat(e.corrected()).isEqualTo(1.0);
    });
    assertThat(k.eccHealthy()).isFalse();
    // a window without new events: the counters stay, health comes back
    NeuronPrometheusSnapshot after = Scrapes.view("trn1-after.prom");
    assertThat(NeuronPrometheusKpis.between(after, after, 15).eccHealthy()).isTrue();
  }

  @Test
  void counterResetCountsTheNewValueAsPromQlDoes() {
    NeuronPrometheusKpis k = NeuronPrometheusKpis.between(Scrapes.view("trn1-after.prom"),
        Scrapes.view("trn1-restarted.prom"), 15);
    NeuronRuntimeKpis r = k.runtime("1001").orElseThrow();

    assertThat(r.counterReset()).isTrue();
    // completed 250 -> 40: a reset, the increase is 40; completed_with_err 5 -> 0: 0
    assertThat(r.executionsInWindow()).hasValue(40.0);
    assertThat(r.executionRate().getAsDouble()).isCloseTo(40.0 / 15, within(1e-12)); // 2.667
    assertThat(r.errorRatio()).hasValue(1.0 / 40); // generic 3 -> 1: increase 1
    assertThat(r.latencyP50()).hasValue(0.011);
    assertThat(r.utilizationAvg()).isEmpty(); // the scrape has no utilization
  }

  @Test
  void aWindowWithoutExecutionsHasNoLatencyAndNoErrorRatio() {
    NeuronPrometheusKpis k = NeuronPrometheusKpis.between(Scrapes.view("trn1-after.prom"),
        Scrapes.view("trn1-restarted.prom"), 15);
    NeuronRuntimeKpis r = k.runtime("1003").orElseThrow();

    // completed 30 -> 30: nothing ran; the latency gauges still hold the earlier period's 0.020 / 0.050
    assertThat(r.runtime().latency("p50")).hasValue(0.020);
    assertThat(r.executionRate()).hasValue(0.0);
    assertThat(r.latencyP50()).isEmpty();
    assertThat(r.latencyP99()).isEmpty();
    assertThat(r.errorRatio()).isEmpty();
    assertThat(r.errorRatios()).isEmpty();
    assertThat(r.errorRate()).hasValue(0.0);
    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.values(Kpi.END_TO_END_LATENCY, KpiStatistic.P50,
        LabelMatcher.eq(NeuronPrometheusKpis.RUNTIME, "1003"))).isEmpty();
  }

  @Test
  void kpiSetMapsOntoTheSharedVocabulary() {
    KpiSet set = beforeAfter().toKpiSet("http://10.0.0.7:8000/metrics", AT);

    assertThat(set.source()).isEqualTo("neuron");
    assertThat(set.target()).isEqualTo("http://10.0.0.7:8000/metrics");
    assertThat(set.at()).isEqualTo(AT);
    assertThat(set.window()).isEqualTo(Duration.ofSeconds(15));
    // instance values come first, so a search without dimensions finds them
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE).orElseThrow().dimensions()).isEqualTo(Labels.EMPTY);
    assertThat(value(set, Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.EMPTY)).isCloseTo(12.2, within(1e-12));
    assertThat(value(set, Kpi.REQUEST_RATE, KpiStatistic.VALUE, rt("1001"))).isEqualTo(10.2);
    assertThat(value(set, Kpi.ERROR_RATE, KpiStatistic.VALUE, rt("1001").with(KpiDimension.REASON, "generic")))
        .isEqualTo(2.0 / 15);
    assertThat(value(set, Kpi.ERROR_RATIO, KpiStatistic.VALUE, rt("1001").with(KpiDimension.REASON, "numerical")))
        .isEqualTo(1.0 / 153);
    assertThat(value(set, Kpi.ERROR_RATIO, KpiStatistic.VALUE, Labels.EMPTY)).isEqualTo(3.0 / 183);
    assertThat(value(set, Kpi.END_TO_END_LATENCY, KpiStatistic.P50, rt("1001"))).isEqualTo(0.012);
    assertThat(value(set, Kpi.END_TO_END_LATENCY, KpiStatistic.P99, rt("1003"))).isEqualTo(0.050);
    assertThat(value(set, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.EMPTY))
        .isCloseTo(0.85, within(1e-15));
    assertThat(value(set, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Labels.of(KpiDimension.DEVICE, "1")))
        .isEqualTo(0.9);
    assertThat(value(set, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, rt("1001").with(KpiDimension.DEVICE,
        "1"))).isEqualTo(0.4);
    assertThat(value(set, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, Labels.EMPTY)).isEqualTo(5.5e9);
    assertThat(value(set, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, rt("1003"))).isEqualTo(1.0e9);
    assertThat(value(set, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, Labels.of(KpiDimension.DEVICE, "0")))
        .isEqualTo(1024.0);
    assertThat(value(set, Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE, Labels.EMPTY))
        .isEqualTo(34359738368.0);
    // instance 10, runtime 1001 16 (3 error types twice, 2 cores, memory on core 0), runtime 1003 12
    assertThat(set.values()).hasSize(38);
    // one value per KPI, statistic and dimensions
    assertThat(set.values()).extracting(v -> List.of(v.kpi(), v.statistic(), v.dimensions()))
        .doesNotHaveDuplicates();
  }

  private static Labels rt(String tag) {
    return Labels.of(NeuronPrometheusKpis.RUNTIME, tag);
  }

  private static double value(KpiSet set, Kpi kpi, KpiStatistic statistic, Labels dimensions) {
    return set.values(kpi, statistic).stream().filter(v -> v.dimensions().equals(dimensions)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kpi + " " + statistic + " " + dimensions)).value();
  }

  @Test
  void tablesForPeople() {
    NeuronPrometheusKpis k = beforeAfter();
    List<KpiTable> tables = k.tables();

    assertThat(tables).extracting(KpiTable::name).containsExactly("runtimes", "neuroncores", "executions", "errors",
        "instance", "neuron_devices");
    KpiTable runtimes = tables.get(0);
    assertThat(runtimes.keys()).containsExactly("runtime");
    assertThat(runtimes.rows()).hasSize(2);
    KpiTable.Row r1001 = runtimes.rows().get(0);
    assertThat(r1001.key()).isEqualTo(rt("1001"));
    assertThat(r1001.value(runtimes, "request_rate_per_second")).hasValue(10.2);
    assertThat(r1001.value(runtimes, "failed_executions_per_second")).hasValue(0.2);
    assertThat(r1001.value(runtimes, "end_to_end_latency_seconds_p99")).hasValue(0.040);
    assertThat(r1001.value(runtimes, "accelerator_utilization_max_ratio")).hasValue(0.8);
    assertThat(runtimes.rows().get(1).value(runtimes, "vcpu_user_ratio")).isEmpty();

    KpiTable cores = tables.get(1);
    assertThat(cores.rows()).hasSize(4); // 2 runtimes x 2 cores
    assertThat(cores.rows().get(0).value(cores, "memory_constants_bytes")).hasValue(1000.0);
    assertThat(cores.rows().get(1).value(cores, "accelerator_memory_used_bytes")).isEmpty(); // 1001 has no memory on core 1
    assertThat(tables.get(2).rows()).hasSize(5); // 1001: 4 statuses, 1003: 1
    assertThat(tables.get(3).rows()).hasSize(4); // 1001: 3 error types, 1003: 1

    KpiTable instance = tables.get(4);
    assertThat(instance.rows()).singleElement().satisfies(row -> {
      // instance_name is empty and so not a key
      assertThat(row.key()).isEqualTo(Labels.of("instance_id", "i-0abc", "instance_type", "trn1.2xlarge"));
      assertThat(row.value(instance, "vcpu_count")).hasValue(8.0);
      assertThat(row.value(instance, "accelerator_memory_used_ratio")).hasValue(5.5e9 / 34359738368.0);
      assertThat(row.value(instance, "ecc_uncorrected_events")).hasValue(1.0);
      assertThat(row.value(instance, "memory_used_bytes")).hasValue(8.0e9);
    });
    KpiTable devices = tables.get(5);
    assertThat(devices.rows()).singleElement().satisfies(row -> {
      assertThat(row.value(devices, "ecc_uncorrected_events")).hasValue(1.0);
      assertThat(row.value(devices, "ecc_mem_ecc_corrected_events")).hasValue(1.0);
    });
  }

  @Test
  void moreCoresInOpenMetrics() {
    NeuronPrometheusSnapshot s = Scrapes.view("inf2.24xlarge-k8s.openmetrics.txt");
    NeuronPrometheusKpis k = NeuronPrometheusKpis.between(s, s, 30);

    // vllm-a: cores 0-5 at c / 20, cores 6-11 at 0: mean (0 + 0.05 + ... + 0.25) / 12 = 0.75 / 12 = 0.0625
    NeuronRuntimeKpis a = k.runtime("vllm-a").orElseThrow();
    assertThat(a.neuroncoreUtilization()).hasSize(12);
    assertThat(a.utilizationAvg().getAsDouble()).isCloseTo(0.0625, within(1e-15));
    assertThat(a.utilizationMax()).hasValue(0.25);
    assertThat(a.executionRate()).hasValue(0.0);
    assertThat(a.latencyP50()).isEmpty(); // no executions in the window
    // instance: core c at c / 20, mean 0.275, max 0.55
    assertThat(k.neuroncoreUtilization()).hasSize(12).containsEntry(11, 0.55);
    assertThat(k.utilizationAvg().getAsDouble()).isCloseTo(0.275, within(1e-15));
    assertThat(k.utilizationMax()).hasValue(0.55);
    // 6 cores x 5 types x 1e9 per runtime; device memory 6e10 + 3e10 of 6 x 32 GiB
    assertThat(k.neuroncoreMemoryBytes()).hasSize(12).containsEntry(0, 5.0e9);
    assertThat(k.deviceMemoryUsedBytes()).hasValue(9.0e10);
    assertThat(k.deviceMemoryUsedRatio()).hasValue(9.0e10 / (6 * 34359738368.0));
    assertThat(k.eccIncrease()).hasSize(6);
    assertThat(k.eccHealthy()).isTrue();
    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE,
        LabelMatcher.eq(NeuronPrometheusKpis.RUNTIME, "vllm-b"))).hasSize(13); // 12 cores + the mean
  }

  @Test
  void realFixtureAgainstItself() {
    NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(Scrapes.shared(Scrapes.REAL_FIXTURE));
    NeuronPrometheusKpis k = NeuronPrometheusKpis.between(s, s, 10);

    assertThat(k.runtimes()).hasSize(4).allSatisfy(r -> {
      assertThat(r.executionRate()).hasValue(0.0);
      assertThat(r.latencyP50()).isEmpty();
      assertThat(r.isNew()).isFalse();
    });
    assertThat(k.executionRate()).hasValue(0.0);
    assertThat(k.errorRatio()).isEmpty();
    // core 0: max(1.649e-12, 0.003054895299654302, 0, 0); core 1: 0.0031171891334815026 (32786); cores 2, 3: 0
    assertThat(k.neuroncoreUtilization()).containsExactly(Map.entry(0, 0.003054895299654302),
        Map.entry(1, 0.0031171891334815026), Map.entry(2, 0.0), Map.entry(3, 0.0));
    assertThat(k.utilizationAvg().getAsDouble())
        .isCloseTo((0.003054895299654302 + 0.0031171891334815026) / 4, within(1e-18));
    // runtimes 31961 and 32786 each hold 188901012 bytes of device memory, of one 8 GiB device
    assertThat(k.deviceMemoryUsedBytes()).hasValue(3.77802024e8);
    assertThat(k.deviceMemoryUsedRatio()).hasValue(3.77802024e8 / 8589934592.0);
    assertThat(k.eccHealthy()).isTrue();
    assertThat(k.tables()).allSatisfy(t -> assertThat(t.rows()).isNotEmpty());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void theWindowMustBePositiveAndFinite(double window) {
    NeuronPrometheusSnapshot s = Scrapes.view("trn1-after.prom");
    assertThatThrownBy(() -> NeuronPrometheusKpis.between(s, s, window))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowSeconds");
  }

  @Test
  void noRuntimeRunningGivesNoRuntimeKpis() {
    NeuronPrometheusKpis k = NeuronPrometheusKpis.between(Scrapes.view("trn1-after.prom"),
        Scrapes.view("no-runtime.prom"), 15);

    assertThat(k.runtimes()).isEmpty();
    assertThat(k.goneRuntimes()).containsExactly("1001", "1003");
    assertThat(k.executionRate()).isEmpty();
    assertThat(k.utilizationAvg()).isEmpty();
    assertThat(k.toKpiSet("", AT).values()).isEmpty();
    assertThat(k.tables().get(4).rows().get(0).values()).allMatch(OptionalDouble::isEmpty);
  }

  @Test
  void kpiSetFeedsTheMicrometerBinder() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KpiMetrics metrics = new KpiMetrics(Tags.of("cluster", "test"))) {
      metrics.bindTo(registry);
      metrics.update(beforeAfter().toKpiSet("trn1-0", AT));

      assertThat(registry.get("request.rate").tag("runtime", "1001").tag("source", "neuron")
          .tag("target", "trn1-0").tag("cluster", "test").gauge().value()).isEqualTo(10.2);
      assertThat(registry.get("end.to.end.latency.p99").tag("runtime", "1003").gauge().value())
          .isEqualTo(0.050);
      assertThat(registry.get("accelerator.utilization").tag("device", "1").gauges())
          .extracting(g -> g.value()).contains(0.9, 0.4);
    }
  }
}

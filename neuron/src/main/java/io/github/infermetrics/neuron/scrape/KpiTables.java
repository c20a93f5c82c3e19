package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.neuron.NeuronMeasure;
import java.util.Optional;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/** Lays {@link NeuronPrometheusKpis} out as {@link KpiTable}s. */
final class KpiTables {
  private KpiTables() {}

  static List<KpiTable> of(NeuronPrometheusKpis kpis) {
    return List.of(runtimes(kpis), neuroncores(kpis), executions(kpis), errors(kpis), instance(kpis),
        devices(kpis));
  }

  private static KpiTable runtimes(NeuronPrometheusKpis kpis) {
    KpiTable.Builder t = KpiTable.builder("runtimes", NeuronPrometheusKpis.RUNTIME)
        .column(NeuronMeasure.EXECUTION_RATE)
        .column(NeuronMeasure.COMPLETED_RATE)
        .column(NeuronMeasure.FAILED_EXECUTION_RATE)
        .column(NeuronMeasure.ERROR_RATE)
        .column(NeuronMeasure.ERROR_RATIO)
        .column(NeuronMeasure.LATENCY_P50)
        .column(NeuronMeasure.LATENCY_P99)
        .column(NeuronMeasure.UTILIZATION)
        .column(NeuronMeasure.UTILIZATION_MAX)
        .column(NeuronMeasure.DEVICE_MEMORY_USED)
        .column(NeuronMeasure.HOST_MEMORY_USED)
        .column(NeuronMeasure.VCPU_USER)
        .column(NeuronMeasure.VCPU_SYSTEM);
    for (NeuronRuntimeKpis r : kpis.runtimes()) {
      t.row(Labels.of(NeuronPrometheusKpis.RUNTIME, r.tag()), r.executionRate(), r.completedRate(),
          r.failedExecutionRate(), r.errorRate(), r.errorRatio(), r.latencyP50(), r.latencyP99(),
          r.utilizationAvg(), r.utilizationMax(), r.deviceMemoryUsedBytes(), r.hostMemoryUsedBytes(),
          r.vcpuUserRatio(), r.vcpuSystemRatio());
    }
    return t.build();
  }

  private static KpiTable neuroncores(NeuronPrometheusKpis kpis) {
    KpiTable.Builder t = KpiTable.builder("neuroncores", NeuronPrometheusKpis.RUNTIME, "neuroncore")
        .column(NeuronMeasure.UTILIZATION)
        .column(NeuronMeasure.DEVICE_MEMORY_USED);
    for (String type : ConverterFamilies.MEMORY_TYPES) {
      t.column(new KpiTable.Column("memory_" + type + "_bytes", type.toUpperCase(Locale.ROOT).replace('_', ' '),
          Optional.of(KpiUnit.BYTES), KpiStatistic.VALUE));
    }
    for (NeuronRuntimeKpis r : kpis.runtimes()) {
      for (NeuronCoreUsage c : r.runtime().neuroncores()) {
        List<OptionalDouble> row = new ArrayList<>();
        row.add(NeuronRuntimeKpis.finite(c.utilization()));
        row.add(NeuronRuntimeKpis.finite(c.memoryTotalBytes()));
        for (String type : ConverterFamilies.MEMORY_TYPES) {
          row.add(finite(c.memoryBytes(), type));
        }
        t.row(Labels.of(NeuronPrometheusKpis.RUNTIME, r.tag(), "neuroncore", Integer.toString(c.index())), row);
      }
    }
    return t.build();
  }

  private static KpiTable executions(NeuronPrometheusKpis kpis) {
    KpiTable.Builder t = KpiTable.builder("executions", NeuronPrometheusKpis.RUNTIME, "status_type")
        .column(NeuronMeasure.EXECUTION_RATE);
    for (NeuronRuntimeKpis r : kpis.runtimes()) {
      r.executionRates().forEach((status, rate) -> t.row(
          Labels.of(NeuronPrometheusKpis.RUNTIME, r.tag(), "status_type", status), OptionalDouble.of(rate)));
    }
    return t.build();
  }

  private static KpiTable errors(NeuronPrometheusKpis kpis) {
    KpiTable.Builder t = KpiTable.builder("errors", NeuronPrometheusKpis.RUNTIME, "error_type")
        .column(NeuronMeasure.ERROR_RATE)
        .column(NeuronMeasure.ERROR_RATIO);
    for (NeuronRuntimeKpis r : kpis.runtimes()) {
      Map<String, Double> ratios = r.errorRatios();
      r.errorRates().forEach((type, rate) -> t.row(
          Labels.of(NeuronPrometheusKpis.RUNTIME, r.tag(), "error_type", type), OptionalDouble.of(rate),
          finite(ratios, type)));
    }
    return t.build();
  }

  private static KpiTable instance(NeuronPrometheusKpis kpis) {
    NeuronPrometheusSnapshot s = kpis.current();
    SystemUsage sys = s.system();
    double uncorrected = 0;
    double corrected = 0;
    for (EccCounters e : kpis.eccIncrease()) {
      uncorrected += e.uncorrected();
      corrected += e.corrected();
    }
    boolean ecc = !kpis.eccIncrease().isEmpty();
    Labels key = Labels.EMPTY;
    if (s.instance().isPresent()) {
      InstanceInfo i = s.instance().get();
      key = Labels.of("instance_id", i.instanceId().orElse(""), "instance_type", i.instanceType().orElse(""));
    }
    return KpiTable.builder("instance", "instance_id", "instance_type")
        .column(NeuronMeasure.EXECUTION_RATE)
        .column(NeuronMeasure.ERROR_RATE)
        .column(NeuronMeasure.ERROR_RATIO)
        .column(NeuronMeasure.UTILIZATION)
        .column(NeuronMeasure.UTILIZATION_MAX)
        .column(NeuronMeasure.DEVICE_MEMORY_USED)
        .column(NeuronMeasure.DEVICE_MEMORY_TOTAL)
        .column(NeuronMeasure.DEVICE_MEMORY_USED_RATIO)
        .column(NeuronMeasure.VCPU_COUNT)
        .column(NeuronMeasure.VCPU_USER)
        .column(NeuronMeasure.VCPU_SYSTEM)
        .column(NeuronMeasure.MEMORY_USED)
        .column(NeuronMeasure.MEMORY_TOTAL)
        .column(NeuronMeasure.ECC_UNCORRECTED)
        .column(NeuronMeasure.ECC_CORRECTED)
        .row(withoutEmpty(key), kpis.executionRate(), kpis.errorRate(), kpis.errorRatio(), kpis.utilizationAvg(),
            kpis.utilizationMax(), kpis.deviceMemoryUsedBytes(), kpis.deviceMemoryTotalBytes(),
            kpis.deviceMemoryUsedRatio(), NeuronRuntimeKpis.finite(sys.vcpuCount()), finite(sys.vcpuUsage(), "user"),
            finite(sys.vcpuUsage(), "system"), NeuronRuntimeKpis.finite(sys.memoryUsedBytes()),
            NeuronRuntimeKpis.finite(sys.memoryTotalBytes()),
            ecc ? OptionalDouble.of(uncorrected) : OptionalDouble.empty(),
            ecc ? OptionalDouble.of(corrected) : OptionalDouble.empty())
        .build();
  }

  private static KpiTable devices(NeuronPrometheusKpis kpis) {
    Set<String> types = new TreeSet<>();
    kpis.eccIncrease().forEach(e -> types.addAll(e.events().keySet()));
    KpiTable.Builder t = KpiTable.builder("neuron_devices", "neuron_device_index")
        .column(NeuronMeasure.ECC_UNCORRECTED)
        .column(NeuronMeasure.ECC_CORRECTED);
    for (String type : types) {
      t.column("ecc_" + type + "_events", type.toUpperCase(Locale.ROOT).replace('_', ' '));
    }
    for (EccCounters e : kpis.eccIncrease()) {
      List<OptionalDouble> row = new ArrayList<>();
      row.add(OptionalDouble.of(e.uncorrected()));
      row.add(OptionalDouble.of(e.corrected()));
      for (String type : types) {
        row.add(finite(e.events(), type));
      }
      t.row(Labels.of("neuron_device_index", Integer.toString(e.deviceIndex())), row);
    }
    return t.build();
  }

  private static OptionalDouble finite(Map<String, Double> m, String key) {
    Double v = m.get(key);
    return v == null || !Double.isFinite(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** A key label without a value is absent from a row's key. */
  private static Labels withoutEmpty(Labels key) {
    Labels out = key;
    for (int i = 0; i < key.size(); i++) {
      if (key.value(i).isEmpty()) {
        out = out.without(key.name(i));
      }
    }
    return out;
  }
}

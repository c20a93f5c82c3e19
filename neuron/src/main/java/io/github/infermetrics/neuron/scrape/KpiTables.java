package io.github.infermetrics.neuron.scrape;

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
        .column("executions_per_second", "EXEC/S")
        .column("completed_per_second", "OK/S")
        .column("failed_executions_per_second", "FAIL/S")
        .column("errors_per_second", "ERR/S")
        .column("error_ratio", "ERR RATIO")
        .column("latency_seconds_p50", "P50 s")
        .column("latency_seconds_p99", "P99 s")
        .column("neuroncore_utilization_ratio_avg", "NC AVG")
        .column("neuroncore_utilization_ratio_max", "NC MAX")
        .column("device_memory_used_bytes", "DEV MEM")
        .column("host_memory_used_bytes", "HOST MEM")
        .column("vcpu_user_ratio", "VCPU USR")
        .column("vcpu_system_ratio", "VCPU SYS");
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
        .column("utilization_ratio", "UTIL")
        .column("memory_used_bytes", "MEM");
    for (String type : ConverterFamilies.MEMORY_TYPES) {
      t.column("memory_" + type + "_bytes", type.toUpperCase(Locale.ROOT).replace('_', ' '));
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
        .column("executions_per_second", "EXEC/S");
    for (NeuronRuntimeKpis r : kpis.runtimes()) {
      r.executionRates().forEach((status, rate) -> t.row(
          Labels.of(NeuronPrometheusKpis.RUNTIME, r.tag(), "status_type", status), OptionalDouble.of(rate)));
    }
    return t.build();
  }

  private static KpiTable errors(NeuronPrometheusKpis kpis) {
    KpiTable.Builder t = KpiTable.builder("errors", NeuronPrometheusKpis.RUNTIME, "error_type")
        .column("errors_per_second", "ERR/S")
        .column("error_ratio", "ERR RATIO");
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
        .column("executions_per_second", "EXEC/S")
        .column("errors_per_second", "ERR/S")
        .column("error_ratio", "ERR RATIO")
        .column("neuroncore_utilization_ratio_avg", "NC AVG")
        .column("neuroncore_utilization_ratio_max", "NC MAX")
        .column("device_memory_used_bytes", "DEV MEM")
        .column("device_memory_total_bytes", "DEV TOTAL")
        .column("device_memory_used_ratio", "DEV MEM RATIO")
        .column("vcpu_count", "VCPUS")
        .column("vcpu_user_ratio", "VCPU USR")
        .column("vcpu_system_ratio", "VCPU SYS")
        .column("memory_used_bytes", "MEM")
        .column("memory_total_bytes", "MEM TOTAL")
        .column("ecc_uncorrected_events", "ECC UNCORR")
        .column("ecc_corrected_events", "ECC CORR")
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
        .column("ecc_uncorrected_events", "ECC UNCORR")
        .column("ecc_corrected_events", "ECC CORR");
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

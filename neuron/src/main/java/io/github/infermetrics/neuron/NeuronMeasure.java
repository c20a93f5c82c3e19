package io.github.infermetrics.neuron;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * What the neuron module computes, from neuron-monitor's JSON ({@link NeuronKpis}) and from a scrape of
 * neuron-monitor-prometheus ({@link io.github.infermetrics.neuron.scrape.NeuronPrometheusKpis}) alike: one name
 * per concept in both, per runtime ({@code runtime}), per NeuronCore ({@code device}) or for the whole instance.
 *
 * <p>Errors follow neuron-monitor's {@code error_summary} (the JSON) and {@code execution_errors_total} (the
 * exporter): {@link #ERROR_RATE} is their total, and the per-{@code reason} rates add up to it. Executions that
 * did not complete ({@code execution_summary}'s statuses other than {@code completed}) are
 * {@link #FAILED_EXECUTION_RATE}, which can differ: one execution may count several errors, and an execution
 * that timed out counts no error.
 */
public enum NeuronMeasure implements Measure {
  /** Executions per second, every status: the core request rate. */
  EXECUTION_RATE(Kpi.REQUEST_RATE, KpiStatistic.VALUE, "EXEC/S"),
  /** Executions per second that completed without error. */
  COMPLETED_RATE("completed", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "OK/S"),
  /** Executions per second with any other status (with errors, timed out, bad input, not queued). */
  FAILED_EXECUTION_RATE("failed_executions", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "FAIL/S"),
  /** Errors per second, every type ({@code error_summary}); by {@code reason} too. */
  ERROR_RATE(Kpi.ERROR_RATE, KpiStatistic.VALUE, "ERR/S"),
  /** Errors over executions; by {@code reason} too. Can exceed 1 when one execution counts several errors. */
  ERROR_RATIO(Kpi.ERROR_RATIO, KpiStatistic.VALUE, "ERR RATIO"),
  /** Median total latency. */
  LATENCY_P50(Kpi.END_TO_END_LATENCY, KpiStatistic.P50, "P50 s"),
  /** 99th percentile total latency. */
  LATENCY_P99(Kpi.END_TO_END_LATENCY, KpiStatistic.P99, "P99 s"),
  /** Median device latency. */
  DEVICE_LATENCY_P50("device_latency", KpiUnit.SECONDS, KpiStatistic.P50, "DEV P50 s"),
  /** 99th percentile device latency. */
  DEVICE_LATENCY_P99("device_latency", KpiUnit.SECONDS, KpiStatistic.P99, "DEV P99 s"),
  /** Median time outside the device: total minus device latency. */
  HOST_OVERHEAD_P50("host_overhead", KpiUnit.SECONDS, KpiStatistic.P50, "HOST P50 s"),
  /** NeuronCore busy ratio: per core, or the mean over cores. */
  UTILIZATION(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, "UTIL"),
  /** The busiest NeuronCore's busy ratio. */
  UTILIZATION_MAX("accelerator_utilization_max", KpiUnit.RATIO, KpiStatistic.VALUE, "UTIL MAX"),
  /** Device (HBM) memory in use: per core, per runtime or in all. */
  DEVICE_MEMORY_USED(Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, "DEV MEM"),
  /** Device (HBM) memory of the instance. */
  DEVICE_MEMORY_TOTAL(Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE, "DEV TOTAL"),
  /** Device memory in use over device memory. */
  DEVICE_MEMORY_USED_RATIO("accelerator_memory_used", KpiUnit.RATIO, KpiStatistic.VALUE, "DEV MEM RATIO"),
  /** Host memory used by a runtime. */
  HOST_MEMORY_USED("host_memory_used", KpiUnit.BYTES, KpiStatistic.VALUE, "HOST MEM"),
  /** A runtime's user vCPU share. */
  VCPU_USER("vcpu_user", KpiUnit.RATIO, KpiStatistic.VALUE, "VCPU USR"),
  /** A runtime's (or the instance's) system vCPU share. */
  VCPU_SYSTEM("vcpu_system", KpiUnit.RATIO, KpiStatistic.VALUE, "VCPU SYS"),
  /** Achieved floating-point operations per second, 10¹² (per core or in all). */
  TFLOPS("achieved_tflops", KpiUnit.COUNT, KpiStatistic.VALUE, "TFLOPS"),
  /** The instance's vCPU busy ratio, user and system. */
  VCPU_USAGE("vcpu_usage", KpiUnit.RATIO, KpiStatistic.VALUE, "VCPU"),
  /** The instance's vCPUs. */
  VCPU_COUNT("vcpu_count", KpiUnit.COUNT, KpiStatistic.VALUE, "VCPUS"),
  /** The instance's memory in use. */
  MEMORY_USED("memory_used", KpiUnit.BYTES, KpiStatistic.VALUE, "MEM"),
  /** The instance's memory. */
  MEMORY_TOTAL("memory_total", KpiUnit.BYTES, KpiStatistic.VALUE, "MEM TOTAL"),
  /** Host memory in use over host memory. */
  HOST_MEMORY_USED_RATIO("host_memory_used", KpiUnit.RATIO, KpiStatistic.VALUE, "HOST MEM RATIO"),
  /** Uncorrected ECC events (memory and SRAM) in the window or period: the device needs attention. */
  ECC_UNCORRECTED("ecc_uncorrected_events", KpiUnit.COUNT, KpiStatistic.VALUE, "ECC UNCORR"),
  /** Corrected ECC events in the window. */
  ECC_CORRECTED("ecc_corrected_events", KpiUnit.COUNT, KpiStatistic.VALUE, "ECC CORR");

  private final String id;
  private final KpiUnit unit;
  private final KpiStatistic statistic;
  private final String header;
  private final Kpi kpi;

  NeuronMeasure(Kpi kpi, KpiStatistic statistic, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.statistic = statistic;
    this.header = header;
    this.kpi = kpi;
  }

  NeuronMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header) {
    this.id = id;
    this.unit = unit;
    this.statistic = statistic;
    this.header = header;
    this.kpi = null;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public KpiStatistic statistic() {
    return statistic;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }
}

package io.github.infermetrics.neuron;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.neuron.scrape.NeuronPrometheusKpis;
import io.github.infermetrics.neuron.scrape.NeuronPrometheusSnapshot;
import java.time.Duration;
import java.util.Optional;

/**
 * AWS Neuron (Trainium, Inferentia) as a {@link KpiSource} named {@value NeuronKpis#SOURCE}: it recognises a scrape
 * of neuron-monitor-prometheus ({@code neuroncore_utilization_ratio}, {@code execution_latency_seconds}, ...) and
 * computes {@link NeuronPrometheusKpis}. (neuron-monitor's JSON needs no second scrape: read it with
 * {@link NeuronReportReader} and {@link NeuronKpis#of}.) Registered for {@link java.util.ServiceLoader}.
 */
public final class NeuronSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public NeuronSource() {}

  @Override
  public String name() {
    return NeuronKpis.SOURCE;
  }

  @Override
  public String description() {
    return "AWS Neuron through neuron-monitor-prometheus: neuroncore_utilization_ratio, execution_*,"
        + " neuron_runtime_*, neuron_hardware_info";
  }

  @Override
  public double recognize(MetricSnapshot snapshot) {
    return NeuronPrometheusSnapshot.detect(snapshot) ? 1 : 0;
  }

  @Override
  public NeuronPrometheusKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!NeuronPrometheusSnapshot.detect(current)) {
      throw new IllegalArgumentException("no neuron-monitor-prometheus families (neuroncore_utilization_ratio,"
          + " execution_latency_seconds, ...) in the exposition");
    }
    return NeuronPrometheusKpis.between(NeuronPrometheusSnapshot.of(previous), NeuronPrometheusSnapshot.of(current),
        window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // aws-neuron-sdk's src/examples/neuron-monitor/neuron-monitor-grafana.json, and the Container Insights views
  private static SourceDashboard dashboard(String w) {
    return SourceDashboard.builder("AWS Neuron (neuron-monitor)")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.END_TO_END_LATENCY,
            Kpi.ACCELERATOR_UTILIZATION, Kpi.ACCELERATOR_MEMORY_USED, Kpi.ACCELERATOR_MEMORY_TOTAL)
        .panel("NeuronCore utilization", "percentunit",
            SourceDashboard.query("avg by (neuroncore) (neuroncore_utilization_ratio)", "core {{neuroncore}}"))
        .panel("NeuronCores in use", "short",
            SourceDashboard.query("count(neuroncore_utilization_ratio > 0)", "in use"))
        .panel("Executions", "ops",
            SourceDashboard.query("sum(rate(execution_status_total{status_type=\"completed\"}" + w + "))",
                "completed"),
            SourceDashboard.query("sum(rate(execution_status_total{status_type!=\"completed\"}" + w + "))",
                "not completed"))
        .panel("Execution errors by type", "ops",
            SourceDashboard.query("sum by (error_type) (rate(execution_errors_total" + w + "))", "{{error_type}}"))
        .panel("Execution latency", "s",
            SourceDashboard.query("avg by (percentile) (execution_latency_seconds)", "{{percentile}}"))
        .panel("Neuron runtime memory", "bytes", SourceDashboard.query(
            "sum by (instance_id, memory_location) (neuron_runtime_memory_used_bytes)",
            "{{instance_id}} {{memory_location}}"))
        .panel("vCPU usage", "percentunit",
            SourceDashboard.query("avg by (usage_type) (system_vcpu_usage_ratio)", "system {{usage_type}}"),
            SourceDashboard.query("avg by (usage_type) (neuron_runtime_vcpu_usage_ratio)", "runtime {{usage_type}}"))
        .panel("Hardware ECC events", "short", SourceDashboard.query(
            "sum by (event_type) (increase(hardware_ecc_events_total" + w + "))", "{{event_type}}"))
        .containerInsights("NeuronCore utilization (Container Insights, percent)", "node_neuroncore_utilization",
            "pod_neuroncore_utilization")
        .insightsQueries("node-neuroncore-capacity", "neuron-monitor-pods")
        .build();
  }
}

package io.github.infermetrics.cloudwatch.dashboard;

import io.github.infermetrics.cloudwatch.dashboard.internal.JsonWriter;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard (JSON model, schema version 39) for Prometheus that charts one source with the PromQL of the
 * projects' own dashboards, written against the current metric names and falling back to the names of older
 * releases with {@code or}, so one dashboard works across versions: vLLM {@code vllm:kv_cache_usage_perc or
 * vllm:gpu_cache_usage_perc}, {@code inter_token_latency_seconds} or {@code time_per_output_token_seconds},
 * {@code prefix_cache_*} or {@code gpu_prefix_cache_*}; Triton {@code nv_inference_compute_infer_duration_us} or
 * the older {@code nv_inference_compute_duration_us}. ({@code or} drops the metric name when it matches series, so
 * the old series fill in only where the new ones are missing.)
 *
 * <pre>{@code
 * String json = GrafanaDashboard.of(DashboardSource.VLLM).json();   // import in Grafana, pick the datasource
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class GrafanaDashboard {
  private static final String W = "[$__rate_interval]";

  /** One query of a panel. */
  record Target(String expr, String legend) {}

  /** One time-series panel. */
  record Panel(String title, String unit, List<Target> targets) {}

  private final DashboardSource source;
  private final List<Panel> panels;

  private GrafanaDashboard(DashboardSource source) {
    this.source = source;
    this.panels = switch (source) {
      case VLLM -> vllm();
      case TRITON -> triton();
      case NEURON -> neuron();
    };
  }

  /**
   * The dashboard for a source.
   *
   * @param source the source
   * @return the dashboard
   */
  public static GrafanaDashboard of(DashboardSource source) {
    return new GrafanaDashboard(Objects.requireNonNull(source, "source"));
  }

  /**
   * Every PromQL expression of the dashboard, in panel order.
   *
   * @return the expressions
   */
  public List<String> expressions() {
    return panels.stream().flatMap(p -> p.targets().stream()).map(Target::expr).toList();
  }

  /**
   * The dashboard JSON, with a {@code datasource} variable of type prometheus (and a model variable for vLLM and
   * Triton).
   *
   * @return the JSON text
   */
  public String json() {
    JsonWriter w = new JsonWriter();
    w.beginObject().member("title", source.title() + " (infermetrics)").member("uid", "infermetrics-" + source.id())
        .member("schemaVersion", 39).member("editable", true).member("refresh", "30s");
    w.name("tags").beginArray().value("infermetrics").value(source.id()).endArray();
    w.name("time").beginObject().member("from", "now-1h").member("to", "now").endObject();
    w.name("templating").beginObject().name("list").beginArray();
    w.beginObject().member("name", "datasource").member("label", "Prometheus").member("type", "datasource")
        .member("query", "prometheus").endObject();
    modelVariable(w);
    w.endArray().endObject();
    w.name("panels").beginArray();
    int id = 1;
    for (Panel p : panels) {
      int x = (id - 1) % 2 * 12;
      int y = (id - 1) / 2 * 8;
      w.beginObject().member("id", id).member("type", "timeseries").member("title", p.title());
      datasource(w);
      w.name("gridPos").beginObject().member("h", 8).member("w", 12).member("x", x).member("y", y).endObject();
      w.name("fieldConfig").beginObject().name("defaults").beginObject().member("unit", p.unit()).endObject()
          .name("overrides").beginArray().endArray().endObject();
      w.name("targets").beginArray();
      char ref = 'A';
      for (Target t : p.targets()) {
        w.beginObject().member("refId", String.valueOf(ref++)).member("expr", t.expr())
            .member("legendFormat", t.legend());
        datasource(w);
        w.endObject();
      }
      w.endArray().endObject();
      id++;
    }
    return w.endArray().endObject().toString();
  }

  @Override
  public String toString() {
    return json();
  }

  private static void datasource(JsonWriter w) {
    w.name("datasource").beginObject().member("type", "prometheus").member("uid", "${datasource}").endObject();
  }

  private void modelVariable(JsonWriter w) {
    String name;
    String query;
    switch (source) {
      case VLLM -> {
        name = "model_name";
        query = "label_values(vllm:num_requests_running, model_name)";
      }
      case TRITON -> {
        name = "model";
        query = "label_values(nv_inference_count, model)";
      }
      default -> {
        return;
      }
    }
    w.beginObject().member("name", name).member("label", "Model").member("type", "query");
    datasource(w);
    w.member("query", query).member("refresh", 2).member("multi", true).member("includeAll", true)
        .member("allValue", ".*");
    w.name("current").beginObject().member("text", "All").member("value", "$__all").endObject();
    w.endObject();
  }

  // ---- vLLM: examples/observability/prometheus_grafana/grafana.json, with the renamed metrics' old names

  private static List<Panel> vllm() {
    String m = "{model_name=~\"$model_name\"}";
    return List.of(
        latency("Time to first token", "vllm:time_to_first_token_seconds", null, m),
        latency("Inter-token latency", "vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds", m),
        latency("End-to-end request latency", "vllm:e2e_request_latency_seconds", null, m),
        latency("Queue time", "vllm:request_queue_time_seconds", null, m),
        new Panel("Token throughput", "short", List.of(
            new Target("sum by (model_name) (rate(vllm:prompt_tokens_total" + m + W + "))", "prompt {{model_name}}"),
            new Target("sum by (model_name) (rate(vllm:generation_tokens_total" + m + W + "))",
                "generation {{model_name}}"))),
        new Panel("KV cache usage", "percentunit", List.of(
            new Target("vllm:kv_cache_usage_perc" + m + " or vllm:gpu_cache_usage_perc" + m, "{{model_name}}"))),
        new Panel("Prefix cache hit rate", "percentunit", List.of(new Target(
            "sum by (model_name) (rate(vllm:prefix_cache_hits_total" + m + W + "))"
                + " / sum by (model_name) (rate(vllm:prefix_cache_queries_total" + m + W + "))"
                + " or sum by (model_name) (rate(vllm:gpu_prefix_cache_hits_total" + m + W + "))"
                + " / sum by (model_name) (rate(vllm:gpu_prefix_cache_queries_total" + m + W + "))",
            "{{model_name}}"))),
        new Panel("Scheduler state", "short", List.of(
            new Target("sum by (model_name) (vllm:num_requests_running" + m + ")", "running {{model_name}}"),
            new Target("sum by (model_name) (vllm:num_requests_waiting" + m + ")", "waiting {{model_name}}"))),
        new Panel("Finished requests by reason", "reqps", List.of(new Target(
            "sum by (finished_reason) (rate(vllm:request_success_total" + m + W + "))", "{{finished_reason}}"))),
        new Panel("Preemptions", "short", List.of(new Target(
            "sum by (model_name) (rate(vllm:num_preemptions_total" + m + W + "))", "{{model_name}}"))));
  }

  /** Percentiles and the mean of a histogram in seconds, with an optional older name of the same histogram. */
  private static Panel latency(String title, String name, String oldName, String matcher) {
    String[][] quantiles = {{"0.5", "p50"}, {"0.95", "p95"}, {"0.99", "p99"}};
    List<Target> targets = new java.util.ArrayList<>();
    for (String[] q : quantiles) {
      targets.add(new Target("histogram_quantile(" + q[0] + ", sum by (le, model_name) ("
          + either(name, oldName, "_bucket", matcher) + "))",
          q[1] + " {{model_name}}"));
    }
    targets.add(new Target("sum by (model_name) (" + either(name, oldName, "_sum", matcher)
        + ") / sum by (model_name) (" + either(name, oldName, "_count", matcher) + ")", "mean {{model_name}}"));
    return new Panel(title, "s", List.copyOf(targets));
  }

  /** The rate of a histogram series ({@code suffix}), or of its older name as well when it has one. */
  private static String either(String name, String oldName, String suffix, String matcher) {
    String current = "rate(" + name + suffix + matcher + W + ")";
    return oldName == null ? current : current + " or rate(" + oldName + suffix + matcher + W + ")";
  }

  // ---- Triton: deploy/k8s-onprem/dashboard.json and the KPIs of docs/user_guide/metrics.md

  private static List<Panel> triton() {
    String m = "{model=~\"$model\"}";
    String success = "sum by (model) (rate(nv_inference_request_success" + m + W + "))";
    return List.of(
        new Panel("Requests", "reqps", List.of(
            new Target(success, "success {{model}}"),
            new Target("sum by (model, reason) (rate(nv_inference_request_failure" + m + W + "))",
                "failure {{model}} {{reason}}"))),
        new Panel("Inferences per second", "short", List.of(
            new Target("sum by (model) (rate(nv_inference_count" + m + W + "))", "{{model}}"))),
        new Panel("Average request latency", "s", List.of(new Target(
            "sum by (model) (rate(nv_inference_request_duration_us" + m + W + ")) / " + success + " / 1e6",
            "{{model}}"))),
        new Panel("Average queue time", "s", List.of(new Target(
            "sum by (model) (rate(nv_inference_queue_duration_us" + m + W + ")) / " + success + " / 1e6",
            "{{model}}"))),
        new Panel("Compute time per second", "ms", List.of(new Target(
            "sum by (model) (rate(nv_inference_compute_infer_duration_us" + m + W + ")) / 1000"
                + " or sum by (model) (rate(nv_inference_compute_duration_us" + m + W + ")) / 1000", "{{model}}"))),
        new Panel("Batch size (inferences per execution)", "short", List.of(new Target(
            "sum by (model) (rate(nv_inference_count" + m + W + ")) / sum by (model) (rate(nv_inference_exec_count"
                + m + W + "))", "{{model}}"))),
        new Panel("Time to first response p95", "s", List.of(new Target(
            "histogram_quantile(0.95, sum by (le, model) (rate(nv_inference_first_response_histogram_ms_bucket" + m
                + W + "))) / 1000", "{{model}}"))),
        new Panel("GPU utilization", "percentunit", List.of(new Target("nv_gpu_utilization", "{{gpu_uuid}}"))),
        new Panel("GPU memory used", "bytes", List.of(new Target("nv_gpu_memory_used_bytes", "{{gpu_uuid}}"))),
        new Panel("GPU power", "watt", List.of(new Target("nv_gpu_power_usage", "{{gpu_uuid}}"))));
  }

  // ---- Neuron: src/examples/neuron-monitor/neuron-monitor-grafana.json

  private static List<Panel> neuron() {
    return List.of(
        new Panel("NeuronCore utilization", "percentunit", List.of(
            new Target("avg by (neuroncore) (neuroncore_utilization_ratio)", "core {{neuroncore}}"))),
        new Panel("NeuronCores in use", "short", List.of(
            new Target("count(neuroncore_utilization_ratio > 0)", "in use"))),
        new Panel("Executions", "ops", List.of(
            new Target("sum(rate(execution_status_total{status_type=\"completed\"}" + W + "))", "completed"),
            new Target("sum(rate(execution_status_total{status_type!=\"completed\"}" + W + "))", "not completed"))),
        new Panel("Execution errors by type", "ops", List.of(
            new Target("sum by (error_type) (rate(execution_errors_total" + W + "))", "{{error_type}}"))),
        new Panel("Execution latency", "s", List.of(
            new Target("avg by (percentile) (execution_latency_seconds)", "{{percentile}}"))),
        new Panel("Neuron runtime memory", "bytes", List.of(new Target(
            "sum by (instance_id, memory_location) (neuron_runtime_memory_used_bytes)",
            "{{instance_id}} {{memory_location}}"))),
        new Panel("vCPU usage", "percentunit", List.of(
            new Target("avg by (usage_type) (system_vcpu_usage_ratio)", "system {{usage_type}}"),
            new Target("avg by (usage_type) (neuron_runtime_vcpu_usage_ratio)", "runtime {{usage_type}}"))),
        new Panel("Hardware ECC events", "short", List.of(
            new Target("sum by (event_type) (increase(hardware_ecc_events_total" + W + "))", "{{event_type}}"))));
  }
}

package io.github.infermetrics.vllm;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * vLLM as a {@link KpiSource} named {@value VllmKpis#SOURCE}: it recognises vLLM's {@code vllm:*} families
 * (directly, or those of Triton's vLLM backend) and computes {@link VllmKpis}. Registered for
 * {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * KpiWindow w = new VllmSource().between(previous, current, Duration.ofSeconds(15));
 * }</pre>
 */
public final class VllmSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("{model_name=~\"$model_name\"}", "[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public VllmSource() {}

  @Override
  public String name() {
    return VllmKpis.SOURCE;
  }

  @Override
  public String description() {
    return "vLLM engines: vllm:* and vllm_neuron:* (also Triton's vLLM backend)";
  }

  @Override
  public double recognize(MetricSnapshot snapshot) {
    return VllmSnapshot.detect(snapshot) ? 1 : 0;
  }

  @Override
  public VllmKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!VllmSnapshot.detect(current)) {
      throw new IllegalArgumentException("no vLLM families (vllm:*) in the exposition");
    }
    return VllmKpis.between(VllmSnapshot.of(previous), VllmSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // vLLM's examples/observability/prometheus_grafana/grafana.json, with the renamed metrics' old names as fallbacks
  private static SourceDashboard dashboard(String m, String w) {
    return SourceDashboard.builder("vLLM")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.TIME_TO_FIRST_TOKEN, Kpi.INTER_TOKEN_LATENCY,
            Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.PROMPT_TOKEN_RATE, Kpi.GENERATION_TOKEN_RATE,
            Kpi.BATCH_SIZE, Kpi.QUEUE_DEPTH, Kpi.KV_CACHE_USAGE)
        .variable("model_name", "Model", "label_values(vllm:num_requests_running, model_name)")
        .panel("Time to first token", "s", latency("vllm:time_to_first_token_seconds", null, m, w))
        .panel("Inter-token latency", "s",
            latency("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds", m, w))
        .panel("End-to-end request latency", "s", latency("vllm:e2e_request_latency_seconds", null, m, w))
        .panel("Queue time", "s", latency("vllm:request_queue_time_seconds", null, m, w))
        .panel("Token throughput", "short",
            SourceDashboard.query("sum by (model_name) (rate(vllm:prompt_tokens_total" + m + w + "))",
                "prompt {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (rate(vllm:generation_tokens_total" + m + w + "))",
                "generation {{model_name}}"))
        .panel("KV cache usage", "percentunit", SourceDashboard.query(
            "vllm:kv_cache_usage_perc" + m + " or vllm:gpu_cache_usage_perc" + m, "{{model_name}}"))
        .panel("Prefix cache hit rate", "percentunit", SourceDashboard.query(
            "sum by (model_name) (rate(vllm:prefix_cache_hits_total" + m + w + "))"
                + " / sum by (model_name) (rate(vllm:prefix_cache_queries_total" + m + w + "))"
                + " or sum by (model_name) (rate(vllm:gpu_prefix_cache_hits_total" + m + w + "))"
                + " / sum by (model_name) (rate(vllm:gpu_prefix_cache_queries_total" + m + w + "))",
            "{{model_name}}"))
        .panel("Scheduler state", "short",
            SourceDashboard.query("sum by (model_name) (vllm:num_requests_running" + m + ")",
                "running {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (vllm:num_requests_waiting" + m + ")",
                "waiting {{model_name}}"))
        .panel("Finished requests by reason", "reqps", SourceDashboard.query(
            "sum by (finished_reason) (rate(vllm:request_success_total" + m + w + "))", "{{finished_reason}}"))
        .panel("Preemptions", "short", SourceDashboard.query(
            "sum by (model_name) (rate(vllm:num_preemptions_total" + m + w + "))", "{{model_name}}"))
        .build();
  }

  /** Percentiles and the mean of a histogram in seconds, with an optional older name of the same histogram. */
  private static SourceDashboard.Query[] latency(String name, String oldName, String m, String w) {
    String[][] quantiles = {{"0.5", "p50"}, {"0.95", "p95"}, {"0.99", "p99"}};
    List<SourceDashboard.Query> out = new ArrayList<>();
    for (String[] q : quantiles) {
      out.add(SourceDashboard.query("histogram_quantile(" + q[0] + ", sum by (le, model_name) ("
          + either(name, oldName, "_bucket", m, w) + "))", q[1] + " {{model_name}}"));
    }
    out.add(SourceDashboard.query("sum by (model_name) (" + either(name, oldName, "_sum", m, w)
        + ") / sum by (model_name) (" + either(name, oldName, "_count", m, w) + ")", "mean {{model_name}}"));
    return out.toArray(new SourceDashboard.Query[0]);
  }

  /** The rate of a histogram series ({@code suffix}), or of its older name as well when it has one. */
  private static String either(String name, String oldName, String suffix, String m, String w) {
    String current = "rate(" + name + suffix + m + w + ")";
    return oldName == null ? current : current + " or rate(" + oldName + suffix + m + w + ")";
  }
}

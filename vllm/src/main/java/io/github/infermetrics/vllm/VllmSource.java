package io.github.infermetrics.vllm;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * vLLM as a {@link KpiSource} named {@value VllmKpis#SOURCE}: it recognises vLLM's families in every naming
 * ({@link VllmNaming}: {@code vllm:*} directly or behind Triton's vLLM backend, {@code ray_vllm:*} and
 * {@code ray_vllm_*} of Ray Serve LLM, NIM's unprefixed names, another prefix ending in {@code vllm:} or
 * {@code vllm_}) and computes {@link VllmKpis}. Registered for {@link java.util.ServiceLoader}; that instance
 * detects the naming of each scrape. For a prefix detection cannot find (one without {@code vllm} in it), give it:
 *
 * <pre>{@code
 * KpiWindow w = new VllmSource().between(previous, current, Duration.ofSeconds(15));
 * KpiSources sources = KpiSources.of(List.of(new VllmSource(VllmNaming.prefix("llm_")), new TritonSource()));
 * }</pre>
 *
 * <p>Recognition: 1 for a prefix that contains {@code vllm}, {@value VllmNaming#NIM_CONFIDENCE} for NIM's
 * unprefixed names when at least four of vLLM's characteristic families are there (time to first token among
 * them, each of its type and labelled {@code model_name}), below {@link KpiSource#RECOGNIZED} for fewer: a program
 * that merely has a {@code num_requests_running} gauge is not taken for vLLM.
 *
 * <p>The dashboard's queries select every naming at once: each family is {@code {__name__=~"(.*vllm[:_])?NAME"}},
 * which is {@code vllm:NAME}, {@code ray_vllm:NAME}, {@code ray_vllm_NAME}, {@code kserve_vllm:NAME} and NIM's
 * {@code NAME} (NIM's finished requests by reason are {@code request_finish_total}), and per-model sums run over
 * {@code model_name} only, so Ray's labels never split a model.
 */
public final class VllmSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("model_name=~\"$model_name\"", "[$__rate_interval]");

  private final VllmNaming naming;

  /** For {@link java.util.ServiceLoader}: detects the naming of each scrape. */
  public VllmSource() {
    this.naming = null;
  }

  /**
   * A source for scrapes in one naming, detected or not.
   *
   * @param naming how the scrapes spell vLLM's names, for example {@code VllmNaming.prefix("kserve_vllm:")}
   */
  public VllmSource(VllmNaming naming) {
    this.naming = Objects.requireNonNull(naming, "naming");
  }

  /**
   * The naming this source reads.
   *
   * @return the naming given to the constructor; empty when it detects each scrape's
   */
  public Optional<VllmNaming> naming() {
    return Optional.ofNullable(naming);
  }

  @Override
  public String name() {
    return VllmKpis.SOURCE;
  }

  @Override
  public String description() {
    return naming != null ? "vLLM engines named " + naming
        : "vLLM engines: vllm:*, vllm_neuron:*, Triton's vLLM backend, Ray Serve LLM's ray_vllm:* and ray_vllm_*,"
            + " NIM's unprefixed names, any *vllm: or *vllm_ prefix";
  }

  @Override
  public double recognize(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    return naming == null ? VllmNaming.detection(snapshot).confidence() : naming.confidence(snapshot);
  }

  @Override
  public VllmKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    VllmNaming n = naming;
    if (n == null) {
      n = VllmNaming.detect(current).orElseThrow(() -> new IllegalArgumentException("no vLLM families in the"
          + " exposition (looked for vllm:*, ray_vllm:*, ray_vllm_*, *vllm:* and *vllm_* prefixes, and NIM's"
          + " unprefixed num_requests_running, time_to_first_token_seconds, ...)"));
    } else if (!(n.confidence(current) >= RECOGNIZED)) {
      throw new IllegalArgumentException("no vLLM families named " + n + " in the exposition");
    }
    return VllmKpis.between(VllmSnapshot.of(previous, n), VllmSnapshot.of(current, n), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  @Override
  public String toString() {
    return "VllmSource" + (naming == null ? "" : "[" + naming + "]");
  }

  /**
   * A selector of one vLLM family in every naming, with the model filter: {@code vllm:NAME}, {@code ray_vllm:NAME},
   * {@code ray_vllm_NAME}, any other {@code ...vllm:} or {@code ...vllm_} prefix, and NIM's bare {@code NAME}.
   */
  static String select(String vllmName, String m) {
    if (!vllmName.startsWith("vllm:")) {
      throw new IllegalArgumentException("not a vllm: name: " + vllmName);
    }
    return "{__name__=~\"" + NAME_PREFIX + vllmName.substring("vllm:".length()) + "\", " + m + "}";
  }

  /** The regular expression before a vLLM name that matches every naming's prefix, including none. */
  static final String NAME_PREFIX = "(.*vllm[:_])?";

  // vLLM's examples/observability/prometheus_grafana/grafana.json, with the renamed metrics' old names as fallbacks
  // and every naming selected by a __name__ regex (valid on Prometheus and Amazon Managed Prometheus)
  private static SourceDashboard dashboard(String m, String w) {
    return SourceDashboard.builder("vLLM")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.TIME_TO_FIRST_TOKEN, Kpi.INTER_TOKEN_LATENCY,
            Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.PROMPT_TOKEN_RATE, Kpi.GENERATION_TOKEN_RATE,
            Kpi.BATCH_SIZE, Kpi.QUEUE_DEPTH, Kpi.KV_CACHE_USAGE)
        .variable("model_name", "Model", "label_values({__name__=~\"" + NAME_PREFIX + "num_requests_running\"},"
            + " model_name)")
        .panel("Time to first token", "s", latency("vllm:time_to_first_token_seconds", null, m, w))
        .panel("Inter-token latency", "s",
            latency("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds", m, w))
        .panel("End-to-end request latency", "s", latency("vllm:e2e_request_latency_seconds", null, m, w))
        .panel("Queue time", "s", latency("vllm:request_queue_time_seconds", null, m, w))
        .panel("Token throughput", "short",
            SourceDashboard.query("sum by (model_name) (rate(" + select("vllm:prompt_tokens_total", m) + w + "))",
                "prompt {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (rate(" + select("vllm:generation_tokens_total", m) + w
                + "))", "generation {{model_name}}"))
        .panel("KV cache usage", "percentunit", SourceDashboard.query(
            "avg by (model_name) (" + select("vllm:kv_cache_usage_perc", m) + " or "
                + select("vllm:gpu_cache_usage_perc", m) + ")", "{{model_name}}"))
        .panel("Prefix cache hit rate", "percentunit", SourceDashboard.query(
            "sum by (model_name) (rate(" + select("vllm:prefix_cache_hits_total", m) + w + "))"
                + " / sum by (model_name) (rate(" + select("vllm:prefix_cache_queries_total", m) + w + "))"
                + " or sum by (model_name) (rate(" + select("vllm:gpu_prefix_cache_hits_total", m) + w + "))"
                + " / sum by (model_name) (rate(" + select("vllm:gpu_prefix_cache_queries_total", m) + w + "))",
            "{{model_name}}"))
        .panel("Scheduler state", "short",
            SourceDashboard.query("sum by (model_name) (" + select("vllm:num_requests_running", m) + ")",
                "running {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (" + select("vllm:num_requests_waiting", m) + ")",
                "waiting {{model_name}}"))
        .panel("Finished requests by reason", "reqps", SourceDashboard.query(
            "sum by (finished_reason) (rate({__name__=~\".*vllm[:_]request_success_total|request_finish_total\", "
                + m + "}" + w + "))",
            "{{finished_reason}}"))
        .panel("Preemptions", "short", SourceDashboard.query(
            "sum by (model_name) (rate(" + select("vllm:num_preemptions_total", m) + w + "))", "{{model_name}}"))
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
    String current = "rate(" + select(name + suffix, m) + w + ")";
    return oldName == null ? current : current + " or rate(" + select(oldName + suffix, m) + w + ")";
  }
}

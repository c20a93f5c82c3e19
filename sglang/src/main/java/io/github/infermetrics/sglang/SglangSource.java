package io.github.infermetrics.sglang;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SGLang as a {@link KpiSource} named {@value SglangKpis#SOURCE}: it recognises SGLang's {@code sglang:*}
 * families and computes {@link SglangKpis}. Registered for {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * KpiWindow w = new SglangSource().between(previous, current, Duration.ofSeconds(15));
 * }</pre>
 */
public final class SglangSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("{model_name=~\"$model_name\"}", "[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public SglangSource() {}

  @Override
  public String name() {
    return SglangKpis.SOURCE;
  }

  @Override
  public String description() {
    return "SGLang servers: sglang:* (tokenizer and scheduler families, 2024 names and current ones)";
  }

  /**
   * 1 when the scrape has a family this source reads, 0.5 when it has only other {@code sglang:} families (a
   * release with names not known here), else 0.
   */
  @Override
  public double recognize(MetricSnapshot snapshot) {
    if (!SglangSnapshot.detect(snapshot)) {
      return 0;
    }
    SglangSnapshot s = SglangSnapshot.of(snapshot);
    for (SglangMetric m : SglangMetric.values()) {
      if (s.familyName(m).isPresent()) {
        return 1;
      }
    }
    return RECOGNIZED;
  }

  @Override
  public SglangKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!SglangSnapshot.detect(current)) {
      throw new IllegalArgumentException("no SGLang families (sglang:*) in the exposition");
    }
    return SglangKpis.between(SglangSnapshot.of(previous), SglangSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // Scheduler gauges: a dp rank may report from several TP ranks (--enable-metrics-for-all-schedulers), so the
  // copies are averaged per dp_rank before the ranks add up, as SglangKpis does
  private static SourceDashboard dashboard(String m, String w) {
    return SourceDashboard.builder("SGLang")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.TIME_TO_FIRST_TOKEN, Kpi.INTER_TOKEN_LATENCY,
            Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.PROMPT_TOKEN_RATE, Kpi.GENERATION_TOKEN_RATE,
            Kpi.BATCH_SIZE, Kpi.QUEUE_DEPTH, Kpi.KV_CACHE_USAGE)
        .variable("model_name", "Model", "label_values(sglang:num_running_reqs, model_name)")
        .panel("Time to first token", "s", latency("sglang:time_to_first_token_seconds", null, m, w))
        .panel("Inter-token latency", "s",
            latency("sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds", m, w))
        .panel("End-to-end request latency", "s", latency("sglang:e2e_request_latency_seconds", null, m, w))
        .panel("Queue time", "s", latency("sglang:queue_time_seconds", null, m, w))
        .panel("Token throughput", "short",
            SourceDashboard.query("sum by (model_name) (rate(sglang:prompt_tokens_total" + m + w + "))",
                "prompt {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (rate(sglang:generation_tokens_total" + m + w + "))",
                "generation {{model_name}}"),
            SourceDashboard.query(perScheduler("sum", "sglang:gen_throughput", m),
                "generation, server's gauge {{model_name}}"))
        .panel("KV cache usage", "percentunit", SourceDashboard.query(
            perScheduler("avg", "sglang:token_usage", m), "{{model_name}}"))
        .panel("Prefix cache hit rate", "percentunit",
            SourceDashboard.query("sum by (model_name) (rate(sglang:cached_tokens_total" + m + w + "))"
                + " / sum by (model_name) (rate(sglang:prompt_tokens_total" + m + w + "))",
                "cached over prompt tokens {{model_name}}"),
            SourceDashboard.query(perScheduler("avg", "sglang:cache_hit_rate", m), "server's gauge {{model_name}}"))
        .panel("Scheduler state", "short",
            SourceDashboard.query(perScheduler("sum", "sglang:num_running_reqs", m), "running {{model_name}}"),
            SourceDashboard.query(perScheduler("sum", "sglang:num_queue_reqs", m), "waiting {{model_name}}"))
        .panel("Requests", "reqps",
            SourceDashboard.query("sum by (model_name) (rate(sglang:num_requests_total" + m + w + "))"
                + " or sum by (model_name) (rate(sglang:e2e_request_latency_seconds_count" + m + w + "))",
                "finished {{model_name}}"),
            SourceDashboard.query("sum by (model_name) (rate(sglang:num_aborted_requests_total" + m + w + "))",
                "aborted {{model_name}}"))
        .panel("Retractions", "short", SourceDashboard.query(
            "sum by (model_name) (rate(sglang:num_retracted_requests_total" + m + w + "))", "{{model_name}}"))
        .build();
  }

  /** A scheduler gauge per model: copies of one dp rank averaged, then the ranks summed or averaged. */
  private static String perScheduler(String across, String gauge, String m) {
    return across + " by (model_name) (avg by (model_name, dp_rank) (" + gauge + m + "))";
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

package io.github.infermetrics.tgi;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HuggingFace text-generation-inference as a {@link KpiSource} named {@value TgiKpis#SOURCE}: it recognises TGI's
 * {@code tgi_*} families and computes {@link TgiKpis}. Registered for {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * KpiWindow w = new TgiSource().between(previous, current, Duration.ofSeconds(15));
 * }</pre>
 */
public final class TgiSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public TgiSource() {}

  @Override
  public String name() {
    return TgiKpis.SOURCE;
  }

  @Override
  public String description() {
    return "HuggingFace text-generation-inference (TGI): tgi_* (router families, every backend)";
  }

  /**
   * 1 when the scrape has a family this source reads, 0.5 when it has only other {@code tgi_} families, else 0.
   */
  @Override
  public double recognize(MetricSnapshot snapshot) {
    if (!TgiSnapshot.detect(snapshot)) {
      return 0;
    }
    TgiSnapshot s = TgiSnapshot.of(snapshot);
    for (TgiMetric m : TgiMetric.values()) {
      if (s.familyName(m).isPresent()) {
        return 1;
      }
    }
    return RECOGNIZED;
  }

  @Override
  public TgiKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!TgiSnapshot.detect(current)) {
      throw new IllegalArgumentException("no text-generation-inference families (tgi_*) in the exposition");
    }
    return TgiKpis.between(TgiSnapshot.of(previous), TgiSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // TGI's families have no model label: one server, one model; Grafana's instance/job labels tell servers apart
  private static SourceDashboard dashboard(String w) {
    return SourceDashboard.builder("text-generation-inference")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.INTER_TOKEN_LATENCY, Kpi.END_TO_END_LATENCY,
            Kpi.QUEUE_TIME, Kpi.PROMPT_TOKEN_RATE, Kpi.GENERATION_TOKEN_RATE, Kpi.BATCH_SIZE, Kpi.QUEUE_DEPTH)
        .panel("Requests", "reqps",
            SourceDashboard.query("sum(rate(tgi_request_success" + w + "))", "succeeded"),
            SourceDashboard.query("sum by (err) (rate(tgi_request_failure" + w + "))", "failed: {{err}}"),
            SourceDashboard.query("sum(rate(tgi_request_count" + w + "))", "received"))
        .panel("End-to-end request latency", "s", latency("tgi_request_duration", w))
        .panel("Queue time", "s", latency("tgi_request_queue_duration", w))
        .panel("Time per output token (per-request means)", "s",
            latency("tgi_request_mean_time_per_token_duration", w))
        .panel("Time to first token floor: queue + validation + prefill forward (TGI measures no TTFT)", "s",
            SourceDashboard.query(mean("tgi_request_queue_duration", "", w) + " + "
                + mean("tgi_request_validation_duration", "", w) + " + ("
                + mean("tgi_batch_forward_duration", "{method=\"prefill\"}", w) + " or vector(0))", "floor"))
        .panel("Validation and inference time", "s",
            SourceDashboard.query(mean("tgi_request_validation_duration", "", w), "validation, mean"),
            SourceDashboard.query(mean("tgi_request_inference_duration", "", w), "inference, mean"))
        .panel("Token throughput", "short",
            SourceDashboard.query("sum(rate(tgi_request_input_length_sum" + w + "))", "input"),
            SourceDashboard.query("sum(rate(tgi_request_generated_tokens_sum" + w + "))", "generated"))
        .panel("Queue and batch", "short",
            SourceDashboard.query("sum(tgi_queue_size)", "queued"),
            SourceDashboard.query("sum(tgi_batch_current_size)", "batch size"))
        .panel("Batch token budget", "short",
            SourceDashboard.query("sum(tgi_batch_current_max_tokens)", "running batch's max tokens"),
            SourceDashboard.query("sum(tgi_batch_max_total_tokens)", "server budget"))
        .panel("Batch forward time p95", "s", SourceDashboard.query("histogram_quantile(0.95, sum by (le, method)"
            + " (rate(tgi_batch_forward_duration_bucket" + w + ")))", "{{method}}"))
        .panel("Batch decode time p95", "s", SourceDashboard.query("histogram_quantile(0.95, sum by (le, method)"
            + " (rate(tgi_batch_decode_duration_bucket" + w + ")))", "{{method}}"))
        .build();
  }

  private static String mean(String histogram, String selector, String w) {
    return "sum(rate(" + histogram + "_sum" + selector + w + ")) / sum(rate(" + histogram + "_count" + selector + w
        + "))";
  }

  private static SourceDashboard.Query[] latency(String name, String w) {
    String[][] quantiles = {{"0.5", "p50"}, {"0.95", "p95"}, {"0.99", "p99"}};
    List<SourceDashboard.Query> out = new ArrayList<>();
    for (String[] q : quantiles) {
      out.add(SourceDashboard.query("histogram_quantile(" + q[0] + ", sum by (le) (rate(" + name + "_bucket" + w
          + ")))", q[1]));
    }
    out.add(SourceDashboard.query(mean(name, "", w), "mean"));
    return out.toArray(new SourceDashboard.Query[0]);
  }
}

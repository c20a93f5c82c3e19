package io.github.infermetrics.triton;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * NVIDIA Triton Inference Server as a {@link KpiSource} named {@value TritonKpis#SOURCE}: it recognises the
 * {@code nv_*} families and computes {@link TritonKpis}. Registered for {@link java.util.ServiceLoader}, so
 * {@code KpiSources.installed()} finds it; a Triton server with the vLLM backend is recognised by the vllm source
 * too, which reads the backend's {@code vllm:*} families.
 *
 * <pre>{@code
 * KpiWindow w = new TritonSource().between(previous, current, Duration.ofSeconds(15));
 * }</pre>
 */
public final class TritonSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("{model=~\"$model\"}", "[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public TritonSource() {}

  @Override
  public String name() {
    return TritonKpis.SOURCE;
  }

  @Override
  public String description() {
    return "NVIDIA Triton Inference Server: nv_inference_*, nv_gpu_*, nv_cpu_*, nv_cache_*, nv_trt_llm_* (TensorRT-LLM)";
  }

  /**
   * 1 when the scrape has Triton's per-model counters or GPU gauges, 0.6 for other {@code nv_} families only, else
   * 0.
   *
   * @param snapshot a scrape
   * @return the confidence
   */
  @Override
  public double recognize(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    double best = 0;
    for (MetricFamily f : snapshot.families()) {
      String n = f.name();
      if (n.startsWith("nv_inference_") || n.startsWith("nv_gpu_")) {
        return 1;
      }
      if (n.startsWith(TritonFamilies.PREFIX)) {
        best = 0.6;
      }
    }
    return best;
  }

  @Override
  public TritonKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!TritonSnapshot.detect(current)) {
      throw new IllegalArgumentException("no Triton families (nv_*) in the exposition");
    }
    return TritonKpis.between(TritonSnapshot.of(previous), TritonSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // the PromQL of Triton's deploy/k8s-onprem/dashboard.json and the KPIs of docs/user_guide/metrics.md, with the
  // compute counter's older name as a fallback
  private static SourceDashboard dashboard(String m, String w) {
    String success = "sum by (model) (rate(nv_inference_request_success" + m + w + "))";
    return SourceDashboard.builder("NVIDIA Triton Inference Server")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME,
            Kpi.TIME_TO_FIRST_TOKEN, Kpi.BATCH_SIZE, Kpi.KV_CACHE_USAGE, Kpi.ACCELERATOR_UTILIZATION,
            Kpi.ACCELERATOR_MEMORY_USED, Kpi.ACCELERATOR_MEMORY_TOTAL, Kpi.POWER)
        .variable("model", "Model", "label_values(nv_inference_count, model)")
        .panel("Requests", "reqps",
            SourceDashboard.query(success, "success {{model}}"),
            SourceDashboard.query("sum by (model, reason) (rate(nv_inference_request_failure" + m + w + "))",
                "failure {{model}} {{reason}}"))
        .panel("Inferences per second", "short",
            SourceDashboard.query("sum by (model) (rate(nv_inference_count" + m + w + "))", "{{model}}"))
        .panel("Average request latency", "s", SourceDashboard.query(
            "sum by (model) (rate(nv_inference_request_duration_us" + m + w + ")) / " + success + " / 1e6",
            "{{model}}"))
        .panel("Average queue time", "s", SourceDashboard.query(
            "sum by (model) (rate(nv_inference_queue_duration_us" + m + w + ")) / " + success + " / 1e6",
            "{{model}}"))
        .panel("Compute time per second", "ms", SourceDashboard.query(
            "sum by (model) (rate(nv_inference_compute_infer_duration_us" + m + w + ")) / 1000"
                + " or sum by (model) (rate(nv_inference_compute_duration_us" + m + w + ")) / 1000", "{{model}}"))
        .panel("Batch size (inferences per execution)", "short", SourceDashboard.query(
            "sum by (model) (rate(nv_inference_count" + m + w + ")) / sum by (model) (rate(nv_inference_exec_count"
                + m + w + "))", "{{model}}"))
        .panel("Time to first response p95", "s", SourceDashboard.query(
            "histogram_quantile(0.95, sum by (le, model) (rate(nv_inference_first_response_histogram_ms_bucket" + m
                + w + "))) / 1000", "{{model}}"))
        .panel("TensorRT-LLM KV cache usage", "percentunit", SourceDashboard.query(
            "nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=\"fraction\"}", "{{model}}"))
        .panel("GPU utilization", "percentunit", SourceDashboard.query("nv_gpu_utilization", "{{gpu_uuid}}"))
        .panel("GPU memory used", "bytes", SourceDashboard.query("nv_gpu_memory_used_bytes", "{{gpu_uuid}}"))
        .panel("GPU power", "watt", SourceDashboard.query("nv_gpu_power_usage", "{{gpu_uuid}}"))
        .build();
  }
}

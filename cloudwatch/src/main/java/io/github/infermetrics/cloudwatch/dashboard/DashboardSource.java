package io.github.infermetrics.cloudwatch.dashboard;

import io.github.infermetrics.core.kpi.Kpi;
import java.util.List;
import java.util.Locale;

/**
 * The metric sources a dashboard can be made for, with the core KPIs each one computes (the triton, vllm and
 * neuron modules' {@code *Kpis} classes write these under {@link Kpi#metricName}).
 *
 * @since 0.1
 */
public enum DashboardSource {
  /** NVIDIA Triton Inference Server. */
  TRITON("triton", "NVIDIA Triton Inference Server", List.of(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO,
      Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.TIME_TO_FIRST_TOKEN, Kpi.BATCH_SIZE, Kpi.ACCELERATOR_UTILIZATION,
      Kpi.ACCELERATOR_MEMORY_USED, Kpi.ACCELERATOR_MEMORY_TOTAL, Kpi.POWER)),
  /** vLLM. */
  VLLM("vllm", "vLLM", List.of(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.TIME_TO_FIRST_TOKEN,
      Kpi.INTER_TOKEN_LATENCY, Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.PROMPT_TOKEN_RATE,
      Kpi.GENERATION_TOKEN_RATE, Kpi.BATCH_SIZE, Kpi.KV_CACHE_USAGE)),
  /** AWS Neuron (neuron-monitor) on Trainium and Inferentia. */
  NEURON("neuron", "AWS Neuron (neuron-monitor)", List.of(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO,
      Kpi.END_TO_END_LATENCY, Kpi.ACCELERATOR_UTILIZATION, Kpi.ACCELERATOR_MEMORY_USED,
      Kpi.ACCELERATOR_MEMORY_TOTAL));

  private final String id;
  private final String title;
  private final List<Kpi> kpis;

  DashboardSource(String id, String title, List<Kpi> kpis) {
    this.id = id;
    this.title = title;
    this.kpis = kpis;
  }

  /**
   * The source's id, as in the KPIs' {@code source} dimension.
   *
   * @return for example {@code vllm}
   */
  public String id() {
    return id;
  }

  /**
   * The product's name.
   *
   * @return for example {@code vLLM}
   */
  public String title() {
    return title;
  }

  /**
   * The KPIs this source computes.
   *
   * @return in dashboard order
   */
  public List<Kpi> kpis() {
    return kpis;
  }

  /**
   * The source with this id.
   *
   * @param id {@code triton}, {@code vllm} or {@code neuron}, any case
   * @return the source
   * @throws IllegalArgumentException when there is none
   */
  public static DashboardSource byId(String id) {
    for (DashboardSource s : values()) {
      if (s.id.equals(id.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("source: triton, vllm or neuron, got '" + id + "'");
  }
}

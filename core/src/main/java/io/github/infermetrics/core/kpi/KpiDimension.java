package io.github.infermetrics.core.kpi;

/**
 * The dimension (label, tag) names of KPI values. A source fills the ones it knows; a dimension that does not
 * apply is absent, never empty.
 */
public final class KpiDimension {
  /** The served model: Triton {@code model}, vLLM {@code model_name}. */
  public static final String MODEL = "model";
  /** The model version (Triton {@code version}). */
  public static final String MODEL_VERSION = "model_version";
  /** The engine replica inside one server (vLLM {@code engine}). */
  public static final String ENGINE = "engine";
  /** The Neuron runtime process inside one instance (neuron-monitor's {@code runtime_tag}, usually its pid). */
  public static final String RUNTIME = "runtime";
  /** The model namespace when Triton's model namespacing is on. */
  public static final String NAMESPACE = "namespace";
  /** The accelerator: a GPU UUID, or a NeuronCore index. */
  public static final String DEVICE = "device";
  /** Where the numbers come from: {@code triton}, {@code vllm} or {@code neuron}. */
  public static final String SOURCE = "source";
  /** The scraped endpoint (pod, instance). */
  public static final String TARGET = "target";
  /** A failure reason (Triton {@code reason}, vLLM {@code finished_reason}). */
  public static final String REASON = "reason";

  private KpiDimension() {}
}

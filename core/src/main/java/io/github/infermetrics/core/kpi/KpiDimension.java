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
  /** Where the numbers come from: the {@link KpiSource#name()}, for example {@code vllm}. */
  public static final String SOURCE = "source";
  /** The scraped endpoint (pod, instance). */
  public static final String TARGET = "target";
  /** A failure reason (Triton {@code reason}, vLLM {@code finished_reason}). */
  public static final String REASON = "reason";
  /** The service-level objective a {@link Kpi#SLO_GOODPUT} value is for, for example {@code ttft<=0.5s}. */
  public static final String SLO = "slo";
  /** The Kubernetes pod, {@code namespace/name}, where it is known. */
  public static final String POD = "pod";
  /** The node (host) a device or pod runs on. */
  public static final String NODE = "node";
  /** A serving application (Ray Serve's {@code application}). */
  public static final String APPLICATION = "application";
  /** A deployment of an application (Ray Serve's {@code deployment}). */
  public static final String DEPLOYMENT = "deployment";
  /** An HTTP route of a proxy (Ray Serve's {@code route}). */
  public static final String ROUTE = "route";

  /**
   * Whether a name is one that every sink treats the same way as {@link #SOURCE} and {@link #TARGET}: set from the
   * {@link KpiSet}, never from a value's own dimensions.
   *
   * @param name a dimension name
   * @return true for {@code source} and {@code target}
   */
  public static boolean isReserved(String name) {
    return SOURCE.equals(name) || TARGET.equals(name);
  }

  private KpiDimension() {}
}

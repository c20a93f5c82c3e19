package io.github.infermetrics.dcgm;

import java.util.Objects;

/**
 * The Kubernetes pod (and container) a GPU is assigned to, from dcgm-exporter's pod mapping
 * ({@code DCGM_EXPORTER_KUBERNETES=true}): the labels {@code pod}, {@code namespace}, {@code container}, or with
 * the exporter's old names {@code pod_name}, {@code pod_namespace}, {@code container_name}.
 *
 * <pre>{@code
 * GpuPod p = new GpuPod("serving", "qwen-7d9f-abcde", "vllm");
 * p.key();   // "serving/qwen-7d9f-abcde", the KPI dimension pod
 * }</pre>
 *
 * @param namespace the pod's namespace; not empty
 * @param name the pod's name; not empty
 * @param container the container, or {@code ""} when the exporter does not say
 */
public record GpuPod(String namespace, String name, String container) {
  /**
   * Validates.
   *
   * @param namespace not empty
   * @param name not empty
   * @param container may be empty
   */
  public GpuPod {
    if (Objects.requireNonNull(namespace, "namespace").isEmpty()) {
      throw new IllegalArgumentException("pod " + name + ": namespace is empty");
    }
    if (Objects.requireNonNull(name, "name").isEmpty()) {
      throw new IllegalArgumentException("pod name is empty");
    }
    Objects.requireNonNull(container, "container");
  }

  /**
   * The pod as the {@code pod} KPI dimension and {@code PipelineTarget.pod()} write it.
   *
   * @return {@code namespace/name}
   */
  public String key() {
    return namespace + "/" + name;
  }
}

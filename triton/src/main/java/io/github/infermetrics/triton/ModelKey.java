package io.github.infermetrics.triton;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;
import java.util.Optional;

/**
 * Which model series a per-model value belongs to: the labels Triton puts on per-model families, that is
 * {@code model} and {@code version}, plus {@code namespace} with {@code --model-namespacing}, {@code gpu_uuid} when
 * the model instance is bound to a GPU, and {@code _<tag>} for model metric tags. The {@code reason},
 * {@code quantile} and {@code le} labels are not part of it.
 *
 * @param labels the series' labels without {@code reason}, {@code quantile} and {@code le}
 */
public record ModelKey(Labels labels) {
  /**
   * Validates.
   *
   * @param labels the labels; must hold {@code model}
   * @throws IllegalArgumentException when {@code model} is missing
   */
  public ModelKey {
    Objects.requireNonNull(labels, "labels");
    if (labels.get(TritonFamilies.MODEL) == null) {
      throw new IllegalArgumentException("labels: a Triton model series needs a model label, got " + labels);
    }
  }

  /**
   * A key for a model and version, without namespace or GPU.
   *
   * @param model the model name
   * @param version the version
   * @return the key
   */
  public static ModelKey of(String model, String version) {
    return new ModelKey(Labels.of(TritonFamilies.MODEL, model, TritonFamilies.VERSION, version));
  }

  /**
   * The model name.
   *
   * @return the {@code model} label
   */
  public String model() {
    return labels.get(TritonFamilies.MODEL);
  }

  /**
   * The model version.
   *
   * @return the {@code version} label, or {@code ""} when the series has none
   */
  public String version() {
    String v = labels.get(TritonFamilies.VERSION);
    return v == null ? "" : v;
  }

  /**
   * The model namespace, with {@code --model-namespacing}.
   *
   * @return the {@code namespace} label, or empty
   */
  public Optional<String> namespace() {
    return nonEmpty(labels.get(TritonFamilies.NAMESPACE));
  }

  /**
   * The GPU the model instance is bound to.
   *
   * @return the {@code gpu_uuid} label, or empty
   */
  public Optional<String> gpuUuid() {
    return nonEmpty(labels.get(TritonFamilies.GPU_UUID));
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}

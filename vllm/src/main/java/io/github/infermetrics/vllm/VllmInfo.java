package io.github.infermetrics.vllm;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Map;
import java.util.Objects;

/**
 * One info series ({@code vllm:cache_config_info}, {@code vllm:vllm_config_info}): the engine it describes and its
 * other labels, which are the information.
 *
 * @param key the engine key ({@code model}, {@code engine} where the series has them; often empty in V0)
 * @param values the information labels, sorted by name
 */
public record VllmInfo(Labels key, Map<String, String> values) {
  /**
   * Validates and copies.
   *
   * @param key the engine key
   * @param values the information labels
   */
  public VllmInfo {
    Objects.requireNonNull(key, "key");
    values = Map.copyOf(values);
  }

  /**
   * One information label.
   *
   * @param name the label name, for example {@code block_size}
   * @return its value, or {@code null}
   */
  public String get(String name) {
    return values.get(name);
  }
}

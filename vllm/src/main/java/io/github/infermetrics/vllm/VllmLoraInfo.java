package io.github.infermetrics.vllm;

import java.util.List;
import java.util.Objects;

/**
 * The latest {@code vllm:lora_requests_info} series: LoRA adapter capacity and the adapters in use.
 *
 * @param maxLora the {@code max_lora} label, or -1 when it is not a number
 * @param waitingAdapters the adapters of waiting requests
 * @param runningAdapters the adapters of running requests
 * @param timestampSeconds the series' value: when vLLM last updated it, seconds since the epoch
 */
public record VllmLoraInfo(int maxLora, List<String> waitingAdapters, List<String> runningAdapters,
    double timestampSeconds) {
  /**
   * Validates and copies.
   *
   * @param maxLora the capacity
   * @param waitingAdapters the adapters of waiting requests
   * @param runningAdapters the adapters of running requests
   * @param timestampSeconds the update time
   */
  public VllmLoraInfo {
    waitingAdapters = List.copyOf(Objects.requireNonNull(waitingAdapters, "waitingAdapters"));
    runningAdapters = List.copyOf(Objects.requireNonNull(runningAdapters, "runningAdapters"));
  }
}

package io.github.infermetrics.triton;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Triton's pinned (page-locked) host memory pool (Triton 24.01 and later); each family may be absent.
 *
 * @param totalBytes {@code nv_pinned_memory_pool_total_bytes}
 * @param usedBytes {@code nv_pinned_memory_pool_used_bytes}
 */
public record PinnedMemoryStats(OptionalDouble totalBytes, OptionalDouble usedBytes) {
  /**
   * Validates.
   *
   * @param totalBytes pool size
   * @param usedBytes bytes in use
   */
  public PinnedMemoryStats {
    Objects.requireNonNull(totalBytes, "totalBytes");
    Objects.requireNonNull(usedBytes, "usedBytes");
  }
}

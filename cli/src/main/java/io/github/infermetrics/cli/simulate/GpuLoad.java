package io.github.infermetrics.cli.simulate;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated server's GPUs are doing now, for {@link DcgmSimulator}: one share per GPU. A
 * {@link VllmSimulator} gives its engines' ({@link VllmSimulator#gpuLoad()}: one GPU per data-parallel engine, busy
 * as the share of its request slots in use).
 *
 * <pre>{@code
 * try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().engines(2).build());
 *     DcgmSimulator gpus = DcgmSimulator.start(DcgmSimulator.Config.builder().load(vllm.gpuLoad())
 *         .pod("demo", "vllm-demo-0", "vllm").build())) {
 *   // gpus.metricsUri(): DCGM_FI_* for two GPUs of pod demo/vllm-demo-0 that follow the vLLM load
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface GpuLoad {
  /**
   * How busy each GPU is now.
   *
   * @return per GPU, the share of its serving capacity in use, 0 to 1; the same length on every call
   */
  double[] busy();

  /**
   * GPUs that follow a load pattern rather than a server: busy = rate / capacity, at most 1, from the first call
   * on.
   *
   * @param pattern requests per second over time
   * @param gpus how many GPUs, at least 1
   * @param requestsPerSecondPerGpu the rate one GPU serves fully busy, positive
   * @return the load
   * @throws IllegalArgumentException when the counts are out of range
   */
  static GpuLoad following(LoadPattern pattern, int gpus, double requestsPerSecondPerGpu) {
    Objects.requireNonNull(pattern, "pattern");
    if (gpus < 1 || gpus > 64) {
      throw new IllegalArgumentException("gpus: must be 1 to 64, got " + gpus);
    }
    if (!(requestsPerSecondPerGpu > 0) || Double.isInfinite(requestsPerSecondPerGpu)) {
      throw new IllegalArgumentException("requestsPerSecondPerGpu: must be positive, got " + requestsPerSecondPerGpu);
    }
    java.util.concurrent.atomic.AtomicLong start = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    return () -> {
      long now = System.nanoTime();
      start.compareAndSet(Long.MIN_VALUE, now);
      double share = Math.min(1, pattern.rateAt(Duration.ofNanos(now - start.get())) / gpus
          / requestsPerSecondPerGpu);
      double[] out = new double[gpus];
      java.util.Arrays.fill(out, share);
      return out;
    };
  }
}

package io.github.infermetrics.dcgm;

/**
 * Which DCGM field a GPU's {@link DcgmMeasure#UTILIZATION} came from. {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} (the
 * share of time the graphics engine was busy) is preferred; {@code DCGM_FI_DEV_GPU_UTIL} (the share of time any
 * kernel ran, often 0 or 100 %, absent under MIG) is the fallback on GPUs or exporters without profiling metrics.
 */
public enum UtilizationSource {
  /** {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE}, a ratio. */
  GR_ENGINE_ACTIVE("gr_engine_active"),
  /** {@code DCGM_FI_DEV_GPU_UTIL}, percent, read as a ratio. */
  GPU_UTIL("gpu_util");

  private final String label;

  UtilizationSource(String label) {
    this.label = label;
  }

  /**
   * The name in tables.
   *
   * @return {@code gr_engine_active} or {@code gpu_util}
   */
  public String label() {
    return label;
  }
}

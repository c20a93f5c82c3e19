package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * NVIDIA GPUs through dcgm-exporter as a {@link KpiSource} named {@value DcgmKpis#SOURCE}: it recognises the
 * {@code DCGM_FI_*} families and computes {@link DcgmKpis}. Registered for {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * KpiWindow w = new DcgmSource().between(previous, current, Duration.ofSeconds(15));
 * }</pre>
 */
public final class DcgmSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public DcgmSource() {}

  @Override
  public String name() {
    return DcgmKpis.SOURCE;
  }

  @Override
  public String description() {
    return "NVIDIA GPUs through dcgm-exporter: DCGM_FI_DEV_*, DCGM_FI_PROF_* per GPU and MIG instance, with pods";
  }

  /**
   * 1 when the scrape has a {@code DCGM_FI_*} family, else 0.
   *
   * @param snapshot a scrape
   * @return the confidence
   */
  @Override
  public double recognize(MetricSnapshot snapshot) {
    return DcgmSnapshot.detect(Objects.requireNonNull(snapshot, "snapshot")) ? 1 : 0;
  }

  @Override
  public DcgmKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (!DcgmSnapshot.detect(current)) {
      throw new IllegalArgumentException("no dcgm-exporter families (DCGM_FI_*) in the exposition");
    }
    return DcgmKpis.between(DcgmSnapshot.of(previous), DcgmSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  // the panels of dcgm-exporter's grafana/dcgm-exporter-dashboard.json, with the utilisation to trust first:
  // GR_ENGINE_ACTIVE where the GPU has profiling metrics, GPU_UTIL (percent) where it has not
  private static SourceDashboard dashboard(String w) {
    String reasons = "(DCGM_FI_DEV_CLOCKS_EVENT_REASONS or DCGM_FI_DEV_CLOCK_THROTTLE_REASONS)";
    return SourceDashboard.builder("NVIDIA GPUs (dcgm-exporter)")
        .kpis(Kpi.ACCELERATOR_UTILIZATION, Kpi.ACCELERATOR_MEMORY_USED, Kpi.ACCELERATOR_MEMORY_TOTAL, Kpi.POWER,
            Kpi.AVERAGE_POWER, Kpi.ACCELERATOR_COUNT)
        .panel("GPU utilization (graphics engine active, else GPU_UTIL)", "percentunit",
            SourceDashboard.query("avg by (gpu, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)"
                + " or avg by (gpu, UUID) (DCGM_FI_DEV_GPU_UTIL) / 100", "GPU {{gpu}} {{UUID}}"))
        .panel("GPU utilization by pod", "percentunit",
            SourceDashboard.query("avg by (namespace, pod) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!=\"\"})"
                + " or avg by (namespace, pod) (DCGM_FI_DEV_GPU_UTIL{pod!=\"\"}) / 100", "{{namespace}}/{{pod}}"))
        .panel("SM active and occupancy", "percentunit",
            SourceDashboard.query("avg by (gpu) (DCGM_FI_PROF_SM_ACTIVE)", "SM active {{gpu}}"),
            SourceDashboard.query("avg by (gpu) (DCGM_FI_PROF_SM_OCCUPANCY)", "SM occupancy {{gpu}}"))
        .panel("Tensor pipe and DRAM active", "percentunit",
            SourceDashboard.query("avg by (gpu) (DCGM_FI_PROF_PIPE_TENSOR_ACTIVE)", "tensor {{gpu}}"),
            SourceDashboard.query("avg by (gpu) (DCGM_FI_PROF_DRAM_ACTIVE)", "DRAM {{gpu}}"))
        .panel("Framebuffer used", "bytes",
            SourceDashboard.query("sum by (gpu) (DCGM_FI_DEV_FB_USED) * 1048576", "used {{gpu}}"),
            SourceDashboard.query("sum by (gpu) (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) * 1048576",
                "total {{gpu}}"))
        .panel("Framebuffer used ratio", "percentunit", SourceDashboard.query(
            "sum by (gpu) (DCGM_FI_DEV_FB_USED) / sum by (gpu) (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)",
            "{{gpu}}"))
        .panel("Power", "watt",
            SourceDashboard.query("DCGM_FI_DEV_POWER_USAGE", "draw {{gpu}}"),
            SourceDashboard.query("rate(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION" + w + ") / 1000", "average {{gpu}}"))
        .panel("Temperature", "celsius", SourceDashboard.query("DCGM_FI_DEV_GPU_TEMP", "{{gpu}}"))
        .panel("PCIe throughput", "Bps",
            SourceDashboard.query("DCGM_FI_PROF_PCIE_TX_BYTES or DCGM_FI_DEV_PCIE_TX_THROUGHPUT * 1024",
                "tx {{gpu}}"),
            SourceDashboard.query("DCGM_FI_PROF_PCIE_RX_BYTES or DCGM_FI_DEV_PCIE_RX_THROUGHPUT * 1024",
                "rx {{gpu}}"))
        .panel("NVLink throughput", "Bps", SourceDashboard.query(
            "sum by (gpu) (DCGM_FI_PROF_NVLINK_TX_BYTES + DCGM_FI_PROF_NVLINK_RX_BYTES)"
                + " or sum by (gpu) (DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL) * 1024000", "{{gpu}}"))
        .panel("XID errors (last code)", "short",
            SourceDashboard.query("max by (gpu) (DCGM_FI_DEV_XID_ERRORS)", "{{gpu}}"))
        .panel("Clocks held down by power or heat", "short",
            SourceDashboard.query("floor(" + reasons + " / 4) % 2", "sw power cap {{gpu}}"),
            SourceDashboard.query("floor(" + reasons + " / 8) % 2", "hw slowdown {{gpu}}"),
            SourceDashboard.query("floor(" + reasons + " / 32) % 2", "sw thermal {{gpu}}"),
            SourceDashboard.query("floor(" + reasons + " / 64) % 2", "hw thermal {{gpu}}"))
        .containerInsights("GPU utilization (Container Insights, percent)", "node_gpu_utilization",
            "pod_gpu_utilization")
        .containerInsights("GPU memory (Container Insights, bytes)", "node_gpu_memory_used",
            "node_gpu_memory_total")
        .containerInsights("GPU power draw (Container Insights, W)", "node_gpu_power_draw", "pod_gpu_power_draw")
        .containerInsights("GPU temperature and tensor cores (Container Insights)", "node_gpu_temperature",
            "node_gpu_tensor_core_utilization")
        .build();
  }
}

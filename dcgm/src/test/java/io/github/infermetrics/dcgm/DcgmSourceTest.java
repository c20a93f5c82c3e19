package io.github.infermetrics.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DcgmSourceTest {

  @Test
  void isRegisteredForTheServiceLoaderAndRecognisesDcgmExporter() {
    KpiSource source = KpiSources.installed().require("dcgm");
    assertThat(source).isInstanceOf(DcgmSource.class);
    assertThat(source.recognize(TestData.read(TestData.resourceText("k8s-curr.txt")))).isEqualTo(1);
    assertThat(source.recognize(TestData.read("# TYPE dcgm_fi_dev_gpu_util gauge\ndcgm_fi_dev_gpu_util 1\n")))
        .isEqualTo(1);
    assertThat(source.recognize(TestData.read("nv_gpu_utilization{gpu_uuid=\"GPU-a\"} 0.5\n"))).isZero();
    assertThat(KpiSources.installed().detect(TestData.read(TestData.resourceText("mig-curr.txt"))))
        .extracting(KpiSource::name).containsExactly("dcgm");
  }

  @Test
  void theRealFixtureIsRecognised() {
    assertThat(new DcgmSource().recognize(TestData.read(TestData.fixture()))).isEqualTo(1);
  }

  @Test
  void aScrapeWithoutDcgmFamiliesIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new DcgmSource().between(TestData.read("up 1\n"), TestData.read("up 1\n"),
        Duration.ofSeconds(15))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no dcgm-exporter families (DCGM_FI_*) in the exposition");
  }

  @Test
  void theDashboardFallsBackFromTheGraphicsEngineToGpuUtilAndChartsContainerInsights() {
    SourceDashboard d = new DcgmSource().dashboard().orElseThrow();
    assertThat(d.expressions().get(0)).isEqualTo("avg by (gpu, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)"
        + " or avg by (gpu, UUID) (DCGM_FI_DEV_GPU_UTIL) / 100");
    assertThat(d.expressions()).anyMatch(e -> e.contains("DCGM_FI_DEV_CLOCKS_EVENT_REASONS or"
        + " DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"));
    assertThat(d.expressions()).anyMatch(e -> e.startsWith("rate(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"));
    assertThat(d.kpis()).contains(Kpi.ACCELERATOR_UTILIZATION, Kpi.AVERAGE_POWER, Kpi.ACCELERATOR_COUNT);
    assertThat(d.containerInsights()).flatExtracting(SourceDashboard.MetricChart::metricNames)
        .contains("node_gpu_utilization", "pod_gpu_utilization", "node_gpu_memory_used", "node_gpu_power_draw");
  }
}

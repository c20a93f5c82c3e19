package io.github.infermetrics.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DcgmKpisTest {
  private static final Instant AT = Instant.parse("2026-12-01T00:00:30Z");
  private static final double MIB = 1024 * 1024;
  private static final String T4_A = "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e";
  private static final String T4_B = "GPU-9ef1b6d0-3643-5dd7-b823-c0ec20dcf2d5";
  private static final String QWEN = "serving/qwen-7d9f8c6b5d-x2x4z";
  private static final String H100_0 = "GPU-5d9cc71f-b438-dc00-707d-c6c12bcfede1";
  private static final String H100_1 = "GPU-21c6d9d7-46cd-7e91-99c3-7b6a06a3faea";
  private static final String H100_2 = "GPU-be839661-c0f5-7452-284b-b875666df60c";
  private static final String MIG_GPU = "GPU-58e8f5ea-13cc-013a-d88f-2bcf5ae8bc77";

  /** The text with the value of the one sample of a family replaced. */
  private static String set(String text, String family, String value) {
    Matcher m = Pattern.compile("(?m)^(" + Pattern.quote(family) + "\\{[^}]*\\}) \\S+$").matcher(text);
    assertThat(m.find()).as(family).isTrue();
    String out = text.substring(0, m.start()) + m.group(1) + " " + value + text.substring(m.end());
    assertThat(m.find()).as("one sample of " + family).isFalse();
    return out;
  }

  private static DcgmKpis between(String prev, String curr, int seconds) {
    return new DcgmSource().between(TestData.read(prev), TestData.read(curr), Duration.ofSeconds(seconds));
  }

  private static DcgmKpis resources(String prefix, int seconds) {
    return between(TestData.resourceText(prefix + "-prev.txt"), TestData.resourceText(prefix + "-curr.txt"),
        seconds);
  }

  private static double value(GpuKpis g, DcgmMeasure m) {
    return g.get(m).orElseThrow(() -> new AssertionError(m + " of " + g));
  }

  private static double value(GroupKpis g, DcgmMeasure m) {
    return g.get(m).orElseThrow(() -> new AssertionError(m + " of " + g));
  }

  @Test
  void theFixtureAndASecondCaptureWithKnownIncrementsGiveUtilisationMemoryAndPowerPerGpu() {
    String before = TestData.fixture();
    // 15 s later on GPU A: a kernel ran 63 % of the time, 10 GiB allocated, 825 J drawn (55 W on average), 3 retries
    String after = set(before, "DCGM_FI_DEV_GPU_UTIL", "63");
    after = set(after, "DCGM_FI_DEV_FB_USED", "10240");
    after = set(after, "DCGM_FI_DEV_FB_FREE", "4869");
    after = set(after, "DCGM_FI_DEV_POWER_USAGE", "61.250000");
    after = set(after, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "129821013");   // 128996013 + 825000 mJ
    after = set(after, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "3");
    DcgmKpis k = between(before, after, 15);

    // the fixture is two captures stitched together: two T4s, both gpu="0", told apart by UUID and Hostname
    assertThat(k.gpus()).extracting(GpuKpis::device).containsExactly(T4_A, T4_B);
    GpuKpis a = k.gpu(T4_A).orElseThrow();
    // GR_ENGINE_ACTIVE has no GPU labels in the fixture: GPU_UTIL is the one this GPU has, 63 % = 0.63
    assertThat(value(a, DcgmMeasure.UTILIZATION)).isEqualTo(0.63);
    assertThat(a.utilizationSource()).contains(UtilizationSource.GPU_UTIL);
    // 10240 MiB = 10737418240 bytes used; total = used + free = 10240 + 4869 = 15109 MiB = 15842934784 bytes
    assertThat(value(a, DcgmMeasure.MEMORY_USED)).isEqualTo(10737418240.0);
    assertThat(value(a, DcgmMeasure.MEMORY_FREE)).isEqualTo(4869 * MIB);
    assertThat(value(a, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(15842934784.0);
    assertThat(value(a, DcgmMeasure.MEMORY_USED_RATIO)).isCloseTo(10240.0 / 15109, within(1e-15)); // 0.67774...
    assertThat(value(a, DcgmMeasure.POWER)).isEqualTo(61.25);
    // (129821013 - 128996013) mJ / 1000 / 15 s = 825 J / 15 s = 55 W
    assertThat(value(a, DcgmMeasure.AVERAGE_POWER)).isCloseTo(55.0, within(1e-9));
    assertThat(value(a, DcgmMeasure.PCIE_REPLAYS)).isCloseTo(0.2, within(1e-15));        // 3 / 15 s
    assertThat(value(a, DcgmMeasure.TEMPERATURE)).isEqualTo(25);
    assertThat(value(a, DcgmMeasure.SM_CLOCK)).isEqualTo(300e6);                         // 300 MHz
    assertThat(value(a, DcgmMeasure.MEMORY_CLOCK)).isEqualTo(405e6);
    assertThat(value(a, DcgmMeasure.XID_ERROR)).isZero();
    assertThat(value(a, DcgmMeasure.NVLINK_THROUGHPUT)).isZero();                        // BANDWIDTH_TOTAL 0
    assertThat(a.reset()).isFalse();

    // GPU B: the other capture's families: FB_TOTAL, the power limit and the clock-event bitmask 1 = idle
    GpuKpis b = k.gpu(T4_B).orElseThrow();
    assertThat(value(b, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(15109 * MIB);
    assertThat(b.get(DcgmMeasure.MEMORY_USED)).isEmpty();
    assertThat(b.get(DcgmMeasure.MEMORY_USED_RATIO)).isEmpty();
    assertThat(value(b, DcgmMeasure.POWER_LIMIT)).isEqualTo(70);
    assertThat(b.clockEventReasons()).containsExactly("gpu_idle");
    assertThat(b.get(DcgmMeasure.UTILIZATION)).isEmpty();
    assertThat(b.utilizationSource()).isEmpty();

    // each Hostname is a node; the shared KPIs per device and per node
    assertThat(k.nodes()).extracting(g -> g.node().orElseThrow()).containsExactly("424773df46e0", "551bdf382151");
    assertThat(k.pods()).isEmpty();
    KpiSet set = k.toKpiSet("dcgm:9400", AT);
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, LabelMatcher.eq("device", T4_A))
        .map(KpiValue::value)).contains(0.63);
    assertThat(set.find(Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, LabelMatcher.eq("node", "424773df46e0"))
        .map(KpiValue::value)).contains(10737418240.0);
    assertThat(set.find(Kpi.AVERAGE_POWER, KpiStatistic.VALUE, LabelMatcher.eq("device", T4_A)).orElseThrow()
        .value()).isCloseTo(55.0, within(1e-9));
    assertThat(set.find(Kpi.POWER, KpiStatistic.VALUE, LabelMatcher.eq("device", T4_A)).orElseThrow()
        .dimensions()).isEqualTo(Labels.of("device", T4_A));
    assertThat(set.find(Kpi.ACCELERATOR_COUNT, KpiStatistic.VALUE, LabelMatcher.eq("node", "551bdf382151"))
        .map(KpiValue::value)).contains(1.0);

    // the fixture's dummy samples without any label name no GPU: listed, in a table of their own
    assertThat(k.unattributed()).containsExactly("DCGM_FI_DEV_MEMORY_TEMP = 0", "DCGM_FI_PROF_PCIE_RX_BYTES = 0",
        "DCGM_FI_PROF_PCIE_TX_BYTES = 0", "DCGM_FI_PROF_GR_ENGINE_ACTIVE = 0", "DCGM_FI_PROF_SM_ACTIVE = 0",
        "DCGM_FI_PROF_SM_OCCUPANCY = 0", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE = 0", "DCGM_FI_PROF_DRAM_ACTIVE = 0");
    assertThat(k.tables()).extracting(KpiTable::name).containsExactly("gpus", "gpu_labels", "nodes", "pods",
        "unattributed");
    KpiTable gpus = k.tables().get(0);
    KpiTable.Row rowA = gpus.rows().get(0);
    assertThat(gpus.keys()).containsExactly("device");             // no MIG instance, no pod: no such keys
    assertThat(rowA.key()).isEqualTo(Labels.of("device", T4_A));
    assertThat(rowA.value(gpus, "accelerator_utilization_ratio")).isEqualTo(OptionalDouble.of(0.63));
    KpiTable labels = k.tables().get(1);
    assertThat(labels.columns()).isEmpty();
    assertThat(labels.rows().get(0).key()).isEqualTo(Labels.of("device", T4_A, "gpu", "0", "model_name",
        "Tesla T4", "node", "424773df46e0", "utilization_from", "gpu_util"));
    assertThat(labels.rows().get(1).key().get("clock_events")).isEqualTo("gpu_idle");
  }

  @Test
  void kubernetesLabelsAttributeGpusToPodsAndAFreeGpuToItsNodeOnly() {
    DcgmKpis k = resources("k8s", 30);
    GpuKpis g0 = k.gpu(H100_0).orElseThrow();
    // both GR_ENGINE_ACTIVE (0.8125) and GPU_UTIL (100 %) are there: the graphics engine is the one to trust
    assertThat(value(g0, DcgmMeasure.UTILIZATION)).isEqualTo(0.8125);
    assertThat(g0.utilizationSource()).contains(UtilizationSource.GR_ENGINE_ACTIVE);
    assertThat(value(g0, DcgmMeasure.GPU_UTIL)).isEqualTo(1.0);
    assertThat(g0.gpu().pods()).containsExactly(new GpuPod("serving", "qwen-7d9f8c6b5d-x2x4z", "vllm"));
    // (1015000000 - 1000000000) mJ / 1000 / 30 s = 500 W; 1 GPU: (2012000000 - 2000000000) / 1000 / 30 = 400 W
    assertThat(value(g0, DcgmMeasure.AVERAGE_POWER)).isCloseTo(500, within(1e-9));
    assertThat(value(k.gpu(H100_1).orElseThrow(), DcgmMeasure.AVERAGE_POWER)).isCloseTo(400, within(1e-9));
    assertThat(k.gpu(H100_1).orElseThrow().clockEventReasons()).containsExactly("sw_power_cap");   // 4
    GpuKpis free = k.gpu(H100_2).orElseThrow();
    assertThat(free.gpu().pods()).isEmpty();                          // container="",namespace="",pod=""
    assertThat(free.clockEventReasons()).containsExactly("gpu_idle");

    // the pod holds GPUs 0 and 1
    GroupKpis qwen = k.pod(QWEN).orElseThrow();
    assertThat(qwen.devices()).containsExactly(H100_0, H100_1);
    assertThat(qwen.node()).contains("ip-10-0-1-23.ec2.internal");
    assertThat(value(qwen, DcgmMeasure.DEVICES)).isEqualTo(2);
    assertThat(value(qwen, DcgmMeasure.UTILIZATION)).isEqualTo(0.75);                  // (0.8125 + 0.6875) / 2
    assertThat(value(qwen, DcgmMeasure.MEMORY_USED)).isEqualTo(143000 * MIB);          // 72000 + 71000 MiB
    assertThat(value(qwen, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(163118 * MIB);         // 2 x (72000 + 9559)
    assertThat(value(qwen, DcgmMeasure.MEMORY_USED_RATIO)).isCloseTo(143000.0 / 163118, within(1e-15));
    assertThat(value(qwen, DcgmMeasure.POWER)).isEqualTo(962.75);                      // 512.5 + 450.25
    assertThat(value(qwen, DcgmMeasure.AVERAGE_POWER)).isCloseTo(900, within(1e-9));   // 500 + 400
    assertThat(k.pods()).hasSize(1);

    // the node counts all three, the free one too
    GroupKpis node = k.nodes().get(0);
    assertThat(value(node, DcgmMeasure.DEVICES)).isEqualTo(3);
    assertThat(value(node, DcgmMeasure.UTILIZATION)).isEqualTo(0.5);                   // (0.8125 + 0.6875 + 0) / 3
    assertThat(value(node, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(244677 * MIB);         // 3 x 81559
    assertThat(value(node, DcgmMeasure.POWER)).isEqualTo(1032.75);                     // 962.75 + 70
    assertThat(value(node, DcgmMeasure.AVERAGE_POWER)).isCloseTo(970, within(1e-9));   // 500 + 400 + 70

    KpiSet set = k.toKpiSet("gpu-node:9400", AT);
    KpiValue podUtil = set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE,
        LabelMatcher.eq(KpiDimension.POD, QWEN)).orElseThrow();
    assertThat(podUtil.value()).isEqualTo(0.75);
    assertThat(podUtil.dimensions()).isEqualTo(Labels.of("pod", QWEN, "node", "ip-10-0-1-23.ec2.internal"));
    assertThat(set.find(Kpi.ACCELERATOR_COUNT, KpiStatistic.VALUE, LabelMatcher.eq(KpiDimension.POD, QWEN))
        .map(KpiValue::value)).contains(2.0);
    // MEMORY_TEMP is DCGM's INT64 "not supported" blank on every GPU: left out and counted, not 9.2e18 °C
    assertThat(set.dropped()).hasSize(3).allSatisfy(d -> assertThat(d).startsWith("DCGM_FI_DEV_MEMORY_TEMP{")
        .endsWith(" = 9223372036854775808 (DCGM blank: no value)"));
    assertThat(g0.get(DcgmMeasure.MEMORY_TEMPERATURE)).isEmpty();
    // the clock events, one value per active reason
    assertThat(k.values()).filteredOn(v -> v.measure() == DcgmMeasure.CLOCK_EVENT)
        .extracting(v -> v.dimensions().get("device") + " " + v.dimensions().get("reason"))
        .containsExactly(H100_1 + " sw_power_cap", H100_2 + " gpu_idle");
    KpiTable pods = k.tables().get(3);
    assertThat(pods.rows()).singleElement().satisfies(r ->
        assertThat(r.value(pods, "accelerator_count")).isEqualTo(OptionalDouble.of(2)));
    assertThat(k.tables().get(0).keys()).containsExactly("device", "pod");
    assertThat(k.tables().get(1).rows().get(0).key().get("container")).isEqualTo("vllm");
  }

  @Test
  void migInstancesAreAcceleratorsOfTheirOwnWithTheirGpusPowerOnTheNode() {
    DcgmKpis k = resources("mig", 10);
    assertThat(k.gpus()).extracting(g -> g.device() + g.gpu().migInstance().map(i -> "/" + i).orElse(""))
        .containsExactly(MIG_GPU, MIG_GPU + "/7", MIG_GPU + "/8", MIG_GPU + "/9");
    GpuKpis seven = k.gpu(MIG_GPU, "7").orElseThrow();
    // no GPU_UTIL under MIG: each instance's graphics engine
    assertThat(value(seven, DcgmMeasure.UTILIZATION)).isEqualTo(0.5);
    assertThat(seven.utilizationSource()).contains(UtilizationSource.GR_ENGINE_ACTIVE);
    assertThat(value(seven, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(9750 * MIB);          // 8000 + 1750
    assertThat(seven.get(DcgmMeasure.POWER)).isEmpty();
    // the whole GPU has the power: (9800000 - 7000000) mJ / 1000 / 10 s = 280 W
    GpuKpis whole = k.gpu(MIG_GPU).orElseThrow();
    assertThat(value(whole, DcgmMeasure.AVERAGE_POWER)).isCloseTo(280, within(1e-9));
    assertThat(value(whole, DcgmMeasure.POWER)).isEqualTo(300.5);

    GroupKpis embed = k.pod("team-a/embed-5c8d7f9b4-q7w2x").orElseThrow();
    assertThat(embed.devices()).containsExactly(MIG_GPU + "/7");
    assertThat(value(embed, DcgmMeasure.UTILIZATION)).isEqualTo(0.5);
    assertThat(value(embed, DcgmMeasure.MEMORY_USED)).isEqualTo(8000 * MIB);
    assertThat(value(embed, DcgmMeasure.MEMORY_USED_RATIO)).isCloseTo(8000.0 / 9750, within(1e-15)); // 0.8205...
    assertThat(embed.get(DcgmMeasure.POWER)).isEmpty();     // an instance has no power of its own
    GroupKpis tts = k.pod("team-b/tts-0").orElseThrow();
    assertThat(value(tts, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(40192 * MIB);           // 30000 + 10192

    // the node: the GPU counts as its 3 instances, their memory summed, the GPU's own power
    GroupKpis node = k.nodes().get(0);
    assertThat(node.node()).contains("gpu-node-7");
    assertThat(value(node, DcgmMeasure.DEVICES)).isEqualTo(3);
    assertThat(value(node, DcgmMeasure.UTILIZATION)).isEqualTo(0.5);                   // (0.5 + 0.25 + 0.75) / 3
    assertThat(value(node, DcgmMeasure.MEMORY_USED)).isEqualTo(38000 * MIB);           // 8000 + 0 + 30000
    assertThat(value(node, DcgmMeasure.MEMORY_TOTAL)).isEqualTo(59692 * MIB);          // 9750 + 9750 + 40192
    assertThat(value(node, DcgmMeasure.POWER)).isEqualTo(300.5);
    assertThat(value(node, DcgmMeasure.AVERAGE_POWER)).isCloseTo(280, within(1e-9));

    KpiSet set = k.toKpiSet("", AT);
    assertThat(set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, LabelMatcher.eq("gpu_instance", "9"))
        .orElseThrow().dimensions()).isEqualTo(Labels.of("device", MIG_GPU, "gpu_instance", "9", "gpu_profile",
            "3g.40gb"));
  }

  @Test
  void theExportersOldLabelNamesAndLowerCaseFamiliesAreReadToo() {
    // dcgm-exporter issue #272: MIG output with pod_name/pod_namespace/container_name and a lower-case uuid label
    String l = "{gpu=\"0\",uuid=\"GPU-ed1353d6-52ba-8793-7230-4d5d3eb68167\",device=\"nvidia0\","
        + "modelName=\"NVIDIA A100 80GB PCIe\",GPU_I_PROFILE=\"3g.40gb\",GPU_I_ID=\"1\",container_name=\"app\","
        + "pod_name=\"trainer-0\",pod_namespace=\"ml\"}";
    String prev = "# TYPE dcgm_fi_prof_gr_engine_active gauge\ndcgm_fi_prof_gr_engine_active" + l + " 0.000000\n";
    DcgmKpis k = between(prev, prev.replace("0.000000", "0.375000"), 15);
    GpuKpis g = k.gpus().get(0);
    assertThat(g.device()).isEqualTo("GPU-ed1353d6-52ba-8793-7230-4d5d3eb68167");
    assertThat(g.gpu().pods()).containsExactly(new GpuPod("ml", "trainer-0", "app"));
    assertThat(value(k.pod("ml/trainer-0").orElseThrow(), DcgmMeasure.UTILIZATION)).isEqualTo(0.375);
    // no Hostname: the node aggregate has no node dimension
    assertThat(k.toKpiSet("", AT).values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE))
        .extracting(KpiValue::dimensions).contains(Labels.EMPTY);
  }

  @Test
  void aTimeSlicedGpuIsOneGpuOfEveryPodItServes() {
    // dcgm-exporter writes a GPU shared between pods once per pod, with the same value
    String s = "# TYPE DCGM_FI_PROF_GR_ENGINE_ACTIVE gauge\n"
        + "DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"0\",UUID=\"GPU-a\",Hostname=\"n1\",container=\"c\",namespace=\"a\","
        + "pod=\"p\"} 0.6\n"
        + "DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"0\",UUID=\"GPU-a\",Hostname=\"n1\",container=\"c\",namespace=\"b\","
        + "pod=\"q\"} 0.6\n";
    DcgmKpis k = between(s, s, 15);
    assertThat(k.gpus()).singleElement().satisfies(g -> assertThat(g.gpu().pods()).extracting(GpuPod::key)
        .containsExactly("a/p", "b/q"));
    assertThat(k.pods()).extracting(p -> p.pod().orElseThrow() + "=" + p.get(DcgmMeasure.UTILIZATION).orElseThrow())
        .containsExactly("a/p=0.6", "b/q=0.6");
    assertThat(k.nodes().get(0).get(DcgmMeasure.DEVICES)).hasValue(1);
    assertThat(k.tables().get(0).rows().get(0).key().get("pod")).isEqualTo("a/p,b/q");
    assertThat(k.tables().get(1).rows().get(0).key().get("container")).isEqualTo("c,c");
  }

  @Test
  void throughputPrefersTheProfilingFieldsAndReadsTheOthersInBytesPerSecond() {
    String l = "{gpu=\"0\",UUID=\"GPU-a\",device=\"nvidia0\"}";
    String both = "# TYPE DCGM_FI_PROF_PCIE_TX_BYTES gauge\nDCGM_FI_PROF_PCIE_TX_BYTES" + l + " 2000000\n"
        + "# TYPE DCGM_FI_DEV_PCIE_TX_THROUGHPUT counter\nDCGM_FI_DEV_PCIE_TX_THROUGHPUT" + l + " 5\n"
        + "# TYPE DCGM_FI_DEV_PCIE_RX_THROUGHPUT counter\nDCGM_FI_DEV_PCIE_RX_THROUGHPUT" + l + " 1000\n"
        + "# TYPE DCGM_FI_PROF_NVLINK_TX_BYTES gauge\nDCGM_FI_PROF_NVLINK_TX_BYTES" + l + " 3000000\n"
        + "# TYPE DCGM_FI_PROF_NVLINK_RX_BYTES gauge\nDCGM_FI_PROF_NVLINK_RX_BYTES" + l + " 1000000\n"
        + "# TYPE DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL counter\nDCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL" + l + " 7\n"
        + "# TYPE DCGM_FI_DEV_CLOCK_THROTTLE_REASONS gauge\nDCGM_FI_DEV_CLOCK_THROTTLE_REASONS" + l + " 100\n";
    GpuKpis g = between(both, both, 15).gpus().get(0);
    assertThat(value(g, DcgmMeasure.PCIE_TRANSMIT)).isEqualTo(2e6);              // the profiling field, B/s
    assertThat(value(g, DcgmMeasure.PCIE_RECEIVE)).isEqualTo(1024000);           // 1000 KB/s x 1024
    assertThat(value(g, DcgmMeasure.NVLINK_THROUGHPUT)).isEqualTo(4e6);          // 3e6 + 1e6
    // 100 = 0x64: 0x4 sw_power_cap, 0x20 sw_thermal, 0x40 hw_thermal (under the throttle field's old name)
    assertThat(g.clockEventReasons()).containsExactly("sw_power_cap", "sw_thermal", "hw_thermal");

    String oldOnly = "# TYPE DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL counter\nDCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL" + l
        + " 7\n";
    // DCGM publishes KiB/s / 1000: 7 x 1000 x 1024 = 7168000 B/s
    assertThat(value(between(oldOnly, oldOnly, 15).gpus().get(0), DcgmMeasure.NVLINK_THROUGHPUT))
        .isEqualTo(7168000);
  }

  @Test
  void aDriverReloadCountsEnergyFromTheReloadAsPromqlDoes() {
    String l = "{gpu=\"0\",UUID=\"GPU-a\"}";
    String prev = "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\nDCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION" + l
        + " 90000000\n";
    // the counter went down to 1500000 mJ: increase = 1500000 (from zero), / 1000 / 10 s = 150 W
    GpuKpis g = between(prev, prev.replace("90000000", "1500000"), 10).gpus().get(0);
    assertThat(value(g, DcgmMeasure.AVERAGE_POWER)).isCloseTo(150, within(1e-9));
    assertThat(g.reset()).isTrue();
  }

  @Test
  void aGpuNewInTheWindowHasItsGaugesButNoRates() {
    String l = "{gpu=\"0\",UUID=\"GPU-a\"}";
    String curr = "# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\nDCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION" + l
        + " 1500000\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\nDCGM_FI_DEV_POWER_USAGE" + l + " 80\n";
    GpuKpis g = between("# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n", curr, 10).gpus().get(0);
    assertThat(g.get(DcgmMeasure.AVERAGE_POWER)).isEmpty();
    assertThat(value(g, DcgmMeasure.POWER)).isEqualTo(80);
  }

  @Test
  void aNonFiniteOrFp64BlankValueCostsThatValueOnly() {
    String l = "{gpu=\"0\",UUID=\"GPU-a\"}";
    String s = "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\nDCGM_FI_DEV_POWER_USAGE" + l + " 140737488355330\n"
        + "# TYPE DCGM_FI_DEV_GPU_TEMP gauge\nDCGM_FI_DEV_GPU_TEMP" + l + " NaN\n"
        + "# TYPE DCGM_FI_DEV_FB_USED gauge\nDCGM_FI_DEV_FB_USED" + l + " 1\n";
    DcgmKpis k = between(s, s, 10);
    // 140737488355330 = DCGM_FP64_BLANK + 2, "not supported"
    assertThat(k.dropped()).containsExactly(
        "DCGM_FI_DEV_POWER_USAGE{UUID=\"GPU-a\",gpu=\"0\"} = 140737488355330 (DCGM blank: no value)",
        "DCGM_FI_DEV_GPU_TEMP{UUID=\"GPU-a\",gpu=\"0\"} = NaN");
    assertThat(k.gpus().get(0).values()).containsOnlyKeys(DcgmMeasure.MEMORY_USED);
    assertThat(k.toKpiSet("", AT).dropped()).hasSize(2);
  }

  @Test
  void everyMeasureIsDeclaredRightAndClockReasonsDecode() {
    for (DcgmMeasure m : DcgmMeasure.values()) {
      io.github.infermetrics.core.kpi.Measure.check(m);
    }
    assertThat(DcgmMeasure.AVERAGE_POWER.columnName()).isEqualTo("power_average_watts");
    assertThat(DcgmMeasure.DEVICES.columnName()).isEqualTo("accelerator_count");
    assertThat(DcgmMeasure.SM_ACTIVE.meterName("dcgm")).isEqualTo("dcgm.sm.active");
    assertThat(ClockEventReason.names(0)).isEmpty();
    assertThat(ClockEventReason.names(0x5)).containsExactly("gpu_idle", "sw_power_cap");
    assertThat(ClockEventReason.names(0x380)).containsExactly("hw_power_brake", "display_clocks",
        "unknown_0x200");
    assertThat(DcgmField.ofFamily("dcgm_fi_dev_fb_used")).contains(DcgmField.FB_USED);
    assertThat(DcgmField.FB_USED.toBase(1024)).isEqualTo(1073741824.0);
    assertThat(DcgmField.TOTAL_ENERGY.counter()).isTrue();
  }
}

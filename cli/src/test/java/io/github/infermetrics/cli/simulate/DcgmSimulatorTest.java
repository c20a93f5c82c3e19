package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.dcgm.DcgmKpis;
import io.github.infermetrics.dcgm.DcgmMeasure;
import io.github.infermetrics.dcgm.DcgmSnapshot;
import io.github.infermetrics.dcgm.GpuKpis;
import io.github.infermetrics.dcgm.GpuPod;
import io.github.infermetrics.dcgm.GroupKpis;
import io.github.infermetrics.dcgm.UtilizationSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dcgm-exporter simulator against core's strict reader, the dcgm module's KPIs and the accelerator join. */
class DcgmSimulatorTest {
  private static final String POD = DcgmSimulator.DEMO_NAMESPACE + "/" + DcgmSimulator.DEMO_POD;

  private static void steps(DcgmSimulator sim, int n) {
    for (int i = 0; i < n; i++) {
      sim.step(0.1);
    }
  }

  @Test
  void gpusFollowTheLoadAndTheEnergyCounterIntegratesThePower() throws Exception {
    // GPU 0 fully busy, GPU 1 a quarter busy (the pod's), GPU 2 idle and held by no pod; sampled by hand
    try (DcgmSimulator sim = DcgmSimulator.start(DcgmSimulator.Config.builder().load(() -> new double[] {1, 0.25})
        .pod(DcgmSimulator.DEMO_NAMESPACE, DcgmSimulator.DEMO_POD, DcgmSimulator.DEMO_CONTAINER).seed(4)
        .sampling(Duration.ZERO).build())) {
      steps(sim, 300);                                         // 30 s: the 1 s smoothing has settled (e^-30)
      Http.Response first = Http.get(sim.metricsUri());
      assertThat(first.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      steps(sim, 100);                                         // 10 s more
      String second = Http.get(sim.metricsUri()).body();
      DcgmSnapshot after = DcgmSnapshot.of(Http.strict(second));
      DcgmKpis k = DcgmKpis.between(DcgmSnapshot.of(Http.strict(first.body())), after, Duration.ofSeconds(10));

      assertThat(k.gpus()).hasSize(3).extracting(GpuKpis::device).isEqualTo(sim.uuids())
          .allSatisfy(u -> assertThat(u).matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
      GpuKpis busy = k.gpus().get(0);
      GpuKpis quarter = k.gpus().get(1);
      GpuKpis idle = k.gpus().get(2);
      assertThat(busy.gpu().pods()).containsExactly(new GpuPod("demo", "vllm-demo-0", "vllm"));
      assertThat(idle.gpu().pods()).isEmpty();
      assertThat(busy.gpu().hostname()).contains("sim-gpu-node-1");
      // engine active = 0.3 + 0.7 x load while anything runs: 1.0, 0.475, 0
      assertThat(busy.get(DcgmMeasure.UTILIZATION)).hasValue(1.0);
      assertThat(busy.utilizationSource()).contains(UtilizationSource.GR_ENGINE_ACTIVE);
      assertThat(quarter.get(DcgmMeasure.UTILIZATION)).hasValue(0.475);
      assertThat(idle.get(DcgmMeasure.UTILIZATION)).hasValue(0.0);
      // power = 60 + 240 x engine active: 300, 174 and 60 W; the counter's increase over 10 s gives the same
      // (to the counter's whole millijoules: at most 0.0001 W off)
      assertThat(busy.get(DcgmMeasure.POWER)).hasValue(300.0);
      assertThat(busy.get(DcgmMeasure.AVERAGE_POWER).orElseThrow()).isCloseTo(300, within(1e-3));
      assertThat(quarter.get(DcgmMeasure.AVERAGE_POWER).orElseThrow()).isCloseTo(174, within(1e-3));
      assertThat(idle.get(DcgmMeasure.AVERAGE_POWER).orElseThrow()).isCloseTo(60, within(1e-3));
      // vLLM's up-front allocation: round(0.9 x 23028) = 20725 MiB of the pod's GPUs, none of the idle one
      assertThat(busy.get(DcgmMeasure.MEMORY_USED)).hasValue(20725.0 * 1024 * 1024);
      assertThat(idle.get(DcgmMeasure.MEMORY_USED)).hasValue(0.0);
      assertThat(busy.get(DcgmMeasure.MEMORY_TOTAL)).hasValue(23028.0 * 1024 * 1024);
      assertThat(busy.clockEventReasons()).containsExactly("sw_power_cap");    // at the 300 W limit
      assertThat(idle.clockEventReasons()).containsExactly("gpu_idle");

      GroupKpis pod = k.pod(POD).orElseThrow();
      assertThat(pod.get(DcgmMeasure.DEVICES)).hasValue(2);
      assertThat(pod.get(DcgmMeasure.UTILIZATION)).hasValue(0.7375);           // (1 + 0.475) / 2
      assertThat(pod.get(DcgmMeasure.AVERAGE_POWER).orElseThrow()).isCloseTo(474, within(1e-3));  // 300 + 174
      GroupKpis node = k.nodes().get(0);
      assertThat(node.get(DcgmMeasure.DEVICES)).hasValue(3);
      assertThat(node.get(DcgmMeasure.AVERAGE_POWER).orElseThrow()).isCloseTo(534, within(1e-3)); // + 60
      assertThat(k.dropped()).isEmpty();
      assertThat(k.unattributed()).isEmpty();
    }
  }

  @Test
  void theSamplerThreadReadsTheLoadByItself() throws Exception {
    try (DcgmSimulator sim = DcgmSimulator.start(DcgmSimulator.Config.builder().load(() -> new double[] {1})
        .idleGpus(0).build())) {
      long deadline = System.nanoTime() + 5_000_000_000L;
      double active = 0;
      while (active == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        active = DcgmSnapshot.of(Http.strict(Http.get(sim.metricsUri()).body())).gpus().get(0)
            .get(io.github.infermetrics.dcgm.DcgmField.GR_ENGINE_ACTIVE).orElse(0);
      }
      assertThat(active).isPositive();
    }
  }

  @Test
  void vllmsGpuLoadIsItsEnginesShareOfBusySlots() throws Exception {
    try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().engines(2).seed(2)
        .outputTokens(Distribution.uniform(200, 200)).build())) {
      GpuLoad load = vllm.gpuLoad();
      assertThat(load.busy()).containsExactly(0, 0);
      Thread request = new Thread(() -> {
        try {
          Http.post(vllm.completionsUri(), "{\"prompt\":\"hello there\",\"max_tokens\":200}");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      request.start();
      long deadline = System.nanoTime() + 5_000_000_000L;
      double[] busy = load.busy();
      while (busy[0] + busy[1] == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
        busy = load.busy();
      }
      // one request in one of 16 slots of engine 0
      assertThat(busy).containsExactly(1 / 16.0, 0);
      request.join(30_000);
    }
  }

  @Test
  void aVllmTargetWithItsPodGetsTheAcceleratorUtilisationOfItsGpus() throws Exception {
    // what watch --demo wires: the vLLM target named with [pod=demo/vllm-demo-0], the node's dcgm-exporter, the join
    try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().modelName("Qwen/Qwen3-8B")
            .engines(2).seed(1).build());
        DcgmSimulator dcgm = DcgmSimulator.start(DcgmSimulator.Config.builder().load(vllm.gpuLoad())
            .pod(DcgmSimulator.DEMO_NAMESPACE, DcgmSimulator.DEMO_POD, DcgmSimulator.DEMO_CONTAINER).seed(1)
            .build())) {
      LoadDriver driver = LoadDriver.start(LoadDriver.Config.builder(vllm.completionsUri())
          .pattern(LoadPattern.steady(20)).seed(1).closeGrace(Duration.ZERO).build());
      // watch's target vllm=vllm-demo@URL,pod=demo/vllm-demo-0
      PipelineTarget vllmTarget = PipelineTarget.builder(vllm.metricsUri()).name("vllm-demo").source("vllm")
          .pod(POD).build();
      PipelineTarget gpuTarget = PipelineTarget.builder(dcgm.metricsUri()).name("dcgm-demo").build();
      List<TargetWindow> seen = Collections.synchronizedList(new ArrayList<>());
      AcceleratorJoin join = AcceleratorJoin.builder(seen::add).target(vllmTarget).pricePerAcceleratorHour(1.21)
          .build();
      try (KpiPipeline pipeline = KpiPipeline.builder().interval(Duration.ofSeconds(2)).target(vllmTarget)
          .target(gpuTarget).consumer(join).build()) {
        pipeline.scrapeAll();
        Thread.sleep(2000);
        pipeline.scrapeAll();
      } finally {
        driver.close();
      }
      assertThat(seen).extracting(w -> w.target() + " " + w.sources().get(0).source())
          .contains("vllm-demo vllm", "dcgm-demo dcgm", "vllm-demo accelerators");
      TargetWindow joined = seen.stream().filter(w -> w.source(AcceleratorJoin.SOURCE).isPresent()).findFirst()
          .orElseThrow();
      var set = joined.kpiSets().get(0);
      assertThat(set.target()).isEqualTo("vllm-demo");
      double util = set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE).orElseThrow().value();
      assertThat(util).isBetween(0.0, 1.0);
      assertThat(set.find(Kpi.ACCELERATOR_COUNT, KpiStatistic.VALUE).orElseThrow().value()).isEqualTo(2);
      assertThat(join.joined()).isEqualTo(1);
    }
  }
}

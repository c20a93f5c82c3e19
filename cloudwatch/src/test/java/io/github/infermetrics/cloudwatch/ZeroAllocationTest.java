package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.testing.AllocationMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Steady-state writing allocates nothing: bytes allocated by this thread (ThreadMXBean) around many events into a
 * sink that keeps nothing, after a warm-up that lets the buffers grow and the JIT compile.
 */
class ZeroAllocationTest {
  private static final int ROUNDS = 5_000;
  private static final String[] NAMES = new String[10];
  private static final String[] UNITS = {"Seconds", "Milliseconds", "Count", "Count/Second", "Bytes", "None",
      "Percent", "Seconds", "Count", "Bytes/Second"};

  static {
    for (int i = 0; i < NAMES.length; i++) {
      NAMES[i] = "metric_" + i;
    }
  }

  private final EmfSink discard = EmfSinks.discard();
  private final EmfWriter writer = EmfWriter.builder("Inference").defaultDimension("cluster", "prod")
      .sink(discard).build();
  private final double[] values = {0.25, 12, 2.466666666666667, 1e-7, 123456.789, 0.0015, 42, 3.14, 7, 1e6};
  private final StringBuilder requestId = new StringBuilder("989ffbf8-9ace-4817-a57c-e4dd734019ee");

  /** The benchmark's event: 10 metrics, 3 dimensions, 5 properties. */
  private void oneEvent(long ts) {
    EmfWriter.Event e = writer.begin(ts)
        .dimension("model", "qwen3-8b")
        .dimension("engine", "0")
        .dimensionSet("model", "engine");
    for (int i = 0; i < NAMES.length; i++) {
      e.metric(NAMES[i], UNITS[i], values[i]);
    }
    e.property("requestId", requestId)
        .property("cached", true)
        .property("attempt", 3L)
        .property("score", 0.731)
        .property("route", "/v1/chat/completions")
        .end();
  }

  @Test
  void writingEventsAllocatesNothing() {
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    long ts = System.currentTimeMillis();
    for (int i = 0; i < ROUNDS; i++) {
      oneEvent(ts + i);
    }
    long bytes = meter.fewestOf3(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        oneEvent(ts + i);
      }
    });
    assertThat(bytes).as("bytes allocated by %d events", ROUNDS).isZero();
  }

  @Test
  void writingKpiSetsAllocatesNothing() {
    List<KpiValue> values = new ArrayList<>();
    for (String model : new String[] {"qwen3", "llama"}) {
      Labels l = Labels.of("model", model);
      values.add(new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, l, 2.4));
      for (KpiStatistic s : Kpi.TIME_TO_FIRST_TOKEN.statistics()) {
        values.add(new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, s, l, 0.1 + s.ordinal() / 10.0));
      }
      values.add(new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, l, 0.5));
    }
    KpiSet kpis = new KpiSet("vllm", "pod-1:8000", Instant.now(), Duration.ofSeconds(15), values);
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    for (int i = 0; i < ROUNDS; i++) {
      writer.write(kpis);
    }
    long bytes = meter.fewestOf3(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        writer.write(kpis);
      }
    });
    assertThat(bytes).as("bytes allocated by %d KPI sets", ROUNDS).isZero();
  }
}

package io.github.infermetrics.core.kpi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link KpiSource} computed between two scrapes of one target: every {@link MeasureValue}, the same values
 * laid out as {@link KpiTable}s for people, and the shared-vocabulary {@link KpiSet}. The source modules' typed
 * results ({@code TritonKpis}, {@code VllmKpis}, ...) implement it, so code that does not know the source (the
 * pipeline, the binders, the CLI) handles them all alike.
 *
 * <pre>{@code
 * KpiWindow w = source.between(previous, current, Duration.ofSeconds(15));
 * for (MeasureValue v : w.values()) {
 *   System.out.println(v.measure().columnName() + v.dimensions() + " = " + v.value());
 * }
 * KpiSet shared = w.toKpiSet("vllm-0:8000", Instant.now());
 * }</pre>
 */
public interface KpiWindow {
  /**
   * The name of the source that computed it.
   *
   * @return for example {@code vllm}
   */
  String source();

  /**
   * The time between the two scrapes.
   *
   * @return a positive duration
   */
  Duration window();

  /**
   * Every value computed, in a stable order (by row, then by measure).
   *
   * @return the values
   */
  List<MeasureValue> values();

  /**
   * Everything computed, for people: one table per kind of row (models, engines, GPUs, ...), one column per
   * measure.
   *
   * @return the tables
   */
  List<KpiTable> tables();

  /**
   * The window's latency histograms, per set of dimensions as its KPIs are split, with bounds in seconds: what
   * {@link SloGoodput} computes SLO goodput from. Sources with latency histograms (vLLM, Triton's first-response
   * histogram, ...) give them; others none.
   *
   * @return the histograms; empty by default
   */
  default List<WindowHistogram> histograms() {
    return List.of();
  }

  /**
   * Values the window had to leave out because the server's number was not finite (a {@code +Inf} or NaN gauge),
   * each as {@code name{dimensions} = value}. Absent values (no traffic in the window) are not drops.
   *
   * @return what was dropped; empty by default
   */
  default List<String> dropped() {
    return List.of();
  }

  /**
   * The values that are core KPIs, for the shared sinks.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@link #source()}, window {@link #window()}, with {@link #dropped()} counted
   */
  default KpiSet toKpiSet(String target, Instant at) {
    KpiSet.Builder b = KpiSet.builder(source(), target, at, window());
    for (MeasureValue v : values()) {
      b.add(v);
    }
    return b.dropped(dropped()).build();
  }
}

package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import java.util.List;
import java.util.Objects;

/**
 * One source's window of one target.
 *
 * @param source the source's name
 * @param window everything the source computed
 * @param derived what the pipeline derived from it: SLO goodput ({@link io.github.infermetrics.core.kpi.SloGoodput})
 *     and saturation ({@link io.github.infermetrics.core.kpi.Saturation})
 * @param kpis the shared-vocabulary KPIs (the window's and the derived ones), with {@code source} and
 *     {@code target} set
 */
public record SourceWindow(String source, KpiWindow window, List<MeasureValue> derived, KpiSet kpis) {
  /**
   * Validates and copies.
   *
   * @param source the source's name
   * @param window the window
   * @param derived the derived values
   * @param kpis the KPIs
   */
  public SourceWindow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(window, "window");
    derived = List.copyOf(derived);
    Objects.requireNonNull(kpis, "kpis");
  }

  /**
   * A window with nothing derived.
   *
   * @param source the source's name
   * @param window the window
   * @param kpis the KPIs
   */
  public SourceWindow(String source, KpiWindow window, KpiSet kpis) {
    this(source, window, List.of(), kpis);
  }

  /**
   * Every value: the window's and the derived ones.
   *
   * @return the values
   */
  public List<MeasureValue> values() {
    if (derived.isEmpty()) {
      return window.values();
    }
    List<MeasureValue> all = new java.util.ArrayList<>(window.values());
    all.addAll(derived);
    return all;
  }
}

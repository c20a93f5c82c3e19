package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiWindow;
import java.util.Objects;

/**
 * One source's window of one target.
 *
 * @param source the source's name
 * @param window everything the source computed
 * @param kpis the shared-vocabulary KPIs, with {@code source} and {@code target} set
 */
public record SourceWindow(String source, KpiWindow window, KpiSet kpis) {
  /**
   * Validates.
   *
   * @param source the source's name
   * @param window the window
   * @param kpis the KPIs
   */
  public SourceWindow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(kpis, "kpis");
  }
}

package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.KpiSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The KPIs of one target over one window, one {@link SourceWindow} per source it serves (Triton with its vLLM
 * backend gives two), and what went wrong with any source.
 *
 * @param target the target's name
 * @param at the end of the window (the later scrape's start)
 * @param window the time between the two scrapes
 * @param sources one per source that computed a window, in detection order
 * @param problems one line per source that could not compute one
 */
public record TargetWindow(String target, Instant at, Duration window, List<SourceWindow> sources,
    List<String> problems) {
  /**
   * Validates and copies.
   *
   * @param target the name
   * @param at the end
   * @param window the length
   * @param sources the windows
   * @param problems the problems
   */
  public TargetWindow {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    sources = List.copyOf(sources);
    problems = List.copyOf(problems);
  }

  /**
   * The KPI sets of all sources.
   *
   * @return one per source
   */
  public List<KpiSet> kpiSets() {
    List<KpiSet> out = new ArrayList<>(sources.size());
    for (SourceWindow s : sources) {
      out.add(s.kpis());
    }
    return out;
  }

  /**
   * One source's window.
   *
   * @param source the source's name
   * @return its window, or empty
   */
  public Optional<SourceWindow> source(String source) {
    for (SourceWindow s : sources) {
      if (s.source().equals(source)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Values dropped in all sources because they were not finite.
   *
   * @return the count
   */
  public int dropped() {
    int n = 0;
    for (SourceWindow s : sources) {
      n += s.kpis().dropped().size();
    }
    return n;
  }
}

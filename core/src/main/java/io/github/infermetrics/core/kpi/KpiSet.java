package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.LabelMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The KPIs of one source (one target) over one window: what the triton, vllm and neuron modules produce from two
 * snapshots, and what the binder and the CloudWatch writer consume.
 *
 * <pre>{@code
 * KpiSet kpis = ...;
 * kpis.find(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, LabelMatcher.eq(KpiDimension.MODEL, "qwen3"))
 *     .ifPresent(v -> System.out.println(v.value() + " s"));
 * }</pre>
 *
 * @param source the source, for example {@code vllm}
 * @param target the scraped endpoint, or {@code ""}
 * @param at the end of the window
 * @param window the window length
 * @param values the values
 */
public record KpiSet(String source, String target, Instant at, Duration window, List<KpiValue> values) {
  /**
   * Validates and copies.
   *
   * @param source the source
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @param window the window length; positive
   * @param values the values
   */
  public KpiSet {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    values = List.copyOf(values);
  }

  /**
   * The values of one KPI and statistic whose dimensions match every matcher.
   *
   * @param kpi the KPI
   * @param statistic the statistic
   * @param matchers dimension matchers
   * @return the values, in order
   */
  public List<KpiValue> values(Kpi kpi, KpiStatistic statistic, LabelMatcher... matchers) {
    List<KpiValue> out = new ArrayList<>();
    for (KpiValue v : values) {
      if (v.kpi() == kpi && v.statistic() == statistic && matchesAll(v, matchers)) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * The first value of one KPI and statistic whose dimensions match every matcher.
   *
   * @param kpi the KPI
   * @param statistic the statistic
   * @param matchers dimension matchers
   * @return the value, or empty
   */
  public Optional<KpiValue> find(Kpi kpi, KpiStatistic statistic, LabelMatcher... matchers) {
    for (KpiValue v : values) {
      if (v.kpi() == kpi && v.statistic() == statistic && matchesAll(v, matchers)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private static boolean matchesAll(KpiValue v, LabelMatcher[] matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(v.dimensions())) {
        return false;
      }
    }
    return true;
  }
}

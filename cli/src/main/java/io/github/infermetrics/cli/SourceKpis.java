package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.triton.TritonKpis;
import io.github.infermetrics.triton.TritonSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Picks a source's typed KPIs for two snapshots: what {@code kpi --source} and {@code watch} print. */
final class SourceKpis {
  /** The sources {@code --source} accepts; GENERIC is the per-series comparison of any exposition. */
  enum Source {
    GENERIC, AUTO, TRITON, VLLM, NEURON;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A source's KPIs in the two shapes the writers print. */
  record Report(KpiSet kpis, List<KpiTable> tables) {}

  private SourceKpis() {}

  /** The source whose families the snapshot has: Triton first (its vLLM backend adds {@code vllm:} families). */
  static Source detect(MetricSnapshot snapshot) {
    if (TritonSnapshot.detect(snapshot)) {
      return Source.TRITON;
    }
    return Source.GENERIC;
  }

  /**
   * The KPIs of one source between two snapshots.
   *
   * @throws IllegalArgumentException when the current snapshot has none of the source's families
   */
  static Report compute(Source source, MetricSnapshot previous, MetricSnapshot current, double windowSeconds,
      String target, Instant at) {
    switch (source) {
      case TRITON: {
        if (!TritonSnapshot.detect(current)) {
          throw new IllegalArgumentException("no Triton families (nv_*) in the exposition");
        }
        TritonKpis kpis = TritonKpis.between(TritonSnapshot.of(previous), TritonSnapshot.of(current), windowSeconds);
        return new Report(kpis.toKpiSet(target, at), kpis.tables());
      }
      default:
        throw new IllegalArgumentException("no typed KPIs for source " + source);
    }
  }
}

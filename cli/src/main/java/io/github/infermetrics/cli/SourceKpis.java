package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.neuron.scrape.NeuronPrometheusKpis;
import io.github.infermetrics.neuron.scrape.NeuronPrometheusSnapshot;
import io.github.infermetrics.triton.TritonKpis;
import io.github.infermetrics.triton.TritonSnapshot;
import io.github.infermetrics.vllm.VllmKpis;
import io.github.infermetrics.vllm.VllmSnapshot;
import java.time.Instant;
import java.util.ArrayList;
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

  /**
   * The source whose families the snapshot has, or GENERIC: Triton first (its vLLM backend adds {@code vllm:}
   * families), then vLLM, then neuron-monitor-prometheus.
   */
  static Source detect(MetricSnapshot snapshot) {
    if (TritonSnapshot.detect(snapshot)) {
      return Source.TRITON;
    }
    if (VllmSnapshot.detect(snapshot)) {
      return Source.VLLM;
    }
    if (NeuronPrometheusSnapshot.detect(snapshot)) {
      return Source.NEURON;
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
        TritonSnapshot prev = TritonSnapshot.of(previous);
        TritonSnapshot curr = TritonSnapshot.of(current);
        TritonKpis kpis = TritonKpis.between(prev, curr, windowSeconds);
        KpiSet set = kpis.toKpiSet(target, at);
        List<KpiTable> tables = new ArrayList<>(kpis.tables());
        MetricSnapshot vllmFamilies = curr.vllmFamilies();
        if (VllmSnapshot.detect(vllmFamilies)) {
          // Triton's vLLM backend: its vllm:* families get the vllm view, tables prefixed so names stay distinct
          VllmKpis vllm = VllmKpis.between(VllmSnapshot.of(prev.vllmFamilies()), VllmSnapshot.of(vllmFamilies),
              windowSeconds);
          List<io.github.infermetrics.core.kpi.KpiValue> values = new ArrayList<>(set.values());
          values.addAll(vllm.toKpiSet(target, at).values());
          set = new KpiSet(set.source(), set.target(), set.at(), set.window(), values);
          for (KpiTable t : vllm.tables()) {
            tables.add(new KpiTable("vllm_" + t.name(), t.keys(), t.columns(), t.rows()));
          }
        }
        return new Report(set, tables);
      }
      case VLLM: {
        if (!VllmSnapshot.detect(current)) {
          throw new IllegalArgumentException("no vLLM families (vllm:*) in the exposition");
        }
        VllmKpis kpis = VllmKpis.between(VllmSnapshot.of(previous), VllmSnapshot.of(current), windowSeconds);
        return new Report(kpis.toKpiSet(target, at), kpis.tables());
      }
      case NEURON: {
        if (!NeuronPrometheusSnapshot.detect(current)) {
          throw new IllegalArgumentException("no neuron-monitor-prometheus families (neuroncore_utilization_ratio,"
              + " execution_latency_seconds, ...) in the exposition");
        }
        NeuronPrometheusKpis kpis = NeuronPrometheusKpis.between(NeuronPrometheusSnapshot.of(previous),
            NeuronPrometheusSnapshot.of(current), windowSeconds);
        return new Report(kpis.toKpiSet(target, at), kpis.tables());
      }
      default:
        throw new IllegalArgumentException("no typed KPIs for source " + source);
    }
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.cloudwatch.AgentSink;
import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.EmfSinks;
import io.github.infermetrics.cloudwatch.EmfWriter;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.neuron.ContainerInsightsMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --emf SINK} output of {@code watch} and {@code neuron}: KPI sets (and Container Insights metrics) as
 * Embedded Metric Format events. Scrapes arrive on several threads and an {@link EmfWriter} is for one thread, so
 * writes are serialised here.
 */
final class EmfOutput implements AutoCloseable {
  /** The namespace of CloudWatch Container Insights, where the agent writes its neuron metrics. */
  static final String CONTAINER_INSIGHTS_NAMESPACE = "ContainerInsights";

  private final String spec;
  private final EmfSink sink;
  private final EmfWriter kpis;
  private EmfWriter containerInsights;
  private final Map<String, String> dimensions;
  private long sets;
  /** Container Insights events whose dimensions the writer refused. */
  private long containerInsightsRefused;

  /**
   * Opens the sink.
   *
   * @throws IllegalArgumentException when the sink spec, the namespace or a dimension is invalid
   */
  EmfOutput(String spec, String namespace, Map<String, String> dimensions) {
    this.spec = spec;
    this.dimensions = dimensions == null ? Map.of() : new LinkedHashMap<>(dimensions);
    EmfSink s = EmfSinks.parse(spec);
    try {
      EmfWriter.Builder b = EmfWriter.builder(namespace).sink(s);
      this.dimensions.forEach(b::defaultDimension);
      this.kpis = b.build();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    this.sink = s;
  }

  synchronized void write(KpiSet set) {
    kpis.write(set);
    sets++;
  }

  private EmfWriter containerInsights() {
    if (containerInsights == null) {
      EmfWriter.Builder b = EmfWriter.builder(CONTAINER_INSIGHTS_NAMESPACE).sink(sink);
      dimensions.forEach(b::defaultDimension);
      containerInsights = b.build();
    }
    return containerInsights;
  }

  /** Container Insights metrics: one event per set of dimensions, in the agent's namespace. */
  synchronized void write(List<ContainerInsightsMapping.Metric> metrics, long timestampMillis) {
    containerInsights();
    Map<Labels, List<ContainerInsightsMapping.Metric>> byDimensions = new LinkedHashMap<>();
    for (ContainerInsightsMapping.Metric m : metrics) {
      byDimensions.computeIfAbsent(m.dimensions(), k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<Labels, List<ContainerInsightsMapping.Metric>> e : byDimensions.entrySet()) {
      Labels dims = e.getKey();
      try {
        EmfWriter.Event event = containerInsights.begin(timestampMillis);
        String[] keys = new String[dims.size()];
        for (int i = 0; i < dims.size(); i++) {
          event.dimension(dims.name(i), dims.value(i));
          keys[i] = dims.name(i);
        }
        event.dimensionSet(keys);
        for (ContainerInsightsMapping.Metric m : e.getValue()) {
          event.metric(m.name(), m.unit(), m.value());
        }
        event.end();
      } catch (IllegalArgumentException invalid) {
        // dimensions come from the report (an empty namespace or container name, say): data, not a bug, so the
        // event is dropped and counted as EmfWriter.write(KpiSet) does, and the command goes on
        containerInsightsRefused++;
      }
    }
  }

  /**
   * Container Insights GPU metrics ({@code io.github.infermetrics.dcgm.ContainerInsightsMapping}): one event per
   * dimensions, properties and dimension sets, in the agent's namespace; an event the writer refuses is counted.
   */
  synchronized void writeGpu(List<io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric> metrics,
      long timestampMillis) {
    EmfWriter w = containerInsights();
    Map<List<Object>, List<io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric>> events =
        new LinkedHashMap<>();
    for (io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric m : metrics) {
      events.computeIfAbsent(List.of(m.dimensions(), m.properties(), m.dimensionSets()), k -> new ArrayList<>())
          .add(m);
    }
    for (List<io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric> group : events.values()) {
      io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric first = group.get(0);
      try {
        EmfWriter.Event event = w.begin(timestampMillis);
        Labels d = first.dimensions();
        for (int i = 0; i < d.size(); i++) {
          event.dimension(d.name(i), d.value(i));
        }
        Labels p = first.properties();
        for (int i = 0; i < p.size(); i++) {
          event.property(p.name(i), p.value(i));
        }
        for (List<String> set : first.dimensionSets()) {
          event.dimensionSet(set.toArray(String[]::new));
        }
        if (first.dimensionSets().isEmpty()) {
          event.dimensionSet();
        }
        for (io.github.infermetrics.dcgm.ContainerInsightsMapping.Metric m : group) {
          event.metric(m.name(), m.unit(), m.value());
        }
        event.end();
      } catch (IllegalArgumentException invalid) {
        // a label value the writer refuses (too long, say) is data, not a bug: counted, and the command goes on
        containerInsightsRefused++;
      }
    }
  }

  /**
   * Events that will never arrive: dropped by the sink (the agent unreachable, a full queue, still queued at close)
   * or refused by the writer. Final once {@link #close()} has returned.
   */
  synchronized long lost() {
    return refused() + sink.dropped();
  }

  private long refused() {
    return kpis.eventsDropped() + (containerInsights == null ? 0 : containerInsights.eventsDropped())
        + containerInsightsRefused;
  }

  /** What happened, for the user: events written, values dropped as non-finite, events the sink dropped. */
  synchronized String summary() {
    long written = kpis.eventsWritten() + (containerInsights == null ? 0 : containerInsights.eventsWritten());
    long nonFinite = kpis.nonFiniteDropped() + (containerInsights == null ? 0 : containerInsights.nonFiniteDropped());
    long refused = refused();
    Exception failure = sink instanceof AgentSink agent ? agent.lastFailure() : null;
    return "EMF: " + written + " events from " + sets + " KPI sets to " + spec
        + (nonFinite > 0 ? ", " + nonFinite + " non-finite values dropped" : "")
        + (refused > 0 ? ", " + refused + " events refused (invalid dimensions)" : "")
        + (sink.dropped() > 0 ? ", " + sink.dropped() + " events dropped by the sink" + (failure == null ? ""
            : " (last error: " + failure.getMessage() + ")") : "");
  }

  @Override
  public synchronized void close() {
    sink.close();
  }
}

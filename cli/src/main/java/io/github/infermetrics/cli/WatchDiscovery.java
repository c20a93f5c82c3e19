package io.github.infermetrics.cli;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets of {@code watch} that discovery finds ({@code --file-sd}, {@code --http-sd},
 * {@code --kubernetes-pods}, {@code --kubernetes-endpointslices}), joined with the ones on the command line: on every
 * change of any discovery, the pipeline's targets become exactly the listed ones plus every discovery's current
 * list, so a target that appears starts its window and one that goes is dropped with its state. A name taken twice
 * keeps its first target and says so once.
 */
final class WatchDiscovery implements AutoCloseable {
  private final KpiPipeline pipeline;
  private final AcceleratorJoin join;
  private final List<PipelineTarget> listed;
  private final Duration timeout;
  private final PrintWriter err;
  private final List<TargetDiscovery> discoveries;
  private final Map<TargetDiscovery, List<DiscoveredTarget>> found = new LinkedHashMap<>();
  private final java.util.Set<String> reportedClashes = new java.util.HashSet<>();

  WatchDiscovery(KpiPipeline pipeline, AcceleratorJoin join, List<PipelineTarget> listed,
      List<TargetDiscovery> discoveries, Duration timeout, PrintWriter err) {
    this.pipeline = pipeline;
    this.join = join;
    this.listed = List.copyOf(listed);
    this.discoveries = List.copyOf(discoveries);
    this.timeout = timeout;
    this.err = err;
  }

  /** Starts every discovery; each delivers its first list before this returns (or counts its error). */
  void start() {
    for (TargetDiscovery d : discoveries) {
      d.start(list -> update(d, list));
    }
  }

  private synchronized void update(TargetDiscovery d, List<DiscoveredTarget> list) {
    found.put(d, list);
    Map<String, PipelineTarget> wanted = new LinkedHashMap<>();
    for (PipelineTarget t : listed) {
      wanted.put(t.name(), t);
    }
    for (Map.Entry<TargetDiscovery, List<DiscoveredTarget>> e : found.entrySet()) {
      for (DiscoveredTarget t : e.getValue()) {
        PipelineTarget p = toPipelineTarget(t);
        if (wanted.putIfAbsent(p.name(), p) != null && reportedClashes.add(p.name())) {
          err.println("watch: " + e.getKey().description() + " found a second target named " + p.name() + " ("
              + t.url() + "); the first one is kept");
          err.flush();
        }
      }
    }
    // a discovered model server's pod joins its GPUs' values to its KPIs
    wanted.values().forEach(join::watch);
    pipeline.replaceTargets(new ArrayList<>(wanted.values()));
  }

  private PipelineTarget toPipelineTarget(DiscoveredTarget t) {
    PipelineTarget.Builder b = PipelineTarget.builder(t.url()).name(t.name()).labels(t.labels()).timeout(timeout);
    t.source().ifPresent(s -> {
      for (String one : s.split(",")) {
        if (!one.isBlank()) {
          b.source(one.trim());
        }
      }
    });
    t.pod().ifPresent(b::pod);
    return b.build();
  }

  /** One line per discovery with errors, for the end of the run. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    for (TargetDiscovery d : discoveries) {
      if (d.errors() > 0) {
        out.add(d.description() + ": " + d.errors() + " errors" + d.lastError().map(m -> ", the last: " + m)
            .orElse(""));
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (TargetDiscovery d : discoveries) {
      d.close();
    }
  }
}

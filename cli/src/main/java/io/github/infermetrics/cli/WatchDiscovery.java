package io.github.infermetrics.cli;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.MergedTargets;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
  private final List<TargetDiscovery> discoveries;
  private final MergedTargets targets;

  WatchDiscovery(KpiPipeline pipeline, AcceleratorJoin join, List<PipelineTarget> listed,
      List<TargetDiscovery> discoveries, Duration timeout,
      java.util.function.Consumer<io.github.infermetrics.core.scrape.ScrapeTarget.Builder> settings,
      PrintWriter err) {
    this.pipeline = pipeline;
    this.join = join;
    this.discoveries = List.copyOf(discoveries);
    this.targets = new MergedTargets(listed,
        (d, t) -> Optional.of(PipelineTarget.builder(t).timeout(timeout).scrape(settings).build()),
        clash -> {
          err.println("watch: " + clash);
          err.flush();
        });
  }

  /** Starts every discovery; each delivers its first list before this returns (or counts its error). */
  void start() {
    for (TargetDiscovery d : discoveries) {
      d.start(list -> update(d, list));
    }
  }

  private synchronized void update(TargetDiscovery d, List<DiscoveredTarget> list) {
    List<PipelineTarget> wanted = targets.update(d, list);
    // a discovered model server's pod joins its GPUs' values to its KPIs
    wanted.forEach(join::watch);
    pipeline.replaceTargets(wanted);
  }

  /** One line per discovery with errors, for the end of the run. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    for (TargetDiscovery d : discoveries) {
      if (d.errors() > 0) {
        out.add(d.description() + ": " + d.errors() + (d.errors() == 1 ? " error" : " errors")
            + d.lastError().map(m -> ", the last: " + m).orElse(""));
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

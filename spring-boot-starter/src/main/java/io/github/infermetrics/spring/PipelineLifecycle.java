package io.github.infermetrics.spring;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.MergedTargets;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the starter's pipeline with the application context: at start its discoveries deliver their first lists and
 * scraping begins; at stop (the first thing the context does on close, before the web server and the beans go)
 * discovery and scraping end, so no window reaches a sink that is being closed. Stopping is final: the pipeline and
 * its discoveries cannot start again.
 *
 * <p>The targets are the listed ones plus every discovery's current list, made the pipeline's targets on each
 * change of any discovery ({@link KpiPipeline#replaceTargets}): a target that appears starts its window, one that
 * goes is dropped with its meters. A name taken twice keeps its first target; a discovered target that names a
 * source that is not installed is left out. Each of these is logged once.
 */
final class PipelineLifecycle implements SmartLifecycle {
  private static final System.Logger LOG = System.getLogger(PipelineLifecycle.class.getName());

  private final KpiPipeline pipeline;
  private final int listed;
  private final MergedTargets targets;
  private final Supplier<List<TargetDiscovery>> ownDiscoveries;
  private final List<TargetDiscovery> applicationDiscoveries;
  private final Duration timeout;
  private final Consumer<ScrapeTarget.Builder> limits;
  private final Object lock = new Object();
  private final Set<String> reported = new HashSet<>();
  private List<TargetDiscovery> own = List.of();
  private volatile boolean running;
  private boolean stopped;

  /**
   * A lifecycle; nothing runs before {@link #start()}.
   *
   * @param pipeline the starter's pipeline, holding the listed targets already
   * @param listed the listed targets
   * @param ownDiscoveries opens the discoveries of the properties at start; they are closed at stop
   * @param applicationDiscoveries the application's {@link TargetDiscovery} beans: started here, closed by Spring
   * @param timeout the scrape timeout of discovered targets
   * @param limits sets {@code infermetrics.limits} on a discovered target's scrape
   */
  PipelineLifecycle(KpiPipeline pipeline, List<PipelineTarget> listed, Supplier<List<TargetDiscovery>> ownDiscoveries,
      List<TargetDiscovery> applicationDiscoveries, Duration timeout, Consumer<ScrapeTarget.Builder> limits) {
    this.pipeline = pipeline;
    this.listed = listed.size();
    this.targets = new MergedTargets(listed, (d, t) -> Optional.ofNullable(toPipelineTarget(d, t)),
        clash -> once(clash, () -> clash));
    this.ownDiscoveries = ownDiscoveries;
    this.applicationDiscoveries = List.copyOf(applicationDiscoveries);
    this.timeout = timeout;
    this.limits = limits;
  }

  @Override
  public void start() {
    List<TargetDiscovery> all;
    synchronized (lock) {
      if (running) {
        return;
      }
      if (stopped) {
        throw new IllegalStateException("the infermetrics pipeline was stopped; it does not start again");
      }
      own = ownDiscoveries.get();
      all = new ArrayList<>(own);
      all.addAll(applicationDiscoveries);
    }
    try {
      // each delivers its first list before start returns (bounded by its own timeout), so the first scrapes
      // already cover the discovered targets
      for (TargetDiscovery d : all) {
        d.start(list -> update(d, list));
      }
      pipeline.start();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    running = true;
    LOG.log(Level.INFO, () -> "infermetrics: watching " + pipeline.status().size() + " targets every "
        + pipeline.interval().toString().substring(2).toLowerCase(Locale.ROOT)
        + (all.isEmpty() ? "" : ", from " + String.join(", ", all.stream().map(TargetDiscovery::description)
            .toList()) + (listed == 0 ? "" : " and " + listed + " listed")));
  }

  @Override
  public void stop() {
    List<TargetDiscovery> closing;
    synchronized (lock) {
      running = false;
      stopped = true;
      closing = own;
    }
    for (TargetDiscovery d : closing) {
      try {
        d.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, () -> "infermetrics: closing " + d.description() + " failed: " + e);
      }
    }
    pipeline.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Every discovery, the properties' and the application's, for the health details. */
  List<TargetDiscovery> discoveries() {
    synchronized (lock) {
      List<TargetDiscovery> all = new ArrayList<>(own);
      all.addAll(applicationDiscoveries);
      return all;
    }
  }

  private void update(TargetDiscovery d, List<DiscoveredTarget> list) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      pipeline.replaceTargets(targets.update(d, list));
    }
  }

  private PipelineTarget toPipelineTarget(TargetDiscovery d, DiscoveredTarget t) {
    PipelineTarget target = PipelineTarget.builder(t).timeout(timeout).scrape(limits).build();
    for (String name : target.sources()) {
      if (pipeline.sources().find(name).isEmpty()) {
        once("source " + t.name() + " " + name, () -> d.description() + ": target " + t.name() + " names the"
            + " source '" + name + "', which is not installed (" + String.join(", ", pipeline.sources().names())
            + "); it is left out");
        return null;
      }
    }
    return target;
  }

  private void once(String key, Supplier<String> message) {
    if (reported.add(key)) {
      LOG.log(Level.WARNING, () -> "infermetrics: " + message.get());
    }
  }
}

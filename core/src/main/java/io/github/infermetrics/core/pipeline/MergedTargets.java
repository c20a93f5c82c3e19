package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The targets a pipeline should watch when some are listed and others come from discoveries: the listed ones, then
 * every discovery's latest list in the order the discoveries first reported. A name is kept by its first target (a
 * listed one wins over a discovered one); each clash is reported once. Thread-safe.
 *
 * <pre>{@code
 * MergedTargets targets = new MergedTargets(listed, (d, t) -> Optional.of(PipelineTarget.builder(t).build()),
 *     clash -> log.warning(clash));
 * for (TargetDiscovery d : discoveries) {
 *   d.start(found -> pipeline.replaceTargets(targets.update(d, found)));
 * }
 * }</pre>
 */
public final class MergedTargets {
  /** Receives one line per name that a second target also had. */
  @FunctionalInterface
  public interface ClashListener {
    /**
     * Called once per clashing name.
     *
     * @param message {@code DISCOVERY found a second target named NAME (URL); the first one is kept}
     */
    void clash(String message);
  }

  private final List<PipelineTarget> listed;
  private final BiFunction<TargetDiscovery, DiscoveredTarget, Optional<PipelineTarget>> convert;
  private final ClashListener clashes;
  private final Map<TargetDiscovery, List<DiscoveredTarget>> found = new LinkedHashMap<>();
  private final Set<String> reported = new HashSet<>();

  /**
   * Starts with the listed targets.
   *
   * @param listed targets given directly, kept first
   * @param convert a discovered target (and the discovery that found it) as the pipeline should watch it; empty
   *     leaves it out
   * @param clashes told of each name a second target had, once
   */
  public MergedTargets(List<PipelineTarget> listed, BiFunction<TargetDiscovery, DiscoveredTarget, Optional<PipelineTarget>> convert,
      ClashListener clashes) {
    this.listed = List.copyOf(listed);
    this.convert = Objects.requireNonNull(convert, "convert");
    this.clashes = Objects.requireNonNull(clashes, "clashes");
  }

  /**
   * Takes a discovery's new list and gives the whole set of targets.
   *
   * @param discovery the discovery that changed
   * @param list its complete list now
   * @return every target to watch, for {@link KpiPipeline#replaceTargets}
   */
  public synchronized List<PipelineTarget> update(TargetDiscovery discovery, List<DiscoveredTarget> list) {
    found.put(Objects.requireNonNull(discovery, "discovery"), List.copyOf(list));
    Map<String, PipelineTarget> wanted = new LinkedHashMap<>();
    for (PipelineTarget t : listed) {
      wanted.put(t.name(), t);
    }
    for (Map.Entry<TargetDiscovery, List<DiscoveredTarget>> e : found.entrySet()) {
      for (DiscoveredTarget t : e.getValue()) {
        Optional<PipelineTarget> p = convert.apply(e.getKey(), t);
        if (p.isPresent() && wanted.putIfAbsent(p.get().name(), p.get()) != null
            && reported.add(p.get().name())) {
          clashes.clash(e.getKey().description() + " found a second target named " + p.get().name() + " ("
              + t.url() + "); the first one is kept");
        }
      }
    }
    return new ArrayList<>(wanted.values());
  }
}

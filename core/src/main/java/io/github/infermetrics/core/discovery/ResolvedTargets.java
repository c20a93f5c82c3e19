package io.github.infermetrics.core.discovery;

import java.util.List;

/**
 * What {@link TargetLabelling#resolve(List)} made of some target groups.
 *
 * @param targets the targets, sorted by name, names unique
 * @param dropped how many targets relabelling rules dropped (on purpose: not errors)
 * @param errors one line per target that could not be used ({@code targets.json:0: target 2: no address}); such a
 *     target is left out and nothing else is affected
 */
public record ResolvedTargets(List<DiscoveredTarget> targets, int dropped, List<String> errors) {
  /**
   * Copies.
   *
   * @param targets the targets
   * @param dropped the count of dropped targets
   * @param errors the rejected targets' messages
   */
  public ResolvedTargets {
    targets = List.copyOf(targets);
    errors = List.copyOf(errors);
    if (dropped < 0) {
      throw new IllegalArgumentException("dropped is negative: " + dropped);
    }
  }
}

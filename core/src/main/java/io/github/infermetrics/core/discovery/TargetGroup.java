package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.List;
import java.util.Objects;

/**
 * A group of targets sharing labels, as Prometheus service discovery hands them over: from one entry of a
 * {@code file_sd} or {@code http_sd} list, or from one Kubernetes pod. {@link TargetLabelling} turns groups into
 * {@link DiscoveredTarget}s.
 *
 * <pre>{@code
 * TargetGroup g = new TargetGroup("targets.json:0",
 *     List.of(Labels.of("__address__", "10.0.0.7:8000"), Labels.of("__address__", "10.0.0.8:8000")),
 *     Labels.of("job", "vllm", "__meta_filepath", "targets.json"));
 * }</pre>
 *
 * @param source where the group comes from, for error messages: {@code file:index}, {@code url:index},
 *     {@code pod/namespace/name}
 * @param targets one label set per target, each usually holding just {@code __address__}; a target's labels win
 *     over the group's
 * @param labels labels common to all targets, including {@code __meta_*} labels for relabelling
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
  /**
   * Validates and copies.
   *
   * @param source where the group comes from
   * @param targets the targets' label sets
   * @param labels the common labels
   */
  public TargetGroup {
    Objects.requireNonNull(source, "source");
    targets = List.copyOf(targets);
    Objects.requireNonNull(labels, "labels");
  }
}

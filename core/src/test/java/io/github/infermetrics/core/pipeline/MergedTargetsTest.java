package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Listed targets plus every discovery's latest list, a name kept by its first target. */
class MergedTargetsTest {
  private static TargetDiscovery discovery(String description) {
    return new TargetDiscovery() {
      @Override
      public void start(Consumer<List<DiscoveredTarget>> listener) {}

      @Override
      public List<DiscoveredTarget> current() {
        return List.of();
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public long errors() {
        return 0;
      }

      @Override
      public Optional<String> lastError() {
        return Optional.empty();
      }

      @Override
      public int droppedTargets() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  private static DiscoveredTarget found(String name, int port) {
    return new DiscoveredTarget(URI.create("http://10.0.0.1:" + port + "/metrics"), name, Labels.EMPTY,
        Optional.empty(), Optional.empty());
  }

  private static List<String> names(List<PipelineTarget> targets) {
    return targets.stream().map(PipelineTarget::name).toList();
  }

  @Test
  void listedFirstThenEachDiscoveryLatestListAndAClashReportedOnce() {
    List<String> clashes = new ArrayList<>();
    PipelineTarget listed = PipelineTarget.builder(URI.create("http://10.0.0.9:8000/metrics")).name("a").build();
    MergedTargets targets = new MergedTargets(List.of(listed),
        (d, t) -> t.name().equals("skipped") ? Optional.empty() : Optional.of(PipelineTarget.builder(t).build()),
        clashes::add);
    TargetDiscovery files = discovery("file_sd x.json");
    TargetDiscovery http = discovery("http_sd http://sd/");

    assertThat(names(targets.update(files, List.of(found("b", 1), found("a", 2), found("skipped", 3)))))
        .containsExactly("a", "b");
    assertThat(names(targets.update(http, List.of(found("c", 4), found("b", 5))))).containsExactly("a", "b", "c");
    // the file changes: its targets are replaced, the other discovery's kept
    List<PipelineTarget> now = targets.update(files, List.of(found("d", 6), found("a", 7)));
    assertThat(names(now)).containsExactly("a", "d", "c", "b");
    assertThat(now.get(0)).isSameAs(listed);
    assertThat(now.get(3).uri().getPort()).isEqualTo(5); // b now comes from http_sd alone
    assertThat(clashes).containsExactly(
        "file_sd x.json found a second target named a (http://10.0.0.1:2/metrics); the first one is kept",
        "http_sd http://sd/ found a second target named b (http://10.0.0.1:5/metrics); the first one is kept");
  }
}

package io.github.infermetrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.TargetWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows that arrive after their target's removal are dropped; the target's windows after it is back are not. */
class LateWindowFilterTest {
  private static final Instant REMOVAL = Instant.parse("2026-11-23T09:26:06Z");

  private final List<String> seen = new ArrayList<>();
  private final KpiConsumer recorder = new KpiConsumer() {
    @Override
    public void accept(TargetWindow window) {
      seen.add("window " + window.target() + " " + window.at());
    }

    @Override
    public void removed(String target) {
      seen.add("removed " + target);
    }
  };
  private Instant now = REMOVAL;
  private final LateWindowFilter filter = new LateWindowFilter(recorder, () -> now);

  @Test
  void aWindowScrapedBeforeTheRemovalIsDropped() {
    filter.accept(window("vllm-0", REMOVAL.minusMillis(400)));
    filter.removed("vllm-0");
    // the scrape was in flight when the target went: its window comes late
    filter.accept(window("vllm-0", REMOVAL.minusMillis(200)));
    filter.accept(window("vllm-1", REMOVAL.minusMillis(200)));
    assertThat(seen).containsExactly("window vllm-0 " + REMOVAL.minusMillis(400), "removed vllm-0",
        "window vllm-1 " + REMOVAL.minusMillis(200));
  }

  @Test
  void aTargetOfTheSameNameAddedLaterPasses() {
    filter.removed("vllm-0");
    filter.accept(window("vllm-0", REMOVAL.plusSeconds(15)));
    filter.accept(window("vllm-0", REMOVAL.minusSeconds(1))); // forgotten once the new target's windows came
    assertThat(seen).containsExactly("removed vllm-0", "window vllm-0 " + REMOVAL.plusSeconds(15),
        "window vllm-0 " + REMOVAL.minusSeconds(1));
  }

  @Test
  void removalsAreForgottenAfterTenMinutes() {
    filter.removed("gone");
    now = REMOVAL.plus(Duration.ofMinutes(11));
    filter.removed("other");
    filter.accept(window("gone", REMOVAL.minusSeconds(1)));
    assertThat(seen).containsExactly("removed gone", "removed other", "window gone " + REMOVAL.minusSeconds(1));
  }

  private static TargetWindow window(String target, Instant at) {
    return new TargetWindow(target, at, Duration.ofMillis(200), List.of(), List.of());
  }
}

package io.github.infermetrics.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A view derived from a snapshot is made once per type and kept with it: a source reads each scrape as the current one
 * of a window and again as the previous one of the next.
 */
class SnapshotViewTest {
  private record Sizes(int families, long samples) {}

  private record Names(String first) {}

  private static MetricSnapshot scrape() {
    return new SnapshotReader().read("a 1\nb 2\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aViewIsDerivedOnceAndEachTypeIsKept() {
    MetricSnapshot s = scrape();
    AtomicInteger derived = new AtomicInteger();
    Sizes first = s.view(Sizes.class, x -> {
      derived.incrementAndGet();
      return new Sizes(x.families().size(), x.sampleCount());
    });
    Names names = s.view(Names.class, x -> new Names(x.families().get(0).name()));
    Sizes again = s.view(Sizes.class, x -> {
      derived.incrementAndGet();
      return new Sizes(-1, -1);
    });

    assertThat(first).isEqualTo(new Sizes(2, 2));
    assertThat(again).isSameAs(first);
    assertThat(derived).hasValue(1);
    assertThat(s.view(Names.class, x -> new Names("other"))).isSameAs(names).isEqualTo(new Names("a"));
    assertThat(scrape().view(Sizes.class, x -> new Sizes(0, 0))).isEqualTo(new Sizes(0, 0));
  }

  @Test
  void aFailedDerivationIsNotKept() {
    MetricSnapshot s = scrape();
    assertThatThrownBy(() -> s.view(Sizes.class, x -> {
      throw new IllegalArgumentException("no such family");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("no such family");
    assertThatThrownBy(() -> s.view(Sizes.class, x -> null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("derived view");

    assertThat(s.view(Sizes.class, x -> new Sizes(1, 1))).isEqualTo(new Sizes(1, 1));
  }
}

package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Source detection of one target: once while its families stay the same, again when they change. */
class TargetPipelineTest {
  private static final String QUEUE = "# TYPE q_waiting gauge\nq_waiting{model=\"m\"} %d\n";
  private static final String OTHER = "# TYPE other_total counter\nother_total %d\n";

  /** The test's queue source, counting how often it is asked to recognise a scrape. */
  static final class CountingQueueSource extends KpiPipelineTest.QueueSource {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public double recognize(MetricSnapshot s) {
      asked.incrementAndGet();
      return super.recognize(s);
    }
  }

  private final SnapshotReader reader = new SnapshotReader();
  private final PipelineTarget target = PipelineTarget.of(URI.create("http://127.0.0.1:1/metrics"));
  private Instant at = Instant.parse("2026-12-07T10:00:00Z");

  private ScrapeResult scrape(String body) {
    at = at.plusSeconds(5);
    return new ScrapeResult(target.scrape(), at, Duration.ofMillis(1), 200, body.length(), 1, "text/plain", null,
        reader.read(body.getBytes(StandardCharsets.UTF_8)), null);
  }

  @Test
  void detectsOnceWhileTheFamiliesStayTheSame() {
    CountingQueueSource queue = new CountingQueueSource();
    TargetPipeline p = new TargetPipeline(target, KpiSources.of(List.of(queue)));
    for (int i = 0; i < 5; i++) {
      p.accept(scrape(String.format(QUEUE, i)));
    }
    assertThat(queue.asked).hasValue(1);
    assertThat(p.status().state()).isEqualTo(TargetStatus.State.UP);
    assertThat(p.status().sources()).containsExactly("queue");
  }

  @Test
  void detectsAgainWhenTheFamiliesChange() {
    CountingQueueSource queue = new CountingQueueSource();
    TargetPipeline p = new TargetPipeline(target, KpiSources.of(List.of(queue)));
    p.accept(scrape(String.format(QUEUE, 1)));
    p.accept(scrape(String.format(QUEUE, 2)));
    assertThat(p.status().state()).isEqualTo(TargetStatus.State.UP);

    // the server is replaced by one the source does not know
    p.accept(scrape(String.format(OTHER, 3)));
    assertThat(queue.asked).hasValue(2);
    assertThat(p.status().state()).isEqualTo(TargetStatus.State.UNRECOGNIZED);
    assertThat(p.status().sources()).isEmpty();

    // and back, with one more family: recognised again
    p.accept(scrape(String.format(QUEUE, 4) + String.format(OTHER, 4)));
    assertThat(queue.asked).hasValue(3);
    p.accept(scrape(String.format(QUEUE, 5) + String.format(OTHER, 5)));
    assertThat(queue.asked).hasValue(3);
    assertThat(p.status().state()).isEqualTo(TargetStatus.State.UP);
    assertThat(p.status().sources()).containsExactly("queue");
  }

  @Test
  void aFamilyOfTheSameNameButAnotherTypeCountsAsAChange() {
    CountingQueueSource queue = new CountingQueueSource();
    TargetPipeline p = new TargetPipeline(target, KpiSources.of(List.of(queue)));
    p.accept(scrape("# TYPE q_waiting counter\nq_waiting{model=\"m\"} 1\n"));
    p.accept(scrape(String.format(QUEUE, 2)));
    assertThat(queue.asked).hasValue(2);
  }
}

package io.github.infermetrics.cloudwatch.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.cloudwatch.aws.internal.LogEventBatcher.LogBatch;
import io.github.infermetrics.cloudwatch.aws.internal.LogEventBatcher.PendingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

class LogEventBatcherTest {
  static final long T = 1_795_428_000_000L;
  static final long DAY = 24L * 60 * 60 * 1000;

  static PendingEvent event(int bytes, long timestamp) {
    return new PendingEvent("x".repeat(bytes), bytes, timestamp);
  }

  static Stream<Arguments> cuts() {
    return Stream.of(
        // 25,000 tiny events: 10,000 + 10,000 + 5,000
        Arguments.argumentSet("10,000 events per batch", repeat(25_000, 10, T), List.of(10_000, 10_000, 5_000)),
        // 100,000 + 26 = 100,026 per event: 10 fit in 1,048,576 (1,000,260), 11 do not (1,100,286)
        Arguments.argumentSet("1 MiB per batch", repeat(25, 100_000, T), List.of(10, 10, 5)),
        // 1,048,550 + 26 = 1,048,576: exactly one full batch each
        Arguments.argumentSet("an event that fills a batch", repeat(2, 1_048_550, T), List.of(1, 1)),
        // span: T, T + 24 h - 1 ms share a batch; T + 24 h starts the next
        Arguments.argumentSet("less than 24 hours per batch",
            List.of(event(1, T + DAY), event(1, T), event(1, T + DAY - 1)), List.of(2, 1)));
  }

  static List<PendingEvent> repeat(int n, int bytes, long timestamp) {
    PendingEvent e = event(bytes, timestamp);
    List<PendingEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(e);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("cuts")
  void cutsAtEveryLimit(List<PendingEvent> events, List<Integer> sizes) {
    List<LogBatch> batches = new LogEventBatcher(10_000, 1_048_576).batches(events);
    assertThat(batches).extracting(b -> b.events().size()).containsExactlyElementsOf(sizes);
    assertThat(batches).allSatisfy(b -> assertThat(b.bytes()).isLessThanOrEqualTo(1_048_576));
  }

  @ParameterizedTest
  @MethodSource("cuts")
  void everyBatchIsChronological(List<PendingEvent> events, List<Integer> sizes) {
    for (LogBatch b : new LogEventBatcher(10_000, 1_048_576).batches(events)) {
      assertThat(b.events()).extracting(InputLogEvent::timestamp).isSorted();
    }
  }

  @org.junit.jupiter.api.Test
  void eventsWithTheSameTimestampKeepTheirArrivalOrder() {
    List<PendingEvent> events = List.of(new PendingEvent("b", 1, T + 1), new PendingEvent("first", 5, T),
        new PendingEvent("second", 6, T));
    LogBatch batch = new LogEventBatcher(10_000, 1_048_576).batches(events).get(0);
    assertThat(batch.events()).extracting(InputLogEvent::message).containsExactly("first", "second", "b");
    // 5 + 6 + 1 + 3 * 26
    assertThat(batch.bytes()).isEqualTo(90);
  }
}

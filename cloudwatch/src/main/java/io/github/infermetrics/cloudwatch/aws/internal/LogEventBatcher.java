package io.github.infermetrics.cloudwatch.aws.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Cuts buffered log events into {@code PutLogEvents} batches: sorted by timestamp (the API wants chronological
 * order; events with equal timestamps keep their arrival order), at most {@code maxEvents} events, at most
 * {@code maxBytes} counted the service's way (UTF-8 length plus 26 bytes per event), and a span from first to last
 * timestamp of less than 24 hours.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogEventBatcher {
  /** What the service adds to each event's UTF-8 length when it counts a batch's size. */
  public static final int EVENT_OVERHEAD_BYTES = 26;
  /** A batch must span less than this, from its first to its last timestamp. */
  public static final long MAX_SPAN_MILLIS = 24L * 60 * 60 * 1000;

  private final int maxEvents;
  private final long maxBytes;

  /**
   * A batcher.
   *
   * @param maxEvents the most events per batch
   * @param maxBytes the largest batch, counted as the service counts it
   */
  public LogEventBatcher(int maxEvents, long maxBytes) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /**
   * One buffered event.
   *
   * @param message the event text
   * @param utf8Bytes its length in UTF-8
   * @param timestampMillis its timestamp
   */
  public record PendingEvent(String message, int utf8Bytes, long timestampMillis) {
    /**
     * The size the service counts for this event.
     *
     * @return the UTF-8 length plus 26
     */
    public long batchBytes() {
      return (long) utf8Bytes + EVENT_OVERHEAD_BYTES;
    }
  }

  /**
   * One request's events.
   *
   * @param events the SDK events, in chronological order
   * @param bytes the size as the service counts it
   */
  public record LogBatch(List<InputLogEvent> events, long bytes) {}

  /**
   * Sorts and cuts.
   *
   * @param pending the events in arrival order
   * @return the batches, oldest first
   */
  public List<LogBatch> batches(List<PendingEvent> pending) {
    List<PendingEvent> sorted = new ArrayList<>(pending);
    sorted.sort(Comparator.comparingLong(PendingEvent::timestampMillis)); // stable
    List<LogBatch> out = new ArrayList<>();
    List<InputLogEvent> current = new ArrayList<>();
    long bytes = 0;
    long first = 0;
    for (PendingEvent e : sorted) {
      if (!current.isEmpty() && (current.size() >= maxEvents || bytes + e.batchBytes() > maxBytes
          || e.timestampMillis() - first >= MAX_SPAN_MILLIS)) {
        out.add(new LogBatch(List.copyOf(current), bytes));
        current.clear();
        bytes = 0;
      }
      if (current.isEmpty()) {
        first = e.timestampMillis();
      }
      current.add(InputLogEvent.builder().message(e.message()).timestamp(e.timestampMillis()).build());
      bytes += e.batchBytes();
    }
    if (!current.isEmpty()) {
      out.add(new LogBatch(List.copyOf(current), bytes));
    }
    return out;
  }
}

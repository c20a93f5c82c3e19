package io.github.infermetrics.cloudwatch;

/**
 * Where Embedded Metric Format events go: stdout, a file, the CloudWatch agent, or CloudWatch Logs directly. A sink
 * never loses an event without counting it in {@link #dropped()}.
 *
 * <p>Implementations are thread-safe: several threads may call {@link #accept} at once, and events are never
 * interleaved with each other.
 */
public interface EmfSink extends AutoCloseable {
  /**
   * Takes one complete EMF event: a JSON object in UTF-8, without a line terminator. The sink copies or writes the
   * bytes before it returns, so the caller may reuse its buffer. A sink that cannot keep up drops the event and
   * counts it rather than block the caller for long.
   *
   * @param event the buffer
   * @param offset where the event starts
   * @param length its length in bytes
   * @param timestampMillis the event's timestamp (its {@code _aws.Timestamp}), for sinks that need it apart
   */
  void accept(byte[] event, int offset, int length, long timestampMillis);

  /** Waits until every event accepted so far has been delivered or counted as dropped. */
  void flush();

  /**
   * How many events this sink has dropped since it was created.
   *
   * @return the count
   */
  long dropped();

  /** Flushes, then releases what the sink holds (sockets, files, threads). Later events are dropped and counted. */
  @Override
  void close();
}

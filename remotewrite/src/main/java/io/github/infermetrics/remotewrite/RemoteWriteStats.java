package io.github.infermetrics.remotewrite;

/**
 * What a {@link RemoteWriteSink} did so far, in samples. Every accepted sample ends up sent, failed or still queued;
 * dropped samples were never accepted.
 *
 * @param samplesAccepted samples taken into the queue
 * @param samplesSent samples the receiver acknowledged (2xx)
 * @param samplesDropped samples not queued: the queue was full, or the sink closed
 * @param samplesFailed accepted samples given up on: refused with a 4xx, retries exhausted, or still unsent when
 *     {@link RemoteWriteSink#close()} ran out of time
 * @param requestsSent requests acknowledged
 * @param retries attempts repeated after a 5xx, a 429, a timeout or a connection error
 * @param lastError the last error, for example {@code HTTP 400: out of order sample}, or {@code ""}
 * @since 0.1.0
 */
public record RemoteWriteStats(long samplesAccepted, long samplesSent, long samplesDropped, long samplesFailed,
    long requestsSent, long retries, String lastError) {

  /**
   * Accepted samples neither sent nor failed yet.
   *
   * @return samples queued or in flight
   */
  public long samplesPending() {
    return samplesAccepted - samplesSent - samplesFailed;
  }

  /**
   * One line for people.
   *
   * @return for example {@code 120 samples sent in 3 requests, 0 dropped, 0 failed, 1 retry}
   */
  public String summary() {
    return samplesSent + " samples sent in " + requestsSent + (requestsSent == 1 ? " request" : " requests")
        + ", " + samplesDropped + " dropped (queue full), " + samplesFailed + " failed, " + retries
        + (retries == 1 ? " retry" : " retries") + (lastError.isEmpty() ? "" : "; last error: " + lastError);
  }
}

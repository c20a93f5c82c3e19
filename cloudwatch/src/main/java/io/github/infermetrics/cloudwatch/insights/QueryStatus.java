package io.github.infermetrics.cloudwatch.insights;

/**
 * The status of a Logs Insights query, as GetQueryResults reports it.
 *
 * @since 0.1
 */
public enum QueryStatus {
  /** Waiting to run. */
  SCHEDULED,
  /** Running; partial results may be there. */
  RUNNING,
  /** Done; the results are complete. */
  COMPLETE,
  /** Failed on the service side. */
  FAILED,
  /** Stopped by StopQuery. */
  CANCELLED,
  /** Ran into the service's 60-minute limit. */
  TIMEOUT,
  /** A status this library does not know. */
  UNKNOWN;

  /**
   * Whether the query will not change any more.
   *
   * @return true for complete, failed, cancelled and timeout
   */
  public boolean isTerminal() {
    return this == COMPLETE || this == FAILED || this == CANCELLED || this == TIMEOUT;
  }
}

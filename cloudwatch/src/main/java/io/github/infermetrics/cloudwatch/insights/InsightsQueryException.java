package io.github.infermetrics.cloudwatch.insights;

import java.util.Optional;

/**
 * A query that could not run to a final status: the service rejected it (a malformed query, a bad parameter, a
 * missing log group), retries ran out (throttling, too many concurrent queries), or the client's timeout passed (the
 * runner then stopped the query).
 *
 * @since 0.1
 */
public final class InsightsQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The query's id, when StartQuery got that far. */
  private final String queryId;

  /**
   * An exception.
   *
   * @param message what went wrong
   * @param queryId the query's id, or null before StartQuery succeeded
   * @param cause the underlying error, or null
   */
  public InsightsQueryException(String message, String queryId, Throwable cause) {
    super(message, cause);
    this.queryId = queryId;
  }

  /**
   * The query's id.
   *
   * @return the id, or empty when the query never started
   */
  public Optional<String> queryId() {
    return Optional.ofNullable(queryId);
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a query that reached a final status.
 *
 * @param queryId the service's id of the query
 * @param status {@link QueryStatus#COMPLETE}, or how it ended otherwise (failed, cancelled, timeout)
 * @param rows the rows, complete only when the status is {@code COMPLETE}
 * @param statistics what it scanned
 * @since 0.1
 */
public record QueryResult(String queryId, QueryStatus status, List<ResultRow> rows, QueryStatistics statistics) {
  /**
   * Validates.
   *
   * @param queryId the id
   * @param status the final status
   * @param rows the rows
   * @param statistics the statistics
   */
  public QueryResult {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(status, "status");
    rows = List.copyOf(rows);
    Objects.requireNonNull(statistics, "statistics");
  }

  /**
   * Whether the query completed.
   *
   * @return true for {@link QueryStatus#COMPLETE}
   */
  public boolean isComplete() {
    return status == QueryStatus.COMPLETE;
  }
}

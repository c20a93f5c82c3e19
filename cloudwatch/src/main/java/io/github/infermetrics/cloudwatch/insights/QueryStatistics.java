package io.github.infermetrics.cloudwatch.insights;

/**
 * What a query scanned, as GetQueryResults reports it (0 when the service left a value out).
 *
 * @param recordsMatched log events that matched
 * @param recordsScanned log events scanned
 * @param bytesScanned bytes scanned
 * @param estimatedRecordsSkipped events skipped thanks to field indexes
 * @param estimatedBytesSkipped bytes skipped thanks to field indexes
 * @param logGroupsScanned log groups scanned
 * @since 0.1
 */
public record QueryStatistics(double recordsMatched, double recordsScanned, double bytesScanned,
    double estimatedRecordsSkipped, double estimatedBytesSkipped, double logGroupsScanned) {
  /** No statistics. */
  public static final QueryStatistics NONE = new QueryStatistics(0, 0, 0, 0, 0, 0);
}

package io.github.infermetrics.cloudwatch.insights;

/**
 * The query languages StartQuery accepts.
 *
 * @since 0.1
 */
public enum QueryLanguage {
  /** Logs Insights QL, what {@link Query} builds. */
  CWLI,
  /** OpenSearch SQL; the log groups are named in the query text. */
  SQL,
  /** OpenSearch PPL. */
  PPL
}

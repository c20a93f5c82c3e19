/**
 * infermetrics cloudwatch module: EMF writer and sinks, PutMetricData publisher, PutLogEvents sink, Logs Insights
 * queries and dashboards.
 */
module io.github.infermetrics.cloudwatch {
  requires transitive io.github.infermetrics.core;
  // optional: only the classes in cloudwatch.aws and the Logs Insights runner use the AWS SDK; they take SDK clients
  requires static software.amazon.awssdk.services.cloudwatch;
  requires static software.amazon.awssdk.services.cloudwatchlogs;
  // the SDK's error types and per-request settings, used by cloudwatch.aws
  requires static software.amazon.awssdk.core;
  requires static software.amazon.awssdk.awscore;

  exports io.github.infermetrics.cloudwatch;
  exports io.github.infermetrics.cloudwatch.aws;
  exports io.github.infermetrics.cloudwatch.insights;
  exports io.github.infermetrics.cloudwatch.dashboard;
}

/** infermetrics cloudwatch module: EMF writer and sinks, PutMetricData publisher, PutLogEvents sink. */
module io.github.infermetrics.cloudwatch {
  requires transitive io.github.infermetrics.core;
  // optional: only the classes in cloudwatch.aws use the AWS SDK
  requires static software.amazon.awssdk.services.cloudwatch;
  requires static software.amazon.awssdk.services.cloudwatchlogs;

  exports io.github.infermetrics.cloudwatch;
}

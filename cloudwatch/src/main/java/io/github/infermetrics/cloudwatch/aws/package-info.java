/**
 * CloudWatch through the AWS SDK for Java v2: {@link io.github.infermetrics.cloudwatch.aws.PutMetricDataPublisher}
 * sends KPIs and other datums with {@code PutMetricData}, and
 * {@link io.github.infermetrics.cloudwatch.aws.PutLogEventsSink} sends Embedded Metric Format events with
 * {@code PutLogEvents}. Both take the user's own SDK client (its region, credentials and HTTP client); the SDK is an
 * optional dependency that only this package needs.
 */
package io.github.infermetrics.cloudwatch.aws;

/** CloudWatch output: Embedded Metric Format writer and sinks, PutMetricData, Logs Insights and dashboards. */
package io.github.infermetrics.cloudwatch;

/**
 * Dashboards for the serving KPIs: a {@link io.github.infermetrics.cloudwatch.dashboard.CloudWatchDashboard
 * CloudWatch dashboard body} over the EMF namespace (metric, log-query and text widgets) and a
 * {@link io.github.infermetrics.cloudwatch.dashboard.GrafanaDashboard Grafana dashboard} for Prometheus with the
 * current metric names and fallbacks for the names of older vLLM and Triton releases. No AWS SDK classes.
 */
package io.github.infermetrics.cloudwatch.dashboard;

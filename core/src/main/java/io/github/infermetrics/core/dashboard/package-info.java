/**
 * Dashboards declared by the sources ({@link io.github.infermetrics.core.dashboard.SourceDashboard}), which the
 * cloudwatch module renders for Grafana and CloudWatch.
 */
package io.github.infermetrics.core.dashboard;

/**
 * CloudWatch Logs Insights: a typed, immutable {@link io.github.infermetrics.cloudwatch.insights.Query query}
 * builder over an {@link io.github.infermetrics.cloudwatch.insights.Expr expression} model that renders canonical,
 * injection-safe query text; a {@link io.github.infermetrics.cloudwatch.insights.ContainerInsightsQueries catalogue}
 * of ready queries for Container Insights; and a {@link io.github.infermetrics.cloudwatch.insights.InsightsRunner
 * runner} over the AWS SDK (StartQuery, GetQueryResults, StopQuery). Only the runner loads SDK classes.
 */
package io.github.infermetrics.cloudwatch.insights;

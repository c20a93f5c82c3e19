/**
 * Internals of the Logs Insights builder: quoting and escaping of names and literals. Not exported; no API promise.
 */
package io.github.infermetrics.cloudwatch.insights.internal;

/** Internals of the dashboard generators: a small JSON writer. Not exported; no API promise. */
package io.github.infermetrics.cloudwatch.dashboard.internal;

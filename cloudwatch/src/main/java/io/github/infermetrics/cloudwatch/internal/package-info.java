/**
 * Internals of the CloudWatch module: the cache of encoded names and the JSON syntax check (the JSON byte writer is
 * core's {@code core.internal.text.JsonOut}). Not exported; no API promise.
 */
package io.github.infermetrics.cloudwatch.internal;

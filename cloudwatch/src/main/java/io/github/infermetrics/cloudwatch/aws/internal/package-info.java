/**
 * Internals of the AWS SDK publisher and sink: the buffered background sender, retries with backoff and jitter, and
 * the batchers that cut requests to the service limits. Not exported; no API promise.
 */
package io.github.infermetrics.cloudwatch.aws.internal;

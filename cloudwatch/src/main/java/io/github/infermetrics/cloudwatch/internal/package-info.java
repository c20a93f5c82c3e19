/** Internals of the CloudWatch module: the JSON byte writer and syntax check. Not exported; no API promise. */
package io.github.infermetrics.cloudwatch.internal;

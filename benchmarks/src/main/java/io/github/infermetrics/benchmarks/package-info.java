/** JMH benchmarks of infermetrics against the Java peers, on the same bytes. */
package io.github.infermetrics.benchmarks;

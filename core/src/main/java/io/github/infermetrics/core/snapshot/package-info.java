/**
 * Immutable snapshots of a parsed exposition: {@link io.github.infermetrics.core.snapshot.MetricSnapshot} holds
 * {@link io.github.infermetrics.core.snapshot.MetricFamily} objects with typed points, built by
 * {@link io.github.infermetrics.core.snapshot.SnapshotReader}.
 */
package io.github.infermetrics.core.snapshot;

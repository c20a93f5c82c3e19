/**
 * Internal: the hand-written protobuf encoding of remote write's {@code WriteRequest} and the conversion of KPI sets
 * and snapshots into samples. Not exported by the module; no compatibility promise.
 */
package io.github.infermetrics.remotewrite.internal;

package io.github.infermetrics.triton;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The server-wide gauges of the response-cache plugin (the {@code local} cache), without labels. The counts are
 * cumulative although exposed as gauges.
 *
 * @param utilization {@code nv_cache_util}, used fraction 0 to 1
 * @param entries {@code nv_cache_num_entries}
 * @param hits {@code nv_cache_num_hits}
 * @param misses {@code nv_cache_num_misses}
 * @param lookups {@code nv_cache_num_lookups}
 * @param evictions {@code nv_cache_num_evictions}
 * @param lookupDurationUs {@code nv_cache_lookup_duration}, microseconds
 * @param insertionDurationUs {@code nv_cache_insertion_duration}, microseconds
 */
public record ResponseCacheStats(OptionalDouble utilization, OptionalDouble entries, OptionalDouble hits,
    OptionalDouble misses, OptionalDouble lookups, OptionalDouble evictions, OptionalDouble lookupDurationUs,
    OptionalDouble insertionDurationUs) {
  /**
   * Validates.
   *
   * @param utilization used fraction
   * @param entries entries
   * @param hits hits
   * @param misses misses
   * @param lookups lookups
   * @param evictions evictions
   * @param lookupDurationUs lookup time
   * @param insertionDurationUs insertion time
   */
  public ResponseCacheStats {
    Objects.requireNonNull(utilization, "utilization");
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(hits, "hits");
    Objects.requireNonNull(misses, "misses");
    Objects.requireNonNull(lookups, "lookups");
    Objects.requireNonNull(evictions, "evictions");
    Objects.requireNonNull(lookupDurationUs, "lookupDurationUs");
    Objects.requireNonNull(insertionDurationUs, "insertionDurationUs");
  }
}

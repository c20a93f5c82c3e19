package io.github.infermetrics.core.series;

import io.github.infermetrics.core.snapshot.Labels;

/**
 * A stable 64-bit identity of a series, computed from its family name and labels without allocating.
 *
 * <pre>{@code
 * long id = SeriesId.of("requests_total", Labels.of("model", "densenet_onnx", "version", "1"));
 * }</pre>
 *
 * <p>Stable: it depends only on the UTF-16 code units of the name and of the labels in their sorted order, so it is
 * the same in every JVM and every run and may be logged or stored. It is a hash: two different series can share
 * one (with probability about n * n / 2^65 among n series); {@link SeriesIndex} therefore confirms every match by
 * equality.
 */
public final class SeriesId {
  private static final long SEED = 0x9E3779B97F4A7C15L;
  private static final long PRIME = 0x100000001B3L;

  private SeriesId() {}

  /**
   * The identity of a series.
   *
   * @param familyName the family name ({@code foo} for the samples {@code foo_bucket} of histogram {@code foo})
   * @param labels the series' labels
   * @return the identity
   */
  public static long of(String familyName, Labels labels) {
    long h = mix(SEED, familyName);
    int n = labels.size();
    for (int i = 0; i < n; i++) {
      h = mix(h, labels.name(i));
      h = mix(h, labels.value(i));
    }
    return finish(h ^ n);
  }

  /** FNV-1a over pairs of code units, each string preceded by its length so that boundaries cannot shift. */
  private static long mix(long h, String s) {
    int len = s.length();
    h = (h ^ len) * PRIME;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      h = (h ^ ((long) s.charAt(i) << 16 | s.charAt(i + 1))) * PRIME;
    }
    if (i < len) {
      h = (h ^ s.charAt(i)) * PRIME;
    }
    return h;
  }

  /** MurmurHash3's finalizer: FNV alone leaves the high bits poorly mixed. */
  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}

package io.github.infermetrics.core.snapshot;

import io.github.infermetrics.core.exposition.ExpositionParser;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Remembers the {@link Labels} built for each series of a target, keyed by a hash of the canonical label names
 * and values in exposition order, so that re-reading the target finds them again without sorting or allocating.
 * Equal label sets are one instance whatever the order they were written in. A hit is verified against the names
 * and values it was built from (identity first: the parser's symbol tables
 * make equal strings identical). Bounded: beyond its size it starts over at the next read.
 */
final class LabelsCache {
  private static final int MAX_ENTRIES = 1 << 20;

  private final HashMap<Labels, Labels> canonical = new HashMap<>();
  private long[] keys = new long[256];
  private Entry[] entries = new Entry[256];
  private int size;
  private String[] names = new String[16];
  private String[] values = new String[16];

  static final class Entry {
    final String[] inOrder;
    final Labels labels;

    Entry(String[] inOrder, Labels labels) {
      this.inOrder = inOrder;
      this.labels = labels;
    }
  }

  /**
   * Starts a read: a cache beyond its bound starts over here, never in the middle of a read, so that equal labels
   * are one instance for the whole read.
   */
  void beginRead() {
    if (size >= MAX_ENTRIES) {
      Arrays.fill(keys, 0L);
      Arrays.fill(entries, null);
      size = 0;
      canonical.clear();
    }
  }

  Labels labels(ExpositionParser p, String excluded) {
    int count = p.labelCount();
    if (names.length < count) {
      names = new String[Math.max(count, names.length * 2)];
      values = new String[names.length];
    }
    int n = 0;
    long h = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < count; i++) {
      String name = p.labelName(i);
      if (excluded != null && (name == excluded || name.equals(excluded))) {
        continue;
      }
      String value = p.labelValueString(i);
      names[n] = name;
      values[n] = value;
      n++;
      h = (h ^ name.hashCode()) * 0xC2B2AE3D27D4EB4FL;
      h = (h ^ value.hashCode()) * 0x9E3779B97F4A7C15L;
    }
    if (n == 0) {
      return Labels.EMPTY;
    }
    h ^= n;
    int m = keys.length - 1;
    int i = (int) (h ^ (h >>> 32)) & m;
    while (true) {
      Entry e = entries[i];
      if (e == null) {
        break;
      }
      if (keys[i] == h && matches(e.inOrder, n)) {
        return e.labels;
      }
      i = (i + 1) & m;
    }
    String[] inOrder = new String[2 * n];
    for (int k = 0; k < n; k++) {
      inOrder[2 * k] = names[k];
      inOrder[2 * k + 1] = values[k];
    }
    Labels built = Labels.ofArrays(Arrays.copyOf(names, n), Arrays.copyOf(values, n));
    // the same label set written in another order must be the same instance: readers rely on identity
    Labels labels = canonical.putIfAbsent(built, built);
    if (labels == null) {
      labels = built;
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    m = keys.length - 1;
    i = (int) (h ^ (h >>> 32)) & m;
    while (entries[i] != null) {
      i = (i + 1) & m;
    }
    keys[i] = h;
    entries[i] = new Entry(inOrder, labels);
    size++;
    return labels;
  }

  private boolean matches(String[] inOrder, int n) {
    if (inOrder.length != 2 * n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      String a = inOrder[2 * k];
      String b = inOrder[2 * k + 1];
      if (a != names[k] && !a.equals(names[k]) || b != values[k] && !b.equals(values[k])) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    long[] ok = keys;
    Entry[] oe = entries;
    keys = new long[ok.length * 2];
    entries = new Entry[ok.length * 2];
    int m = keys.length - 1;
    for (int j = 0; j < oe.length; j++) {
      if (oe[j] != null) {
        int i = (int) (ok[j] ^ (ok[j] >>> 32)) & m;
        while (entries[i] != null) {
          i = (i + 1) & m;
        }
        keys[i] = ok[j];
        entries[i] = oe[j];
      }
    }
  }
}

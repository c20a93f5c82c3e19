package io.github.infermetrics.core.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns byte sequences into canonical {@code String}s: the same bytes give the same {@code String} instance, so a
 * re-scrape of a target decodes nothing and allocates nothing for names it has seen.
 *
 * <p>Open addressing with linear probing over parallel arrays. The hash is seeded per table and a lookup probes
 * at most {@link #MAX_PROBES} slots, so crafted collisions cost bounded time: a name that does not find a slot is
 * returned as a fresh, uncached {@code String}. The table stops growing at its capacity cap for the same reason.
 * Not thread-safe: each parser owns its tables.
 */
final class SymbolTable {
  static final int MAX_PROBES = 32;
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long K1 = 0x9E3779B97F4A7C15L;
  private static final long K2 = 0xC2B2AE3D27D4EB4FL;

  private final long seed;
  private final int maxEntries;
  private final int maxKeyLength;
  private int[] hashes;
  private int[] lengths;
  private String[] strings;
  private byte[][] keys;
  private int mask;
  private int size;

  SymbolTable(int maxEntries, int maxKeyLength) {
    this.seed = ThreadLocalRandom.current().nextLong() | 1;
    this.maxEntries = maxEntries;
    this.maxKeyLength = maxKeyLength;
    allocate(64);
  }

  private void allocate(int capacity) {
    hashes = new int[capacity];
    lengths = new int[capacity];
    strings = new String[capacity];
    keys = new byte[capacity][];
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  /**
   * The canonical string of {@code b[off, off+len)}, decoded as ASCII when {@code ascii}, else as (valid) UTF-8.
   */
  String lookup(byte[] b, int off, int len, boolean ascii) {
    if (len > maxKeyLength) {
      return decode(b, off, len, ascii);
    }
    int h = hash(b, off, len);
    int i = h & mask;
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      String s = strings[i];
      if (s == null) {
        return insert(i, h, b, off, len, ascii);
      }
      if (hashes[i] == h && lengths[i] == len && Swar.equal(keys[i], 0, b, off, len)) {
        return s;
      }
      i = (i + 1) & mask;
    }
    return decode(b, off, len, ascii);
  }

  /** The canonical string of these bytes if the table holds one, else null; never inserts. */
  String find(byte[] b, int off, int len) {
    if (len > maxKeyLength) {
      return null;
    }
    int h = hash(b, off, len);
    int i = h & mask;
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      String s = strings[i];
      if (s == null) {
        return null;
      }
      if (hashes[i] == h && lengths[i] == len && Swar.equal(keys[i], 0, b, off, len)) {
        return s;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Makes an ASCII string, usually a literal, the canonical string of its bytes. */
  void add(String ascii) {
    byte[] b = ascii.getBytes(StandardCharsets.ISO_8859_1);
    int h = hash(b, 0, b.length);
    int i = h & mask;
    while (strings[i] != null) {
      i = (i + 1) & mask;
    }
    hashes[i] = h;
    lengths[i] = b.length;
    strings[i] = ascii;
    keys[i] = Arrays.copyOf(b, b.length + 8);
    size++;
  }

  private String insert(int slot, int h, byte[] b, int off, int len, boolean ascii) {
    String s = decode(b, off, len, ascii);
    if (size >= maxEntries) {
      return s;
    }
    hashes[slot] = h;
    lengths[slot] = len;
    strings[slot] = s;
    // padded, so that comparisons can read whole words past the end of a short key
    byte[] key = new byte[len + 8];
    System.arraycopy(b, off, key, 0, len);
    keys[slot] = key;
    size++;
    if (size * 2 > hashes.length) {
      grow();
    }
    return s;
  }

  private void grow() {
    int[] oldHashes = hashes;
    int[] oldLengths = lengths;
    String[] oldStrings = strings;
    byte[][] oldKeys = keys;
    allocate(oldHashes.length * 2);
    int kept = 0;
    for (int j = 0; j < oldStrings.length; j++) {
      if (oldStrings[j] == null) {
        continue;
      }
      int i = oldHashes[j] & mask;
      for (int probe = 0; probe < MAX_PROBES; probe++) {
        if (strings[i] == null) {
          hashes[i] = oldHashes[j];
          lengths[i] = oldLengths[j];
          strings[i] = oldStrings[j];
          keys[i] = oldKeys[j];
          kept++;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    size = kept;
  }

  static String decode(byte[] b, int off, int len, boolean ascii) {
    return new String(b, off, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  int hash(byte[] b, int off, int len) {
    long h = seed ^ (len * K1);
    int end = off + len;
    int i = off;
    while (end - i >= 8) {
      h = mix(h, (long) LONG_LE.get(b, i));
      i += 8;
    }
    if (i < end) {
      int rest = end - i;
      long w;
      if (i + 8 <= b.length) {
        // read past the key inside the array and mask: cheaper than a byte loop
        w = (long) LONG_LE.get(b, i) & (-1L >>> ((8 - rest) << 3));
      } else {
        w = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
          w |= (b[i] & 0xffL) << shift;
        }
      }
      h = mix(h, w);
    }
    h ^= h >>> 33;
    h *= K2;
    h ^= h >>> 29;
    return (int) h;
  }

  private static long mix(long h, long w) {
    return Long.rotateLeft(h ^ (w * K2), 31) * K1;
  }
}

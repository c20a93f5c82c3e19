package io.github.infermetrics.cloudwatch.internal;

import io.github.infermetrics.core.internal.text.JsonOut;
import java.util.Arrays;

/**
 * Strings the writer has checked once, with their JSON encoding, so that names that come back in every event (metric
 * names, units, dimension keys and values, property keys) are neither checked nor encoded again: a lookup by the
 * string's cached hash, then one array copy.
 *
 * <p>Bounded: open addressing over a fixed table with a short probe. When a string finds no free slot it is simply
 * not remembered (the caller checks and encodes it every time), so a table full of one-off strings costs speed,
 * never memory or allocation. Not thread-safe.
 */
public final class EncodedNames {
  private static final int MAX_PROBE = 8;

  private final String[] keys;
  private final byte[][] json;
  private final int[] roles;
  private final int mask;

  /**
   * A table.
   *
   * @param capacity slots, a power of two
   */
  public EncodedNames(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    keys = new String[capacity];
    json = new byte[capacity][];
    roles = new int[capacity];
    mask = capacity - 1;
  }

  /**
   * The JSON encoding of a string that was checked for a role.
   *
   * @param s the string
   * @param role a bit that says what the string was checked as
   * @return the encoding with quotes, or null when the string is not known in that role
   */
  public byte[] find(String s, int role) {
    int i = s.hashCode() & mask;
    for (int p = 0; p < MAX_PROBE; p++, i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return null;
      }
      if (k == s || k.equals(s)) {
        return (roles[i] & role) != 0 ? json[i] : null;
      }
    }
    return null;
  }

  /**
   * Remembers a string checked for a role.
   *
   * @param s the string
   * @param role the role it was checked for
   * @return its encoding, or null when the table has no room for it near its hash
   */
  public byte[] add(String s, int role) {
    int i = s.hashCode() & mask;
    for (int p = 0; p < MAX_PROBE; p++, i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        JsonOut out = new JsonOut(s.length() + 8);
        out.string(s);
        keys[i] = s;
        json[i] = Arrays.copyOf(out.array(), out.position());
        roles[i] = role;
        return json[i];
      }
      if (k == s || k.equals(s)) {
        roles[i] |= role;
        return json[i];
      }
    }
    return null;
  }
}

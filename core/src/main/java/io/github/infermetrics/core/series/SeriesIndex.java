package io.github.infermetrics.core.series;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToLongBiFunction;

/**
 * A map from series (family name and labels) to values: open addressing on {@link SeriesId}, each hit confirmed by
 * equality of name and labels, so distinct series that share an identity stay apart. Looking up, replacing and
 * removing an existing series allocate nothing.
 *
 * <pre>{@code
 * SeriesIndex<Counter> meters = new SeriesIndex<>();
 * for (MetricPoint p : snapshot.select("requests_total")) {
 *   Counter c = meters.get("requests_total", p.labels());
 *   if (c == null) {
 *     meters.put("requests_total", p.labels(), c = register(p.labels()));
 *   }
 * }
 * }</pre>
 *
 * <p>Label sets are compared by identity first (a {@link io.github.infermetrics.core.snapshot.SnapshotReader}
 * hands out the same {@code Labels} instance for a series on every read of its target), then by equality. Values
 * must not be null. Not thread-safe.
 *
 * @param <V> the value type
 */
public final class SeriesIndex<V> {
  /**
   * Receives the entries of {@link #forEach(Visitor)}.
   *
   * @param <V> the value type
   */
  @FunctionalInterface
  public interface Visitor<V> {
    /**
     * One entry.
     *
     * @param familyName the family name
     * @param labels the labels
     * @param value the value
     */
    void visit(String familyName, Labels labels, V value);
  }

  private final ToLongBiFunction<String, Labels> identity;
  private long[] ids;
  private String[] families;
  private Labels[] labelSets;
  private Object[] values;
  private int mask;
  private int size;

  /** An empty index. */
  public SeriesIndex() {
    this(16);
  }

  /**
   * An empty index sized for some series.
   *
   * @param expectedSize how many series it will hold without growing
   */
  public SeriesIndex(int expectedSize) {
    this(expectedSize, SeriesId::of);
  }

  /** Test hook: an index hashing with {@code identity} instead of {@link SeriesId#of}. */
  SeriesIndex(int expectedSize, ToLongBiFunction<String, Labels> identity) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("expected size is negative: " + expectedSize);
    }
    this.identity = Objects.requireNonNull(identity, "identity");
    // at most half full keeps probe sequences short
    int capacity = Integer.highestOneBit(Math.max(8, expectedSize) * 2 - 1) << 1;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    ids = new long[capacity];
    families = new String[capacity];
    labelSets = new Labels[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }

  /**
   * The value of a series.
   *
   * @param familyName the family name
   * @param labels the labels
   * @return the value, or {@code null} when the series is absent
   */
  @SuppressWarnings("unchecked")
  public V get(String familyName, Labels labels) {
    int slot = find(familyName, labels, identity.applyAsLong(familyName, labels));
    return slot < 0 ? null : (V) values[slot];
  }

  /**
   * Whether a series is present.
   *
   * @param familyName the family name
   * @param labels the labels
   * @return true when present
   */
  public boolean contains(String familyName, Labels labels) {
    return find(familyName, labels, identity.applyAsLong(familyName, labels)) >= 0;
  }

  /**
   * Sets the value of a series.
   *
   * @param familyName the family name
   * @param labels the labels
   * @param value the value, not null
   * @return the previous value, or {@code null}
   */
  @SuppressWarnings("unchecked")
  public V put(String familyName, Labels labels, V value) {
    Objects.requireNonNull(value, "value");
    long id = identity.applyAsLong(familyName, labels);
    int slot = find(familyName, labels, id);
    if (slot >= 0) {
      V old = (V) values[slot];
      values[slot] = value;
      return old;
    }
    if (2 * (size + 1) > ids.length) {
      grow();
    }
    slot = home(id);
    while (families[slot] != null) {
      slot = (slot + 1) & mask;
    }
    ids[slot] = id;
    families[slot] = familyName;
    labelSets[slot] = labels;
    values[slot] = value;
    size++;
    return null;
  }

  /**
   * Removes a series.
   *
   * @param familyName the family name
   * @param labels the labels
   * @return the removed value, or {@code null} when absent
   */
  @SuppressWarnings("unchecked")
  public V remove(String familyName, Labels labels) {
    int slot = find(familyName, labels, identity.applyAsLong(familyName, labels));
    if (slot < 0) {
      return null;
    }
    V old = (V) values[slot];
    deleteAt(slot);
    return old;
  }

  /**
   * Number of series.
   *
   * @return the count
   */
  public int size() {
    return size;
  }

  /**
   * Whether the index is empty.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Removes all series. */
  public void clear() {
    Arrays.fill(families, null);
    Arrays.fill(labelSets, null);
    Arrays.fill(values, null);
    size = 0;
  }

  /**
   * Visits every series, in no particular order. The visitor must not modify the index.
   *
   * @param visitor the visitor
   */
  @SuppressWarnings("unchecked")
  public void forEach(Visitor<? super V> visitor) {
    for (int i = 0; i < families.length; i++) {
      if (families[i] != null) {
        visitor.visit(families[i], labelSets[i], (V) values[i]);
      }
    }
  }

  private int home(long id) {
    return (int) (id ^ (id >>> 32)) & mask;
  }

  private int find(String familyName, Labels labels, long id) {
    Objects.requireNonNull(familyName, "familyName");
    Objects.requireNonNull(labels, "labels");
    for (int slot = home(id); ; slot = (slot + 1) & mask) {
      String f = families[slot];
      if (f == null) {
        return -1;
      }
      if (ids[slot] == id && (f == familyName || f.equals(familyName))) {
        Labels l = labelSets[slot];
        if (l == labels || l.equals(labels)) {
          return slot;
        }
      }
    }
  }

  /**
   * Empties a slot and moves later entries of its probe run back into the gap (linear probing without tombstones,
   * so lookups never walk over deleted entries).
   */
  private void deleteAt(int hole) {
    int slot = hole;
    while (true) {
      slot = (slot + 1) & mask;
      if (families[slot] == null) {
        break;
      }
      int h = home(ids[slot]);
      // the entry may move into the hole only if its home is not cyclically within (hole, slot]
      boolean staysPut = hole <= slot ? (hole < h && h <= slot) : (hole < h || h <= slot);
      if (!staysPut) {
        ids[hole] = ids[slot];
        families[hole] = families[slot];
        labelSets[hole] = labelSets[slot];
        values[hole] = values[slot];
        hole = slot;
      }
    }
    families[hole] = null;
    labelSets[hole] = null;
    values[hole] = null;
    size--;
  }

  private void grow() {
    long[] oldIds = ids;
    String[] oldFamilies = families;
    Labels[] oldLabels = labelSets;
    Object[] oldValues = values;
    allocate(oldIds.length * 2);
    for (int i = 0; i < oldIds.length; i++) {
      if (oldFamilies[i] != null) {
        int slot = home(oldIds[i]);
        while (families[slot] != null) {
          slot = (slot + 1) & mask;
        }
        ids[slot] = oldIds[i];
        families[slot] = oldFamilies[i];
        labelSets[slot] = oldLabels[i];
        values[slot] = oldValues[i];
      }
    }
  }

  @Override
  public String toString() {
    return "SeriesIndex{" + size + " series}";
  }
}

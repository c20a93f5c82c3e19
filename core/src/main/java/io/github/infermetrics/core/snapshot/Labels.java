package io.github.infermetrics.core.snapshot;

import io.github.infermetrics.core.internal.text.PrometheusText;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable set of label name/value pairs, sorted by name, with unique names.
 *
 * <pre>{@code
 * Labels l = Labels.of("model", "densenet_onnx", "version", "1");
 * l.get("model");            // "densenet_onnx"
 * l.with("gpu", "0");        // {gpu="0",model="densenet_onnx",version="1"}
 * }</pre>
 *
 * <p>Names are compared with {@link String#compareTo}. A snapshot read by {@link SnapshotReader} shares one
 * {@code Labels} instance between all points of a series and between successive reads of a target.
 */
public final class Labels {
  /** No labels. */
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Labels from name/value pairs in any order.
   *
   * @param nameValuePairs name1, value1, name2, value2, ...
   * @return the labels
   * @throws IllegalArgumentException when the count is odd, a name is empty or repeated, or anything is null
   */
  public static Labels of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs, got an odd number of strings: "
          + nameValuePairs.length);
    }
    int n = nameValuePairs.length / 2;
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = nameValuePairs[2 * i];
      values[i] = nameValuePairs[2 * i + 1];
    }
    return ofArrays(names, values);
  }

  /**
   * Labels from a map.
   *
   * @param labels name to value
   * @return the labels
   * @throws IllegalArgumentException when a name is empty or anything is null
   */
  public static Labels of(Map<String, String> labels) {
    String[] names = new String[labels.size()];
    String[] values = new String[labels.size()];
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      names[i] = e.getKey();
      values[i] = e.getValue();
      i++;
    }
    return ofArrays(names, values);
  }

  /** Takes ownership of the arrays: sorts them together and validates. */
  static Labels ofArrays(String[] names, String[] values) {
    int n = names.length;
    if (n == 0) {
      return EMPTY;
    }
    for (int i = 0; i < n; i++) {
      if (names[i] == null || names[i].isEmpty()) {
        throw new IllegalArgumentException("label name at position " + i + " is " + (names[i] == null ? "null"
            : "empty"));
      }
      if (values[i] == null) {
        throw new IllegalArgumentException("value of label " + names[i] + " is null");
      }
    }
    // insertion sort: label sets are small and usually already sorted
    for (int i = 1; i < n; i++) {
      String kn = names[i];
      String kv = values[i];
      int j = i - 1;
      while (j >= 0 && names[j].compareTo(kn) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = kn;
      values[j + 1] = kv;
    }
    for (int i = 1; i < n; i++) {
      if (names[i].equals(names[i - 1])) {
        throw new IllegalArgumentException("duplicate label name " + names[i]);
      }
    }
    return new Labels(names, values);
  }

  /**
   * Number of labels.
   *
   * @return the count
   */
  public int size() {
    return names.length;
  }

  /**
   * Whether there are no labels.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /**
   * The name at a position, in sorted order.
   *
   * @param i the position
   * @return the name
   */
  public String name(int i) {
    return names[i];
  }

  /**
   * The value at a position, in sorted order.
   *
   * @param i the position
   * @return the value
   */
  public String value(int i) {
    return values[i];
  }

  /**
   * The value of a label.
   *
   * @param name the label name
   * @return the value, or {@code null} when absent
   */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  /**
   * Whether a label is present.
   *
   * @param name the label name
   * @return true when present
   */
  public boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = names.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = names[mid].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * These labels with one label added or replaced.
   *
   * @param name the label name
   * @param value its value
   * @return new labels
   */
  public Labels with(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    int i = indexOf(name);
    if (i >= 0) {
      if (values[i].equals(value)) {
        return this;
      }
      String[] v = values.clone();
      v[i] = value;
      return new Labels(names, v);
    }
    String[] n = Arrays.copyOf(names, names.length + 1);
    String[] v = Arrays.copyOf(values, values.length + 1);
    n[names.length] = name;
    v[values.length] = value;
    return ofArrays(n, v);
  }

  /**
   * These labels without one label.
   *
   * @param name the label name
   * @return new labels, or these when the label is absent
   */
  public Labels without(String name) {
    int i = indexOf(name);
    if (i < 0) {
      return this;
    }
    if (names.length == 1) {
      return EMPTY;
    }
    String[] n = new String[names.length - 1];
    String[] v = new String[names.length - 1];
    System.arraycopy(names, 0, n, 0, i);
    System.arraycopy(values, 0, v, 0, i);
    System.arraycopy(names, i + 1, n, i, names.length - i - 1);
    System.arraycopy(values, i + 1, v, i, names.length - i - 1);
    return new Labels(n, v);
  }

  /**
   * The labels as an unmodifiable map in sorted order.
   *
   * @return a new map
   */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels)) {
      return false;
    }
    Labels other = (Labels) o;
    return hashCode() == other.hashCode() && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /**
   * In exposition syntax, {@code {a="1",b="x\"y"}}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendLabels(sb, this);
    return sb.toString();
  }
}

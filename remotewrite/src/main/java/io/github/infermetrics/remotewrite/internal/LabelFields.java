package io.github.infermetrics.remotewrite.internal;

import static io.github.infermetrics.remotewrite.internal.WriteRequestEncoder.FIELD1_LEN;
import static io.github.infermetrics.remotewrite.internal.WriteRequestEncoder.FIELD2_LEN;
import static io.github.infermetrics.remotewrite.internal.WriteRequestEncoder.varint;
import static io.github.infermetrics.remotewrite.internal.WriteRequestEncoder.varintSize;

/**
 * The repeated {@code Label} fields of a {@code TimeSeries}, written into an array of exactly their size: the
 * sizes are counted from the strings first, then the UTF-8 is written in place, so a series' labels cost that one
 * array and no {@code getBytes} copies or growing buffer. The bytes are those of {@code String.getBytes(UTF_8)}
 * (an unpaired surrogate becomes {@code ?}). Stateless.
 */
final class LabelFields {
  private LabelFields() {}

  /**
   * Encodes labels, already checked and sorted.
   *
   * @param names names, sorted
   * @param values values, in the same order
   * @param count how many of the arrays' entries are labels
   * @param prefixed the index of a value written after {@code prefix} (the metric name, prefixed without building
   *     the string), or -1
   * @param prefix that prefix
   * @return the fields
   */
  static byte[] encode(String[] names, String[] values, int count, int prefixed, String prefix) {
    int total = 0;
    for (int i = 0; i < count; i++) {
      int label = labelSize(names[i], values[i], i == prefixed ? prefix : "");
      total += 1 + varintSize(label) + label;
    }
    byte[] b = new byte[total];
    int p = 0;
    for (int i = 0; i < count; i++) {
      String before = i == prefixed ? prefix : "";
      int n = utf8Length(names[i]);
      int v = utf8Length(before) + utf8Length(values[i]);
      b[p++] = (byte) FIELD1_LEN;
      p = varint(b, p, 1 + varintSize(n) + n + 1 + varintSize(v) + v);
      b[p++] = (byte) FIELD1_LEN;
      p = varint(b, p, n);
      p = utf8(b, p, names[i]);
      b[p++] = (byte) FIELD2_LEN;
      p = varint(b, p, v);
      p = utf8(b, p, before);
      p = utf8(b, p, values[i]);
    }
    return b;
  }

  private static int labelSize(String name, String value, String prefix) {
    int n = utf8Length(name);
    int v = utf8Length(prefix) + utf8Length(value);
    return 1 + varintSize(n) + n + 1 + varintSize(v) + v;
  }

  /** Bytes of {@code s} in UTF-8. */
  static int utf8Length(String s) {
    int len = s.length();
    int bytes = len;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 2; // 4 bytes for the pair of chars
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 0; // '?'
      } else {
        bytes += 2;
      }
    }
    return bytes;
  }

  private static int utf8(byte[] b, int p, String s) {
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | c >> 6);
        b[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | cp >> 18);
        b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        b[p++] = '?';
      } else {
        b[p++] = (byte) (0xE0 | c >> 12);
        b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return p;
  }
}

package io.github.infermetrics.remotewrite.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * This class is internal and is hence not for public use. Its APIs are unstable and can change at any time.
 *
 * <p>Encodes Prometheus remote write 1.0's {@code prometheus.WriteRequest} (from {@code prompb/remote.proto} and
 * {@code types.proto}) by hand; the four messages it needs are small, and writing them directly from
 * {@link EncodedSample}s avoids building protobuf message objects for every sample:
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * <p>Samples of one series in a batch become one {@code TimeSeries}, in the order they were queued, so a receiver
 * sees each series' samples in time order. Stateless.
 */
public final class WriteRequestEncoder {
  /** Tag of field 1, length-delimited: {@code WriteRequest.timeseries}, {@code TimeSeries.labels}, {@code Label.name}. */
  private static final int FIELD1_LEN = (1 << 3) | 2;
  /** Tag of field 2, length-delimited: {@code TimeSeries.samples}, {@code Label.value}. */
  private static final int FIELD2_LEN = (2 << 3) | 2;
  /** Tag of {@code Sample.value}, a 64-bit double. */
  private static final int SAMPLE_VALUE = (1 << 3) | 1;
  /** Tag of {@code Sample.timestamp}, a varint. */
  private static final int SAMPLE_TIMESTAMP = 2 << 3;
  /** Largest {@code Sample} with its field header: tag, length, 9 bytes of value, tag and a 10-byte varint. */
  static final int SAMPLE_FIELD_SIZE_MAX = 1 + 1 + 9 + 1 + 10;

  private WriteRequestEncoder() {}

  /**
   * The repeated {@code Label} fields of one series.
   *
   * @param names label names, sorted (remote write requires it), {@code __name__} included
   * @param values label values
   * @return the encoded fields
   * @throws IllegalArgumentException when the names are not sorted and distinct, or a name or value is empty
   */
  public static byte[] encodeLabels(String[] names, String[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException("labels: " + names.length + " names but " + values.length + " values");
    }
    ProtoBuffer out = new ProtoBuffer(names.length * 32);
    for (int i = 0; i < names.length; i++) {
      if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
        throw new IllegalArgumentException("labels: names must be sorted and distinct: " + names[i - 1] + ", "
            + names[i]);
      }
      if (names[i].isEmpty() || values[i].isEmpty()) {
        // an empty value means "no such label" in Prometheus; a receiver would reject or drop it
        throw new IllegalArgumentException("labels: empty name or value at " + names[i] + "=\"" + values[i] + "\"");
      }
      byte[] n = names[i].getBytes(StandardCharsets.UTF_8);
      byte[] v = values[i].getBytes(StandardCharsets.UTF_8);
      int size = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
      out.varint(FIELD1_LEN).varint(size);
      out.varint(FIELD1_LEN).varint(n.length).bytes(n);
      out.varint(FIELD2_LEN).varint(v.length).bytes(v);
    }
    return out.toByteArray();
  }

  /**
   * Encodes one request.
   *
   * @param batch samples in queue order
   * @return the serialized {@code WriteRequest}, uncompressed
   */
  public static byte[] encode(List<EncodedSample> batch) {
    // group by series, keeping first-seen order of series and queue order of samples within each: an open-addressing
    // table of sample indexes and a chain through the batch, a few int arrays per request instead of a map entry and
    // a list per sample
    int n = batch.size();
    int[] table = new int[Integer.highestOneBit(Math.max(1, n) * 2 - 1) * 2];
    int mask = table.length - 1;
    int[] next = new int[n];
    int[] last = new int[n];
    int[] firsts = new int[n];
    int series = 0;
    for (int i = 0; i < n; i++) {
      EncodedSample s = batch.get(i);
      next[i] = -1;
      for (int slot = s.seriesHash() * 0x9E3779B9 >>> 7 & mask; ; slot = slot + 1 & mask) {
        int f = table[slot] - 1;
        if (f < 0) {
          table[slot] = i + 1;
          last[i] = i;
          firsts[series++] = i;
          break;
        }
        if (batch.get(f).sameSeries(s)) {
          next[last[f]] = i;
          last[f] = i;
          break;
        }
      }
    }
    int total = 0;
    int[] sizes = new int[series];
    for (int k = 0; k < series; k++) {
      int f = firsts[k];
      int size = batch.get(f).labelBytes().length;
      for (int i = f; i >= 0; i = next[i]) {
        int m = sampleSize(batch.get(i));
        size += 1 + varintSize(m) + m;
      }
      sizes[k] = size;
      total += 1 + varintSize(size) + size;
    }
    ProtoBuffer out = new ProtoBuffer(total);
    for (int k = 0; k < series; k++) {
      int f = firsts[k];
      out.varint(FIELD1_LEN).varint(sizes[k]).bytes(batch.get(f).labelBytes());
      for (int i = f; i >= 0; i = next[i]) {
        EncodedSample s = batch.get(i);
        out.varint(FIELD2_LEN).varint(sampleSize(s));
        out.varint(SAMPLE_VALUE).fixed64(Double.doubleToRawLongBits(s.value()));
        out.varint(SAMPLE_TIMESTAMP).varint(s.timestampMillis());
      }
    }
    return out.toByteArray();
  }

  private static int sampleSize(EncodedSample s) {
    return 1 + 8 + 1 + varintSize(s.timestampMillis());
  }

  /**
   * Bytes of a varint (negative int64 values take 10, as protobuf writes them).
   *
   * @param v the value
   * @return 1 to 10
   */
  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** A growable byte array with the protobuf wire primitives. */
  private static final class ProtoBuffer {
    private byte[] buf;
    private int len;

    ProtoBuffer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    ProtoBuffer varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
      return this;
    }

    ProtoBuffer fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    ProtoBuffer bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    byte[] toByteArray() {
      return len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
    }
  }
}

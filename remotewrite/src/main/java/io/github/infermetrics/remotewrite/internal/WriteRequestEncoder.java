package io.github.infermetrics.remotewrite.internal;

import java.util.Arrays;
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
 * sees each series' samples in time order.
 *
 * <p>An instance keeps its buffers from one request to the next, sized by use (see {@link Retention}), so a sender
 * encoding batches of a steady shape allocates nothing; it is for one thread at a time.
 */
public final class WriteRequestEncoder {
  /** Tag of field 1, length-delimited: {@code WriteRequest.timeseries}, {@code TimeSeries.labels}, {@code Label.name}. */
  static final int FIELD1_LEN = (1 << 3) | 2;
  /** Tag of field 2, length-delimited: {@code TimeSeries.samples}, {@code Label.value}. */
  static final int FIELD2_LEN = (2 << 3) | 2;
  /** Tag of {@code Sample.value}, a 64-bit double. */
  private static final int SAMPLE_VALUE = (1 << 3) | 1;
  /** Tag of {@code Sample.timestamp}, a varint. */
  private static final int SAMPLE_TIMESTAMP = 2 << 3;
  /** Largest {@code Sample} with its field header: tag, length, 9 bytes of value, tag and a 10-byte varint. */
  static final int SAMPLE_FIELD_SIZE_MAX = 1 + 1 + 9 + 1 + 10;

  // the series grouping of one request, by sample: an open-addressing table of sample indexes (table) and a chain
  // through the batch (next, last), the first sample of each series (firsts) and each series' size (sizes)
  private int[] table = new int[0];
  private int[] next = new int[0];
  private int[] last = new int[0];
  private int[] firsts = new int[0];
  private int[] sizes = new int[0];
  private final Retention samplesKept = new Retention(4096);
  private byte[] out = new byte[0];
  private final Retention bytesKept = new Retention(256 << 10);

  /** An encoder with empty buffers. */
  public WriteRequestEncoder() {}

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
    for (int i = 0; i < names.length; i++) {
      if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
        throw new IllegalArgumentException("labels: names must be sorted and distinct: " + names[i - 1] + ", "
            + names[i]);
      }
      if (names[i].isEmpty() || values[i].isEmpty()) {
        // an empty value means "no such label" in Prometheus; a receiver would reject or drop it
        throw new IllegalArgumentException("labels: empty name or value at " + names[i] + "=\"" + values[i] + "\"");
      }
    }
    return LabelFields.encode(names, values, names.length, -1, "");
  }

  /**
   * Encodes one request into a new array; {@link #write} is the same without the array.
   *
   * @param batch samples in queue order
   * @return the serialized {@code WriteRequest}, uncompressed
   */
  public static byte[] encode(List<EncodedSample> batch) {
    WriteRequestEncoder e = new WriteRequestEncoder();
    int length = e.write(batch);
    return length == e.out.length ? e.out : Arrays.copyOf(e.out, length);
  }

  /**
   * Encodes one request into this encoder's buffer, {@link #bytes()}, which holds it until the next call.
   *
   * @param batch samples in queue order
   * @return the length of the serialized {@code WriteRequest}, uncompressed, from offset 0
   */
  public int write(List<EncodedSample> batch) {
    // group by series, keeping first-seen order of series and queue order of samples within each
    int n = batch.size();
    if (n == 0) {
      return 0;
    }
    int keep = samplesKept.capacity(next.length, n);
    if (keep != next.length) {
      next = new int[keep];
      last = new int[keep];
      firsts = new int[keep];
      sizes = new int[keep];
      table = new int[slots(keep)];
    }
    int slots = slots(n);
    int mask = slots - 1;
    Arrays.fill(table, 0, slots, 0);
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
    int capacity = bytesKept.capacity(out.length, total);
    if (capacity != out.length) {
      out = new byte[capacity];
    }
    // every size is known, so the bytes go straight into place without bounds checks of a growable buffer
    byte[] b = out;
    int p = 0;
    for (int k = 0; k < series; k++) {
      int f = firsts[k];
      b[p++] = (byte) FIELD1_LEN;
      p = varint(b, p, sizes[k]);
      byte[] labels = batch.get(f).labelBytes();
      System.arraycopy(labels, 0, b, p, labels.length);
      p += labels.length;
      for (int i = f; i >= 0; i = next[i]) {
        EncodedSample s = batch.get(i);
        b[p++] = (byte) FIELD2_LEN;
        p = varint(b, p, sampleSize(s));
        b[p++] = (byte) SAMPLE_VALUE;
        long bits = Double.doubleToRawLongBits(s.value());
        for (int j = 0; j < 8; j++) {
          b[p++] = (byte) (bits >>> (8 * j));
        }
        b[p++] = (byte) SAMPLE_TIMESTAMP;
        p = varint(b, p, s.timestampMillis());
      }
    }
    return p;
  }

  /**
   * The buffer {@link #write} encoded into; reused and overwritten by the next call.
   *
   * @return the buffer, not a copy
   */
  public byte[] bytes() {
    return out;
  }

  /** Slots of the series table for {@code n} samples: a power of two, at most half full. */
  private static int slots(int n) {
    return Integer.highestOneBit(Math.max(1, n) * 2 - 1) * 2;
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

  /** Writes a varint at {@code p}; the caller has made room. */
  static int varint(byte[] b, int p, long v) {
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }
}

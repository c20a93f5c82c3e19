package io.github.infermetrics.remotewrite.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * This class is internal and is hence not for public use. Its APIs are unstable and can change at any time.
 *
 * <p>One sample of one series, with the series' labels already encoded as the repeated {@code Label} fields of a
 * protobuf {@code TimeSeries} (sorted by name, {@code __name__} included): encoding them once, when the sample is
 * queued, makes batching by bytes exact and lets the encoder group samples of one series by comparing bytes.
 * Immutable.
 */
public final class EncodedSample {
  private final byte[] labels;
  private final int hash;
  private final double value;
  private final long timestampMillis;

  EncodedSample(byte[] labels, double value, long timestampMillis) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.hash = Arrays.hashCode(labels);
    this.value = value;
    this.timestampMillis = timestampMillis;
  }

  /**
   * A sample.
   *
   * @param names label names, sorted, {@code __name__} included
   * @param values label values, in the same order
   * @param value the value
   * @param timestampMillis the time, milliseconds since the epoch
   * @return the sample
   * @throws IllegalArgumentException when the names are not sorted and distinct, or a name or value is empty
   */
  public static EncodedSample of(String[] names, String[] values, double value, long timestampMillis) {
    return new EncodedSample(WriteRequestEncoder.encodeLabels(names, values), value, timestampMillis);
  }

  /**
   * The value.
   *
   * @return the value
   */
  public double value() {
    return value;
  }

  /**
   * The time.
   *
   * @return milliseconds since the epoch
   */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** The encoded labels; not copied, never modified. */
  byte[] labelBytes() {
    return labels;
  }

  /**
   * Whether two samples belong to the same series.
   *
   * @param other another sample
   * @return true when their labels are the same
   */
  public boolean sameSeries(EncodedSample other) {
    return hash == other.hash && Arrays.equals(labels, other.labels);
  }

  int seriesHash() {
    return hash;
  }

  /**
   * What this sample adds to a request on its own: a {@code TimeSeries} with its labels and one sample, with the
   * field header. Batches are cut on this, so a request is never larger than its limit.
   *
   * @return bytes
   */
  public int encodedSize() {
    int series = labels.length + WriteRequestEncoder.SAMPLE_FIELD_SIZE_MAX;
    return 1 + WriteRequestEncoder.varintSize(series) + series;
  }
}

package io.github.infermetrics.core.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * A histogram (or OpenMetrics gauge histogram) point: cumulative buckets by upper bound, count and sum.
 *
 * <pre>{@code
 * HistogramPoint h = HistogramPoint.builder(Labels.of("model", "m"))
 *     .bucket(0.1, 3).bucket(0.5, 7).bucket(Double.POSITIVE_INFINITY, 9)
 *     .count(9).sum(2.4).build();
 * }</pre>
 *
 * <p>For a gauge histogram, {@link #count()} and {@link #sum()} are {@code _gcount} and {@code _gsum}. Buckets are
 * kept sorted by upper bound; counts are kept as read (a lenient exposition may have non-cumulative ones).
 */
public final class HistogramPoint implements MetricPoint {
  private final Labels labels;
  private final double[] upperBounds;
  private final double[] counts;
  private final Exemplar[] exemplars;
  private final double count;
  private final double sum;
  private final double createdSeconds;
  private final long timestampMillis;

  /** Takes the arrays as they are: sorted bounds, no copies (the reader shares unchanged bounds between reads). */
  HistogramPoint(Labels labels, double[] upperBounds, double[] counts, Exemplar[] exemplars, double count,
      double sum, double createdSeconds, long timestampMillis) {
    this.labels = labels;
    this.upperBounds = upperBounds;
    this.counts = counts;
    this.exemplars = exemplars;
    this.count = count;
    this.sum = sum;
    this.createdSeconds = createdSeconds;
    this.timestampMillis = timestampMillis;
  }

  private HistogramPoint(Builder b) {
    this.labels = b.labels;
    this.upperBounds = Arrays.copyOf(b.bounds, b.n);
    this.counts = Arrays.copyOf(b.counts, b.n);
    this.exemplars = b.anyExemplar ? Arrays.copyOf(b.exemplars, b.n) : null;
    this.count = b.count;
    this.sum = b.sum;
    this.createdSeconds = b.created;
    this.timestampMillis = b.timestampMillis;
  }

  /**
   * A builder.
   *
   * @param labels the point's labels (without {@code le})
   * @return a new builder
   */
  public static Builder builder(Labels labels) {
    return new Builder(labels);
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public long timestampMillis() {
    return timestampMillis;
  }

  /**
   * Number of buckets, including {@code +Inf} when the exposition had it.
   *
   * @return the count
   */
  public int bucketCount() {
    return upperBounds.length;
  }

  /**
   * The upper bound ({@code le}) of bucket {@code i}, in increasing order.
   *
   * @param i the bucket index
   * @return the bound
   */
  public double upperBound(int i) {
    return upperBounds[i];
  }

  /**
   * The cumulative count of bucket {@code i}.
   *
   * @param i the bucket index
   * @return the count
   */
  public double cumulativeCount(int i) {
    return counts[i];
  }

  /**
   * The exemplar of bucket {@code i}.
   *
   * @param i the bucket index
   * @return the exemplar, or {@code null}
   */
  public Exemplar exemplar(int i) {
    Objects.checkIndex(i, upperBounds.length);
    return exemplars == null ? null : exemplars[i];
  }

  /**
   * A copy of the upper bounds.
   *
   * @return the bounds
   */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /**
   * A copy of the cumulative counts.
   *
   * @return the counts
   */
  public double[] cumulativeCounts() {
    return counts.clone();
  }

  /**
   * {@code _count} (or {@code _gcount}).
   *
   * @return the count, NaN when absent
   */
  public double count() {
    return count;
  }

  /**
   * Whether the exposition had {@code _count}.
   *
   * @return true when present
   */
  public boolean hasCount() {
    return !Double.isNaN(count);
  }

  /**
   * {@code _sum} (or {@code _gsum}).
   *
   * @return the sum, NaN when absent
   */
  public double sum() {
    return sum;
  }

  /**
   * Whether the exposition had {@code _sum}.
   *
   * @return true when present
   */
  public boolean hasSum() {
    return !Double.isNaN(sum);
  }

  /**
   * The {@code _created} time in seconds since the epoch.
   *
   * @return the time, NaN when absent
   */
  public double createdSeconds() {
    return createdSeconds;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HistogramPoint)) {
      return false;
    }
    HistogramPoint h = (HistogramPoint) o;
    return labels.equals(h.labels) && Arrays.equals(upperBounds, h.upperBounds) && Arrays.equals(counts, h.counts)
        && Arrays.equals(exemplars, h.exemplars) && Double.compare(count, h.count) == 0
        && Double.compare(sum, h.sum) == 0 && Double.compare(createdSeconds, h.createdSeconds) == 0
        && timestampMillis == h.timestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, Arrays.hashCode(upperBounds), Arrays.hashCode(counts), count, sum, timestampMillis);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("HistogramPoint").append(labels).append('[');
    for (int i = 0; i < upperBounds.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("le=").append(upperBounds[i]).append(':').append(counts[i]);
    }
    return sb.append("] count=").append(count).append(" sum=").append(sum).toString();
  }

  /** Builds a {@link HistogramPoint}; buckets may come in any order. */
  public static final class Builder {
    private final Labels labels;
    private double[] bounds = new double[16];
    private double[] counts = new double[16];
    private Exemplar[] exemplars = new Exemplar[16];
    private boolean anyExemplar;
    private int n;
    private double count = Double.NaN;
    private double sum = Double.NaN;
    private double created = Double.NaN;
    private long timestampMillis = NO_TIMESTAMP;

    private Builder(Labels labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      if (labels.contains("le")) {
        throw new IllegalArgumentException("histogram point labels must not contain le: " + labels);
      }
    }

    /**
     * Adds a bucket.
     *
     * @param upperBound the bucket's {@code le}, not NaN
     * @param cumulativeCount its cumulative count
     * @return this builder
     * @throws IllegalArgumentException when the bound is NaN or already present
     */
    public Builder bucket(double upperBound, double cumulativeCount) {
      return bucket(upperBound, cumulativeCount, null);
    }

    /**
     * Adds a bucket with an exemplar.
     *
     * @param upperBound the bucket's {@code le}, not NaN
     * @param cumulativeCount its cumulative count
     * @param exemplar the exemplar, or {@code null}
     * @return this builder
     * @throws IllegalArgumentException when the bound is NaN or already present
     */
    public Builder bucket(double upperBound, double cumulativeCount, Exemplar exemplar) {
      if (Double.isNaN(upperBound)) {
        throw new IllegalArgumentException("bucket upper bound (le) is NaN");
      }
      int i = n;
      while (i > 0 && bounds[i - 1] > upperBound) {
        i--;
      }
      if (i > 0 && bounds[i - 1] == upperBound) {
        throw new IllegalArgumentException("duplicate bucket le=" + upperBound);
      }
      if (n == bounds.length) {
        bounds = Arrays.copyOf(bounds, n * 2);
        counts = Arrays.copyOf(counts, n * 2);
        exemplars = Arrays.copyOf(exemplars, n * 2);
      }
      System.arraycopy(bounds, i, bounds, i + 1, n - i);
      System.arraycopy(counts, i, counts, i + 1, n - i);
      System.arraycopy(exemplars, i, exemplars, i + 1, n - i);
      bounds[i] = upperBound;
      counts[i] = cumulativeCount;
      exemplars[i] = exemplar;
      anyExemplar |= exemplar != null;
      n++;
      return this;
    }

    /**
     * Whether a bucket with this bound was added.
     *
     * @param upperBound the bound
     * @return true when present
     */
    public boolean hasBucket(double upperBound) {
      for (int i = 0; i < n; i++) {
        if (bounds[i] == upperBound) {
          return true;
        }
      }
      return false;
    }

    /**
     * Sets {@code _count}.
     *
     * @param count the count
     * @return this builder
     */
    public Builder count(double count) {
      this.count = count;
      return this;
    }

    /**
     * Sets {@code _sum}.
     *
     * @param sum the sum
     * @return this builder
     */
    public Builder sum(double sum) {
      this.sum = sum;
      return this;
    }

    /**
     * Sets the {@code _created} time.
     *
     * @param seconds seconds since the epoch
     * @return this builder
     */
    public Builder createdSeconds(double seconds) {
      this.created = seconds;
      return this;
    }

    /**
     * Sets the timestamp.
     *
     * @param millis milliseconds since the epoch, or {@link MetricPoint#NO_TIMESTAMP}
     * @return this builder
     */
    public Builder timestampMillis(long millis) {
      this.timestampMillis = millis;
      return this;
    }

    /**
     * Builds the point.
     *
     * @return the point
     */
    public HistogramPoint build() {
      return new HistogramPoint(this);
    }
  }
}

package io.github.infermetrics.core.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * A summary point: precomputed quantiles, count and sum. Quantiles of different targets cannot be aggregated.
 *
 * <pre>{@code
 * SummaryPoint s = SummaryPoint.builder(Labels.EMPTY).quantile(0.5, 0.012).quantile(0.99, 0.2)
 *     .count(1000).sum(18.5).build();
 * }</pre>
 */
public final class SummaryPoint implements MetricPoint {
  private final Labels labels;
  private final double[] quantiles;
  private final double[] values;
  private final double count;
  private final double sum;
  private final double createdSeconds;
  private final long timestampMillis;

  /** Takes the arrays as they are: sorted quantiles, no copies (the reader shares unchanged quantiles). */
  SummaryPoint(Labels labels, double[] quantiles, double[] values, double count, double sum, double createdSeconds,
      long timestampMillis) {
    this.labels = labels;
    this.quantiles = quantiles;
    this.values = values;
    this.count = count;
    this.sum = sum;
    this.createdSeconds = createdSeconds;
    this.timestampMillis = timestampMillis;
  }

  private SummaryPoint(Builder b) {
    this.labels = b.labels;
    this.quantiles = Arrays.copyOf(b.quantiles, b.n);
    this.values = Arrays.copyOf(b.values, b.n);
    this.count = b.count;
    this.sum = b.sum;
    this.createdSeconds = b.created;
    this.timestampMillis = b.timestampMillis;
  }

  /**
   * A builder.
   *
   * @param labels the point's labels (without {@code quantile})
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
   * Number of quantiles.
   *
   * @return the count
   */
  public int quantileCount() {
    return quantiles.length;
  }

  /**
   * Quantile {@code i} (for example 0.99), in increasing order.
   *
   * @param i the index
   * @return the quantile
   */
  public double quantile(int i) {
    return quantiles[i];
  }

  /**
   * The value of quantile {@code i}.
   *
   * @param i the index
   * @return the value
   */
  public double quantileValue(int i) {
    return values[i];
  }

  /**
   * The value of a quantile.
   *
   * @param q the quantile, for example 0.99
   * @return the value, NaN when the summary has no such quantile
   */
  public double valueAt(double q) {
    for (int i = 0; i < quantiles.length; i++) {
      if (quantiles[i] == q) {
        return values[i];
      }
    }
    return Double.NaN;
  }

  /**
   * {@code _count}.
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
   * {@code _sum}.
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
    if (!(o instanceof SummaryPoint)) {
      return false;
    }
    SummaryPoint s = (SummaryPoint) o;
    return labels.equals(s.labels) && Arrays.equals(quantiles, s.quantiles) && Arrays.equals(values, s.values)
        && Double.compare(count, s.count) == 0 && Double.compare(sum, s.sum) == 0
        && Double.compare(createdSeconds, s.createdSeconds) == 0 && timestampMillis == s.timestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(labels, Arrays.hashCode(quantiles), Arrays.hashCode(values), count, sum, timestampMillis);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SummaryPoint").append(labels).append('[');
    for (int i = 0; i < quantiles.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(quantiles[i]).append(':').append(values[i]);
    }
    return sb.append("] count=").append(count).append(" sum=").append(sum).toString();
  }

  /** Builds a {@link SummaryPoint}; quantiles may come in any order. */
  public static final class Builder {
    private final Labels labels;
    private double[] quantiles = new double[8];
    private double[] values = new double[8];
    private int n;
    private double count = Double.NaN;
    private double sum = Double.NaN;
    private double created = Double.NaN;
    private long timestampMillis = NO_TIMESTAMP;

    private Builder(Labels labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      if (labels.contains("quantile")) {
        throw new IllegalArgumentException("summary point labels must not contain quantile: " + labels);
      }
    }

    /**
     * Adds a quantile.
     *
     * @param quantile the quantile, not NaN
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException when the quantile is NaN or already present
     */
    public Builder quantile(double quantile, double value) {
      if (Double.isNaN(quantile)) {
        throw new IllegalArgumentException("quantile is NaN");
      }
      int i = n;
      while (i > 0 && quantiles[i - 1] > quantile) {
        i--;
      }
      if (i > 0 && quantiles[i - 1] == quantile) {
        throw new IllegalArgumentException("duplicate quantile " + quantile);
      }
      if (n == quantiles.length) {
        quantiles = Arrays.copyOf(quantiles, n * 2);
        values = Arrays.copyOf(values, n * 2);
      }
      System.arraycopy(quantiles, i, quantiles, i + 1, n - i);
      System.arraycopy(values, i, values, i + 1, n - i);
      quantiles[i] = quantile;
      values[i] = value;
      n++;
      return this;
    }

    /**
     * Whether this quantile was added.
     *
     * @param quantile the quantile
     * @return true when present
     */
    public boolean hasQuantile(double quantile) {
      for (int i = 0; i < n; i++) {
        if (quantiles[i] == quantile) {
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
    public SummaryPoint build() {
      return new SummaryPoint(this);
    }
  }
}

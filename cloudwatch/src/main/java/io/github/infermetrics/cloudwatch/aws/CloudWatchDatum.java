package io.github.infermetrics.cloudwatch.aws;

import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One value of one CloudWatch metric, as {@link PutMetricDataPublisher} sends it: the fields of a
 * {@code PutMetricData} {@code MetricDatum}, checked against the service's limits when it is built.
 *
 * <pre>{@code
 * CloudWatchDatum d = CloudWatchDatum.builder("queue_depth")
 *     .unit("Count")
 *     .dimension("model", "qwen3")
 *     .value(12)
 *     .timestamp(Instant.now())
 *     .highResolution()
 *     .build();
 * }</pre>
 *
 * <p>Dimensions with an empty value are left out: CloudWatch rejects them (and would fail the whole request), and
 * in this library an empty label value is the same series as no label.
 *
 * @param name the metric name, 1 to 255 characters
 * @param unit one of the 27 CloudWatch units, for example {@code Seconds} or {@code Count/Second}
 * @param dimensions at most 30; names 1 to 255 characters, values 1 to 1024
 * @param value a finite number from -2^360 to 2^360
 * @param timestamp when the value was observed
 * @param storageResolution 60 (standard) or 1 (high resolution)
 * @since 0.1.0
 */
public record CloudWatchDatum(String name, String unit, Labels dimensions, double value, Instant timestamp,
    int storageResolution) {
  /** The most dimensions per datum. */
  public static final int MAX_DIMENSIONS = 30;
  /** The longest metric name and dimension name, in characters. */
  public static final int MAX_NAME_LENGTH = 255;
  /** The longest dimension value, in characters. */
  public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
  /** The largest magnitude CloudWatch accepts, 2^360. */
  public static final double MAX_MAGNITUDE = 0x1p360;

  /** The CloudWatch units ({@code StandardUnit}), the same 27 strings as in EMF. */
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");

  /**
   * Validates, and leaves out dimensions with an empty value.
   *
   * @param name the metric name
   * @param unit the unit
   * @param dimensions the dimensions
   * @param value the value
   * @param timestamp the timestamp
   * @param storageResolution 1 or 60
   * @throws IllegalArgumentException naming the field that breaks a limit
   */
  public CloudWatchDatum {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(timestamp, "timestamp");
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name must have 1 to " + MAX_NAME_LENGTH + " characters and not be blank: "
          + abbreviate(name));
    }
    if (!UNITS.contains(unit)) {
      throw new IllegalArgumentException("unit of " + name + " is not a CloudWatch unit: " + unit);
    }
    dimensions = withoutEmptyValues(dimensions);
    if (dimensions.size() > MAX_DIMENSIONS) {
      throw new IllegalArgumentException("dimensions of " + name + ": " + dimensions.size() + " is more than "
          + MAX_DIMENSIONS);
    }
    for (int i = 0; i < dimensions.size(); i++) {
      if (dimensions.name(i).length() > MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("dimensions of " + name + ": name longer than " + MAX_NAME_LENGTH
            + " characters: " + abbreviate(dimensions.name(i)));
      }
      if (dimensions.value(i).length() > MAX_DIMENSION_VALUE_LENGTH) {
        throw new IllegalArgumentException("dimensions of " + name + ": value of " + dimensions.name(i)
            + " longer than " + MAX_DIMENSION_VALUE_LENGTH + " characters");
      }
    }
    if (!(Math.abs(value) <= MAX_MAGNITUDE)) {
      throw new IllegalArgumentException("value of " + name + " must be finite and within +-2^360: " + value);
    }
    if (storageResolution != 1 && storageResolution != 60) {
      throw new IllegalArgumentException("storageResolution of " + name + " must be 1 or 60: " + storageResolution);
    }
  }

  /**
   * A builder.
   *
   * @param name the metric name
   * @return a builder with unit {@code None}, no dimensions, value 0, timestamp now and standard resolution
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Whether this datum is high resolution (stored per second).
   *
   * @return true when {@link #storageResolution()} is 1
   */
  public boolean highResolution() {
    return storageResolution == 1;
  }

  private static Labels withoutEmptyValues(Labels labels) {
    Labels out = labels;
    for (int i = 0; i < labels.size(); i++) {
      if (labels.value(i).isEmpty()) {
        out = out.without(labels.name(i));
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? '"' + s + '"' : '"' + s.substring(0, 40) + "...\" (" + s.length() + " characters)";
  }

  /** Builds a {@link CloudWatchDatum}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private String unit = "None";
    private Labels dimensions = Labels.EMPTY;
    private double value;
    private Instant timestamp;
    private int storageResolution = 60;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the unit.
     *
     * @param unit one of the 27 CloudWatch units
     * @return this
     */
    public Builder unit(String unit) {
      this.unit = unit;
      return this;
    }

    /**
     * Adds or replaces one dimension.
     *
     * @param name the dimension name
     * @param value its value
     * @return this
     */
    public Builder dimension(String name, String value) {
      this.dimensions = dimensions.with(name, value);
      return this;
    }

    /**
     * Replaces all dimensions.
     *
     * @param dimensions the dimensions
     * @return this
     */
    public Builder dimensions(Labels dimensions) {
      this.dimensions = Objects.requireNonNull(dimensions, "dimensions");
      return this;
    }

    /**
     * Sets the value.
     *
     * @param value the value
     * @return this
     */
    public Builder value(double value) {
      this.value = value;
      return this;
    }

    /**
     * Sets the timestamp (default: when {@link #build()} runs).
     *
     * @param timestamp the timestamp
     * @return this
     */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return this;
    }

    /**
     * Stores the datum at one-second resolution (StorageResolution 1).
     *
     * @return this
     */
    public Builder highResolution() {
      this.storageResolution = 1;
      return this;
    }

    /**
     * Sets the storage resolution.
     *
     * @param seconds 1 or 60
     * @return this
     */
    public Builder storageResolution(int seconds) {
      this.storageResolution = seconds;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the datum
     * @throws IllegalArgumentException naming the field that breaks a limit
     */
    public CloudWatchDatum build() {
      return new CloudWatchDatum(name, unit, dimensions, value, timestamp == null ? Instant.now() : timestamp,
          storageResolution);
    }
  }
}

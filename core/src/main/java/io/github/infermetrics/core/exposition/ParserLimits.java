package io.github.infermetrics.core.exposition;

import java.util.List;

/**
 * Processing limits of {@link ExpositionParser}. Every limit has a safe default; exceeding one stops the parse
 * with an {@link ExpositionParseException} whose message names the limit and the setting to raise, and whose
 * {@link ExpositionParseException#limit()} returns the setting's name.
 *
 * <pre>{@code
 * ParserLimits limits = ParserLimits.builder().maxLineLength(4 << 20).maxSeries(2_000_000).build();
 * ExpositionParser parser = ExpositionParser.builder().limits(limits).build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ParserLimits {
  /** The default limits. */
  public static final ParserLimits DEFAULTS = builder().build();

  /**
   * The settings' names, as limit errors name them and {@link Builder#set(String, long)} takes them, for a
   * configuration file or a command line: {@code maxLineLength}, {@code maxLabelsPerSeries}, ...
   */
  public static final List<String> SETTINGS = List.of("maxLineLength", "maxLabelsPerSeries", "maxNameLength",
      "maxLabelValueLength", "maxSeries", "maxExemplarLabelCodePoints", "maxInputBytes", "maxFamilies",
      "maxHelpBytes");

  private final int maxLineLength;
  private final int maxLabelsPerSeries;
  private final int maxNameLength;
  private final int maxLabelValueLength;
  private final long maxSeries;
  private final int maxExemplarLabelCodePoints;
  private final long maxInputBytes;
  private final int maxFamilies;
  private final int maxHelpBytes;

  private ParserLimits(Builder b) {
    this.maxLineLength = b.maxLineLength;
    this.maxLabelsPerSeries = b.maxLabelsPerSeries;
    this.maxNameLength = b.maxNameLength;
    this.maxLabelValueLength = b.maxLabelValueLength;
    this.maxSeries = b.maxSeries;
    this.maxExemplarLabelCodePoints = b.maxExemplarLabelCodePoints;
    this.maxInputBytes = b.maxInputBytes;
    this.maxFamilies = b.maxFamilies;
    this.maxHelpBytes = b.maxHelpBytes;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxLineLength = maxLineLength;
    b.maxLabelsPerSeries = maxLabelsPerSeries;
    b.maxNameLength = maxNameLength;
    b.maxLabelValueLength = maxLabelValueLength;
    b.maxSeries = maxSeries;
    b.maxExemplarLabelCodePoints = maxExemplarLabelCodePoints;
    b.maxInputBytes = maxInputBytes;
    b.maxFamilies = maxFamilies;
    b.maxHelpBytes = maxHelpBytes;
    return b;
  }

  /**
   * Longest line in bytes, without its line feed (default 1 MiB). Also bounds the parser's buffer when it reads
   * an {@code InputStream}.
   *
   * @return the limit
   */
  public int maxLineLength() {
    return maxLineLength;
  }

  /**
   * Most labels on one sample (default 256).
   *
   * @return the limit
   */
  public int maxLabelsPerSeries() {
    return maxLabelsPerSeries;
  }

  /**
   * Longest metric or label name in bytes (default 1024).
   *
   * @return the limit
   */
  public int maxNameLength() {
    return maxNameLength;
  }

  /**
   * Longest label value in bytes, after unescaping (default 65536).
   *
   * @return the limit
   */
  public int maxLabelValueLength() {
    return maxLabelValueLength;
  }

  /**
   * Most sample lines in one exposition (default 1,000,000), like Prometheus's {@code sample_limit}.
   *
   * @return the limit
   */
  public long maxSeries() {
    return maxSeries;
  }

  /**
   * Most code points in an exemplar's label names and values together (default 128, the OpenMetrics limit;
   * strict mode always applies 128).
   *
   * @return the limit
   */
  public int maxExemplarLabelCodePoints() {
    return maxExemplarLabelCodePoints;
  }

  /**
   * Most bytes in one exposition (default 1 GiB), whatever the input: an array, a buffer or a stream. The other
   * limits bound memory; this one bounds the time spent on a stream that never ends, for example an endless run of
   * comment lines, which no other limit counts. The scraper applies its own, smaller
   * {@code ScrapeTarget.bodySizeLimit} before the parser sees the bytes.
   *
   * @return the limit
   */
  public long maxInputBytes() {
    return maxInputBytes;
  }

  /**
   * Most metric families in one exposition (default 100,000), counting those that only a HELP, TYPE or UNIT line
   * names. The parser keeps each family's name, type and help until the end of the exposition, so this bounds that
   * memory; samples are not kept and count against {@link #maxSeries()}.
   *
   * @return the limit
   */
  public int maxFamilies() {
    return maxFamilies;
  }

  /**
   * Most bytes of help text the parser keeps for one exposition, all families together (default 8 MiB). A family
   * keeps its last HELP line's text until the end of the exposition; without this bound, a body of a few thousand
   * families with megabyte help texts would hold the whole body in memory.
   *
   * @return the limit
   */
  public int maxHelpBytes() {
    return maxHelpBytes;
  }

  @Override
  public String toString() {
    return "ParserLimits{maxLineLength=" + maxLineLength + ", maxLabelsPerSeries=" + maxLabelsPerSeries
        + ", maxNameLength=" + maxNameLength + ", maxLabelValueLength=" + maxLabelValueLength
        + ", maxSeries=" + maxSeries + ", maxExemplarLabelCodePoints=" + maxExemplarLabelCodePoints
        + ", maxInputBytes=" + maxInputBytes + ", maxFamilies=" + maxFamilies
        + ", maxHelpBytes=" + maxHelpBytes + "}";
  }

  /** Builds {@link ParserLimits}; every setter rejects values below 1. */
  public static final class Builder {
    private int maxLineLength = 1 << 20;
    private int maxLabelsPerSeries = 256;
    private int maxNameLength = 1024;
    private int maxLabelValueLength = 1 << 16;
    private long maxSeries = 1_000_000;
    private int maxExemplarLabelCodePoints = 128;
    private long maxInputBytes = 1L << 30;
    private int maxFamilies = 100_000;
    private int maxHelpBytes = 8 << 20;

    private Builder() {}

    /**
     * Sets {@link ParserLimits#maxLineLength()}.
     *
     * @param bytes the limit, at least 1 and below 2^31 - 16
     * @return this builder
     */
    public Builder maxLineLength(int bytes) {
      // the stream buffer holds a line plus its line feed and a little slack
      if (bytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("maxLineLength must be below " + (Integer.MAX_VALUE - 16) + ": " + bytes);
      }
      this.maxLineLength = positive("maxLineLength", bytes);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxLabelsPerSeries()}.
     *
     * @param labels the limit, at least 1
     * @return this builder
     */
    public Builder maxLabelsPerSeries(int labels) {
      this.maxLabelsPerSeries = positive("maxLabelsPerSeries", labels);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxNameLength()}.
     *
     * @param bytes the limit, at least 1
     * @return this builder
     */
    public Builder maxNameLength(int bytes) {
      this.maxNameLength = positive("maxNameLength", bytes);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxLabelValueLength()}.
     *
     * @param bytes the limit, at least 1
     * @return this builder
     */
    public Builder maxLabelValueLength(int bytes) {
      this.maxLabelValueLength = positive("maxLabelValueLength", bytes);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxSeries()}.
     *
     * @param series the limit, at least 1
     * @return this builder
     */
    public Builder maxSeries(long series) {
      this.maxSeries = positive("maxSeries", series);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxExemplarLabelCodePoints()}.
     *
     * @param codePoints the limit, at least 1
     * @return this builder
     */
    public Builder maxExemplarLabelCodePoints(int codePoints) {
      this.maxExemplarLabelCodePoints = positive("maxExemplarLabelCodePoints", codePoints);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxInputBytes()}.
     *
     * @param bytes the limit, at least 1
     * @return this builder
     */
    public Builder maxInputBytes(long bytes) {
      this.maxInputBytes = positive("maxInputBytes", bytes);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxFamilies()}.
     *
     * @param families the limit, at least 1
     * @return this builder
     */
    public Builder maxFamilies(int families) {
      this.maxFamilies = positive("maxFamilies", families);
      return this;
    }

    /**
     * Sets {@link ParserLimits#maxHelpBytes()}.
     *
     * @param bytes the limit, at least 1
     * @return this builder
     */
    public Builder maxHelpBytes(int bytes) {
      this.maxHelpBytes = positive("maxHelpBytes", bytes);
      return this;
    }

    /**
     * Sets a limit by its name in {@link ParserLimits#SETTINGS}, for settings read from a configuration file or a command line.
     *
     * <pre>{@code
     * ParserLimits limits = ParserLimits.builder().set("maxLineLength", 4L << 20).build();
     * }</pre>
     *
     * @param setting the setting's name, as its limit error names it
     * @param value the limit; in an {@code int} for the settings that are one
     * @return this builder
     * @throws IllegalArgumentException for a name not in {@link ParserLimits#SETTINGS} (the message lists them) or a value the
     *     setter refuses
     */
    public Builder set(String setting, long value) {
      switch (setting) {
        case "maxLineLength" -> maxLineLength(toInt(setting, value));
        case "maxLabelsPerSeries" -> maxLabelsPerSeries(toInt(setting, value));
        case "maxNameLength" -> maxNameLength(toInt(setting, value));
        case "maxLabelValueLength" -> maxLabelValueLength(toInt(setting, value));
        case "maxSeries" -> maxSeries(value);
        case "maxExemplarLabelCodePoints" -> maxExemplarLabelCodePoints(toInt(setting, value));
        case "maxInputBytes" -> maxInputBytes(value);
        case "maxFamilies" -> maxFamilies(toInt(setting, value));
        case "maxHelpBytes" -> maxHelpBytes(toInt(setting, value));
        default -> throw new IllegalArgumentException("no such limit '" + setting + "' (" + String.join(", ", SETTINGS)
            + ")");
      }
      return this;
    }

    private static int toInt(String setting, long value) {
      if (value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(setting + " must be at most " + Integer.MAX_VALUE + ": " + value);
      }
      return (int) Math.max(value, Integer.MIN_VALUE);
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public ParserLimits build() {
      return new ParserLimits(this);
    }

    private static int positive(String field, int value) {
      return (int) positive(field, (long) value);
    }

    private static long positive(String field, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(field + " must be at least 1: " + value);
      }
      return value;
    }
  }
}

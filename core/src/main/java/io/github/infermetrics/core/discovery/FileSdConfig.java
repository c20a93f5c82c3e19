package io.github.infermetrics.core.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link FileSdDiscovery}: Prometheus's {@code file_sd_configs}.
 *
 * <pre>{@code
 * FileSdConfig config = FileSdConfig.builder()
 *     .file("/etc/infermetrics/targets/*.yml")     // as Prometheus's files: a * in the last path element
 *     .file("/var/run/ray/prom_metrics_service_discovery.json")
 *     .labelling(TargetLabelling.builder().job("ray").build())
 *     .build();
 * FileSdConfig fromFlag = FileSdConfig.parse("/etc/infermetrics/targets/*.json");   // --file-sd PATTERN
 * }</pre>
 *
 * @param files file names or patterns, as Prometheus's {@code files}: a {@code .json}, {@code .yml} or
 *     {@code .yaml} extension (any case) and at most a {@code *} (also {@code ?}, {@code [...]}) in the last path
 *     element
 * @param checkInterval how often each file's modification time, size and identity are checked, which catches what
 *     file-system events miss (editors that replace the file, network file systems); default 5 s
 * @param refreshInterval how often every file is read again whatever its metadata says (Prometheus's
 *     {@code refresh_interval}); a content hash keeps an unchanged file from being parsed again; default 5 min
 * @param maxFileBytes the largest file read; a larger one is an error naming {@code FileSdConfig.maxFileBytes};
 *     default 16 MiB
 * @param labelling defaults and relabelling applied to the targets
 */
public record FileSdConfig(List<String> files, Duration checkInterval, Duration refreshInterval, long maxFileBytes,
    TargetLabelling labelling) {
  /** Prometheus's rule for {@code files}: a * only in the last path element, and a known extension. */
  private static final Pattern FILE_PATTERN =
      Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");

  /**
   * Validates.
   *
   * @param files the files or patterns
   * @param checkInterval the metadata check interval
   * @param refreshInterval the full re-read interval
   * @param maxFileBytes the file size limit
   * @param labelling the labelling
   * @throws IllegalArgumentException naming the setting that is not valid
   */
  public FileSdConfig {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files is empty: name at least one file or pattern");
    }
    for (String f : files) {
      if (!FILE_PATTERN.matcher(f).matches()) {
        throw new IllegalArgumentException("file_sd file \"" + f + "\" must end in .json, .yml or .yaml and may hold"
            + " a * only in its last path element");
      }
    }
    positive(checkInterval, "checkInterval");
    positive(refreshInterval, "refreshInterval");
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be positive: " + maxFileBytes);
    }
    Objects.requireNonNull(labelling, "labelling");
  }

  /**
   * The configuration of the CLI flag {@code --file-sd PATTERN}: the whole argument is one file name or pattern;
   * other settings are the defaults.
   *
   * @param spec a file name or pattern, such as {@code /etc/targets/*.json}
   * @return the configuration
   * @throws IllegalArgumentException when the file name is not usable, saying why
   */
  public static FileSdConfig parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.isBlank()) {
      throw new IllegalArgumentException("--file-sd needs a file name or pattern, such as /etc/targets/*.json");
    }
    return builder().file(spec.strip()).build();
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Builds a {@link FileSdConfig}. */
  public static final class Builder {
    private final List<String> files = new ArrayList<>();
    private Duration checkInterval = Duration.ofSeconds(5);
    private Duration refreshInterval = Duration.ofMinutes(5);
    private long maxFileBytes = 16L << 20;
    private TargetLabelling labelling = TargetLabelling.defaults();

    private Builder() {}

    /**
     * Adds a file name or pattern.
     *
     * @param file for example {@code targets/*.yml}
     * @return this
     */
    public Builder file(String file) {
      files.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * How often file metadata is checked.
     *
     * @param interval positive; default 5 s
     * @return this
     */
    public Builder checkInterval(Duration interval) {
      this.checkInterval = interval;
      return this;
    }

    /**
     * How often every file is read again.
     *
     * @param interval positive; default 5 min
     * @return this
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = interval;
      return this;
    }

    /**
     * The largest file read.
     *
     * @param bytes positive; default 16 MiB
     * @return this
     */
    public Builder maxFileBytes(long bytes) {
      this.maxFileBytes = bytes;
      return this;
    }

    /**
     * Defaults and relabelling for the targets.
     *
     * @param labelling default {@link TargetLabelling#defaults()}
     * @return this
     */
    public Builder labelling(TargetLabelling labelling) {
      this.labelling = labelling;
      return this;
    }

    /**
     * The configuration.
     *
     * @return a new configuration
     * @throws IllegalArgumentException naming the setting that is not valid
     */
    public FileSdConfig build() {
      return new FileSdConfig(files, checkInterval, refreshInterval, maxFileBytes, labelling);
    }
  }
}

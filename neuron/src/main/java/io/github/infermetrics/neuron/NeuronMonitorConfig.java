package io.github.infermetrics.neuron;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configuration file of {@code neuron-monitor -c FILE}: how often to report, which applications (by tag) with
 * which metric groups, and which system metric groups.
 *
 * <pre>{@code
 * NeuronMonitorConfig config = NeuronMonitorConfig.builder()
 *     .period(Duration.ofSeconds(1))
 *     .runtime(".*", NeuronMonitorConfig.ALL_RUNTIME_GROUPS)
 *     .systemMetric(NeuronMonitorConfig.VCPU_USAGE)
 *     .systemMetric(NeuronMonitorConfig.MEMORY_INFO)
 *     .systemMetric(NeuronMonitorConfig.NEURON_HW_COUNTERS, Duration.ofSeconds(2))
 *     .build();
 * config.toJson();   // {"period":"1s","neuron_runtimes":[{"tag_filter":".*","metrics":[...]}],...}
 * }</pre>
 *
 * <p>Periods are written as Go durations ({@code "1s"}, {@code "500ms"}); the innermost period wins and the
 * default is 5 s. Metric group types are not restricted to the known ones, since AWS adds groups.
 *
 * @param period the root period, when set
 * @param runtimes the {@code neuron_runtimes} entries
 * @param systemMetrics the {@code system_metrics} entries
 */
public record NeuronMonitorConfig(Optional<Duration> period, List<Runtimes> runtimes, List<Group> systemMetrics) {
  /** App-level group {@code neuroncore_counters}. */
  public static final String NEURONCORE_COUNTERS = "neuroncore_counters";
  /** App-level group {@code memory_used}. */
  public static final String MEMORY_USED = "memory_used";
  /** App-level group {@code neuron_runtime_vcpu_usage}. */
  public static final String NEURON_RUNTIME_VCPU_USAGE = "neuron_runtime_vcpu_usage";
  /** App-level group {@code execution_stats}. */
  public static final String EXECUTION_STATS = "execution_stats";
  /** System group {@code vcpu_usage}. */
  public static final String VCPU_USAGE = "vcpu_usage";
  /** System group {@code memory_info}. */
  public static final String MEMORY_INFO = "memory_info";
  /** System group {@code neuron_hw_counters}. */
  public static final String NEURON_HW_COUNTERS = "neuron_hw_counters";
  /** The four app-level groups. */
  public static final String[] ALL_RUNTIME_GROUPS = {NEURONCORE_COUNTERS, MEMORY_USED, NEURON_RUNTIME_VCPU_USAGE,
      EXECUTION_STATS};

  /**
   * Validates and copies.
   *
   * @param period the root period
   * @param runtimes the runtime entries
   * @param systemMetrics the system groups
   */
  public NeuronMonitorConfig {
    Objects.requireNonNull(period, "period");
    period.ifPresent(p -> checkPeriod("period", p));
    runtimes = List.copyOf(runtimes);
    systemMetrics = List.copyOf(systemMetrics);
  }

  /**
   * One metric group.
   *
   * @param type the group type, for example {@code execution_stats}
   * @param period its own period, when set
   */
  public record Group(String type, Optional<Duration> period) {
    /**
     * Validates.
     *
     * @param type the type; not blank
     * @param period the period; positive, whole milliseconds
     */
    public Group {
      if (Objects.requireNonNull(type, "type").isBlank()) {
        throw new IllegalArgumentException("type: a metric group type must not be blank");
      }
      Objects.requireNonNull(period, "period");
      period.ifPresent(p -> checkPeriod("period of " + type, p));
    }
  }

  /**
   * One {@code neuron_runtimes} entry: the applications whose tag matches, and their groups.
   *
   * @param tagFilter a regex on {@code NEURON_PROCESS_TAG} (or the PID), or {@code ""} for every application
   * @param period the entry's period, when set
   * @param metrics the groups
   */
  public record Runtimes(String tagFilter, Optional<Duration> period, List<Group> metrics) {
    /**
     * Validates and copies.
     *
     * @param tagFilter the filter; a valid regex or empty
     * @param period the period
     * @param metrics the groups; at least one
     */
    public Runtimes {
      Objects.requireNonNull(tagFilter, "tagFilter");
      if (!tagFilter.isEmpty()) {
        try {
          Pattern.compile(tagFilter);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("tag_filter: not a valid regex: " + e.getDescription() + " in "
              + tagFilter, e);
        }
      }
      Objects.requireNonNull(period, "period");
      period.ifPresent(p -> checkPeriod("period of runtimes " + tagFilter, p));
      metrics = List.copyOf(metrics);
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("metrics: a neuron_runtimes entry needs at least one metric group");
      }
    }
  }

  private static void checkPeriod(String field, Duration p) {
    if (p.isNegative() || p.isZero() || p.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(field + ": must be a positive whole number of milliseconds, got " + p);
    }
  }

  /**
   * The configuration neuron-monitor uses without a file: every group of every application, every 5 s.
   *
   * @return the defaults, written out
   */
  public static NeuronMonitorConfig defaults() {
    return builder().period(Duration.ofSeconds(5)).runtime(".*", ALL_RUNTIME_GROUPS).systemMetric(VCPU_USAGE)
        .systemMetric(MEMORY_INFO).systemMetric(NEURON_HW_COUNTERS).build();
  }

  /**
   * Starts a configuration.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The file's content.
   *
   * @return compact JSON
   */
  public String toJson() {
    ObjectNode root = NeuronReportReader.MAPPER.createObjectNode();
    period.ifPresent(p -> root.put("period", goDuration(p)));
    ArrayNode rts = root.putArray("neuron_runtimes");
    for (Runtimes r : runtimes) {
      ObjectNode o = rts.addObject();
      if (!r.tagFilter().isEmpty()) {
        o.put("tag_filter", r.tagFilter());
      }
      r.period().ifPresent(p -> o.put("period", goDuration(p)));
      groups(o.putArray("metrics"), r.metrics());
    }
    groups(root.putArray("system_metrics"), systemMetrics);
    return root.toString();
  }

  /**
   * Writes the file.
   *
   * @param file where
   * @throws UncheckedIOException when writing fails
   */
  public void writeTo(Path file) {
    try {
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the neuron-monitor config " + file, e);
    }
  }

  private static void groups(ArrayNode out, List<Group> groups) {
    for (Group g : groups) {
      ObjectNode o = out.addObject();
      g.period().ifPresent(p -> o.put("period", goDuration(p)));
      o.put("type", g.type());
    }
  }

  /** {@code 1s}, {@code 1500ms}: a Go duration neuron-monitor parses. */
  static String goDuration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /** Builds a {@link NeuronMonitorConfig}. */
  public static final class Builder {
    private Optional<Duration> period = Optional.empty();
    private final List<Runtimes> runtimes = new ArrayList<>();
    private final List<Group> systemMetrics = new ArrayList<>();

    private Builder() {}

    /**
     * The root period.
     *
     * @param period positive, whole milliseconds
     * @return this
     */
    public Builder period(Duration period) {
      checkPeriod("period", Objects.requireNonNull(period, "period"));
      this.period = Optional.of(period);
      return this;
    }

    /**
     * Monitors the applications whose tag matches, with these groups.
     *
     * @param tagFilter a regex, or {@code ""} for all
     * @param groupTypes the group types, for example {@link #ALL_RUNTIME_GROUPS}
     * @return this
     */
    public Builder runtime(String tagFilter, String... groupTypes) {
      List<Group> groups = new ArrayList<>();
      for (String t : Arrays.asList(groupTypes)) {
        groups.add(new Group(t, Optional.empty()));
      }
      runtimes.add(new Runtimes(tagFilter, Optional.empty(), groups));
      return this;
    }

    /**
     * Adds a fully specified {@code neuron_runtimes} entry.
     *
     * @param entry the entry
     * @return this
     */
    public Builder runtime(Runtimes entry) {
      runtimes.add(Objects.requireNonNull(entry, "entry"));
      return this;
    }

    /**
     * Adds a system group at the root period.
     *
     * @param type for example {@link #VCPU_USAGE}
     * @return this
     */
    public Builder systemMetric(String type) {
      systemMetrics.add(new Group(type, Optional.empty()));
      return this;
    }

    /**
     * Adds a system group with its own period.
     *
     * @param type the type
     * @param period the period
     * @return this
     */
    public Builder systemMetric(String type, Duration period) {
      systemMetrics.add(new Group(type, Optional.of(period)));
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public NeuronMonitorConfig build() {
      return new NeuronMonitorConfig(period, runtimes, systemMetrics);
    }
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.PrometheusText;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code /metrics} of {@code watch --serve}: the latest window's KPIs of every target (not the raw series), as
 * Prometheus text 0.0.4 or OpenMetrics 1.0, plus a few metrics about the watch itself. Each KPI statistic is one
 * gauge family named as in the vocabulary ({@link Kpi#metricName}), its HELP the KPI's description, its series
 * labelled with the value's dimensions, {@code source} and {@code target} ({@link KpiSet#labels}); every series of
 * a family is written together, as OpenMetrics requires. No timestamps: Prometheus stamps each scrape itself, and a
 * target that goes down or stops being recognised simply has no KPI series (they go stale), only its self-metrics.
 */
final class KpiExposition {
  /** The two formats and their content types. */
  enum Format {
    /** Prometheus text 0.0.4. */
    TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0. */
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }
  }

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private KpiExposition() {}

  /**
   * The format an {@code Accept} header asks for, as Prometheus's client libraries negotiate: the acceptable media
   * range with the highest {@code q} (the earlier one on a tie); OpenMetrics for {@code application/openmetrics-text}
   * (version 1.0.0, 0.0.1 or none), text for {@code text/plain} (0.0.4 or none) and wildcards. Text when nothing
   * acceptable is named, or there is no header.
   *
   * @param accept the header, or null
   * @return the format
   */
  static Format negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return Format.TEXT;
    }
    Format best = Format.TEXT;
    double bestQ = -1;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      String version = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).trim();
        if (key.equals("q")) {
          try {
            q = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            q = 0; // an unreadable weight: not acceptable
          }
        } else if (key.equals("version")) {
          version = value;
        }
      }
      Format f = switch (type) {
        case "application/openmetrics-text" -> version == null || version.equals("1.0.0") || version.equals("0.0.1")
            ? Format.OPENMETRICS : null;
        case "text/plain" -> version == null || version.equals("0.0.4") ? Format.TEXT : null;
        case "*/*", "text/*" -> Format.TEXT;
        default -> null;
      };
      if (f != null && q > 0 && q > bestQ) {
        best = f;
        bestQ = q;
      }
    }
    return best;
  }

  /**
   * What the pipeline says about itself, besides its targets.
   *
   * @param consumerFailures consumer calls that threw
   * @param skippedScrapes scrapes skipped because the previous one of the target was still running
   */
  record PipelineCounts(long consumerFailures, long skippedScrapes) {}

  /**
   * Writes one scrape's body.
   *
   * @param format the format
   * @param statuses every target's state, in order
   * @param counts the pipeline's own counts
   * @param now the time, for the age of windows
   * @return the exposition
   */
  static String write(Format format, List<TargetStatus> statuses, PipelineCounts counts, Instant now) {
    Map<String, Family> kpis = new LinkedHashMap<>();
    int dropped = 0;
    // families in the vocabulary's order, so that a scrape reads like the README's table
    for (Kpi kpi : Kpi.values()) {
      for (KpiStatistic statistic : KpiStatistic.values()) {
        if (kpi.statistics().contains(statistic)) {
          String name = kpi.metricName(statistic);
          kpis.put(name, new Family(name, kpi.description() + statisticNote(statistic), false));
        }
      }
    }
    Family up = new Family("infermetrics_target_up", "1 when the target's last scrape succeeded, 0 when it failed",
        false);
    Family windows = new Family("infermetrics_target_windows", "KPI windows computed for the target", true);
    Family errors = new Family("infermetrics_target_scrape_errors", "Failed scrapes of the target", true);
    Family age = new Family("infermetrics_target_window_age_seconds",
        "Seconds since the end of the target's latest KPI window", false);
    Family notFinite = new Family("infermetrics_target_values_not_finite",
        "Values of the target's latest window left out because the server's number was not finite", false);
    for (TargetStatus s : statuses) {
      Labels target = Labels.of("target", s.name());
      if (s.lastScrape().isPresent()) {
        up.add(target, s.state() == TargetStatus.State.DOWN ? 0 : 1);
      }
      windows.add(target, s.windows());
      errors.add(target, s.failedScrapes());
      Optional<TargetWindow> last = s.last();
      if (last.isEmpty()) {
        continue;
      }
      TargetWindow w = last.get();
      age.add(target, Math.max(0, Duration.between(w.at(), now).toNanos() / 1e9));
      notFinite.add(target, w.dropped());
      if (s.state() != TargetStatus.State.UP && s.state() != TargetStatus.State.WAITING) {
        continue; // down or no longer recognised: its last KPIs would pass for current ones
      }
      for (SourceWindow sw : w.sources()) {
        KpiSet set = sw.kpis();
        for (KpiValue v : set.values()) {
          Family f = kpis.get(v.metricName());
          Labels labels = set.labels(v);
          if (f == null || !validLabelNames(labels) || !f.add(labels, v.value())) {
            dropped++;
          }
        }
      }
    }
    Family droppedSeries = new Family("infermetrics_exposition_series_dropped", "KPI series left out of this"
        + " exposition: a second series with the same name and labels, or a label name Prometheus does not accept",
        false);
    droppedSeries.add(Labels.EMPTY, dropped);
    Family consumerFailures = new Family("infermetrics_consumer_failures", "KPI consumer calls that threw", true);
    consumerFailures.add(Labels.EMPTY, counts.consumerFailures());
    Family skipped = new Family("infermetrics_skipped_scrapes",
        "Scrapes skipped because the target's previous scrape was still running", true);
    skipped.add(Labels.EMPTY, counts.skippedScrapes());

    StringBuilder sb = new StringBuilder(16 * 1024);
    for (Family f : kpis.values()) {
      f.write(sb, format);
    }
    for (Family f : List.of(up, windows, errors, age, notFinite, droppedSeries, consumerFailures, skipped)) {
      f.write(sb, format);
    }
    if (format == Format.OPENMETRICS) {
      sb.append("# EOF\n");
    }
    return sb.toString();
  }

  private static String statisticNote(KpiStatistic statistic) {
    return switch (statistic) {
      case VALUE -> "";
      case MEAN -> " (mean over the window)";
      default -> " (" + statistic.suffix() + " over the window)";
    };
  }

  private static boolean validLabelNames(Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      if (!LABEL_NAME.matcher(n).matches() || n.startsWith("__")) {
        return false;
      }
    }
    return true;
  }

  /** One family: its series in the order they came, each label set once. */
  private static final class Family {
    final String name;
    final String help;
    final boolean counter;
    final List<Labels> labels = new ArrayList<>();
    final List<Double> values = new ArrayList<>();
    final Set<Labels> seen = new HashSet<>();

    Family(String name, String help, boolean counter) {
      this.name = name;
      this.help = help;
      this.counter = counter;
    }

    /** Adds a series; false when the family has one with these labels already. */
    boolean add(Labels l, double value) {
      if (!seen.add(l)) {
        return false;
      }
      labels.add(l);
      values.add(value);
      return true;
    }

    void write(StringBuilder sb, Format format) {
      if (labels.isEmpty()) {
        return; // a family without series says nothing; Prometheus would keep only its metadata
      }
      // OpenMetrics names a counter's family without _total and its samples with it; text 0.0.4 names both alike
      String sample = counter ? name + "_total" : name;
      String family = counter && format == Format.TEXT ? sample : name;
      PrometheusText.appendHeader(sb, family, help, counter ? "counter" : "gauge", format == Format.OPENMETRICS);
      for (int i = 0; i < labels.size(); i++) {
        PrometheusText.appendSample(sb, sample, labels.get(i), FloatFormats.go(values.get(i)));
      }
    }
  }
}

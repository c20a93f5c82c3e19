package io.github.infermetrics.sglang;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test captures: hand-made ones next to this class, inline text, the documented example in {@code ../shared}
 * (skipped with a message when that folder is missing), and a later capture made from an earlier one by known
 * increments ({@link Later}), so that a test can compute every KPI by hand.
 */
final class Captures {
  static final String FIXTURE = "fixtures/sglang/sglang-docs-production-metrics-example.txt";

  private Captures() {}

  static SglangSnapshot resource(String name) {
    try (InputStream in = Captures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return SglangSnapshot.of(read(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SglangSnapshot text(String exposition) {
    return SglangSnapshot.of(read(exposition));
  }

  static MetricSnapshot read(String exposition) {
    return new SnapshotReader().read(exposition.getBytes(StandardCharsets.UTF_8));
  }

  /** The documented example's text; skips the test when {@code ../shared} is not there. */
  static String fixture() {
    try {
      return Files.readString(SharedData.dir(FIXTURE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A later capture of the same server: counters increased, gauges set, histograms given new observations, on the
   * text of an earlier one. Only the lines named change.
   */
  static final class Later {
    private static final Pattern SAMPLE = Pattern.compile("^([^{ ]+)(\\{[^}]*\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
    private final List<String> lines;
    private int changed;

    Later(String earlier) {
      this.lines = new ArrayList<>(List.of(earlier.split("\n", -1)));
    }

    /** Adds to a counter sample, given as written ({@code name{labels}}). */
    Later add(String series, double delta) {
      return edit(series, v -> v + delta);
    }

    /** Sets a gauge sample. */
    Later set(String series, double value) {
      return edit(series, v -> value);
    }

    /** Observes values into a histogram whose series have these labels (besides {@code le}). */
    Later observe(String family, Map<String, String> labels, double... values) {
      double sum = 0;
      for (double x : values) {
        sum += x;
      }
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = SAMPLE.matcher(lines.get(i));
        if (!m.matches()) {
          continue;
        }
        Map<String, String> l = labels(m.group(2));
        String le = l.remove("le");
        if (!l.equals(labels)) {
          continue;
        }
        double add;
        if (m.group(1).equals(family + "_bucket")) {
          double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          add = 0;
          for (double x : values) {
            add += x <= bound ? 1 : 0;
          }
        } else if (m.group(1).equals(family + "_count")) {
          add = values.length;
        } else if (m.group(1).equals(family + "_sum")) {
          add = sum;
        } else {
          continue;
        }
        lines.set(i, replace(m, Double.parseDouble(m.group(3)) + add));
        changed++;
      }
      return this;
    }

    private Later edit(String series, java.util.function.DoubleUnaryOperator f) {
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = SAMPLE.matcher(lines.get(i));
        if (m.matches() && (m.group(1) + (m.group(2) == null ? "" : m.group(2))).equals(series)) {
          lines.set(i, replace(m, f.applyAsDouble(Double.parseDouble(m.group(3)))));
          changed++;
          return this;
        }
      }
      throw new IllegalArgumentException("no sample " + series);
    }

    private static String replace(Matcher m, double value) {
      return m.group(1) + (m.group(2) == null ? "" : m.group(2)) + " "
          + new BigDecimal(Double.toString(value)).toPlainString();
    }

    private static Map<String, String> labels(String block) {
      Map<String, String> out = new LinkedHashMap<>();
      if (block != null) {
        Matcher m = LABEL.matcher(block);
        while (m.find()) {
          out.put(m.group(1), m.group(2));
        }
      }
      return out;
    }

    /** How many sample lines were changed. */
    int changed() {
      return changed;
    }

    String text() {
      return String.join("\n", lines);
    }
  }
}

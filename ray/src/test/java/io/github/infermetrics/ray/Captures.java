package io.github.infermetrics.ray;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Test data: the shared fixtures (skipped with a message when {@code ../shared} is missing) and a second capture
 * made from a first by known changes to chosen series.
 */
final class Captures {
  static final String HEAD = "fixtures/ray/datadog-ray-head.txt";
  static final String SERVE_LLM = "fixtures/ray/datadog-ray-serve-llm-ray_vllm.txt";

  private Captures() {}

  /** The first {@code lines} lines of a shared fixture, or skips the test without it. */
  static String shared(String relative, int lines) {
    try {
      List<String> all = Files.readAllLines(SharedData.dir(relative), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MetricSnapshot read(String text) {
    return new SnapshotReader().read(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A change to the samples of one family whose line holds every fragment: add {@code delta}, or set a value. */
  record Change(String name, List<String> fragments, double delta, boolean set) {
    static Change add(String name, double delta, String... fragments) {
      return new Change(name, List.of(fragments), delta, false);
    }

    static Change set(String name, double value, String... fragments) {
      return new Change(name, List.of(fragments), value, true);
    }

    boolean matches(String sampleName, String line) {
      if (!sampleName.equals(name)) {
        return false;
      }
      for (String f : fragments) {
        if (!line.contains(f)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The changes of a histogram's series: cumulative increments by bound (in the order given, the last for
   * {@code +Inf}), the count by the last, the sum by {@code sum}.
   */
  static List<Change> histogram(String name, String[] bounds, double[] cumulative, double sum, String... fragments) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < bounds.length; i++) {
      List<String> f = new ArrayList<>(List.of(fragments));
      f.add("le=\"" + bounds[i] + "\"");
      out.add(new Change(name + "_bucket", f, cumulative[i], false));
    }
    out.add(new Change(name + "_count", List.of(fragments), cumulative[cumulative.length - 1], false));
    out.add(new Change(name + "_sum", List.of(fragments), sum, false));
    return out;
  }

  /** The capture after the changes; a change that matches no sample fails, so a typo cannot pass unnoticed. */
  static String later(String text, List<Change> changes) {
    boolean[] used = new boolean[changes.size()];
    StringBuilder out = new StringBuilder(text.length() + 64);
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        out.append(line).append('\n');
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, brace >= 0 ? brace : line.indexOf(' '));
      double v = Double.parseDouble(line.substring(space + 1));
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        if (c.matches(name, line)) {
          v = c.set() ? c.delta() : v + c.delta();
          used[i] = true;
        }
      }
      out.append(line, 0, space + 1).append(v).append('\n');
    }
    for (int i = 0; i < used.length; i++) {
      if (!used[i]) {
        throw new IllegalArgumentException("no sample matches " + changes.get(i));
      }
    }
    return out.toString();
  }

  static final String[] MS_BOUNDS = {"1.0", "2.0", "5.0", "10.0", "20.0", "50.0", "100.0", "200.0", "300.0", "400.0",
      "500.0", "1000.0", "2000.0", "5000.0", "10000.0", "60000.0", "120000.0", "300000.0", "600000.0", "+Inf"};

  /** Cumulative increments over {@link #MS_BOUNDS}: {@code counts[i]} observations in the bucket ending there. */
  static double[] cumulative(double... perBucket) {
    double[] out = new double[MS_BOUNDS.length];
    double run = 0;
    for (int i = 0; i < out.length; i++) {
      run += i < perBucket.length ? perBucket[i] : 0;
      out[i] = run;
    }
    return out;
  }
}

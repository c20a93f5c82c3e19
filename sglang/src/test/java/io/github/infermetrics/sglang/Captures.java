package io.github.infermetrics.sglang;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Test captures: hand-made ones next to this class, inline text, the documented example in {@code ../shared}
 * (skipped with a message when that folder is missing); later captures made from an earlier one by known
 * increments, so that a test can compute every KPI by hand, come from core's
 * {@link io.github.infermetrics.core.testing.LaterCapture}.
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
}

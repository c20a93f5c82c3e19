package io.github.infermetrics.tgi;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Test captures: hand-made ones next to this class, inline text, the DataDog fixture in {@code ../shared}
 * (skipped with a message when that folder is missing); later captures made from an earlier one by known
 * increments, so that a test can compute every KPI by hand, come from core's
 * {@link io.github.infermetrics.core.testing.LaterCapture}.
 */
final class Captures {
  static final String FIXTURE = "fixtures/tgi/datadog-tgi-payload.txt";

  private Captures() {}

  static TgiSnapshot resource(String name) {
    try (InputStream in = Captures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return TgiSnapshot.of(read(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TgiSnapshot text(String exposition) {
    return TgiSnapshot.of(read(exposition));
  }

  static MetricSnapshot read(String exposition) {
    return new SnapshotReader().read(exposition.getBytes(StandardCharsets.UTF_8));
  }

  /** The DataDog fixture's text; skips the test when {@code ../shared} is not there. */
  static String fixture() {
    try {
      return Files.readString(SharedData.dir(FIXTURE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Test data: the hand-written scrapes under {@code src/test/resources/neuron-prometheus}, and the third-party
 * fixtures kept outside the repository in {@code ../shared} (as core's {@code SharedData}: tests that need them
 * skip with a message when the folder is missing).
 */
final class Scrapes {
  static final String REAL_FIXTURE = "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt";

  private Scrapes() {}

  /** A hand-written scrape, parsed; {@code *.openmetrics.txt} as OpenMetrics, the others as Prometheus text. */
  static MetricSnapshot resource(String name) {
    try (InputStream in = Scrapes.class.getResourceAsStream("/neuron-prometheus/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource neuron-prometheus/" + name);
      }
      return new SnapshotReader().read(in.readAllBytes(),
          name.endsWith(".openmetrics.txt") ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A hand-written scrape's typed view. */
  static NeuronPrometheusSnapshot view(String name) {
    return NeuronPrometheusSnapshot.of(resource(name));
  }

  /** Exposition text written in a test, parsed. */
  static MetricSnapshot text(String exposition) {
    return new SnapshotReader().read(exposition.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code ../shared/<relative>}, parsed; skips the calling test when it is not there. */
  static MetricSnapshot shared(String relative) {
    try {
      return new SnapshotReader().read(Files.readAllBytes(sharedPath(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path sharedPath(String relative) {
    Path root = sharedRoot();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
        "../shared/" + relative + " is not available (third-party data kept outside the repository);"
            + " skipping. Set -Dinfermetrics.shared=DIR to point at it.");
    return root.resolve(relative);
  }

  /** The shared folder next to the project root (the folder with mvnw), or null. */
  private static Path sharedRoot() {
    return SharedData.root();
  }
}

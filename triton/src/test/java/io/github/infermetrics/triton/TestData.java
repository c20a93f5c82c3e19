package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test scrapes: hand-written ones under {@code src/test/resources/triton}, and the real fixtures kept outside
 * the repository in {@code ../shared} (found by core's test helper {@code SharedData}).
 */
final class TestData {
  static final String FIXTURE = "fixtures/triton/triton_metrics_datadog-fixture.txt";

  private TestData() {}

  /** A hand-written scrape from {@code src/test/resources/triton}. */
  static byte[] resource(String name) {
    try (InputStream in = TestData.class.getResourceAsStream("/triton/" + name)) {
      assertThat(in).as("test resource /triton/" + name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String resourceText(String name) {
    return new String(resource(name), StandardCharsets.UTF_8);
  }

  static TritonSnapshot triton(String resourceName) {
    return TritonSnapshot.of(read(resource(resourceName)));
  }

  static MetricSnapshot read(byte[] exposition) {
    return new SnapshotReader().read(exposition);
  }

  static MetricSnapshot read(String exposition) {
    return read(exposition.getBytes(StandardCharsets.UTF_8));
  }

  /** The shared folder, or null when it is not there. */
  static Path sharedRoot() {
    return SharedData.root();
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  static Path shared(String relative) {
    return SharedData.dir(relative);
  }

  static String sharedText(String relative) {
    try {
      return Files.readString(shared(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

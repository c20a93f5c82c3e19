package io.github.infermetrics.dcgm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The test scrapes: hand-written ones under {@code src/test/resources/dcgm} (see its README), and the real fixture
 * kept outside the repository in {@code ../shared} (found by core's test helper {@code SharedData}).
 */
final class TestData {
  static final String FIXTURE = "fixtures/dcgm/datadog-dcgm-exporter.txt";

  private TestData() {}

  static String resourceText(String name) {
    try (InputStream in = TestData.class.getResourceAsStream("/dcgm/" + name)) {
      assertThat(in).as("test resource /dcgm/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DcgmSnapshot dcgm(String exposition) {
    return DcgmSnapshot.of(read(exposition));
  }

  static MetricSnapshot read(String exposition) {
    return new SnapshotReader().read(exposition.getBytes(StandardCharsets.UTF_8));
  }

  /** The shared fixture's text, or skips the calling test when ../shared is not there. */
  static String fixture() {
    try {
      return Files.readString(SharedData.dir(FIXTURE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

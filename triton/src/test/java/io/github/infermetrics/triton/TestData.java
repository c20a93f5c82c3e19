package io.github.infermetrics.triton;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The test scrapes: hand-written ones under {@code src/test/resources/triton}, and the real fixtures kept outside
 * the repository in {@code ../shared} (the same lookup as core's test helper, which other modules cannot import).
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
    String prop = System.getProperty("infermetrics.shared");
    if (prop != null) {
      Path p = Paths.get(prop);
      return Files.isDirectory(p) ? p : null;
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) {
        Path shared = dir.resolveSibling("shared");
        return Files.isDirectory(shared) ? shared : null;
      }
      dir = dir.getParent();
    }
    return null;
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  static Path shared(String relative) {
    Path root = sharedRoot();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
        "../shared/" + relative + " is not available (third-party data kept outside the repository);"
            + " skipping. Set -Dinfermetrics.shared=DIR to point at it.");
    return root.resolve(relative);
  }

  static String sharedText(String relative) {
    try {
      return Files.readString(shared(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.github.infermetrics.vllm;

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
 * Test data: hand-written scrapes under src/test/resources, inline text, and the third-party fixtures in
 * {@code ../shared} (skipped with a message when that folder is missing, as in a clone elsewhere).
 */
final class Scrapes {
  private Scrapes() {}

  /** A resource next to this class, parsed. */
  static VllmSnapshot resource(String name) {
    try (InputStream in = Scrapes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return VllmSnapshot.of(read(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exposition text, parsed. */
  static VllmSnapshot text(String exposition) {
    return VllmSnapshot.of(read(exposition.getBytes(StandardCharsets.UTF_8)));
  }

  static MetricSnapshot read(byte[] bytes) {
    return new SnapshotReader().read(bytes);
  }

  /** {@code ../shared/<relative>} parsed, or skips the calling test when it is not there. */
  static VllmSnapshot shared(String relative) {
    Path p = sharedDir(relative);
    try {
      return VllmSnapshot.of(read(Files.readAllBytes(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ../shared/<relative>} as text, or skips the calling test when it is not there. */
  static String sharedText(String relative) {
    try {
      return Files.readString(sharedDir(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shared folder: {@code -Dinfermetrics.shared}, or {@code shared} next to the project root. */
  static Path sharedRoot() {
    return SharedData.root();
  }

  static Path sharedDir(String relative) {
    return SharedData.dir(relative);
  }
}

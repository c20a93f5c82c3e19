package io.github.infermetrics.cloudwatch.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party test data kept outside the repository in {@code ../shared} (next to the project root),
 * as core's test helper of the same name does; tests that need it are skipped with a message when it is missing.
 */
final class SharedData {
  private SharedData() {}

  static Path root() {
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
  static Path file(String relative) {
    Path root = root();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
        "../shared/" + relative + " is not available (third-party data kept outside the repository);"
            + " skipping. Set -Dinfermetrics.shared=DIR to point at it.");
    return root.resolve(relative);
  }
}

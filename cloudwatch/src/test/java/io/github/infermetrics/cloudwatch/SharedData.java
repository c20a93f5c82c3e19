package io.github.infermetrics.cloudwatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party data kept outside the repository in {@code ../shared} (relative to the project root),
 * the way core's test helper does (it cannot be imported from another module's tests).
 */
final class SharedData {
  private SharedData() {}

  /** The shared folder, or null when it is not there. */
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

  /** {@code ../shared/<relative>}, or null when it does not exist. */
  static Path find(String relative) {
    Path root = root();
    return root != null && Files.exists(root.resolve(relative)) ? root.resolve(relative) : null;
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  static Path dir(String relative) {
    Path p = find(relative);
    Assumptions.assumeTrue(p != null, "../shared/" + relative + " is not available (third-party data kept outside"
        + " the repository); skipping. Set -Dinfermetrics.shared=DIR to point at it.");
    return p;
  }
}

package io.github.infermetrics.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party test data kept outside the repository in {@code ../shared} (relative to the project
 * root). Tests that need it call {@link #dir(String)}, which skips the test with a message when the folder is
 * missing, as it is in a clone elsewhere.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared folder, or null when it is not there. */
  public static Path root() {
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

  /** {@code ../shared/<relative>}, or null when it does not exist (for tests that do part of their work without). */
  public static Path find(String relative) {
    Path root = root();
    return root != null && Files.exists(root.resolve(relative)) ? root.resolve(relative) : null;
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  public static Path dir(String relative) {
    Path root = root();
    Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
        "../shared/" + relative + " is not available (third-party data kept outside the repository);"
            + " skipping. Set -Dinfermetrics.shared=DIR to point at it.");
    return root.resolve(relative);
  }
}

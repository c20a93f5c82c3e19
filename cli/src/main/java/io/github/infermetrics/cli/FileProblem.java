package io.github.infermetrics.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files named on the command line that cannot be opened: one wording for every command, and one exit code (2: the
 * command line names something that does not work, as for any usage error).
 */
final class FileProblem {
  /** The exit code when a named file cannot be opened or created. */
  static final int EXIT_CODE = 2;

  private FileProblem() {}

  /**
   * Opens a FILE argument for reading; {@code -} is standard input.
   *
   * @throws IOException when it cannot be opened; {@link #describe} words it
   */
  static InputStream open(String file) throws IOException {
    if (file.equals("-")) {
      return System.in;
    }
    Path p;
    try {
      p = Path.of(file);
    } catch (InvalidPathException e) {
      throw new FileSystemException(file, null, "not a file name: " + e.getReason());
    }
    if (Files.isDirectory(p)) {
      throw new FileSystemException(file, null, "is a directory");
    }
    return Files.newInputStream(p);
  }

  /** Closes an input a command gives up on before reading it. */
  static void closeQuietly(InputStream in) {
    if (in == System.in) {
      return; // not the command's to close
    }
    try {
      in.close();
    } catch (IOException e) {
      // nothing was read from it: nothing to report
    }
  }

  /** {@code <stdin>} for {@code -}, else the name as given. */
  static String name(String file) {
    return file.equals("-") ? "<stdin>" : file;
  }

  /**
   * Why a file could not be opened or created, for a person: {@code no such file}, {@code no such directory: /x},
   * {@code permission denied}, {@code is a directory}.
   *
   * @param path the file as the user named it
   * @param e what opening it threw
   * @return the reason, without the file name
   */
  static String reason(String path, IOException e) {
    if (e instanceof NoSuchFileException) {
      Path parent = parentOf(path);
      return parent != null && !Files.isDirectory(parent) ? "no such directory: " + parent : "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Path parentOf(String path) {
    try {
      return Path.of(path).toAbsolutePath().getParent();
    } catch (InvalidPathException e) {
      return null;
    }
  }
}

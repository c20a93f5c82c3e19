package io.github.infermetrics.cli.loadtest;

/**
 * A load test that cannot start or finish, with the command's exit code: 1 when the server or an input failed (no
 * model, a first request refused, a prompt file that is not one), 2 when the command line names something that
 * cannot work.
 */
public final class LoadTestException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The exit code. */
  private final int exitCode;

  /**
   * An exception.
   *
   * @param exitCode 1 or 2
   * @param message one line for people
   */
  public LoadTestException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * The command's exit code.
   *
   * @return 1 or 2
   */
  public int exitCode() {
    return exitCode;
  }
}

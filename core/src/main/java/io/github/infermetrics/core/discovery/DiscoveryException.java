package io.github.infermetrics.core.discovery;

/**
 * A target list that cannot be read, with its place: {@code /etc/targets.yml:4:7: $[0].labels: expected a mapping
 * of label names to strings, found a sequence}.
 */
public final class DiscoveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error.
   *
   * @param message one line: the source, line:column, the JSON path and what is wrong
   */
  public DiscoveryException(String message) {
    super(message);
  }

  /**
   * An error with a cause.
   *
   * @param message one line: the source and what is wrong
   * @param cause the cause
   */
  public DiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}

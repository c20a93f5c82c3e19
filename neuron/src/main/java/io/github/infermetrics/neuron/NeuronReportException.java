package io.github.infermetrics.neuron;

/**
 * A neuron-monitor report that could not be read: malformed JSON, a field of the wrong type, or a line longer than
 * the reader allows. It says where: the line of the stream (1-based, 0 when the input was not a stream of lines), the
 * column when the JSON itself is malformed, and the JSON path of the offending value.
 */
public final class NeuronReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long line;
  private final int column;
  private final String jsonPath;
  private final String reason;

  /**
   * An error.
   *
   * @param line the 1-based line, or 0
   * @param column the 1-based column in the line, or 0 when not known
   * @param jsonPath the JSON path, for example {@code $.neuron_runtime_data[0].pid}, or {@code $}
   * @param reason what is wrong
   */
  public NeuronReportException(long line, int column, String jsonPath, String reason) {
    super(format(line, column, jsonPath, reason));
    this.line = line;
    this.column = column;
    this.jsonPath = jsonPath;
    this.reason = reason;
  }

  private static String format(long line, int column, String jsonPath, String reason) {
    StringBuilder sb = new StringBuilder();
    if (line > 0) {
      sb.append("line ").append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
      sb.append(": ");
    }
    return sb.append(jsonPath).append(": ").append(reason).toString();
  }

  /** The same error, placed on a line of a stream. */
  NeuronReportException atLine(long lineNumber) {
    return new NeuronReportException(lineNumber, column, jsonPath, reason);
  }

  /**
   * The 1-based line of the stream.
   *
   * @return the line, or 0 when the input was a single document
   */
  public long line() {
    return line;
  }

  /**
   * The 1-based column in the line, for malformed JSON.
   *
   * @return the column, or 0 when not known
   */
  public int column() {
    return column;
  }

  /**
   * Where in the document.
   *
   * @return a JSON path such as {@code $.system_data.vcpu_usage.usage_data}
   */
  public String jsonPath() {
    return jsonPath;
  }

  /**
   * What is wrong, without the position.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}

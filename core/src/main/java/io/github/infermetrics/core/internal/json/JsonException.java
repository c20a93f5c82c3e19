package io.github.infermetrics.core.internal.json;

/**
 * Bad input, at a place: {@code targets.json:3:14: $[0].labels.job: expected a string, found a number}.
 */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String path;
  private final String detail;

  /**
   * An error.
   *
   * @param source the file name or URL
   * @param line 1-based line
   * @param column 1-based column, in code points
   * @param path the JSON path of the value concerned ({@code $[0].labels}), or null
   * @param detail what is wrong
   */
  public JsonException(String source, int line, int column, String path, String detail) {
    super(source + ":" + line + ":" + column + ": " + (path == null ? "" : path + ": ") + detail);
    this.source = source;
    this.line = line;
    this.column = column;
    this.path = path;
    this.detail = detail;
  }

  /**
   * The file name or URL.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * The 1-based line.
   *
   * @return the line
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column, in code points.
   *
   * @return the column
   */
  public int column() {
    return column;
  }

  /**
   * The JSON path of the value concerned.
   *
   * @return the path, or null when the error is not inside a value
   */
  public String path() {
    return path;
  }

  /**
   * What is wrong, without the place.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }
}

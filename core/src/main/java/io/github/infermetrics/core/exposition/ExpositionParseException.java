package io.github.infermetrics.core.exposition;

/**
 * An exposition that the parser rejects, with where and why.
 *
 * <p>The location points at the offending token: {@link #line()} and {@link #column()} are 1-based (the column
 * counts code points, so it matches an editor), {@link #byteOffset()} is 0-based from the start of the input.
 * {@link #excerpt()} is the offending line, shortened around the error. {@link #limit()} names the
 * {@link ParserLimits} setting when a processing limit stopped the parse.
 *
 * <pre>{@code
 * try {
 *   parser.reset(bytes);
 *   while (parser.next() != ExpositionEvent.END) { ... }
 * } catch (ExpositionParseException e) {
 *   System.err.println(file + ":" + e.line() + ":" + e.column() + ": " + e.reason());
 * }
 * }</pre>
 *
 * <p>No stack trace is captured: the error is in the input, and the location says where.
 */
public final class ExpositionParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int line;
  private final int column;
  private final long byteOffset;
  private final String excerpt;
  private final String limit;
  private final boolean lineScoped;

  ExpositionParseException(
      String reason, int line, int column, long byteOffset, String excerpt, String limit, boolean lineScoped) {
    super(null, null, false, false);
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.byteOffset = byteOffset;
    this.excerpt = excerpt;
    this.limit = limit;
    this.lineScoped = lineScoped;
  }

  /**
   * What is wrong, without the location.
   *
   * @return for example {@code expected '=' after label name "code"}
   */
  public String reason() {
    return reason;
  }

  /**
   * The 1-based line number of the error.
   *
   * @return the line
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column of the error, in code points.
   *
   * @return the column
   */
  public int column() {
    return column;
  }

  /**
   * The 0-based byte offset of the error from the start of the input.
   *
   * @return the offset
   */
  public long byteOffset() {
    return byteOffset;
  }

  /**
   * The offending line, shortened to about 120 characters around the error; non-printable characters are shown
   * as {@code \xNN}.
   *
   * @return the excerpt, empty when the error is at the end of the input
   */
  public String excerpt() {
    return excerpt;
  }

  /**
   * The {@link ParserLimits} setting that stopped the parse, for example {@code maxLineLength}.
   *
   * @return the setting's name, or {@code null} when no limit was involved
   */
  public String limit() {
    return limit;
  }

  /**
   * Whether the error concerns only its line, so that {@link BadLinePolicy#SKIP} can skip that line.
   *
   * @return true for line-level errors
   */
  public boolean isLineScoped() {
    return lineScoped;
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder(reason.length() + excerpt.length() + 48);
    sb.append("line ").append(line).append(", column ").append(column).append(": ").append(reason);
    if (!excerpt.isEmpty()) {
      sb.append(" in: ").append(excerpt);
    }
    return sb.toString();
  }
}

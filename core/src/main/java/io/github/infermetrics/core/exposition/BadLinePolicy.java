package io.github.infermetrics.core.exposition;

/**
 * What the parser does with a line it cannot accept.
 *
 * <p>OpenMetrics says an invalid exposition must be rejected in its entirety, and Prometheus drops the whole
 * scrape; {@link #REJECT} does the same. {@link #SKIP} keeps the good lines of a partly broken target, counts the
 * bad ones ({@link ExpositionParser#skippedLines()}) and keeps the last error
 * ({@link ExpositionParser#lastSkippedError()}). Errors that concern the whole exposition rather than one line
 * (a missing {@code # EOF}, a histogram without its {@code +Inf} bucket found when its family ends, a limit on
 * the whole input) are never skipped.
 */
public enum BadLinePolicy {
  /** Throw on the first bad line (the default). */
  REJECT,
  /** Skip the bad line, count it, and go on. */
  SKIP
}

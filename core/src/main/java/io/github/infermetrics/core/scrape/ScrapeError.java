package io.github.infermetrics.core.scrape;

import java.util.Objects;

/**
 * Why a scrape failed: a {@link Kind} to branch on, a message for people, and, when a configured limit stopped
 * the scrape, the name of the setting to raise.
 *
 * <pre>{@code
 * ScrapeResult r = scraper.scrape(target);
 * if (!r.up()) {
 *   ScrapeError e = r.error();
 *   switch (e.kind()) {
 *     case TIMEOUT, CONNECT -> markUnreachable(target);
 *     case SAMPLE_LIMIT, BODY_TOO_LARGE -> log.warn(e.message() + "; raise " + e.limit());
 *     case NOT_AN_EXPOSITION -> log.warn(target.uri() + ":" + e.line() + ":" + e.column() + ": " + e.message());
 *     default -> log.warn(e.toString());
 *   }
 * }
 * }</pre>
 *
 * @param kind what went wrong
 * @param message what went wrong, for a log line; names the limit and its setting when a limit stopped the scrape
 * @param limit the setting that stopped the scrape, for example {@code ScrapeTarget.bodySizeLimit} or
 *     {@code ParserLimits.maxLineLength}; {@code null} when no limit was involved
 * @param line the 1-based line of a parse error, 0 otherwise
 * @param column the 1-based column (in code points) of a parse error, 0 otherwise
 */
public record ScrapeError(Kind kind, String message, String limit, int line, int column) {

  /** The classes of failure. */
  public enum Kind {
    /** The connection could not be made: refused, unknown host, unreachable, or the connect timeout. */
    CONNECT,
    /** The scrape's total timeout ({@link ScrapeTarget#timeout()}) passed: headers or body too slow. */
    TIMEOUT,
    /** The server answered with a status other than 200, or with a redirect that is not followed. */
    HTTP_STATUS,
    /** More redirects than {@link ScrapeTarget#maxRedirects()}. */
    TOO_MANY_REDIRECTS,
    /** The TLS handshake failed, for example an untrusted certificate or a host name mismatch. */
    TLS,
    /** The body, as received or after decompression, exceeded {@link ScrapeTarget#bodySizeLimit()}. */
    BODY_TOO_LARGE,
    /**
     * The body is not a valid exposition: an HTML page, JSON, a syntax error, an unsupported encoding, or a
     * parser limit other than the sample limit ({@link ScrapeError#limit()} names it).
     */
    NOT_AN_EXPOSITION,
    /** The exposition has more samples than {@link ScrapeTarget#sampleLimit()}. */
    SAMPLE_LIMIT,
    /** The connection failed while reading, for example a reset mid-body. */
    IO,
    /** The target was already being scraped by another thread; this scrape did not start. */
    BUSY,
    /** The calling thread was interrupted, or the scraper is closed. */
    CANCELLED
  }

  /**
   * Validates the components.
   *
   * @param kind what went wrong
   * @param message what went wrong, for a log line
   * @param limit the setting that stopped the scrape, or {@code null}
   * @param line the line of a parse error, or 0
   * @param column the column of a parse error, or 0
   * @throws NullPointerException when {@code kind} or {@code message} is null
   * @throws IllegalArgumentException when {@code line} or {@code column} is negative
   */
  public ScrapeError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line must not be negative: " + line);
    }
    if (column < 0) {
      throw new IllegalArgumentException("column must not be negative: " + column);
    }
  }

  static ScrapeError of(Kind kind, String message) {
    return new ScrapeError(kind, message, null, 0, 0);
  }

  static ScrapeError limit(Kind kind, String message, String setting) {
    return new ScrapeError(kind, message, setting, 0, 0);
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}

package io.github.infermetrics.core.scrape;

import java.io.IOException;

/**
 * Ends a scrape with a known error. An {@link IOException} so that it can travel out of the body stream through
 * the parser (which wraps it in an {@link java.io.UncheckedIOException}) and be recognised on the other side.
 */
final class ScrapeAbort extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient ScrapeError error;

  ScrapeAbort(ScrapeError error) {
    super(error.message());
    this.error = error;
  }

  ScrapeError error() {
    return error;
  }

  /** The error says what happened; a stack trace of the scraper's own frames adds nothing. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}

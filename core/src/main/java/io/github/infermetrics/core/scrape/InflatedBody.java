package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A gzip body, decompressed, with the body size limit applied again to the decompressed bytes: a few kilobytes
 * on the wire can expand to gigabytes. Checks the deadline on every read, since inflating is work that never
 * waits on the network.
 */
final class InflatedBody extends InputStream {
  private final GZIPInputStream gzip;
  private final Attempt attempt;
  private final long limit;
  private long inflated;
  private final byte[] one = new byte[1];

  InflatedBody(BodyStream body, Attempt attempt) throws IOException {
    this.attempt = attempt;
    this.limit = attempt.target.bodySizeLimit();
    // reads the gzip header from the body, under the body's own deadline
    this.gzip = new GZIPInputStream(body, 8192);
  }

  /** Decompressed bytes handed out so far. */
  long inflated() {
    return inflated;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    attempt.checkDeadline();
    int n = gzip.read(b, off, (int) Math.min(len, limit - inflated + 1));
    if (n > 0) {
      inflated += n;
      if (inflated > limit) {
        throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE,
            "body size limit of " + limit + " bytes exceeded after gzip decompression (ScrapeTarget.bodySizeLimit)",
            "ScrapeTarget.bodySizeLimit"));
      }
    }
    return n;
  }

  /** Releases the inflater; the scraper closes the body underneath separately. */
  @Override
  public void close() throws IOException {
    gzip.close();
  }
}

package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/**
 * The buffers of one exchange in progress, taken from the scraper's pool and given back after the scrape, so that
 * steady scraping allocates none: what is read from the connection ({@link #io}), the decoded body (kept whole up to
 * {@link #BODY_ARRAY_PLAIN} or {@link #BODY_ARRAY_MAX}, so that the parser reads it from an array, its fastest path, and the target keeps no
 * stream buffer of its own between scrapes), and a gzip inflater with its input. Their number is the number of
 * scrapes running at once, not the number of targets. Confined to one thread at a time.
 */
final class ExchangeBuffers {
  static final int IO_BUFFER = 16 << 10;
  /**
   * The largest body kept whole for the parser (decompressed from gzip, or plain); a longer one streams through the
   * parser's own buffer.
   */
  static final int BODY_ARRAY_MAX = 8 << 20;
  static final int BODY_ARRAY_PLAIN = 1 << 20;
  static final int BODY_ARRAY_START = 64 << 10;

  final byte[] io = new byte[IO_BUFFER];
  /** Bytes of {@link #io} not yet consumed: {@code [pos, lim)}. */
  int pos;
  int lim;
  byte[] body = new byte[BODY_ARRAY_START];
  final ResponseHead head = new ResponseHead();
  final BodyInput bodyInput = new BodyInput(this);
  private GzipInput gzip;

  /** Starts an exchange on a connection: nothing buffered. */
  void reset() {
    pos = 0;
    lim = 0;
  }

  /**
   * Reads more from the connection into {@link #io}, waiting at most the time left; compacts first.
   *
   * @return bytes read, or -1 at the end of the stream
   */
  int fill(HttpConnection c, Attempt a) throws IOException {
    if (pos > 0) {
      System.arraycopy(io, pos, io, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (lim == io.length) {
      return 0;
    }
    return read(c, a, io, lim, io.length - lim, true);
  }

  /** One blocking read bounded by the deadline; counts into {@link #lim} when {@code intoIo}. */
  int read(HttpConnection c, Attempt a, byte[] b, int off, int len, boolean intoIo) throws IOException {
    long left = a.remainingNanos();
    if (left <= 0) {
      throw a.timeout();
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new ScrapeAbort(ScrapeError.of(ScrapeError.Kind.CANCELLED, "interrupted while " + a.phase));
    }
    c.timeout(left);
    int n;
    try {
      n = c.in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw a.timeout();
    }
    if (n > 0 && intoIo) {
      lim += n;
    }
    return n;
  }

  /** The gzip decoder over the body, with the inflater of these buffers. */
  GzipInput gzip(BodyInput in, Attempt a) {
    if (gzip == null) {
      gzip = new GzipInput(new Inflater(true), new CRC32());
    }
    gzip.start(in, a);
    return gzip;
  }

  /** Grows the body array, at most to {@code cap}. */
  void growBody(int cap) {
    int n = Math.min(cap, Math.max(body.length * 2, BODY_ARRAY_START));
    body = java.util.Arrays.copyOf(body, n);
  }

  /** Frees the inflater's native memory when these buffers are dropped rather than pooled. */
  void dispose() {
    if (gzip != null) {
      gzip.end();
    }
  }
}

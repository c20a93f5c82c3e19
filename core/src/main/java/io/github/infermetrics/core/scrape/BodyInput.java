package io.github.infermetrics.core.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body as it comes off the connection: framed by {@code Content-Length}, by chunks, or by the end of the
 * connection; at most {@link ScrapeTarget#bodySizeLimit()} bytes handed out; every read bounded by the scrape's
 * deadline, also when data keeps flowing (a fast endless body must not outrun it). Reuses the exchange's buffers.
 */
final class BodyInput extends InputStream {
  private final ExchangeBuffers x;
  private HttpConnection c;
  private Attempt a;
  private long limit;
  /** Body bytes left in the current frame: the rest of the content length, or of the current chunk. */
  private long left;
  private boolean chunked;
  private boolean untilClose;
  private boolean ended;
  /** Body bytes handed out (after de-chunking, before gzip decompression): {@link ScrapeResult#bytes()}. */
  long received;
  private final byte[] one = new byte[1];

  BodyInput(ExchangeBuffers x) {
    this.x = x;
  }

  void start(HttpConnection conn, Attempt attempt, ResponseHead h) {
    this.c = conn;
    this.a = attempt;
    this.limit = attempt.target.bodySizeLimit();
    this.received = 0;
    this.sawChunk = false;
    this.chunked = h.chunked;
    this.untilClose = !h.chunked && (h.contentLength < 0 || h.otherTransferCoding);
    this.left = h.chunked ? 0 : h.contentLength;
    this.ended = !h.hasBody() || (!h.chunked && !untilClose && h.contentLength == 0);
  }

  /** Whether the body was read to its end, so the connection may carry the next exchange. */
  boolean ended() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    // also when data is buffered: a fast endless body must not outrun the deadline
    a.checkDeadline();
    if (chunked && left == 0 && !nextChunk()) {
      return -1;
    }
    int want = untilClose ? len : (int) Math.min(len, left);
    int n;
    if (x.pos < x.lim) {
      n = Math.min(want, x.lim - x.pos);
      checkLimit(n);
      System.arraycopy(x.io, x.pos, b, off, n);
      x.pos += n;
    } else {
      // nothing buffered: straight from the connection into the caller's array
      n = x.read(c, a, b, off, want, false);
      if (n < 0) {
        if (untilClose) {
          ended = true;
          return -1;
        }
        throw new EOFException("connection closed before the end of the body");
      }
      checkLimit(n);
    }
    received += n;
    if (!untilClose) {
      left -= n;
      if (left == 0 && !chunked) {
        ended = true;
      }
    }
    return n;
  }

  private void checkLimit(int n) throws ScrapeAbort {
    if (received + n > limit) {
      throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE,
          "body size limit of " + limit + " bytes exceeded (ScrapeTarget.bodySizeLimit)", "ScrapeTarget.bodySizeLimit"));
    }
  }

  /** Reads the next chunk's size line (after the CRLF of the previous chunk); false after the last chunk. */
  private boolean nextChunk() throws IOException {
    if (sawChunk && lineLength() != 0) {
      throw new IOException("chunk data longer than its size");
    }
    sawChunk = true;
    int n = lineLength();
    int from = lineStart;
    long size = 0;
    int digits = 0;
    for (int i = from; i < from + n; i++) {
      int d = Character.digit(x.io[i], 16);
      if (d < 0) {
        if (x.io[i] == ';' || x.io[i] == ' ' || x.io[i] == '\t') {
          break; // chunk extensions are not used
        }
        throw new IOException("invalid chunk size line");
      }
      if (++digits > 15) {
        throw new IOException("chunk size too large");
      }
      size = size << 4 | d;
    }
    if (digits == 0) {
      throw new IOException("invalid chunk size line");
    }
    if (size == 0) {
      // trailers until an empty line
      while (lineLength() != 0) {
        // trailers are not used
      }
      ended = true;
      return false;
    }
    left = size;
    return true;
  }

  private boolean sawChunk;
  /** Where the line {@link #lineLength()} last read starts in the buffer (valid until the next fill). */
  private int lineStart;

  /**
   * Consumes one line of chunk framing (short lines only) and returns the length of its content, without the line
   * end; {@link #lineStart} is where it starts.
   */
  private int lineLength() throws IOException {
    while (true) {
      for (int i = x.pos; i < x.lim; i++) {
        if (x.io[i] == '\n') {
          int end = i > x.pos && x.io[i - 1] == '\r' ? i - 1 : i;
          lineStart = x.pos;
          x.pos = i + 1;
          return end - lineStart;
        }
      }
      if (x.lim - x.pos >= 4096) {
        throw new IOException("chunk framing line longer than 4096 bytes");
      }
      if (x.fill(c, a) < 0) {
        throw new EOFException("connection closed in the chunk framing");
      }
    }
  }

}

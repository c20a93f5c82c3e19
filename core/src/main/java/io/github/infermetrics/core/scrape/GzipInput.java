package io.github.infermetrics.core.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip body, decompressed with an inflater that is reset, not made anew, for every scrape (a new one costs a native
 * allocation of its window and a cleaner), with the body size limit applied again to the decompressed bytes: a few
 * kilobytes on the wire can expand to gigabytes. Checks the deadline on every read, since inflating is work that never
 * waits on the network. Reads concatenated members, checks each member's CRC-32 and length, as
 * {@link java.util.zip.GZIPInputStream} does, whose messages it keeps.
 */
final class GzipInput extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater;
  private final CRC32 crc;
  private final byte[] in = new byte[8 << 10];
  private int inPos;
  private int inLim;
  private InputStream body;
  private Attempt a;
  private long limit;
  private long inflated;
  private long memberBytes;
  private boolean header;
  private boolean eof;
  private final byte[] one = new byte[1];

  GzipInput(Inflater inflater, CRC32 crc) {
    this.inflater = inflater;
    this.crc = crc;
  }

  void start(InputStream source, Attempt attempt) {
    this.body = source;
    this.a = attempt;
    this.limit = attempt.target.bodySizeLimit();
    inflated = 0;
    inPos = 0;
    inLim = 0;
    header = true;
    eof = false;
    inflater.reset();
    crc.reset();
    memberBytes = 0;
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
    a.checkDeadline();
    while (!eof) {
      if (header) {
        readHeader();
        header = false;
      }
      int n;
      try {
        n = inflater.inflate(b, off, (int) Math.min(len, limit - inflated + 1));
      } catch (DataFormatException e) {
        String m = e.getMessage();
        throw new ZipException(m != null ? m : "Invalid ZLIB data format");
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberBytes += n;
        inflated += n;
        if (inflated > limit) {
          throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE, "body size limit of " + limit
              + " bytes exceeded after gzip decompression (ScrapeTarget.bodySizeLimit)", "ScrapeTarget.bodySizeLimit"));
        }
        return n;
      }
      if (inflater.finished()) {
        inPos = inLim - inflater.getRemaining();
        readTrailer();
        continue;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("gzip member needs a preset dictionary");
      }
      if (inflater.needsInput()) {
        inPos = inLim; // the inflater took all it was given
        if (fill() < 0) {
          throw new EOFException("Unexpected end of ZLIB input stream");
        }
        inflater.setInput(in, inPos, inLim - inPos);
      }
    }
    return -1;
  }

  /** The fixed header and its optional fields; the deflate data follows. */
  private void readHeader() throws IOException {
    if (u8() != 0x1f || u8() != 0x8b) {
      throw new ZipException("Not in GZIP format");
    }
    if (u8() != 8) {
      throw new ZipException("Unsupported compression method");
    }
    int flags = u8();
    skip(6); // modification time, extra flags, operating system
    if ((flags & FEXTRA) != 0) {
      skip(u8() | u8() << 8);
    }
    if ((flags & FNAME) != 0) {
      while (u8() != 0) {
        // the original file name is not used
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (u8() != 0) {
        // the comment is not used
      }
    }
    if ((flags & FHCRC) != 0) {
      skip(2);
    }
    inflater.reset();
    crc.reset();
    memberBytes = 0;
    inflater.setInput(in, inPos, inLim - inPos);
  }

  /** CRC-32 and length of the member, then either another member or the end. */
  private void readTrailer() throws IOException {
    long c = u32();
    long size = u32();
    if (c != crc.getValue() || size != (memberBytes & 0xffffffffL)) {
      throw new ZipException("Corrupt GZIP trailer");
    }
    // another member follows only if there are more bytes
    if (inPos < inLim || fill() > 0) {
      header = true;
    } else {
      eof = true;
    }
  }

  private long u32() throws IOException {
    return (u8() | (long) u8() << 8 | (long) u8() << 16 | (long) u8() << 24) & 0xffffffffL;
  }

  private void skip(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      u8();
    }
  }

  private int u8() throws IOException {
    if (inPos == inLim && fill() < 0) {
      throw new EOFException("Unexpected end of gzip header or trailer");
    }
    return in[inPos++] & 0xff;
  }

  /** Reads more compressed bytes after what is left; -1 at the end of the body. */
  private int fill() throws IOException {
    if (inPos > 0) {
      System.arraycopy(in, inPos, in, 0, inLim - inPos);
      inLim -= inPos;
      inPos = 0;
    }
    int n = body.read(in, inLim, in.length - inLim);
    if (n > 0) {
      inLim += n;
    }
    return n;
  }

  /** Releases the inflater's native memory. */
  void end() {
    inflater.end();
  }
}

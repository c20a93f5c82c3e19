package io.github.infermetrics.core.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The status line and headers of one response, read from a connection into the exchange's buffer; what follows the
 * head stays buffered for the body. Only the headers the scraper acts on are kept, so a response allocates no more
 * than its {@code Content-Type} (and that only when it differs from the last one this buffer saw).
 */
final class ResponseHead {
  /** The longest head accepted: the buffer it is read into. */
  static final int MAX_HEAD = ExchangeBuffers.IO_BUFFER;

  private static final byte[] CONTENT_LENGTH = bytes("content-length");
  private static final byte[] CONTENT_TYPE = bytes("content-type");
  private static final byte[] CONTENT_ENCODING = bytes("content-encoding");
  private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
  private static final byte[] CONNECTION = bytes("connection");
  private static final byte[] LOCATION = bytes("location");

  int status;
  boolean http10;
  /** -1 when absent. */
  long contentLength;
  boolean chunked;
  /** A transfer coding other than chunked: the body lasts until the connection closes. */
  boolean otherTransferCoding;
  boolean connectionClose;
  boolean connectionKeepAlive;
  String contentType;
  /** Lower case and trimmed, {@code identity} when absent. */
  String contentEncoding;
  String location;

  private byte[] lastContentType = new byte[0];
  private String lastContentTypeString;

  /**
   * Reads the head of the next response, skipping interim 1xx answers.
   *
   * @return false when the connection ended before the first byte (a kept-alive connection the server had closed)
   * @throws SocketTimeoutException when a read waits past the deadline
   */
  boolean read(HttpConnection c, ExchangeBuffers x, Attempt a) throws IOException {
    do {
      int end;
      while ((end = headEnd(x)) < 0) {
        if (x.lim - x.pos >= MAX_HEAD) {
          throw new IOException("response headers longer than " + MAX_HEAD + " bytes");
        }
        boolean first = x.lim == x.pos;
        if (x.fill(c, a) < 0) {
          if (first) {
            return false;
          }
          throw new EOFException("connection closed in the response headers");
        }
      }
      parse(x.io, x.pos, end);
      x.pos = end;
    } while (status >= 100 && status < 200 && status != 101);
    return true;
  }

  /** Whether the connection can carry another exchange once the body is read to its end. */
  boolean keepAlive() {
    return !connectionClose && (!http10 || connectionKeepAlive) && !otherTransferCoding
        && (chunked || contentLength >= 0 || !hasBody());
  }

  /** Whether a body follows (not for 1xx, 204, 304). */
  boolean hasBody() {
    return !(status == 204 || status == 304 || status < 200);
  }

  private static int headEnd(ExchangeBuffers x) {
    byte[] b = x.io;
    for (int i = x.pos; i < x.lim; i++) {
      if (b[i] == '\n') {
        // CRLF CRLF, or a bare LF LF as lenient readers accept
        if (i + 1 < x.lim && b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < x.lim && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  private void parse(byte[] b, int from, int end) throws IOException {
    status = 0;
    contentLength = -1;
    chunked = false;
    otherTransferCoding = false;
    connectionClose = false;
    connectionKeepAlive = false;
    contentType = null;
    contentEncoding = "identity";
    location = null;
    int eol = lineEnd(b, from, end);
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (eol - from < 12 || b[from] != 'H' || b[from + 1] != 'T' || b[from + 2] != 'T' || b[from + 3] != 'P'
        || b[from + 4] != '/' || b[from + 8] != ' ') {
      throw new IOException("malformed status line: " + excerpt(b, from, eol));
    }
    http10 = b[from + 5] == '1' && b[from + 7] == '0';
    for (int i = 9; i < 12; i++) {
      int d = b[from + i] - '0';
      if (d < 0 || d > 9) {
        throw new IOException("malformed status line: " + excerpt(b, from, eol));
      }
      status = status * 10 + d;
    }
    int line = next(b, eol, end);
    while (line < end) {
      eol = lineEnd(b, line, end);
      if (eol == line) {
        break;
      }
      int colon = line;
      while (colon < eol && b[colon] != ':') {
        colon++;
      }
      if (colon < eol) {
        int v = colon + 1;
        while (v < eol && (b[v] == ' ' || b[v] == '\t')) {
          v++;
        }
        int ve = eol;
        while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
          ve--;
        }
        header(b, line, colon, v, ve);
      }
      line = next(b, eol, end);
    }
  }

  private void header(byte[] b, int name, int nameEnd, int v, int ve) throws IOException {
    int n = nameEnd - name;
    if (is(b, name, n, CONTENT_LENGTH)) {
      long len = 0;
      if (v == ve) {
        throw new IOException("empty Content-Length");
      }
      for (int i = v; i < ve; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9 || len > (Long.MAX_VALUE - d) / 10) {
          throw new IOException("invalid Content-Length: " + excerpt(b, v, ve));
        }
        len = len * 10 + d;
      }
      if (contentLength >= 0 && contentLength != len) {
        throw new IOException("two different Content-Length headers");
      }
      contentLength = len;
    } else if (is(b, name, n, CONTENT_TYPE)) {
      contentType = contentType(b, v, ve);
    } else if (is(b, name, n, CONTENT_ENCODING)) {
      contentEncoding = new String(b, v, ve - v, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
      if (contentEncoding.isEmpty()) {
        contentEncoding = "identity";
      }
    } else if (is(b, name, n, TRANSFER_ENCODING)) {
      // the last coding decides: chunked ends the body by itself, anything else lasts until the connection closes
      String codings = new String(b, v, ve - v, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
      chunked = codings.endsWith("chunked");
      otherTransferCoding = !chunked;
    } else if (is(b, name, n, CONNECTION)) {
      String tokens = new String(b, v, ve - v, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
      connectionClose |= tokens.contains("close");
      connectionKeepAlive |= tokens.contains("keep-alive");
    } else if (is(b, name, n, LOCATION)) {
      location = new String(b, v, ve - v, StandardCharsets.UTF_8);
    }
  }

  /** The value as a String, the previous one's when the bytes repeat (a target answers the same type every time). */
  private String contentType(byte[] b, int v, int ve) {
    int n = ve - v;
    if (lastContentTypeString != null && java.util.Arrays.equals(lastContentType, 0, lastContentType.length, b, v, ve)) {
      return lastContentTypeString;
    }
    lastContentType = java.util.Arrays.copyOfRange(b, v, v + n);
    lastContentTypeString = new String(b, v, n, StandardCharsets.ISO_8859_1);
    return lastContentTypeString;
  }

  private static boolean is(byte[] b, int off, int len, byte[] lowerName) {
    if (len != lowerName.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if ((b[off + i] | 0x20) != lowerName[i] && b[off + i] != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  /** End of the line's content: before its CR LF or LF. */
  private static int lineEnd(byte[] b, int from, int end) {
    int i = from;
    while (i < end && b[i] != '\n') {
      i++;
    }
    return i > from && b[i - 1] == '\r' ? i - 1 : i;
  }

  /** Start of the line after the one whose content ends at {@code eol}. */
  private static int next(byte[] b, int eol, int end) {
    int i = eol;
    if (i < end && b[i] == '\r') {
      i++;
    }
    return i < end && b[i] == '\n' ? i + 1 : end;
  }

  private static String excerpt(byte[] b, int from, int to) {
    return new String(b, from, Math.min(to - from, 80), StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

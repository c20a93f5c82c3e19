package io.github.infermetrics.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * One loopback HTTP/1.1 server standing in for a whole fleet of scrape targets and a remote-write receiver:
 * {@code GET} of any path answers the fixture (gzip-compressed when the request accepts gzip), {@code POST} of any
 * path reads its body, discards it and answers 204. Keep-alive on every connection unless the client says
 * {@code Connection: close}; one selector thread, so its cost is small and the same for every scraper it serves.
 *
 * <p>It counts what it served, which is how {@link FleetRace} counts scrapes the same way for every scraper. Only
 * what a scraper or a remote-write client sends is understood: a request line, headers, and a body of
 * {@code Content-Length} bytes or chunked; anything else closes the connection.
 */
final class FleetServer implements AutoCloseable {
  private static final int MAX_HEAD = 16 << 10;

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final ByteBuffer plain;
  private final ByteBuffer gzipped;
  private final int gzipBytes;
  private final ByteBuffer noContent =
      ascii("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  private final Thread thread;
  /** Whether gzip is served to clients that accept it. */
  private final boolean gzip;
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong gzipScrapes = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong writeBytes = new AtomicLong();
  private volatile boolean closed;

  /** Per connection: the request being read, and what is left to write of the response. */
  private static final class Conn {
    final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
    ByteBuffer out;
    /** Body bytes of a POST still to read and discard; -1 while reading a chunked body. */
    long bodyLeft;
    boolean chunked;
    long chunkLeft = -1;
    boolean close;
    boolean inBody;
  }

  FleetServer(byte[] exposition, boolean gzip) throws IOException {
    this.gzip = gzip;
    String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n";
    plain = response(head, exposition, null);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
      gz.write(exposition);
    }
    gzipBytes = z.size();
    gzipped = response(head, z.toByteArray(), "gzip");
    selector = Selector.open();
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::run, "fleet-server");
    thread.setDaemon(true);
    thread.start();
  }

  private static ByteBuffer response(String head, byte[] body, String encoding) {
    String h = head + (encoding == null ? "" : "Content-Encoding: " + encoding + "\r\n") + "Content-Length: "
        + body.length + "\r\n\r\n";
    byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocateDirect(hb.length + body.length);
    b.put(hb).put(body).flip();
    return b.asReadOnlyBuffer();
  }

  private static ByteBuffer ascii(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocateDirect(b.length).put(b).flip().asReadOnlyBuffer();
  }

  int port() {
    return listener.socket().getLocalPort();
  }

  /** Bytes of the gzip body served. */
  int gzipBodyBytes() {
    return gzipBytes;
  }

  /** GET requests answered. */
  long scrapes() {
    return scrapes.get();
  }

  /** GET requests answered with gzip. */
  long gzipScrapes() {
    return gzipScrapes.get();
  }

  /** POST requests answered (remote-write requests). */
  long writes() {
    return writes.get();
  }

  /** POST body bytes read and discarded. */
  long writeBytes() {
    return writeBytes.get();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(200);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          if (!k.isValid()) {
            continue;
          }
          try {
            if (k.isAcceptable()) {
              accept();
            } else {
              Conn c = (Conn) k.attachment();
              if (k.isWritable()) {
                write(k, c);
              }
              if (k.isValid() && k.isReadable()) {
                read(k, c);
              }
            }
          } catch (IOException | RuntimeException e) {
            k.cancel();
            closeQuietly(k.channel());
          }
        }
      }
    } catch (IOException e) {
      if (!closed) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void accept() throws IOException {
    for (SocketChannel ch; (ch = listener.accept()) != null; ) {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.register(selector, SelectionKey.OP_READ, new Conn());
    }
  }

  private void read(SelectionKey k, Conn c) throws IOException {
    SocketChannel ch = (SocketChannel) k.channel();
    int n = ch.read(c.in);
    if (n < 0) {
      k.cancel();
      ch.close();
      return;
    }
    process(k, c);
  }

  /** Consumes what is in the input buffer: request heads, bodies to discard; starts responses. */
  private void process(SelectionKey k, Conn c) throws IOException {
    c.in.flip();
    try {
      while (c.out == null && c.in.hasRemaining() && k.isValid()) {
        if (c.inBody) {
          if (!discardBody(c)) {
            return;
          }
          c.inBody = false;
          writes.incrementAndGet();
          respond(k, c, noContent);
          continue;
        }
        int end = headEnd(c.in);
        if (end < 0) {
          if (c.in.remaining() >= MAX_HEAD) {
            throw new IOException("request head too large");
          }
          return;
        }
        String head = StandardCharsets.ISO_8859_1.decode(c.in.slice().limit(end - c.in.position())).toString();
        c.in.position(end);
        String[] lines = head.split("\r\n");
        String method = lines[0].substring(0, Math.max(0, lines[0].indexOf(' ')));
        boolean useGzip = false;
        c.close = false;
        long length = 0;
        c.chunked = false;
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
          switch (name) {
            case "accept-encoding" -> useGzip = gzip && value.contains("gzip");
            case "connection" -> c.close = value.contains("close");
            case "content-length" -> length = Long.parseLong(value);
            case "transfer-encoding" -> c.chunked = value.contains("chunked");
            default -> {
              // not needed
            }
          }
        }
        if (method.equals("GET")) {
          scrapes.incrementAndGet();
          if (useGzip) {
            gzipScrapes.incrementAndGet();
          }
          respond(k, c, useGzip ? gzipped : plain);
        } else if (method.equals("POST") || method.equals("PUT")) {
          c.bodyLeft = c.chunked ? -1 : length;
          c.chunkLeft = -1;
          c.inBody = true;
        } else {
          throw new IOException("method " + method);
        }
      }
    } finally {
      c.in.compact();
    }
  }

  /** Reads body bytes off the input; true when the body is done. */
  private boolean discardBody(Conn c) throws IOException {
    ByteBuffer in = c.in;
    if (!c.chunked) {
      int n = (int) Math.min(c.bodyLeft, in.remaining());
      in.position(in.position() + n);
      c.bodyLeft -= n;
      writeBytes.addAndGet(n);
      return c.bodyLeft == 0;
    }
    while (in.hasRemaining()) {
      if (c.chunkLeft > 0) {
        int n = (int) Math.min(c.chunkLeft, in.remaining());
        in.position(in.position() + n);
        c.chunkLeft -= n;
        writeBytes.addAndGet(n);
        continue;
      }
      // a chunk-size line (after the CRLF that ends the previous chunk's data)
      int start = in.position();
      int lineEnd = -1;
      for (int i = start; i + 1 < in.limit(); i++) {
        if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
          lineEnd = i;
          break;
        }
      }
      if (lineEnd < 0) {
        return false;
      }
      String line = StandardCharsets.ISO_8859_1.decode(in.slice().limit(lineEnd - start)).toString().trim();
      in.position(lineEnd + 2);
      if (line.isEmpty()) {
        continue; // the CRLF after a chunk's data
      }
      int semi = line.indexOf(';');
      long size = Long.parseLong(semi >= 0 ? line.substring(0, semi) : line, 16);
      if (size == 0) {
        // the last chunk: no trailers expected, only the final CRLF
        if (in.remaining() < 2) {
          in.position(lineEnd);
          return false;
        }
        in.position(in.position() + 2);
        return true;
      }
      c.chunkLeft = size;
    }
    return false;
  }

  private static int headEnd(ByteBuffer b) {
    for (int i = b.position(); i + 3 < b.limit(); i++) {
      if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /** Starts a response; what the socket does not take now is written when it is writable. */
  private void respond(SelectionKey k, Conn c, ByteBuffer response) throws IOException {
    c.out = response.duplicate();
    flush(k, c);
  }

  /** On a writable socket: the rest of the response, then whatever request is already read. */
  private void write(SelectionKey k, Conn c) throws IOException {
    if (flush(k, c) && k.isValid() && c.in.position() > 0) {
      process(k, c); // a pipelined request already read
    }
  }

  /** Writes what the socket takes; true when the response is done (and the connection still open). */
  private boolean flush(SelectionKey k, Conn c) throws IOException {
    SocketChannel ch = (SocketChannel) k.channel();
    ch.write(c.out);
    if (c.out.hasRemaining()) {
      k.interestOps(SelectionKey.OP_WRITE);
      return false;
    }
    c.out = null;
    if (c.close) {
      k.cancel();
      ch.close();
      return false;
    }
    k.interestOps(SelectionKey.OP_READ);
    return true;
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing a broken connection
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2_000);
      for (SelectionKey k : selector.keys()) {
        closeQuietly(k.channel());
      }
      selector.close();
      listener.close();
    } catch (IOException | InterruptedException e) {
      // best effort at the end of a run
    }
  }
}

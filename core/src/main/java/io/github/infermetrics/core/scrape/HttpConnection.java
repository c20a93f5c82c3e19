package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection of the scraper: a blocking {@link SocketChannel} used from the scraping thread itself, with
 * TLS layered over it for {@code https}. Blocking on the scraping thread is the point: an exchange costs two system
 * calls and no hand-off between threads, and every read waits at most the time left to the scrape's deadline (the
 * socket timeout is set before each read). A channel, unlike a plain socket, is interruptible: interrupting the
 * scraping thread closes it, so a closing scheduler ends a scrape at once.
 *
 * <p>Not thread-safe: one exchange at a time, then back to the {@link ConnectionPool}.
 */
final class HttpConnection {
  final ConnectionKey key;
  private final SocketChannel channel;
  private final Socket socket;
  final InputStream in;
  final OutputStream out;
  /** {@link System#nanoTime()} when it went idle in the pool. */
  long idleSince;
  /** Exchanges done on it so far: a reused connection that fails before its answer is retried once on a new one. */
  int exchanges;
  private int timeoutMillis = -1;

  private HttpConnection(ConnectionKey key, SocketChannel channel, Socket socket) throws IOException {
    this.key = key;
    this.channel = channel;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, and for https completes the TLS handshake with the host name checked.
   *
   * @param address the resolved address
   * @param connectMillis the connect timeout, at least 1
   * @param handshakeMillis the time left for the handshake, at least 1
   * @param tls the socket factory of the TLS context, for https
   */
  static HttpConnection open(ConnectionKey key, InetSocketAddress address, int connectMillis, int handshakeMillis,
      SSLSocketFactory tls) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 << 10);
      Socket plain = ch.socket();
      plain.connect(address, connectMillis);
      Socket s = plain;
      if (key.https()) {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, key.bareHost(), key.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as browsers check
        ssl.setSSLParameters(p);
        ssl.setSoTimeout(handshakeMillis);
        ssl.startHandshake();
        s = ssl;
      }
      return new HttpConnection(key, ch, s);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Bounds the next blocking read. */
  void timeout(long nanos) throws IOException {
    // whole milliseconds, rounded up so that a wait never ends before the deadline it serves, and never 0 (infinite)
    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    if (ms != timeoutMillis) {
      socket.setSoTimeout(ms);
      timeoutMillis = ms;
    }
  }

  boolean isOpen() {
    return channel.isOpen() && !socket.isClosed();
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the connection is dropped either way
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // as above
    }
  }
}

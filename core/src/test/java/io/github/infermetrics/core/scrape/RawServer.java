package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A socket server on loopback that misbehaves in ways the JDK's HTTP server cannot: one script per connection. */
final class RawServer implements AutoCloseable {
  interface Script {
    void run(Socket socket, OutputStream out) throws Exception;
  }

  private final ServerSocket serverSocket;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final AtomicInteger accepted = new AtomicInteger();

  RawServer(Script script) throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!serverSocket.isClosed()) {
        Socket s;
        try {
          s = serverSocket.accept();
        } catch (IOException e) {
          return;
        }
        sockets.add(s);
        accepted.incrementAndGet();
        Thread t = new Thread(() -> {
          try {
            readRequestHead(s.getInputStream());
            script.run(s, s.getOutputStream());
          } catch (Exception e) {
            // the client went away: expected for hostile scripts
          }
        }, "raw-server-conn");
        t.setDaemon(true);
        t.start();
      }
    }, "raw-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort() + "/metrics");
  }

  static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int state = 0;
    for (int c; state < 4 && (c = in.read()) >= 0; ) {
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}

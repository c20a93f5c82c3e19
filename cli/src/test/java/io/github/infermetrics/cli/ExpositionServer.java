package io.github.infermetrics.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A loopback server that answers with a Prometheus text exposition, for the commands under test. */
final class ExpositionServer implements AutoCloseable {
  private final HttpServer server;

  /** Answers every path with {@code exposition}. */
  ExpositionServer(String exposition) throws IOException {
    this("/", n -> exposition);
  }

  /**
   * Answers {@code path} and the paths under it with the exposition of the n-th request (1, 2, ...), others with 404.
   */
  ExpositionServer(String path, IntFunction<String> expositionOfRequest) throws IOException {
    AtomicInteger requests = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, ex -> {
      byte[] body = expositionOfRequest.apply(requests.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The URL of {@code path} on this server, for example {@code url("/metrics")}. */
  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

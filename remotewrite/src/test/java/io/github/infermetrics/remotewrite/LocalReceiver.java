package io.github.infermetrics.remotewrite;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A remote write receiver on loopback (JDK HTTP server) that records every request and answers from a script:
 * scripted replies first (500, 429 with Retry-After, slow ones), then 204.
 */
final class LocalReceiver implements AutoCloseable {
  /** One scripted answer. */
  record Reply(int status, Map<String, String> headers, long delayMillis) {
    static Reply status(int status) {
      return new Reply(status, Map.of(), 0);
    }
  }

  /** One received request. */
  record Received(Headers headers, byte[] body, List<WriteRequests.Series> series, int answeredWith,
      long atNanos) {
    int samples() {
      return series.stream().mapToInt(s -> s.samples().size()).sum();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  LocalReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/write", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  LocalReceiver then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Requests answered with a 2xx. */
  List<Received> accepted() {
    return received.stream().filter(r -> r.answeredWith() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Reply reply = script.pollFirst();
      if (reply == null) {
        reply = Reply.status(204);
      }
      List<WriteRequests.Series> series;
      try {
        series = WriteRequests.decodeCompressed(body);
      } catch (IOException e) {
        reply = Reply.status(400);
        series = List.of();
      }
      received.add(new Received(exchange.getRequestHeaders(), body, series, reply.status(), System.nanoTime()));
      if (reply.delayMillis() > 0) {
        try {
          Thread.sleep(reply.delayMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
      reply.headers().forEach(exchange.getResponseHeaders()::add);
      byte[] text = (reply.status() / 100 == 2 ? "" : "status " + reply.status() + "\nsecond line")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), text.length == 0 ? -1 : text.length);
      if (text.length > 0) {
        exchange.getResponseBody().write(text);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

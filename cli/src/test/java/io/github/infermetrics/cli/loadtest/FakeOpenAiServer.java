package io.github.infermetrics.cli.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback server that answers every POST with a scripted answer, and keeps the request bodies: what the
 * simulators cannot do (chat, answers without usage, errors mid-stream, streams cut short, stalls).
 */
final class FakeOpenAiServer implements AutoCloseable {
  /** How to answer. */
  interface Script {
    void answer(HttpExchange ex) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  final List<String> bodies = new CopyOnWriteArrayList<>();

  FakeOpenAiServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-openai");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", ex -> {
      try {
        if (ex.getRequestMethod().equals("POST")) {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
        script.answer(ex);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client went away
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  URI root() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Starts an event stream. */
  static OutputStream stream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    return ex.getResponseBody();
  }

  /** Sends one event and flushes it. */
  static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A whole answer. */
  static void json(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package io.github.infermetrics.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code infermetrics watch ... --serve 127.0.0.1:0} running in-process on its own thread, as a user runs it, until
 * closed (which interrupts it, as Ctrl-C does); {@link #uri()} is where it serves. For the serve tests.
 */
final class ServedWatch implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving on (https?://\\S+/)");

  private final Thread thread;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger code = new AtomicInteger(-1);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private URI uri;

  private ServedWatch(String... args) {
    thread = new Thread(() -> code.set(Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true))),
        "served-watch");
    thread.setDaemon(true);
  }

  /** Starts {@code watch ARGS} and waits until it serves; fails with what it printed when it does not. */
  static ServedWatch start(String... args) throws InterruptedException {
    ServedWatch w = new ServedWatch(args);
    w.thread.start();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end && w.thread.isAlive()) {
      Matcher m = SERVING.matcher(w.err.toString());
      if (m.find()) {
        w.uri = URI.create(m.group(1));
        return w;
      }
      Thread.sleep(20);
    }
    w.close();
    throw new AssertionError("watch did not start serving (exit " + w.code.get() + "): " + w.err);
  }

  URI uri() {
    return uri;
  }

  String err() {
    return err.toString();
  }

  String out() {
    return out.toString();
  }

  /** The exit code once closed; -1 while it runs. */
  int code() {
    return code.get();
  }

  HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code path} until its body satisfies {@code ready}, for up to {@code timeout}. */
  String await(String path, java.util.function.Predicate<String> ready, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      HttpResponse<String> r = get(path);
      last = r.body();
      if (r.statusCode() == 200 && ready.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("after " + timeout + ", " + path + " is still " + last + "\nwatch printed: " + err);
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

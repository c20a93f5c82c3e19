package io.github.infermetrics.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole scrape over loopback: HTTP request, response, body streamed into the parser, snapshot built — the work
 * infermetrics does per target per interval. The body is the real 63 KB neuron-monitor-prometheus scrape
 * ({@code ../shared/fixtures/neuron/...}), served by the JDK's HTTP server in the same JVM (its threads run on the
 * other core); plain or gzip-encoded, as Prometheus clients serve it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScrapeBenchmark -prof gc
 * </pre>
 *
 * <p>{@code httpOnly} is the floor: the JDK client fetching the same body into a byte array, unparsed.
 *
 * <p>Throughput per core = ops/s of the one benchmark thread; MB/s = ops/s × 63,429 bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
// the JDK HTTP server leaves Nagle on, which costs 40 ms per response against delayed ACKs; real exporters do not
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class ScrapeBenchmark {
  /** Whether the server gzips the body. */
  @Param({"identity", "gzip"})
  public String encoding;

  private HttpServer server;
  private java.util.concurrent.ExecutorService serverThreads;
  private Scraper scraper;
  private ScrapeTarget target;
  private java.net.http.HttpClient rawClient;
  private java.net.http.HttpRequest rawRequest;

  /**
   * Starts the server and makes the target.
   *
   * @throws IOException when the fixture cannot be read or the server cannot start
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    byte[] plain = Fixtures.load("neuron");
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
      gz.write(plain);
    }
    byte[] body = encoding.equals("gzip") ? z.toByteArray() : plain;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.createContext("/metrics", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      if (encoding.equals("gzip")) {
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    scraper = Scraper.create();
    target = ScrapeTarget.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics"))
        .build();
    ScrapeResult r = scraper.scrape(target);
    if (!r.up()) {
      throw new IllegalStateException("scrape failed: " + r.error());
    }
    System.out.println("scrape: encoding=" + encoding + " body bytes=" + r.bytes() + " samples=" + r.samples());
    rawClient = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    rawRequest = java.net.http.HttpRequest.newBuilder(target.uri()).header("Accept-Encoding", encoding).build();
  }

  /** Stops the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    scraper.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  /**
   * The baseline: the same request with the JDK client, body read into a byte array, nothing parsed.
   *
   * @return the body length
   * @throws Exception when the request fails
   */
  @Benchmark
  public int httpOnly() throws Exception {
    return rawClient.send(rawRequest, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  /**
   * One scrape: request, streamed parse, snapshot.
   *
   * @return the number of samples
   */
  @Benchmark
  public long scrape() {
    ScrapeResult r = scraper.scrape(target);
    if (!r.up()) {
      throw new IllegalStateException("scrape failed: " + r.error());
    }
    return r.samples();
  }
}

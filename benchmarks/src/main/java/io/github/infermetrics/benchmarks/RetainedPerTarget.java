package io.github.infermetrics.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Memory retained per target when watching many targets: each target keeps its parser (buffers, symbol tables),
 * its labels cache and its latest snapshot, which is what a live {@code watch} holds between scrapes. Starts a
 * loopback server serving the 63 KB neuron-monitor-prometheus scrape, makes N targets (one endpoint each, distinct
 * paths), scrapes each twice and keeps the latest snapshot, then reports the heap used after full GCs, per target.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.RetainedPerTarget 1000
 * </pre>
 *
 * <p>Not a JMH benchmark: it measures a steady state, not a rate.
 */
public final class RetainedPerTarget {
  private RetainedPerTarget() {}

  /**
   * Runs the measurement.
   *
   * @param args the number of targets (default 1000)
   * @throws Exception when the server or a scrape fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    // the JDK HTTP server leaves Nagle on (40 ms per response against delayed ACKs); real exporters do not
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = Fixtures.load("neuron");
    java.util.concurrent.ExecutorService serverThreads = Executors.newFixedThreadPool(2);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(serverThreads);
    Fixtures.serveExposition(server, body);
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/pod-";
    try (Scraper scraper = Scraper.create()) {
      long before = Fixtures.usedAfterGc();
      List<ScrapeTarget> targets = new ArrayList<>(n);
      List<MetricSnapshot> latest = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        targets.add(ScrapeTarget.builder(URI.create(base + i + "/metrics")).name("pod-" + i).build());
      }
      for (int round = 0; round < 2; round++) {
        latest.clear();
        for (ScrapeTarget t : targets) {
          ScrapeResult r = scraper.scrape(t);
          if (!r.up()) {
            throw new IllegalStateException(t.name() + ": " + r.error());
          }
          latest.add(r.snapshot());
        }
      }
      long after = Fixtures.usedAfterGc();
      long perTarget = (after - before) / n;
      System.out.printf("targets=%d body=%d bytes samples=%d retained=%d bytes/target (%.1f MiB total)%n", n,
          body.length, latest.get(0).sampleCount(), perTarget, (after - before) / 1048576.0);
      if (targets.size() != latest.size()) {
        throw new IllegalStateException();
      }
    } finally {
      server.stop(0);
      serverThreads.shutdownNow();
    }
  }
}

package io.github.infermetrics.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeScheduler;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import io.github.infermetrics.vllm.VllmKpis;
import io.github.infermetrics.vllm.VllmSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Fleet sizing: one process watching N targets as {@code infermetrics watch --remote-write} does — a
 * {@link ScrapeScheduler} scraping every target each interval, vLLM KPIs computed from each pair of scrapes, and
 * every KPI set shipped through a {@link RemoteWriteSink}. The targets are distinct paths on one loopback server
 * serving the 21 KB vLLM scrape from {@code ../shared}; the remote-write receiver is on the same server and only
 * reads the body. Reports, after a warm-up round:
 *
 * <ul>
 *   <li>CPU per scrape: the process's CPU time minus the server's threads (the targets and the receiver are not
 *       part of the watcher), over the scrapes done;
 *   <li>scrapes/s per core: its inverse;
 *   <li>heap per target: the heap after full GCs with everything live, minus the heap before the targets existed.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.FleetSizing 500 2s 30s
 * </pre>
 *
 * <p>Not a JMH benchmark: a steady state of a whole process, threads and all.
 */
public final class FleetSizing {
  private FleetSizing() {}

  /**
   * Runs the measurement.
   *
   * @param args targets (default 500), interval (default 2s), measured time (default 30s)
   * @throws Exception when the server fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Duration interval = Duration.parse("PT" + (args.length > 1 ? args[1] : "2s").toUpperCase());
    Duration measured = Duration.parse("PT" + (args.length > 2 ? args[2] : "30s").toUpperCase());
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = Fixtures.load("vllm");

    Set<Thread> serverThreads = ConcurrentHashMap.newKeySet();
    ExecutorService serverPool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "fleet-server");
      t.setDaemon(true);
      serverThreads.add(t);
      return t;
    });
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(serverPool);
    Fixtures.serveExposition(server, body);
    AtomicLong received = new AtomicLong();
    server.createContext("/api/v1/write", ex -> {
      try (ex) {
        received.addAndGet(ex.getRequestBody().readAllBytes().length);
        ex.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();

    long heapBefore = Fixtures.usedAfterGc();
    AtomicLong scrapes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong kpiSets = new AtomicLong();
    AtomicReferenceArray<VllmSnapshot> previous = new AtomicReferenceArray<>(n);
    try (RemoteWriteSink sink = RemoteWriteSink.builder(URI.create(base + "/api/v1/write"))
        .externalLabel("cluster", "sizing").build();
        ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(8).build()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        ScrapeTarget target = ScrapeTarget.builder(URI.create(base + "/node-" + i + "/metrics")).name("node-" + i)
            .timeout(interval).build();
        scheduler.schedule(target, interval, r -> accept(r, index, previous, sink, interval, scrapes, failures,
            kpiSets));
      }
      Thread.sleep(interval.toMillis() * 3); // warm-up: the JIT, every target's parser and symbol tables
      long heapLive = Fixtures.usedAfterGc();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime() - serverCpu(threads, serverThreads);
      long scrapes0 = scrapes.get();
      long t0 = System.nanoTime();
      Thread.sleep(measured.toMillis());
      long cpu = os.getProcessCpuTime() - serverCpu(threads, serverThreads) - cpu0;
      long done = scrapes.get() - scrapes0;
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuPerScrapeMs = cpu / 1e6 / done;
      System.out.printf("targets=%d interval=%s body=%d bytes cores=%d%n", n, interval, body.length,
          Runtime.getRuntime().availableProcessors());
      System.out.printf("scrapes=%d in %.1f s (%.0f/s, expected %.0f/s), failures=%d, KPI sets=%d%n", done,
          seconds, done / seconds, n / (interval.toMillis() / 1000.0), failures.get(), kpiSets.get());
      System.out.printf("watcher CPU=%.2f s (%.2f cores): %.3f ms per scrape, %.0f scrapes/s per core%n", cpu / 1e9,
          cpu / 1e9 / seconds, cpuPerScrapeMs, 1000 / cpuPerScrapeMs);
      System.out.printf("heap per target=%d bytes (%.1f MiB live for %d targets)%n", (heapLive - heapBefore) / n,
          (heapLive - heapBefore) / 1048576.0, n);
      System.out.printf("remote write: %s; %.1f KiB/s compressed%n", sink.stats().summary(),
          received.get() / 1024.0 / (System.nanoTime() - t0) * 1e9);
    } finally {
      server.stop(0);
      serverPool.shutdownNow();
    }
  }

  private static void accept(ScrapeResult r, int index, AtomicReferenceArray<VllmSnapshot> previous,
      RemoteWriteSink sink, Duration interval, AtomicLong scrapes, AtomicLong failures, AtomicLong kpiSets) {
    scrapes.incrementAndGet();
    if (!r.up()) {
      failures.incrementAndGet();
      return;
    }
    VllmSnapshot current = VllmSnapshot.of(r.snapshot());
    VllmSnapshot before = previous.getAndSet(index, current);
    if (before != null) {
      sink.write(VllmKpis.between(before, current, interval.toMillis() / 1000.0)
          .toKpiSet(r.target().name(), r.start()));
      kpiSets.incrementAndGet();
    }
  }

  private static long serverCpu(ThreadMXBean threads, Set<Thread> serverThreads) {
    long sum = 0;
    List<Thread> all = new ArrayList<>(serverThreads);
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("HTTP-Dispatcher")) {
        all.add(t); // the JDK server's own dispatcher thread
      }
    }
    for (Thread t : all) {
      long c = threads.getThreadCpuTime(t.getId());
      sum += Math.max(0, c);
    }
    return sum;
  }
}

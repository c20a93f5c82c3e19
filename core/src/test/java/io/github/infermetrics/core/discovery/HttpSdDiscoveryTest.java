package io.github.infermetrics.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.discovery.RelabelRule.Action;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http_sd against a real JDK HTTP server on loopback, answering what each test scripts. */
class HttpSdDiscoveryTest {
  /** One scripted answer. */
  private record Answer(int status, String contentType, String body, String refreshHeader, long delayMillis) {
    static Answer json(String body) {
      return new Answer(200, "application/json; charset=utf-8", body, null, 0);
    }
  }

  private HttpServer server;
  private ExecutorService executor;
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Answer> last = new AtomicReference<>(Answer.json("[]"));
  private final AtomicReference<Headers> lastRequest = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final BlockingQueue<List<String>> lists = new LinkedBlockingQueue<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http-sd");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/targets", ex -> {
      requests.incrementAndGet();
      lastRequest.set(ex.getRequestHeaders());
      Answer a = script.poll();
      if (a == null) {
        a = last.get();
      } else {
        last.set(a);
      }
      try {
        if (a.delayMillis > 0) {
          ex.getResponseHeaders().set("Content-Type", a.contentType);
          ex.sendResponseHeaders(a.status, 0); // chunked: headers now, the body never comes in time
          Thread.sleep(a.delayMillis);
        } else {
          byte[] body = a.body.getBytes(StandardCharsets.UTF_8);
          if (a.contentType != null) {
            ex.getResponseHeaders().set("Content-Type", a.contentType);
          }
          if (a.refreshHeader != null) {
            ex.getResponseHeaders().set(HttpSdDiscovery.REFRESH_INTERVAL_HEADER, a.refreshHeader);
          }
          ex.sendResponseHeaders(a.status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
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

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/targets");
  }

  private HttpSdConfig.Builder config() {
    // a timeout well above the interval: the machine may be busy with other builds
    return HttpSdConfig.builder(url()).refreshInterval(Duration.ofMillis(150)).timeout(Duration.ofSeconds(5));
  }

  private void listen(TargetDiscovery d) {
    d.start(targets -> lists.add(targets.stream().map(DiscoveredTarget::name).collect(Collectors.toList())));
  }

  private void awaitNames(String... names) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> seen = null;
    while (System.nanoTime() < deadline) {
      List<String> l = lists.poll(50, TimeUnit.MILLISECONDS);
      if (l != null) {
        seen = l;
        if (l.equals(List.of(names))) {
          return;
        }
      }
    }
    throw new AssertionError("no list " + List.of(names) + " within 10 s; last was " + seen);
  }

  private static void awaitErrors(TargetDiscovery d, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (d.errors() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(d.errors()).isEqualTo(count);
  }

  @Test
  void readsTargetsAndSendsPrometheussHeaders() throws Exception {
    last.set(Answer.json("[{\"targets\": [\"10.0.0.7:8000\"], \"labels\": {\"job\": \"vllm\"}}]"));
    TargetLabelling labelling = TargetLabelling.builder().relabel(RelabelRule.builder(Action.REPLACE)
        .sourceLabels("__meta_url").targetLabel("sd").build()).build();
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().labelling(labelling).header("X-Scope", "team-a").build())) {
      listen(d);
      assertThat(lists.poll()).as("first list, delivered by start").containsExactly("10.0.0.7:8000");
      DiscoveredTarget t = d.current().get(0);
      assertThat(t.url()).isEqualTo(URI.create("http://10.0.0.7:8000/metrics"));
      assertThat(t.labels().get("sd")).isEqualTo(url().toString());
      assertThat(t.labels().get("job")).isEqualTo("vllm");
      Headers h = lastRequest.get();
      assertThat(h.getFirst("Accept")).isEqualTo("application/json");
      assertThat(h.getFirst("User-Agent")).startsWith("infermetrics/");
      assertThat(h.getFirst("X-Prometheus-Refresh-Interval-Seconds")).isEqualTo("0.15");
      assertThat(h.getFirst("X-Scope")).isEqualTo("team-a");
      assertThat(d.description()).isEqualTo("http_sd " + url());
    }
  }

  @Test
  void changesArriveOnTheNextPoll() throws Exception {
    last.set(Answer.json("[{\"targets\": [\"a:1\"]}]"));
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().build())) {
      listen(d);
      awaitNames("a:1");
      last.set(Answer.json("[{\"targets\": [\"a:1\", \"b:1\"]}]"));
      awaitNames("a:1", "b:1");
      last.set(Answer.json("[]"));
      awaitNames();
      assertThat(d.errors()).as("errors, last: %s", d.lastError()).isZero();
    }
  }

  @Test
  void failuresKeepTheLastGoodListAndAreEachCounted() throws Exception {
    last.set(Answer.json("[{\"targets\": [\"a:1\"]}]"));
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().bodySizeLimit(100).build())) {
      listen(d);
      awaitNames("a:1");
      String u = url().toString();
      script.add(new Answer(503, "text/plain", "overloaded", null, 0));
      awaitErrors(d, 1);
      assertThat(d.lastError()).hasValue("GET " + u + ": server returned HTTP status 503");
      script.add(new Answer(200, "text/html", "<html>login</html>", null, 0));
      awaitErrors(d, 2);
      assertThat(d.lastError()).hasValue("GET " + u + ": unsupported content type \"text/html\" (http_sd needs"
          + " application/json)");
      script.add(Answer.json("[{\"targets\": [\"a:1\"],\n \"labels\": {\"port\": 80}}]"));
      awaitErrors(d, 3);
      assertThat(d.lastError()).hasValue(u + ":2:21: $[0].labels.port: expected a string label value, found a number"
          + " (80) (keeping the last good targets)");
      script.add(Answer.json("[{\"targets\": [\"" + "b".repeat(100) + ":1\"]}]"));
      awaitErrors(d, 4);
      assertThat(d.lastError()).hasValue("GET " + u + ": body larger than 100 bytes (HttpSdConfig.bodySizeLimit)");
      assertThat(d.current()).extracting(DiscoveredTarget::name).containsExactly("a:1");
      script.add(Answer.json("[{\"targets\": [\"c:1\"]}]"));
      awaitNames("c:1");
      assertThat(d.errors()).isEqualTo(4);
    }
  }

  @Test
  void aBodyThatNeverEndsIsCutAtTheTimeout() throws Exception {
    last.set(Answer.json("[{\"targets\": [\"a:1\"]}]"));
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().timeout(Duration.ofMillis(300)).build())) {
      listen(d);
      awaitNames("a:1");
      script.add(new Answer(200, "application/json", null, null, 5_000));
      long start = System.nanoTime();
      awaitErrors(d, 1);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
      assertThat(d.lastError()).hasValue("GET " + url() + ": no complete response within 300 ms"
          + " (HttpSdConfig.timeout)");
      last.set(Answer.json("[{\"targets\": [\"b:1\"]}]"));
      script.clear();
      awaitNames("b:1");
    }
  }

  @Test
  void theServerCanAskForALongerIntervalInTheSameHeader() throws Exception {
    last.set(new Answer(200, "application/json", "[]", "60", 0));
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().build())) {
      listen(d);
      Thread.sleep(800); // about five intervals of 150 ms
      assertThat(requests).hasValue(1);
      assertThat(d.errors()).isZero();
    }
  }

  @Test
  void aRefreshHeaderThatIsNotANumberIsCountedAndIgnored() throws Exception {
    last.set(new Answer(200, "application/json", "[{\"targets\": [\"a:1\"]}]", "soon", 0));
    try (HttpSdDiscovery d = new HttpSdDiscovery(config().build())) {
      listen(d);
      assertThat(d.current()).hasSize(1);
      assertThat(d.errors()).isGreaterThanOrEqualTo(1);
      assertThat(d.lastError()).hasValue("GET " + url() + ": ignoring X-Prometheus-Refresh-Interval-Seconds"
          + " \"soon\" (not a positive number of seconds)");
    }
  }

  @Test
  void anUnreachableServerIsAnErrorAndPollingGoesOn() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port + "/targets");
    try (HttpSdDiscovery d = new HttpSdDiscovery(HttpSdConfig.builder(nowhere).refreshInterval(Duration.ofMillis(100))
        .timeout(Duration.ofSeconds(5)).build())) {
      listen(d);
      awaitErrors(d, 2);
      assertThat(d.lastError().orElseThrow()).startsWith("GET " + nowhere + ": cannot connect");
      assertThat(d.current()).isEmpty();
    }
  }

  @Test
  void configurationIsChecked() {
    assertThatThrownBy(() -> HttpSdConfig.parse("ftp://sd/targets"))
        .hasMessage("http_sd url must be an absolute http or https URL: ftp://sd/targets");
    assertThatThrownBy(() -> HttpSdConfig.parse("http://sd targets"))
        .hasMessageStartingWith("--http-sd needs a URL such as http://sd.internal:8080/targets: Illegal character");
    assertThatThrownBy(() -> HttpSdConfig.builder(url()).header("Accept", "text/plain").build())
        .hasMessage("header Accept is set by the discovery itself");
    assertThatThrownBy(() -> HttpSdConfig.parse("http://user:secret@sd/targets"))
        .hasMessage("http_sd url must not carry user info (sd): send credentials with header(\"Authorization\","
            + " ...)");
    assertThat(HttpSdConfig.builder(url()).header("Authorization", "Bearer s3cret").build().toString())
        .doesNotContain("s3cret").contains("headers=[Authorization]");
    HttpSdConfig c = HttpSdConfig.parse(" http://sd:8080/targets?env=prod ");
    assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.bodySizeLimit()).isEqualTo(16 << 20);
    assertThat(HttpSdDiscovery.seconds(Duration.ofSeconds(60))).isEqualTo("60");
    assertThat(HttpSdDiscovery.seconds(Duration.ofMillis(1500))).isEqualTo("1.5");
  }
}

package io.github.infermetrics.core.scrape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.ParserLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Servers that stall, drip, never stop, bomb, lie or break: every scrape ends within its timeout, with bounded
 * reads and the right error kind, and never throws.
 */
class HostileServerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(600);
  /** Scheduling noise on a shared two-core machine. */
  private static final long SLACK_MS = 700;

  private LoopbackHttp http;
  private Scraper scraper;

  @BeforeEach
  void start() throws IOException {
    http = new LoopbackHttp();
    scraper = Scraper.create();
  }

  @AfterEach
  void stop() {
    scraper.close();
    http.close();
  }

  private ScrapeResult timedScrape(ScrapeTarget target) {
    long t0 = System.nanoTime();
    ScrapeResult r = scraper.scrape(target);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).as("wall time of the scrape, ms").isLessThan(target.timeout().toMillis() + SLACK_MS);
    assertThat(r.duration().toMillis()).isLessThanOrEqualTo(ms);
    assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag of the caller").isFalse();
    return r;
  }

  private static ScrapeTarget.Builder target(URI uri) {
    return ScrapeTarget.builder(uri).timeout(TIMEOUT);
  }

  @Test
  void slowDripOfOneBytePer200msEndsAtTheTimeout() throws IOException {
    try (RawServer server = new RawServer((s, out) -> {
      RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 100000\r\n\r\n");
      for (int i = 0; i < 100_000; i++) {
        out.write('#');
        out.flush();
        Thread.sleep(200);
      }
    })) {
      ScrapeResult r = timedScrape(target(server.uri()).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TIMEOUT);
      assertThat(r.error().limit()).isEqualTo("ScrapeTarget.timeout");
      assertThat(r.error().message()).contains("600ms").contains("reading the body");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bytes()).isBetween(1L, 10L);
    }
  }

  @Test
  void headersThenStallEndsAtTheTimeoutAndDropsTheConnection() throws Exception {
    CountDownLatch clientClosed = new CountDownLatch(1);
    try (RawServer server = new RawServer((s, out) -> {
      RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "6\r\nup 1\n\n\r\n");
      try {
        // blocks until the client gives up on the connection
        s.getInputStream().read();
      } finally {
        clientClosed.countDown();
      }
    })) {
      ScrapeResult r = timedScrape(target(server.uri()).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TIMEOUT);
      assertThat(r.bytes()).isEqualTo(6);
      assertThat(clientClosed.await(2, TimeUnit.SECONDS)).as("connection closed by the client").isTrue();
    }
  }

  @Test
  void noHeadersAtAllEndsAtTheTimeout() throws IOException {
    try (RawServer server = new RawServer((s, out) -> Thread.sleep(60_000))) {
      ScrapeResult r = timedScrape(target(server.uri()).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TIMEOUT);
      assertThat(r.error().message()).contains("response headers");
      assertThat(r.status()).isZero();
    }
  }

  @Test
  void endlessValidSamplesStopAtTheSampleLimit() {
    http.handle("/endless", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (long i = 0; ; i++) {
          out.write(("requests_total{pod=\"pod-" + i + "\"} 1\n").getBytes(UTF_8));
        }
      }
    });

    ScrapeResult r = timedScrape(target(http.uri("/endless")).sampleLimit(1000).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.SAMPLE_LIMIT);
    assertThat(r.error().limit()).isEqualTo("ScrapeTarget.sampleLimit");
    assertThat(r.error().message()).contains("sample limit of 1000 exceeded (ScrapeTarget.sampleLimit)");
    assertThat(r.error().line()).isEqualTo(1001);
    assertThat(r.samples()).isEqualTo(1001);
  }

  @Test
  void endlessCommentsStopAtTheBodySizeLimit() {
    serveEndlessComments("/endless");

    ScrapeResult r = timedScrape(target(http.uri("/endless")).bodySizeLimit(256 * 1024).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.BODY_TOO_LARGE);
    assertThat(r.error().limit()).isEqualTo("ScrapeTarget.bodySizeLimit");
    assertThat(r.error().message()).isEqualTo("body size limit of 262144 bytes exceeded (ScrapeTarget.bodySizeLimit)");
    // what was taken in is the limit plus at most what the client had buffered
    assertThat(r.bytes()).isBetween(256 * 1024L, 2 * 256 * 1024L);
  }

  /** A body of comment lines that never ends: no sample, so only a byte bound stops it. */
  private void serveEndlessComments(String path) {
    byte[] block = "# the same comment, again and again\n".repeat(1000).getBytes(UTF_8);
    http.handle(path, ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        while (true) {
          out.write(block);
        }
      }
    });
  }

  @Test
  void endlessCommentsStopAtTheParserInputLimitWhenTheBodyLimitIsHigher() {
    serveEndlessComments("/endless");

    ScrapeResult r = timedScrape(target(http.uri("/endless")).bodySizeLimit(64L << 20)
        .parserLimits(ParserLimits.builder().maxInputBytes(256 * 1024).build()).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.BODY_TOO_LARGE);
    assertThat(r.error().limit()).isEqualTo("ParserLimits.maxInputBytes");
    assertThat(r.error().message())
        .isEqualTo("exposition is longer than 262144 bytes (raise ParserLimits.maxInputBytes)");
  }

  @Test
  void contentLengthAboveTheLimitFailsBeforeReading() {
    http.handle("/big", ex -> {
      ex.sendResponseHeaders(200, 10_000_000);
      ex.getResponseBody().write(new byte[1024]);
      ex.getResponseBody().flush();
      try {
        // keep the connection open: closing short of the length would make the client fail on that instead
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    ScrapeResult r = timedScrape(target(http.uri("/big")).bodySizeLimit(1_000_000).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.BODY_TOO_LARGE);
    assertThat(r.error().message()).startsWith("Content-Length 10000000 exceeds the body size limit of 1000000 bytes");
    assertThat(r.bytes()).isLessThanOrEqualTo(1024);
  }

  @Test
  void gzipBombStopsAtTheDecompressedLimit() {
    AtomicInteger requests = new AtomicInteger();
    // 4 GiB of comment lines, compressed as they are produced: a few MB on the wire if all of it were sent
    byte[] block = new byte[64 * 1024];
    byte[] line = "# bomb\n".getBytes(UTF_8);
    for (int i = 0; i < block.length; i++) {
      block[i] = line[i % line.length];
    }
    http.handle("/bomb", ex -> {
      requests.incrementAndGet();
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, 0);
      try (GZIPOutputStream gz = new GZIPOutputStream(ex.getResponseBody(), 8192)) {
        for (int i = 0; i < 65_536; i++) {
          gz.write(block);
        }
      }
    });

    ScrapeResult r = timedScrape(target(http.uri("/bomb")).bodySizeLimit(4 << 20).build());

    assertThat(requests).hasValue(1);
    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.BODY_TOO_LARGE);
    assertThat(r.error().message())
        .isEqualTo("body size limit of 4194304 bytes exceeded after gzip decompression (ScrapeTarget.bodySizeLimit)");
    assertThat(r.bytes()).as("compressed bytes received").isLessThan(1 << 20);
  }

  @Test
  void htmlErrorPageWith200IsNotAnExposition() {
    http.handle("/html", ex -> LoopbackHttp.respond(ex, 200, "text/html; charset=utf-8",
        "<!DOCTYPE html>\n<html><body><h1>Login required</h1></body></html>\n"));

    ScrapeResult r = timedScrape(target(http.uri("/html")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.NOT_AN_EXPOSITION);
    assertThat(r.error().message()).contains("Content-Type text/html").contains("HTML");
    assertThat(r.error().line()).isEqualTo(1);
    assertThat(r.error().column()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.snapshot()).isNull();
  }

  @Test
  void jsonBodyIsNotAnExposition() {
    http.handle("/json", ex -> LoopbackHttp.respond(ex, 200, "application/json", "{\"gpu_utilization\": 0.25}\n"));

    ScrapeResult r = timedScrape(target(http.uri("/json")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.NOT_AN_EXPOSITION);
    assertThat(r.error().message()).contains("application/json");
    assertThat(r.error().line()).isEqualTo(1);
    assertThat(r.contentType()).isEqualTo("application/json");
  }

  @Test
  void gzipContentEncodingOverAPlainBodyIsNotAnExposition() {
    http.handle("/liar", ex -> {
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      LoopbackHttp.respond(ex, 200, "text/plain", "up 1\n");
    });

    ScrapeResult r = timedScrape(target(http.uri("/liar")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.NOT_AN_EXPOSITION);
    assertThat(r.error().message()).contains("gzip");
  }

  @Test
  void connectionResetMidBodyIsAnIoError() throws IOException {
    try (RawServer server = new RawServer((s, out) -> {
      RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 100000\r\n\r\n");
      RawServer.write(out, "# TYPE requests counter\nrequests{pod=\"a\"} 1\nrequests{pod=");
      Thread.sleep(50);
      s.setSoLinger(true, 0);
      s.close();
    })) {
      ScrapeResult r = timedScrape(target(server.uri()).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.IO);
      assertThat(r.error().message()).contains("reading the body");
      assertThat(r.bytes()).isPositive();
    }
  }

  @Test
  void http500IsAnHttpStatusError() {
    http.handle("/fail", ex -> LoopbackHttp.respond(ex, 500, "text/plain", "internal error"));

    ScrapeResult r = timedScrape(target(http.uri("/fail")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.HTTP_STATUS);
    assertThat(r.error().message()).isEqualTo("server returned HTTP status 500");
    assertThat(r.status()).isEqualTo(500);
  }

  @Test
  void redirectLoopStopsAfterMaxRedirects() {
    AtomicInteger hops = new AtomicInteger();
    http.handle("/loop", ex -> {
      hops.incrementAndGet();
      ScraperTest.redirect(ex, "/loop");
    });

    ScrapeResult r = timedScrape(target(http.uri("/loop")).maxRedirects(3).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TOO_MANY_REDIRECTS);
    assertThat(r.error().message()).startsWith("redirect limit of 3 exceeded (ScrapeTarget.maxRedirects)");
    assertThat(hops).hasValue(4);
  }

  @Test
  void closedPortIsAConnectError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }

    ScrapeResult r = timedScrape(target(URI.create("http://127.0.0.1:" + port + "/metrics")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.CONNECT);
    assertThat(r.error().message()).contains("127.0.0.1:" + port);
  }

  @Test
  void unknownHostIsAConnectError() {
    ScrapeResult r = timedScrape(ScrapeTarget.builder(URI.create("http://no-such-host.invalid:8002/metrics"))
        .timeout(Duration.ofSeconds(2)).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.CONNECT);
    assertThat(r.error().message()).isEqualTo("unknown host no-such-host.invalid");
  }

  @Test
  void aFastEndlessBodyStillEndsAtTheDeadline() {
    // within the size limit for a long time: only the deadline can stop it
    byte[] block = new byte[8192];
    Arrays.fill(block, (byte) '\n');
    http.handle("/flood", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        while (true) {
          out.write(block);
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    });

    ScrapeResult r = timedScrape(target(http.uri("/flood")).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TIMEOUT);
    assertThat(r.bytes()).isPositive();
  }
}

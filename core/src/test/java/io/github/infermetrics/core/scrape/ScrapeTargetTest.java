package io.github.infermetrics.core.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.exposition.ParserLimits;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Target configuration, and the guards around a scrape: one at a time per target, interrupts, closed scraper. */
class ScrapeTargetTest {
  private static final URI URI_ = URI.create("http://triton-0:8002/metrics");

  @Test
  void defaultsFollowPrometheus() {
    ScrapeTarget t = ScrapeTarget.builder(URI_).build();

    assertThat(t.name()).isEqualTo("triton-0:8002");
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.bodySizeLimit()).isEqualTo(64L << 20);
    assertThat(t.sampleLimit()).isEqualTo(ParserLimits.DEFAULTS.maxSeries());
    assertThat(t.maxRedirects()).isEqualTo(5);
    assertThat(t.headers()).isEmpty();
    assertThat(t.sslContext()).isNull();
  }

  @Test
  void sampleLimitReplacesTheParserLimitsMaxSeries() {
    ParserLimits limits = ParserLimits.builder().maxSeries(5000).maxLineLength(4096).build();

    assertThat(ScrapeTarget.builder(URI_).parserLimits(limits).build().sampleLimit()).isEqualTo(5000);
    assertThat(ScrapeTarget.builder(URI_).parserLimits(limits).sampleLimit(10).build().sampleLimit()).isEqualTo(10);
  }

  @Test
  void invalidSettingsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> ScrapeTarget.builder(URI.create("ftp://host/metrics"))).hasMessageContaining("uri");
    assertThatThrownBy(() -> ScrapeTarget.builder(URI.create("/metrics"))).hasMessageContaining("uri");
    assertThatThrownBy(() -> ScrapeTarget.builder(URI.create("http://user:pw@host/metrics")))
        .hasMessageContaining("uri").hasMessageContaining("basicAuth");
    ScrapeTarget.Builder b = ScrapeTarget.builder(URI_);
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.bodySizeLimit(0)).hasMessageContaining("bodySizeLimit");
    assertThatThrownBy(() -> b.sampleLimit(0)).hasMessageContaining("sampleLimit");
    assertThatThrownBy(() -> b.maxRedirects(-1)).hasMessageContaining("maxRedirects");
    assertThatThrownBy(() -> b.name(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> b.header("Authorization", "Basic x")).hasMessageContaining("basicAuth or bearerToken");
    assertThatThrownBy(() -> b.header("Accept-Encoding", "br")).hasMessageContaining("Accept-Encoding");
    assertThatThrownBy(() -> b.header("Host", "other")).hasMessageContaining("header Host");
    assertThatThrownBy(() -> b.header("X-Bad", "a\r\nb")).hasMessageContaining("header X-Bad");
    assertThatThrownBy(() -> b.bearerToken(" ")).hasMessageContaining("bearerToken");
    assertThatThrownBy(() -> ScrapeTarget.builder(URI_).bearerToken("t").basicAuth("u", "p"))
        .hasMessage("basicAuth and bearerToken are exclusive");
    assertThatThrownBy(() -> Scraper.builder().connectTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void toStringShowsNoCredentials() {
    ScrapeTarget t = ScrapeTarget.builder(URI_).name("triton-0").bearerToken("s3cr3t").build();

    assertThat(t.toString()).isEqualTo("ScrapeTarget[name=triton-0, uri=http://triton-0:8002/metrics]");
  }

  @Test
  void aTargetBeingScrapedIsNotScrapedAgainConcurrently() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    try (Scraper scraper = Scraper.create();
        RawServer server = new RawServer((s, out) -> {
          RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nup 1\n");
          stalled.countDown();
          Thread.sleep(60_000);
        })) {
      ScrapeTarget t = ScrapeTarget.builder(server.uri()).timeout(Duration.ofMillis(800)).build();
      CompletableFuture<ScrapeResult> first = CompletableFuture.supplyAsync(() -> scraper.scrape(t));
      assertThat(stalled.await(2, TimeUnit.SECONDS)).isTrue();

      ScrapeResult second = scraper.scrape(t);

      assertThat(second.error().kind()).isEqualTo(ScrapeError.Kind.BUSY);
      assertThat(second.duration()).isLessThan(Duration.ofMillis(100));
      assertThat(first.get(3, TimeUnit.SECONDS).error().kind()).isEqualTo(ScrapeError.Kind.TIMEOUT);
      assertThat(server.accepted).hasValue(1);
    }
  }

  @Test
  void anInterruptedCallerGetsCancelledAndKeepsItsInterrupt() throws IOException {
    try (Scraper scraper = Scraper.create();
        RawServer server = new RawServer((s, out) -> Thread.sleep(60_000))) {
      ScrapeTarget t = ScrapeTarget.builder(server.uri()).timeout(Duration.ofSeconds(5)).build();
      Thread.currentThread().interrupt();
      ScrapeResult r;
      boolean stillInterrupted;
      try {
        r = scraper.scrape(t);
      } finally {
        stillInterrupted = Thread.interrupted();
      }

      assertThat(stillInterrupted).isTrue();
      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.CANCELLED);
      assertThat(r.duration()).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aClosedScraperCancelsWithoutConnecting() {
    Scraper scraper = Scraper.create();
    scraper.close();

    ScrapeResult r = scraper.scrape(ScrapeTarget.builder(URI_).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.CANCELLED);
    assertThat(r.error().message()).contains("closed");
  }

  @Test
  void resultAndErrorValidateTheirComponents() {
    ScrapeTarget t = ScrapeTarget.builder(URI_).build();
    ScrapeError e = ScrapeError.of(ScrapeError.Kind.IO, "x");

    assertThatThrownBy(() -> new ScrapeResult(t, java.time.Instant.now(), Duration.ZERO, 0, 0, 0, null, null, null, null))
        .hasMessageContaining("exactly one of snapshot and error");
    assertThat(new ScrapeResult(t, java.time.Instant.now(), Duration.ZERO, 0, 0, 0, null, null, null, e).up()).isFalse();
    assertThatThrownBy(() -> new ScrapeError(ScrapeError.Kind.IO, "x", null, -1, 0)).hasMessageContaining("line");
    assertThat(e).hasToString("IO: x");
  }

  /** Each limit a configuration names is set by its name, and nothing else changes. */
  @Test
  void everyLimitIsSetByItsNameAndABadNameListsThem() {
    URI uri = URI.create("http://127.0.0.1:9/metrics");
    for (String name : ScrapeTarget.LIMITS) {
      ScrapeTarget t = ScrapeTarget.builder(uri).limit(name, 7).build();
      // the parser's limits with the one named (or maxSeries, which sampleLimit sets) at 7, the others as they were
      String changed = name.equals("sampleLimit") ? "maxSeries" : name;
      String expected = ParserLimits.DEFAULTS.toString().replaceAll("\\b" + changed + "=[0-9]+", changed + "=7");
      assertThat(t.parserLimits()).as(name).hasToString(expected);
    }
    ScrapeTarget own = ScrapeTarget.builder(uri).limit("bodySizeLimit", 1_000).limit("sampleLimit", 9)
        .limit("maxRedirects", 0).build();
    assertThat(own.bodySizeLimit()).isEqualTo(1_000);
    assertThat(own.sampleLimit()).isEqualTo(9);
    assertThat(own.maxRedirects()).isZero();
    assertThatThrownBy(() -> ScrapeTarget.builder(uri).limit("samples", 1))
        .hasMessage("no such limit 'samples' (" + String.join(", ", ScrapeTarget.LIMITS) + ")");
    assertThatThrownBy(() -> ScrapeTarget.builder(uri).limit("maxRedirects", 5_000_000_000L))
        .hasMessage("maxRedirects must be between 0 and 20: 5000000000");
    assertThatThrownBy(() -> ScrapeTarget.builder(uri).limit("maxLineLength", 5_000_000_000L))
        .hasMessage("maxLineLength must be at most 2147483647: 5000000000");
    assertThatThrownBy(() -> ScrapeTarget.builder(uri).limit("sampleLimit", 0))
        .hasMessage("sampleLimit must be at least 1: 0");
    assertThatThrownBy(() -> ParserLimits.builder().set("maxLines", 1))
        .hasMessage("no such limit 'maxLines' (" + String.join(", ", ParserLimits.SETTINGS) + ")");
  }
}

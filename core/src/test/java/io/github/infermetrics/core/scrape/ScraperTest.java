package io.github.infermetrics.core.scrape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes of well-behaved servers: formats by Accept, gzip, credentials, redirects, reader reuse. */
class ScraperTest {
  static final String TEXT = """
      # HELP nv_inference_request_success Number of successful inference requests
      # TYPE nv_inference_request_success counter
      nv_inference_request_success{model="resnet50",version="1"} 42
      nv_inference_request_success{model="bert",version="1"} 7
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-0f6b"} 0.25
      """;
  static final String OPENMETRICS = """
      # TYPE nv_inference_request_success counter
      # HELP nv_inference_request_success Number of successful inference requests
      nv_inference_request_success_total{model="resnet50",version="1"} 42
      nv_inference_request_success_total{model="bert",version="1"} 7
      # TYPE nv_gpu_utilization gauge
      nv_gpu_utilization{gpu_uuid="GPU-0f6b"} 0.25
      # EOF
      """;
  static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private LoopbackHttp http;
  private Scraper scraper;
  /** The request headers each path received last. */
  private final Map<String, com.sun.net.httpserver.Headers> seen = new ConcurrentHashMap<>();
  /** The client port of each request to /metrics: the same port is the same (kept-alive) connection. */
  private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    http = new LoopbackHttp();
    scraper = Scraper.create();
    http.handle("/metrics", ex -> {
      seen.put("/metrics", ex.getRequestHeaders());
      clientPorts.add(ex.getRemoteAddress().getPort());
      String accept = ex.getRequestHeaders().getFirst("Accept");
      // serve what the client prefers, as a Prometheus client library does
      if (accept != null && accept.contains("application/openmetrics-text")) {
        LoopbackHttp.respond(ex, 200, OPENMETRICS_TYPE, OPENMETRICS);
      } else {
        LoopbackHttp.respond(ex, 200, TEXT_TYPE, TEXT);
      }
    });
  }

  @AfterEach
  void stop() {
    scraper.close();
    http.close();
  }

  @Test
  void sendsPrometheus3AcceptHeaderAndReadsTheOpenMetricsAnswer() {
    ScrapeTarget target = ScrapeTarget.builder(http.uri("/metrics")).timeout(Duration.ofMillis(2500)).build();

    ScrapeResult r = scraper.scrape(target);

    assertThat(r.error()).isNull();
    assertThat(r.up()).isTrue();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(OPENMETRICS_TYPE);
    assertThat(r.format()).isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(r.samples()).isEqualTo(3);
    assertThat(r.bytes()).isEqualTo(OPENMETRICS.getBytes(UTF_8).length);
    assertThat(r.duration()).isPositive();
    assertThat(r.target()).isSameAs(target);
    List<MetricPoint> resnet = r.snapshot().select("nv_inference_request_success", LabelMatcher.eq("model", "resnet50"));
    assertThat(resnet).singleElement().isInstanceOfSatisfying(CounterPoint.class, c -> assertThat(c.value()).isEqualTo(42));

    var headers = seen.get("/metrics");
    assertThat(headers.getFirst("Accept")).isEqualTo(
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
            + "application/openmetrics-text;version=0.0.1;q=0.5,"
            + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    assertThat(headers.getFirst("Accept-Encoding")).isEqualTo("gzip");
    assertThat(headers.getFirst("User-Agent")).matches("infermetrics/\\S+");
    assertThat(headers.getFirst("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("2.5");
  }

  @Test
  void acceptHeaderOverrideAsksForTextAndGetsPrometheusText() {
    ScrapeTarget target = ScrapeTarget.builder(http.uri("/metrics")).header("Accept", "text/plain;version=0.0.4").build();

    ScrapeResult r = scraper.scrape(target);

    assertThat(r.up()).isTrue();
    assertThat(seen.get("/metrics").getFirst("Accept")).isEqualTo("text/plain;version=0.0.4");
    assertThat(r.format()).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(r.contentType()).isEqualTo(TEXT_TYPE);
    assertThat(r.snapshot().family("nv_gpu_utilization")).isPresent();
    assertThat(seen.get("/metrics").getFirst("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("10");
  }

  @Test
  void gzipEncodedBodyIsDecompressedAndBytesCountTheWire() throws IOException {
    StringBuilder text = new StringBuilder("# TYPE requests counter\n");
    for (int i = 0; i < 150; i++) {
      text.append("requests{pod=\"pod-").append(i).append("\"} ").append(i).append('\n');
    }
    byte[] compressed = gzip(text.toString());
    http.handle("/gz", ex -> {
      assertThat(ex.getRequestHeaders().getFirst("Accept-Encoding")).isEqualTo("gzip");
      ex.getResponseHeaders().set("Content-Type", TEXT_TYPE);
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, compressed.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(compressed);
      }
    });

    ScrapeResult r = scraper.scrape(ScrapeTarget.builder(http.uri("/gz")).build());

    assertThat(r.error()).isNull();
    assertThat(r.bytes()).isEqualTo(compressed.length);
    assertThat(r.samples()).isEqualTo(150);
    assertThat(r.bytes()).isLessThan(text.length());
    assertThat(r.snapshot().select("requests", LabelMatcher.eq("pod", "pod-149")))
        .singleElement().isInstanceOfSatisfying(CounterPoint.class, c -> assertThat(c.value()).isEqualTo(149));
  }

  @Test
  void basicAuthIsSentAndAWrongPasswordIsAnHttpStatusError() {
    String expected = "Basic " + Base64.getEncoder().encodeToString("scraper:pässwörd".getBytes(UTF_8));
    http.handle("/basic", ex -> authorized(ex, expected));

    ScrapeResult ok = scraper.scrape(ScrapeTarget.builder(http.uri("/basic")).basicAuth("scraper", "pässwörd").build());
    ScrapeResult wrong = scraper.scrape(ScrapeTarget.builder(http.uri("/basic")).basicAuth("scraper", "guess").build());

    assertThat(ok.up()).isTrue();
    assertThat(wrong.up()).isFalse();
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.error().kind()).isEqualTo(ScrapeError.Kind.HTTP_STATUS);
    assertThat(wrong.error().message()).contains("401");
  }

  @Test
  void bearerTokenAndCustomHeadersAreSent() {
    http.handle("/bearer", ex -> {
      if (!"team-a".equals(ex.getRequestHeaders().getFirst("X-Scope-OrgID"))) {
        LoopbackHttp.respond(ex, 400, "text/plain", "no tenant");
        return;
      }
      authorized(ex, "Bearer s3cr3t");
    });

    ScrapeResult r = scraper.scrape(ScrapeTarget.builder(http.uri("/bearer"))
        .bearerToken("s3cr3t").header("X-Scope-OrgID", "team-a").build());

    assertThat(r.error()).isNull();
  }

  @Test
  void redirectIsFollowedWithCredentialsOnTheSameHostOnly() {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    http.handle("/old", ex -> redirect(ex, "/metrics-moved"));
    http.handle("/away", ex -> redirect(ex, "http://localhost:" + http.port() + "/metrics-moved"));
    http.handle("/metrics-moved", ex -> {
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      LoopbackHttp.respond(ex, 200, TEXT_TYPE, TEXT);
    });

    ScrapeResult same = scraper.scrape(ScrapeTarget.builder(http.uri("/old")).bearerToken("t").build());
    ScrapeResult other = scraper.scrape(ScrapeTarget.builder(http.uri("/away")).bearerToken("t").build());

    assertThat(same.up()).isTrue();
    assertThat(same.status()).isEqualTo(200);
    assertThat(other.up()).isTrue();
    // 127.0.0.1 -> localhost is another host as far as credentials go
    assertThat(authorizations).containsExactly("Bearer t", "null");
  }

  @Test
  void redirectsAreNotFollowedWhenMaxRedirectsIsZero() {
    http.handle("/old", ex -> redirect(ex, "/metrics"));

    ScrapeResult r = scraper.scrape(ScrapeTarget.builder(http.uri("/old")).maxRedirects(0).build());

    assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TOO_MANY_REDIRECTS);
    assertThat(r.error().limit()).isEqualTo("ScrapeTarget.maxRedirects");
    assertThat(r.status()).isEqualTo(302);
  }

  @Test
  void repeatedScrapesReuseTheTargetsReaderAndShareLabelsAndTheConnection() {
    ScrapeTarget target = ScrapeTarget.builder(http.uri("/metrics")).build();

    MetricSnapshot first = scraper.scrape(target).snapshot();
    MetricSnapshot second = scraper.scrape(target).snapshot();

    assertThat(second).isNotSameAs(first);
    for (String family : List.of("nv_inference_request_success", "nv_gpu_utilization")) {
      List<MetricPoint> a = first.family(family).orElseThrow().points();
      List<MetricPoint> b = second.family(family).orElseThrow().points();
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).labels()).isSameAs(a.get(i).labels());
      }
    }
    // the body was read to its end (past "# EOF"), so the connection went back to the pool
    assertThat(clientPorts).hasSize(2);
    assertThat(clientPorts.get(1)).isEqualTo(clientPorts.get(0));
  }

  @Test
  void theTargetReaderCarriesParserSettings() {
    http.handle("/strict", ex -> LoopbackHttp.respond(ex, 200, TEXT_TYPE, "# TYPE a counter\n# TYPE a counter\na 1\n"));

    assertThat(scraper.scrape(ScrapeTarget.builder(http.uri("/strict")).build()).up()).isTrue();
    ScrapeResult strict = scraper.scrape(ScrapeTarget.builder(http.uri("/strict")).strict(true).build());
    assertThat(strict.error().kind()).isEqualTo(ScrapeError.Kind.NOT_AN_EXPOSITION);
    assertThat(strict.error().line()).isEqualTo(2);
  }

  private static void authorized(HttpExchange ex, String expected) throws IOException {
    if (expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      LoopbackHttp.respond(ex, 200, TEXT_TYPE, TEXT);
    } else {
      LoopbackHttp.respond(ex, 401, "text/plain", "unauthorized");
    }
  }

  static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(s.getBytes(UTF_8));
    }
    return bytes.toByteArray();
  }
}

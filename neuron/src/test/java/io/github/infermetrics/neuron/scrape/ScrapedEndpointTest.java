package io.github.infermetrics.neuron.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user with only the endpoint: scrape it twice over loopback with core's Scraper, then read the KPIs. */
class ScrapedEndpointTest {
  private HttpServer server;
  private final AtomicReference<String> served = new AtomicReference<>();
  private URI uri;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      String name = served.get();
      byte[] body = resource(name);
      // what prometheus_client answers: OpenMetrics when asked for it, else Prometheus text 0.0.4
      exchange.getResponseHeaders().add("Content-Type", name.endsWith(".openmetrics.txt")
          ? ExpositionFormat.OPENMETRICS.contentType() : ExpositionFormat.PROMETHEUS_TEXT.contentType());
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ScrapedEndpointTest.class.getResourceAsStream("/neuron-prometheus/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void twoScrapesOfTheEndpointGiveTheKpis() {
    ScrapeTarget target = ScrapeTarget.builder(uri).timeout(Duration.ofSeconds(5)).build();
    try (Scraper scraper = Scraper.create()) {
      served.set("trn1-before.prom");
      ScrapeResult first = scraper.scrape(target);
      served.set("trn1-after.prom");
      ScrapeResult second = scraper.scrape(target);
      assertThat(first.up()).as("first scrape: %s", first.error()).isTrue();
      assertThat(second.up()).as("second scrape: %s", second.error()).isTrue();
      assertThat(NeuronPrometheusSnapshot.detect(second.snapshot())).isTrue();

      NeuronPrometheusKpis kpis = NeuronPrometheusKpis.between(NeuronPrometheusSnapshot.of(first.snapshot()),
          NeuronPrometheusSnapshot.of(second.snapshot()), 15);

      // as in NeuronPrometheusKpisTest: (153 + 30) / 15 executions/s
      assertThat(kpis.executionRate().getAsDouble()).isCloseTo(12.2, within(1e-12));
      assertThat(kpis.goneRuntimes()).containsExactly("1002");
      assertThat(kpis.eccHealthy()).isFalse();
    }
  }

  @Test
  void anOpenMetricsEndpointReadsTheSame() {
    served.set("inf2.24xlarge-k8s.openmetrics.txt");
    try (Scraper scraper = Scraper.create()) {
      ScrapeResult r = scraper.scrape(ScrapeTarget.builder(uri).build());
      assertThat(r.up()).as("scrape: %s", r.error()).isTrue();
      assertThat(r.format()).isEqualTo(ExpositionFormat.OPENMETRICS);
      NeuronPrometheusSnapshot s = NeuronPrometheusSnapshot.of(r.snapshot());
      assertThat(s).usingRecursiveComparison().ignoringFields("source")
          .isEqualTo(Scrapes.view("inf2.24xlarge-k8s.openmetrics.txt"));
    }
  }
}

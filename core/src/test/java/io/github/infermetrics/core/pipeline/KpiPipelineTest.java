package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.kpi.WindowHistogram;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline against real HTTP servers on loopback, with a small source of the test's own. */
class KpiPipelineTest {
  /** A queue service: q_waiting, q_running gauges and a q_latency_seconds histogram. */
  static class QueueSource implements KpiSource {
    static final Measure WAITING = Measure.of(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, "WAIT");
    static final Measure RUNNING = Measure.of(Kpi.BATCH_SIZE, KpiStatistic.VALUE, "RUN");

    @Override
    public String name() {
      return "queue";
    }

    @Override
    public String description() {
      return "a test queue";
    }

    @Override
    public double recognize(MetricSnapshot s) {
      return s.family("q_waiting").isPresent() ? 1 : 0;
    }

    @Override
    public KpiWindow between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
      MeasuredWindow.Builder b = MeasuredWindow.builder(name(), window);
      for (MetricPoint p : current.select("q_waiting")) {
        b.gauge(WAITING, p.labels(), ((GaugePoint) p).value());
      }
      for (MetricPoint p : current.select("q_running")) {
        b.gauge(RUNNING, p.labels(), ((GaugePoint) p).value());
      }
      MeasuredWindow values = b.build();
      List<WindowHistogram> hs = new ArrayList<>();
      for (MetricPoint p : current.select("q_latency_seconds")) {
        for (MetricPoint q : previous.select("q_latency_seconds")) {
          if (q.labels().equals(p.labels())) {
            hs.add(new WindowHistogram(Kpi.END_TO_END_LATENCY, p.labels(),
                BucketCounts.increase((HistogramPoint) q, (HistogramPoint) p)));
          }
        }
      }
      return new KpiWindow() {
        @Override
        public String source() {
          return values.source();
        }

        @Override
        public Duration window() {
          return values.window();
        }

        @Override
        public List<io.github.infermetrics.core.kpi.MeasureValue> values() {
          return values.values();
        }

        @Override
        public List<io.github.infermetrics.core.kpi.KpiTable> tables() {
          return values.tables();
        }

        @Override
        public List<WindowHistogram> histograms() {
          return hs;
        }
      };
    }
  }

  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A server whose latency histogram gains 10 requests per scrape: 8 under 0.5 s, 2 under 2 s. */
  private URI queueServer(int waiting, int running) throws IOException {
    AtomicInteger scrapes = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> {
      int n = scrapes.incrementAndGet();
      String body = "# TYPE q_waiting gauge\nq_waiting{model=\"m\"} " + waiting + "\n"
          + "# TYPE q_running gauge\nq_running{model=\"m\"} " + running + "\n"
          + "# TYPE q_latency_seconds histogram\n"
          + "q_latency_seconds_bucket{model=\"m\",le=\"0.5\"} " + 8 * n + "\n"
          + "q_latency_seconds_bucket{model=\"m\",le=\"2\"} " + 10 * n + "\n"
          + "q_latency_seconds_bucket{model=\"m\",le=\"+Inf\"} " + 10 * n + "\n"
          + "q_latency_seconds_sum{model=\"m\"} " + 5 * n + "\n"
          + "q_latency_seconds_count{model=\"m\"} " + 10 * n + "\n";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(bytes);
      }
    });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  @Test
  void twoScrapesGiveAWindowWithGoodputAndSaturationForEveryConsumer() throws Exception {
    List<TargetWindow> seen = Collections.synchronizedList(new ArrayList<>());
    try (KpiPipeline p = KpiPipeline.builder().sources(KpiSources.of(List.of(new QueueSource())))
        .slos(Slo.parseAll("e2e=500ms")).target(PipelineTarget.builder(queueServer(2, 6)).name("q-0").build())
        .consumer(seen::add).build()) {
      p.scrapeAll();
      assertThat(p.status().get(0).state()).isEqualTo(TargetStatus.State.WAITING);
      p.scrapeAll();
      assertThat(seen).singleElement().satisfies(w -> {
        assertThat(w.target()).isEqualTo("q-0");
        KpiSet set = w.source("queue").orElseThrow().kpis();
        assertThat(set.target()).isEqualTo("q-0");
        // 8 of the window's 10 requests took at most 0.5 s, a bucket bound
        assertThat(set.find(Kpi.SLO_GOODPUT, KpiStatistic.VALUE).orElseThrow().value()).isEqualTo(0.8);
        assertThat(set.find(Kpi.SLO_GOODPUT, KpiStatistic.VALUE).orElseThrow().dimensions().get(KpiDimension.SLO))
            .isEqualTo("e2e<=500ms");
        // 2 waiting of 8: 0.25
        assertThat(set.find(Kpi.SATURATION, KpiStatistic.VALUE).orElseThrow().value()).isCloseTo(0.25, within(1e-12));
        assertThat(w.sources().get(0).derived()).hasSize(2);
      });
      TargetStatus s = p.status().get(0);
      assertThat(s.state()).isEqualTo(TargetStatus.State.UP);
      assertThat(s.sources()).containsExactly("queue");
      assertThat(s.windows()).isEqualTo(1);
    }
  }

  @Test
  void targetsComeAndGoAndConsumersAreTold() throws Exception {
    Map<String, Integer> windows = new ConcurrentHashMap<>();
    List<String> removed = Collections.synchronizedList(new ArrayList<>());
    KpiConsumer consumer = new KpiConsumer() {
      @Override
      public void accept(TargetWindow window) {
        windows.merge(window.target(), 1, Integer::sum);
      }

      @Override
      public void removed(String target) {
        removed.add(target);
      }
    };
    URI a = queueServer(0, 1);
    URI b = queueServer(0, 1);
    try (KpiPipeline p = KpiPipeline.builder().sources(KpiSources.of(List.of(new QueueSource())))
        .consumer(consumer).build()) {
      p.replaceTargets(List.of(PipelineTarget.builder(a).name("a").build()));
      p.scrapeAll();
      p.scrapeAll();
      // b comes, a moves to another address (a new pod IP): a starts a new window
      p.replaceTargets(List.of(PipelineTarget.builder(b).name("a").build(),
          PipelineTarget.builder(b).name("b").build()));
      assertThat(removed).containsExactly("a");
      p.scrapeAll();
      p.scrapeAll();
      assertThat(windows).containsEntry("a", 2).containsEntry("b", 1);
      assertThat(p.remove("b")).isTrue();
      assertThat(removed).containsExactly("a", "b");
      assertThat(p.status()).extracting(TargetStatus::name).containsExactly("a");
      assertThatThrownBy(() -> p.add(PipelineTarget.builder(a).name("a").build()))
          .hasMessageContaining("two targets are named a");
    }
  }

  @Test
  void aDownTargetAndAnUnrecognisedOneSayWhy() throws Exception {
    HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/metrics", ex -> {
      byte[] bytes = "up 1\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(bytes);
      }
    });
    other.start();
    servers.add(other);
    URI closed = URI.create("http://127.0.0.1:1/metrics");
    try (KpiPipeline p = KpiPipeline.builder().sources(KpiSources.of(List.of(new QueueSource())))
        .target(PipelineTarget.builder(closed).name("gone").timeout(Duration.ofSeconds(1)).build())
        .target(PipelineTarget.builder(URI.create("http://127.0.0.1:" + other.getAddress().getPort() + "/metrics"))
            .name("app").build()).build()) {
      p.scrapeAll();
      p.scrapeAll();
      List<TargetStatus> s = p.status();
      assertThat(s.get(0).state()).isEqualTo(TargetStatus.State.DOWN);
      assertThat(s.get(0).reason().orElseThrow()).contains("connect");
      assertThat(s.get(0).failedScrapes()).isEqualTo(2);
      assertThat(s.get(1).failedScrapes()).isZero();
      assertThat(s.get(1).state()).isEqualTo(TargetStatus.State.UNRECOGNIZED);
      assertThat(s.get(1).up()).isTrue();
      assertThat(s.get(1).reason().orElseThrow()).startsWith("up, but no known source").contains("queue");
    }
  }

  @Test
  void aNamedSourceMustBeInstalled() {
    assertThatThrownBy(() -> KpiPipeline.builder().sources(KpiSources.of(List.of(new QueueSource())))
        .target(PipelineTarget.builder(URI.create("http://x:1/m")).source("tgi").build()).build())
        .hasMessageContaining("no source named 'tgi'; known: queue");
  }
}

package io.github.infermetrics.ray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.testing.PrometheusTsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ray Serve dashboard's PromQL against a real Prometheus (skipped without the Debian package's binaries): the
 * Ray 2.6.1 head fixture with its known changes (gauge-typed counters) and the Ray 2.51 Serve LLM capture (counters
 * with {@code _total} beside their legacy names), each pair backfilled 15 s apart; every panel query, with
 * {@code $__rate_interval} the 15 s between the samples, gives the values this library computes for the same
 * window, series by series.
 */
class RayDashboardPrometheusTest {
  @TempDir
  Path dir;

  @Test
  void everyPanelGivesTheLibrarysNumbersOnRay26AndRay251() throws Exception {
    Instant t1 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
    Instant t2 = t1.plusSeconds(15);
    String head = Captures.shared(Captures.HEAD, Integer.MAX_VALUE);
    MetricSnapshot head1 = Captures.read(head);
    MetricSnapshot head2 = Captures.read(Captures.later(head, RayServeKpisTest.changes()));
    // the Serve LLM node's Ray Serve families only: the head has Ray's core metrics under the same names
    MetricSnapshot llm1 = Captures.read(serveOnly(RayServeLlmTest.resource("serve-llm-2.51-prev.prom")));
    MetricSnapshot llm2 = Captures.read(serveOnly(RayServeLlmTest.resource("serve-llm-2.51-curr.prom")));
    RayServeKpis expected26 = RayServeKpis.between(RayServeSnapshot.of(head1), RayServeSnapshot.of(head2),
        Duration.ofSeconds(15));
    RayServeKpis expected251 = RayServeKpis.between(RayServeSnapshot.of(llm1), RayServeSnapshot.of(llm2),
        Duration.ofSeconds(15));
    SourceDashboard d = new RayServeSource().dashboard().orElseThrow();
    try (PrometheusTsdb prometheus = PrometheusTsdb.start(dir, List.of(head1, head2, llm1, llm2),
        List.of(t1, t2, t1, t2))) {
      String variable = d.variable().orElseThrow().query();
      String selector = variable.substring("label_values(".length(), variable.lastIndexOf(','));
      assertThat(prometheus.labelValues(selector, "deployment", t1.minusSeconds(60), t2.plusSeconds(60)))
          .containsExactlyInAnyOrder("add_Add", "hello_Hello", "LLMServer:Qwen--Qwen3-8B", "OpenAiIngress");

      int checked = 0;
      for (SourceDashboard.Panel panel : d.panels()) {
        for (SourceDashboard.Query q : panel.queries()) {
          String promql = q.promql().replace("$deployment", ".*").replace("$__rate_interval", "15s");
          Map<String, Double> got = new TreeMap<>();
          for (PrometheusTsdb.Sample s : prometheus.query(promql, t2)) {
            // by status code: the library has status classes, so the codes of a class add up
            String code = s.labels().get("status_code");
            got.merge(key(s.labels()) + (code == null ? "" : " " + code.charAt(0) + "xx"), s.value(), Double::sum);
          }
          Map<String, Double> want = new TreeMap<>();
          want.putAll(expected(panel.title(), q.legend(), expected26));
          want.putAll(expected(panel.title(), q.legend(), expected251));
          assertThat(got.keySet()).as(promql).isEqualTo(want.keySet());
          want.forEach((k, v) -> assertThat(got.get(k)).as(promql + " " + k).isCloseTo(v, within(1e-9)));
          checked++;
        }
      }
      assertThat(checked).isEqualTo(d.expressions().size());
      // and the hand-computed numbers of RayServeKpisTest come back from Prometheus: ratios and quantiles do not
      // depend on the window
      assertThat(prometheus.query(d.panels().get(1).queries().get(0).promql().replace("$__rate_interval", "15s"),
          t2)).filteredOn(s -> "/add".equals(s.labels().get("route"))).singleElement()
          .satisfies(s -> assertThat(s.value()).isCloseTo(0.2, within(1e-12)));
    }
  }

  /** The ray_serve_* lines of an exposition (and their metadata). */
  static String serveOnly(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.contains("ray_serve_")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** A series' identity in the comparison: its Serve labels. */
  static String key(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("application", "route", "deployment")) {
      String v = labels.get(name);
      if (v != null && !v.isEmpty()) {
        b.append(name).append('=').append(v).append(' ');
      }
    }
    return b.toString().trim();
  }

  /** What the library computed for a panel's query, by the Serve labels of the series it gives. */
  static Map<String, Double> expected(String panel, String legend, RayServeKpis k) {
    Map<String, Double> out = new TreeMap<>();
    String stat = legend.contains(" ") ? legend.substring(0, legend.indexOf(' ')) : legend;
    switch (panel) {
      case "HTTP requests by status":
        return byStatus(k);
      case "HTTP error ratio (5xx)":
        // PromQL: a route without a 5xx series has no ratio (no sample to divide); the library says 0
        for (RayServeRow r : k.routes()) {
          double errors = value(r.get(RayMeasure.ERROR_RATE));
          if (errors > 0) {
            out.put(key(r.key().asMap()), value(r.get(RayMeasure.ERROR_RATIO)));
          }
        }
        return out;
      case "HTTP request latency":
        return latencies(k.routes(), stat);
      case "Deployment processing latency":
        return latencies(k.deployments(), stat);
      case "Deployment queries":
        for (RayServeRow r : k.deployments()) {
          double errors = value(r.get(RayMeasure.ERROR_RATE));
          double all = value(r.get(RayMeasure.REQUEST_RATE));
          if (stat.equals("ok")) {
            out.put(key(r.key().asMap()), all - errors);
          } else if (errors > 0) {
            out.put(key(r.key().asMap()), errors); // Ray creates a replica's error series on its first error
          }
        }
        return out;
      case "Queued queries":
        return gauge(k, RayMeasure.QUEUED_QUERIES);
      case "Ongoing requests at replicas":
        for (RayServeRow r : k.deployments()) {
          OptionalDouble v = r.get(RayMeasure.ONGOING_REQUESTS).isPresent() ? r.get(RayMeasure.ONGOING_REQUESTS)
              : r.get(RayMeasure.PROCESSING_QUERIES);
          v.ifPresent(x -> out.put(key(r.key().asMap()), x));
        }
        return out;
      case "Healthy replicas":
        return gauge(k, stat.equals("healthy") ? RayMeasure.HEALTHY_REPLICAS : RayMeasure.REPLICAS);
      case "Replica restarts":
        return gauge(k, RayMeasure.REPLICA_RESTARTS);
      default:
        throw new AssertionError("a panel this test does not know: " + panel);
    }
  }

  /** Requests per second by application, route and status class, from the proxy's counters. */
  static Map<String, Double> byStatus(RayServeKpis k) {
    Map<String, Double> out = new TreeMap<>();
    for (RayServeRow r : k.routes()) {
      String base = key(r.key().asMap());
      Map<String, RayMeasure> classes = Map.of("2xx", RayMeasure.HTTP_2XX_RATE, "3xx", RayMeasure.HTTP_3XX_RATE,
          "4xx", RayMeasure.HTTP_4XX_RATE, "5xx", RayMeasure.ERROR_RATE);
      classes.forEach((c, m) -> {
        double v = value(r.get(m));
        // a class without a series in the capture has no sample; one whose series did not move has a 0
        if (v > 0 || CLASSES_AT_REST.contains(base + " " + c)) {
          out.put(base + " " + c, v);
        }
      });
    }
    return out;
  }

  /** The series these captures have whose requests did not increase in the window. */
  static final java.util.Set<String> CLASSES_AT_REST = java.util.Set.of("route=/hello 4xx");

  static Map<String, Double> latencies(List<RayServeRow> rows, String stat) {
    Map<String, Double> out = new TreeMap<>();
    KpiStatistic s = stat.equals("mean") ? KpiStatistic.MEAN : KpiStatistic.valueOf(stat.toUpperCase(Locale.ROOT));
    for (RayServeRow r : rows) {
      r.latency().get(s).ifPresent(v -> out.put(key(r.key().asMap()), v));
    }
    return out;
  }

  static Map<String, Double> gauge(RayServeKpis k, RayMeasure m) {
    Map<String, Double> out = new TreeMap<>();
    for (RayServeRow r : k.deployments()) {
      r.get(m).ifPresent(v -> out.put(key(r.key().asMap()), v));
    }
    return out;
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }
}

package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.testing.PrometheusTsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vLLM dashboard's PromQL against a real Prometheus (skipped without the Debian package's binaries): the two
 * replicas captures in every spelling, each with its own model name, backfilled 15 s apart; every panel query, its
 * {@code $model_name} set to one spelling's model and {@code $__rate_interval} to the 15 s between the samples (so
 * Prometheus 2's {@code rate} is the plain increase over them), gives the value this library computes for that
 * spelling, and the model variable lists every spelling's model.
 */
class VllmDashboardPrometheusTest {
  @TempDir
  Path dir;

  static String model(Spellings.Spelling s) {
    return "m-" + s.name().toLowerCase(Locale.ROOT);
  }

  static MetricSnapshot spelled(Spellings.Spelling s, String resource) {
    // without the process collector, which every spelling has under the same name
    String plain = VllmNamingTest.resource(resource).replaceAll("(?m)^.*python_gc.*\n", "");
    return VllmNamingTest.read(s.write(plain).replace(VllmNamingTest.QWEN, model(s)));
  }

  @Test
  void everyPanelGivesTheLibrarysNumbersForEverySpelling() throws Exception {
    Instant t1 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
    Instant t2 = t1.plusSeconds(15);
    List<MetricSnapshot> scrapes = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    for (Spellings.Spelling s : Spellings.Spelling.values()) {
      scrapes.add(spelled(s, "replicas-plain-prev.prom"));
      times.add(t1);
      scrapes.add(spelled(s, "replicas-plain-curr.prom"));
      times.add(t2);
    }
    SourceDashboard d = new VllmSource().dashboard().orElseThrow();
    try (PrometheusTsdb prometheus = PrometheusTsdb.start(dir, scrapes, times)) {
      String variable = d.variable().orElseThrow().query();
      String selector = variable.substring("label_values(".length(), variable.lastIndexOf(','));
      List<String> models = prometheus.labelValues(selector, "model_name", t1.minusSeconds(60), t2.plusSeconds(60));
      assertThat(models).containsExactlyInAnyOrder(List.of(Spellings.Spelling.values()).stream()
          .map(VllmDashboardPrometheusTest::model).toArray(String[]::new));

      int checked = 0;
      for (int i = 0; i < Spellings.Spelling.values().length; i++) {
        Spellings.Spelling s = Spellings.Spelling.values()[i];
        VllmWindow m = VllmKpis.between(VllmSnapshot.of(scrapes.get(2 * i)), VllmSnapshot.of(scrapes.get(2 * i + 1)),
            Duration.ofSeconds(15)).model(model(s)).orElseThrow();
        for (SourceDashboard.Panel panel : d.panels()) {
          for (SourceDashboard.Query q : panel.queries()) {
            String promql = q.promql().replace("$model_name", model(s)).replace("$__rate_interval", "15s");
            List<PrometheusTsdb.Sample> result = prometheus.query(promql, t2);
            Object expected = expected(panel.title(), q.legend(), m);
            if (expected == null) {
              assertThat(result).as(s + ": " + promql).isEmpty(); // a family these captures do not have
            } else if (expected instanceof Double) {
              assertThat(result).as(s + ": " + promql).singleElement().satisfies(r -> assertThat(r.value())
                  .isCloseTo((Double) expected, within(1e-9)));
            } else {
              Map<String, Double> byReason = new TreeMap<>();
              result.forEach(r -> byReason.put(r.labels().get("finished_reason"), r.value()));
              assertThat(byReason).as(s + ": " + promql).isEqualTo(expected);
            }
            checked++;
          }
        }
      }
      assertThat(checked).isEqualTo(5 * d.expressions().size());
    }
  }

  /** What the library computed for a panel's query: a number, reason to rate, or null for no data. */
  static Object expected(String panel, String legend, VllmWindow m) {
    String stat = legend.contains(" ") ? legend.substring(0, legend.indexOf(' ')) : legend;
    switch (panel) {
      case "Time to first token":
        return latency(m.timeToFirstToken(), stat);
      case "Inter-token latency":
        return latency(m.interTokenLatency(), stat);
      case "End-to-end request latency":
        return latency(m.endToEndLatency(), stat);
      case "Queue time":
        return latency(m.queueTime(), stat);
      case "Token throughput":
        return value(stat.equals("prompt") ? m.promptTokensPerSecond() : m.generationTokensPerSecond());
      case "KV cache usage":
        return value(m.kvCacheUsage());
      case "Scheduler state":
        return value(m.get(stat.equals("running") ? VllmMeasure.REQUESTS_RUNNING : VllmMeasure.REQUESTS_WAITING));
      case "Finished requests by reason":
        return new TreeMap<>(m.requestRateByReason());
      case "Prefix cache hit rate":
      case "Preemptions":
        return null;
      default:
        throw new AssertionError("a panel this test does not know: " + panel);
    }
  }

  static Double latency(LatencyStats l, String stat) {
    return value(l.get(stat.equals("mean") ? KpiStatistic.MEAN : KpiStatistic.valueOf(stat.toUpperCase(
        Locale.ROOT))));
  }

  static Double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }
}

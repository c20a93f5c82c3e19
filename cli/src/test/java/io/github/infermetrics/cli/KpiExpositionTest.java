package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code /metrics} body: every name of the vocabulary, hostile label values, both formats, strict parsing. */
class KpiExpositionTest {
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(10);
  /** A model name with everything that needs escaping, and a slash. */
  private static final String MODEL = "org/m\"odel\\with\nnewline ≤ ünïcode";

  private static TargetStatus status(String name, TargetStatus.State state, KpiSet set) {
    PipelineTarget target = PipelineTarget.builder(URI.create("http://127.0.0.1:1/metrics")).name(name).build();
    Optional<TargetWindow> last = set == null ? Optional.empty() : Optional.of(new TargetWindow(name, AT, WINDOW,
        List.of(new SourceWindow(set.source(), MeasuredWindow.builder(set.source(), WINDOW).build(), set)),
        List.of()));
    return new TargetStatus(target, state, state == TargetStatus.State.DOWN ? Optional.of("connect: refused")
        : Optional.empty(), List.of("vllm"), last, set == null ? 0 : 3, Optional.of(AT), 2);
  }

  /** Every KPI and statistic of the vocabulary, with the value index+0.25 (and one negative zero, one tiny). */
  private static KpiSet everything(String target) {
    KpiSet.Builder b = KpiSet.builder("vllm", target, AT, WINDOW);
    int i = 0;
    for (Kpi kpi : Kpi.values()) {
      for (KpiStatistic s : kpi.statistics()) {
        Labels dims = kpi == Kpi.SLO_GOODPUT ? Labels.of("model", MODEL, "slo", "ttft<=500ms")
            : Labels.of("model", MODEL);
        b.add(kpi, s, dims, i++ + 0.25);
      }
    }
    b.add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Labels.of("model", MODEL, "engine", "0"), -0.0);
    b.add(Kpi.POWER, KpiStatistic.VALUE, Labels.of("device", "GPU-1"), 1.5e-7);
    return b.build();
  }

  @Test
  void everyNameOfTheVocabularyIsOneFamilyThatTheStrictParserReadsBackExactly() {
    List<TargetStatus> statuses = List.of(status("a", TargetStatus.State.UP, everything("a")),
        status("b\"\\", TargetStatus.State.UP, everything("b\"\\")));
    for (KpiExposition.Format format : KpiExposition.Format.values()) {
      String body = KpiExposition.write(format, statuses, new KpiExposition.PipelineCounts(1, 2), AT.plusSeconds(3));
      MetricSnapshot s = ServeEndpointTest.strict(body, format == KpiExposition.Format.TEXT
          ? ExpositionFormat.PROMETHEUS_TEXT : ExpositionFormat.OPENMETRICS);
      int i = 0;
      for (Kpi kpi : Kpi.values()) {
        for (KpiStatistic st : kpi.statistics()) {
          String name = kpi.metricName(st);
          MetricFamily f = s.family(name).orElseThrow(() -> new AssertionError(name + " missing"));
          assertThat(f.help()).startsWith(kpi.description());
          // both targets' series together in one family
          assertThat(f.points()).as(name).hasSizeGreaterThanOrEqualTo(2);
          for (String target : new String[] {"a", "b\"\\"}) {
            GaugePoint p = (GaugePoint) s.select(name, LabelMatcher.eq("target", target),
                LabelMatcher.eq("model", MODEL)).get(0);
            assertThat(p.value()).as(name).isEqualTo(i + 0.25);
            assertThat(p.labels().get("source")).isEqualTo("vllm");
          }
          i++;
        }
      }
      assertThat(((GaugePoint) s.select("power_watts", LabelMatcher.eq("device", "GPU-1")).get(0)).value())
          .isEqualTo(1.5e-7);
      assertThat(body.indexOf("# TYPE time_to_first_token_seconds_p95 gauge")).isPositive();
      assertThat(s.family("infermetrics_consumer_failures" + (format == KpiExposition.Format.TEXT ? "_total" : ""))
          .orElseThrow().points()).hasSize(1);
      assertThat(body).contains("infermetrics_target_window_age_seconds{target=\"a\"} 3\n")
          .contains("infermetrics_target_windows_total{target=\"b\\\"\\\\\"} 3\n")
          .contains("infermetrics_skipped_scrapes_total 2\n").contains("infermetrics_exposition_series_dropped 0\n");
    }
  }

  @Test
  void aSecondSeriesWithTheSameLabelsOrABadLabelNameIsLeftOutAndCounted() {
    KpiSet set = KpiSet.builder("vllm", "a", AT, WINDOW)
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Labels.of("model", "m"), 1)
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Labels.of("model", "m"), 2)
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Labels.of("model.name", "m"), 3)
        .build();
    String body = KpiExposition.write(KpiExposition.Format.OPENMETRICS,
        List.of(status("a", TargetStatus.State.UP, set)), new KpiExposition.PipelineCounts(0, 0), AT);
    MetricSnapshot s = ServeEndpointTest.strict(body, ExpositionFormat.OPENMETRICS);
    assertThat(s.select("queue_depth")).singleElement()
        .satisfies(p -> assertThat(((GaugePoint) p).value()).isEqualTo(1));
    assertThat(body).contains("infermetrics_exposition_series_dropped 2\n");
  }

  @Test
  void aTargetThatIsDownOrUnrecognisedHasOnlyItsSelfMetrics() {
    List<TargetStatus> statuses = List.of(status("down", TargetStatus.State.DOWN, everything("down")),
        status("odd", TargetStatus.State.UNRECOGNIZED, everything("odd")),
        status("new", TargetStatus.State.WAITING, null));
    String body = KpiExposition.write(KpiExposition.Format.TEXT, statuses, new KpiExposition.PipelineCounts(0, 0),
        AT);
    MetricSnapshot s = ServeEndpointTest.strict(body, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(s.families()).allSatisfy(f -> assertThat(f.name()).startsWith("infermetrics_"));
    assertThat(body).contains("infermetrics_target_up{target=\"down\"} 0\n")
        .contains("infermetrics_target_up{target=\"odd\"} 1\n")
        .contains("infermetrics_target_scrape_errors_total{target=\"down\"} 2\n");
  }

  @Test
  void negotiatesAsPrometheusClientLibrariesDo() {
    // Prometheus 2.x
    assertThat(KpiExposition.negotiate("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
        + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(KpiExposition.Format.OPENMETRICS);
    // Prometheus 3.x, with its UTF-8 escaping parameter
    assertThat(KpiExposition.negotiate("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2")).isEqualTo(KpiExposition.Format.OPENMETRICS);
    // a scrape config that asks for text first
    assertThat(KpiExposition.negotiate("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5"))
        .isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate(null)).isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate("*/*")).isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate("application/json")).isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate("application/openmetrics-text;q=0, text/plain"))
        .isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate("application/openmetrics-text; version=2.0.0, text/plain;q=0.1"))
        .isEqualTo(KpiExposition.Format.TEXT);
    assertThat(KpiExposition.negotiate("application/openmetrics-text")).isEqualTo(KpiExposition.Format.OPENMETRICS);
  }
}

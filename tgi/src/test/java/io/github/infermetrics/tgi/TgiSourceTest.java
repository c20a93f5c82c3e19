package io.github.infermetrics.tgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TgiSourceTest {
  @Test
  void isRegisteredForTheServiceLoader() {
    KpiSource s = KpiSources.installed().require("tgi");
    assertThat(s).isInstanceOf(TgiSource.class);
    assertThat(s.description()).contains("tgi_");
  }

  @Test
  void recognisesTgiAndComputesItsWindow() {
    TgiSource source = new TgiSource();
    MetricSnapshot fixture = Captures.read(Captures.fixture());
    assertThat(source.recognize(fixture)).isEqualTo(1);
    assertThat(source.recognize(Captures.read("# TYPE tgi_something_new gauge\ntgi_something_new 1\n")))
        .isEqualTo(KpiSource.RECOGNIZED);
    assertThat(source.recognize(Captures.read("# TYPE sglang:token_usage gauge\nsglang:token_usage 0.1\n")))
        .isZero();
    KpiWindow w = source.between(fixture, fixture, Duration.ofSeconds(15));
    assertThat(w.source()).isEqualTo("tgi");
    assertThat(w.toKpiSet("", Instant.EPOCH).find(Kpi.REQUEST_RATE, KpiStatistic.VALUE)).map(KpiValue::value)
        .contains(0.0);
    assertThatThrownBy(() -> source.between(fixture, Captures.read("x 1\n"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no text-generation-inference families (tgi_*) in the exposition");
  }

  @Test
  void aNonFiniteGaugeCostsThatValueOnlyAndIsCounted() {
    String prev = """
        # TYPE tgi_queue_size gauge
        tgi_queue_size 1
        # TYPE tgi_batch_current_size gauge
        tgi_batch_current_size 4
        # TYPE tgi_request_success counter
        tgi_request_success 10
        """;
    String curr = prev.replace("tgi_queue_size 1", "tgi_queue_size NaN").replace("success 10", "success 30");
    KpiSet set = new TgiSource().between(Captures.read(prev), Captures.read(curr), Duration.ofSeconds(10))
        .toKpiSet("tgi-0", Instant.EPOCH);
    assertThat(set.dropped()).containsExactly("tgi_queue_size = NaN");
    assertThat(set.find(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE)).isEmpty();
    assertThat(set.find(Kpi.BATCH_SIZE, KpiStatistic.VALUE)).map(KpiValue::value).contains(4.0);
    assertThat(set.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE)).map(KpiValue::value).contains(2.0);
  }

  @Test
  void dashboardHasNoTimeToFirstTokenAndParses(@TempDir Path tmp) throws Exception {
    var dashboard = new TgiSource().dashboard().orElseThrow();
    assertThat(dashboard.kpis()).doesNotContain(Kpi.TIME_TO_FIRST_TOKEN, Kpi.KV_CACHE_USAGE);
    List<String> exprs = dashboard.expressions();
    assertThat(exprs).contains("histogram_quantile(0.95, sum by (le) (rate(tgi_request_queue_duration_bucket"
        + "[$__rate_interval])))");
    assertThat(exprs).anyMatch(e -> e.contains("tgi_batch_forward_duration_sum{method=\"prefill\"}")
        && e.endsWith(" or vector(0))"));
    PromTool.assertParses(exprs, tmp);
  }
}

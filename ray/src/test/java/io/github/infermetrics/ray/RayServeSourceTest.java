package io.github.infermetrics.ray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.Measure;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RayServeSourceTest {
  @Test
  void isRegisteredForTheServiceLoader() {
    KpiSource s = KpiSources.installed().require("ray");
    assertThat(s).isInstanceOf(RayServeSource.class);
    assertThat(s.description()).contains("ray_serve_");
    assertThatThrownBy(() -> s.between(Captures.read("x 1\n"), Captures.read("x 2\n"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no Ray Serve families (ray_serve_*) in the exposition");
  }

  @Test
  void everyMeasureIsWellDeclared() {
    for (RayMeasure m : RayMeasure.values()) {
      Measure.check(m);
    }
    for (RayLatency l : RayLatency.values()) {
      for (KpiStatistic s : RayLatencyMeasure.STATISTICS) {
        Measure.check(RayLatencyMeasure.of(l, s));
      }
    }
    assertThat(RayLatencyMeasure.of(RayLatency.HTTP_REQUEST, KpiStatistic.P95).columnName())
        .isEqualTo("end_to_end_latency_seconds_p95");
    assertThat(RayLatencyMeasure.of(RayLatency.PROCESSING, KpiStatistic.P95).columnName())
        .isEqualTo("processing_latency_seconds_p95");
    assertThat(RayMeasure.HTTP_4XX_RATE.columnName()).isEqualTo("http_4xx_per_second");
    assertThat(RayMeasure.QUEUED_QUERIES.kpi()).contains(Kpi.QUEUE_DEPTH);
  }

  @Test
  void dashboardReadsBothNamesOfEveryCounterAndConvertsMilliseconds() {
    SourceDashboard d = new RayServeSource().dashboard().orElseThrow();
    assertThat(d.title()).isEqualTo("Ray Serve");
    assertThat(d.kpis()).contains(Kpi.REQUEST_RATE, Kpi.ERROR_RATIO, Kpi.END_TO_END_LATENCY, Kpi.QUEUE_DEPTH);
    List<String> exprs = d.expressions();
    for (String counter : List.of("ray_serve_num_http_requests", "ray_serve_deployment_request_counter",
        "ray_serve_deployment_error_counter", "ray_serve_deployment_replica_starts")) {
      // Ray 2.6 writes the gauge-typed name, later releases the _total counter (some beside the old name): or
      List<String> uses = exprs.stream().filter(e -> e.contains(counter)).toList();
      assertThat(uses).as(counter).isNotEmpty().allMatch(e -> e.contains(counter + "_total")
          && (e.contains(" or rate(" + counter + "{") || e.contains(" or rate(" + counter + "[")
          || e.contains(" or increase(" + counter + "{")));
    }
    assertThat(exprs).filteredOn(e -> e.contains("_ms_")).allMatch(e -> e.endsWith("/ 1000"));
  }

  @Test
  void theBinderPublishesRayServeKpis() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RayMetrics metrics = new RayMetrics(Tags.of("cluster", "prod"))) {
      metrics.bindTo(registry);
      metrics.update(RayServeKpisTest.window());
      assertThat(registry.get("error.ratio").tags("deployment", "add_Add", "source", "ray", "cluster", "prod")
          .gauge().value()).isCloseTo(0.2, within(1e-12));
      assertThat(registry.get("end.to.end.latency.p95").tags("route", "/add").gauge().value())
          .isCloseTo(0.0875, within(1e-12));
      assertThat(registry.get("ray.healthy.replicas").tags("deployment", "hello_Hello").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("ray.processing.latency.p50").tags("deployment", "add_Add").gauge().getId()
          .getBaseUnit()).isEqualTo("seconds");
      assertThat(metrics.size()).isEqualTo(registry.getMeters().size());
      assertThat(metrics.rejectedMeters()).isZero();
    }
  }
}

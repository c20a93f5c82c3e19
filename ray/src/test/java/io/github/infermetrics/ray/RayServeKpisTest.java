package io.github.infermetrics.ray;

import static io.github.infermetrics.ray.Captures.Change.add;
import static io.github.infermetrics.ray.Captures.Change.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.kpi.SloGoodput;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The Ray 2.6.1 head node fixture and a second capture 10 s later with known changes give Ray Serve's KPIs as
 * PromQL computes them. Ray 2.6 writes its counters as gauges without {@code _total}; rates are PromQL's
 * {@code rate()} over the two samples, percentiles {@code histogram_quantile(q, sum by (le, ...) (rate(...))) /
 * 1000} (rank = q * count, the first bucket reaching it, linear inside it), worked out in the comments.
 */
class RayServeKpisTest {
  static final Offset<Double> EXACT = within(1e-12);

  /** The fixture's changes over the window, each explained where the KPI is checked. */
  static List<Captures.Change> changes() {
    List<Captures.Change> c = new ArrayList<>();
    String http = "ray_serve_num_http_requests";
    c.add(add(http, 30, "application=\"hello\"", "status_code=\"200\""));
    c.add(add(http, 5, "route=\"/not-found\""));
    c.add(add(http, 16, "application=\"add\"", "status_code=\"200\""));
    c.add(add(http, 4, "application=\"add\"", "status_code=\"500\""));
    String latency = "ray_serve_http_request_latency_ms";
    c.addAll(Captures.histogram(latency, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 0, 0, 8, 8), 400,
        "application=\"add\"", "status_code=\"200\""));
    c.addAll(Captures.histogram(latency, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 0, 0, 0, 0, 4), 300,
        "application=\"add\"", "status_code=\"500\""));
    c.addAll(Captures.histogram(latency, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 0, 15, 15), 375,
        "application=\"hello\"", "status_code=\"200\""));
    c.add(add("ray_serve_deployment_request_counter", 10, "replica=\"add_Add#lldSOb\""));
    c.add(add("ray_serve_deployment_request_counter", 6, "replica=\"add_Add#IktTDg\""));
    c.add(add("ray_serve_deployment_request_counter", 20, "replica=\"hello_Hello#hgPXou\""));
    c.add(add("ray_serve_deployment_request_counter", 10, "replica=\"hello_Hello#dqEjvY\""));
    c.add(add("ray_serve_deployment_error_counter", 3, "replica=\"add_Add#lldSOb\""));
    c.add(add("ray_serve_deployment_error_counter", 1, "replica=\"add_Add#IktTDg\""));
    String processing = "ray_serve_deployment_processing_latency_ms";
    c.addAll(Captures.histogram(processing, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 0, 10), 75,
        "replica=\"add_Add#lldSOb\""));
    c.addAll(Captures.histogram(processing, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 0, 0, 10), 150,
        "replica=\"add_Add#IktTDg\""));
    c.addAll(Captures.histogram(processing, Captures.MS_BOUNDS, Captures.cumulative(0, 20), 30,
        "replica=\"hello_Hello#hgPXou\""));
    c.addAll(Captures.histogram(processing, Captures.MS_BOUNDS, Captures.cumulative(0, 0, 10), 35,
        "replica=\"hello_Hello#dqEjvY\""));
    c.add(set("ray_serve_deployment_queued_queries", 3, "deployment=\"add_Add\""));
    c.add(set("ray_serve_replica_processing_queries", 2, "replica=\"add_Add#lldSOb\""));
    c.add(set("ray_serve_replica_processing_queries", 1, "replica=\"add_Add#IktTDg\""));
    c.add(set("ray_serve_deployment_replica_healthy", 0, "replica=\"hello_Hello#hgPXou\""));
    c.add(add("ray_serve_deployment_replica_starts", 1, "replica=\"add_Add#lldSOb\""));
    return c;
  }

  static RayServeKpis window() {
    String first = Captures.shared(Captures.HEAD, Integer.MAX_VALUE);
    return new RayServeSource().between(Captures.read(first), Captures.read(Captures.later(first, changes())),
        Duration.ofSeconds(10));
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }

  @Test
  void theFixtureIsRayServe261() {
    RayServeSnapshot s = RayServeSnapshot.of(Captures.read(Captures.shared(Captures.HEAD, Integer.MAX_VALUE)));
    assertThat(s.namesFound()).hasSize(29);
    // Ray 2.6 writes counters as gauges without _total
    assertThat(s.familyName(RayServeMetric.HTTP_REQUESTS)).contains("ray_serve_num_http_requests");
    assertThat(s.familyName(RayServeMetric.ONGOING_REQUESTS_AT_REPLICAS)).isEmpty();
    assertThat(s.hasApplicationLabel()).isTrue();
    assertThat(s.replicas()).extracting(RayReplica::replica).containsExactly("add_Add#lldSOb", "add_Add#IktTDg",
        "hello_Hello#dqEjvY", "hello_Hello#hgPXou");
    assertThat(s.replicas()).allMatch(RayReplica::healthy);
    assertThat(s.replicas().get(0).hasUniqueId("lldSOb")).isTrue();
    assertThat(s.replicas().get(0).hasUniqueId("dSOb")).isFalse();
    assertThat(new RayServeSource().recognize(s.source())).isEqualTo(1);
  }

  @Test
  void routesGiveRequestRateStatusClassesErrorRatioAndHttpLatency() {
    RayServeKpis k = window();
    assertThat(k.resetDetected()).isFalse();
    RayServeRow add = k.route("add", "/add").orElseThrow();
    assertThat(add.key()).isEqualTo(Labels.of("application", "add", "route", "/add"));
    // POST /add: 200 +16, 500 +4 in 10 s
    assertThat(value(add.get(RayMeasure.REQUEST_RATE))).isCloseTo(2.0, EXACT);
    assertThat(value(add.get(RayMeasure.HTTP_2XX_RATE))).isCloseTo(1.6, EXACT);
    assertThat(value(add.get(RayMeasure.HTTP_4XX_RATE))).isZero();
    assertThat(value(add.get(RayMeasure.ERROR_RATE))).isCloseTo(0.4, EXACT);
    assertThat(value(add.get(RayMeasure.ERROR_RATIO))).isCloseTo(0.2, EXACT); // 0.4 / 2.0
    // latency summed over the status codes: 8 in (10, 20], 8 in (20, 50], 4 in (50, 100] ms; sum 400 + 300 ms
    LatencyStats l = add.latency();
    assertThat(value(l.perSecond())).isCloseTo(2.0, EXACT);
    assertThat(value(l.mean())).isCloseTo(0.035, EXACT); // 700 ms / 20
    assertThat(value(l.p50())).isCloseTo(0.0275, EXACT); // rank 10 in (20, 50]: 20 + 30 * 2/8 = 27.5 ms
    assertThat(value(l.p90())).isCloseTo(0.075, EXACT); // rank 18 in (50, 100]: 50 + 50 * 2/4 = 75 ms
    assertThat(value(l.p95())).isCloseTo(0.0875, EXACT); // rank 19: 50 + 50 * 3/4
    assertThat(value(l.p99())).isCloseTo(0.0975, EXACT); // rank 19.8: 50 + 50 * 3.8/4
    assertThat(l.bounds()).isEmpty();

    RayServeRow hello = k.route("hello", "/hello").orElseThrow();
    assertThat(value(hello.get(RayMeasure.REQUEST_RATE))).isCloseTo(3.0, EXACT); // 200 +30
    assertThat(value(hello.get(RayMeasure.ERROR_RATIO))).isZero();
    // 15 in (5, 10], 15 in (10, 20] ms; sum 375 ms
    assertThat(value(hello.latency().p50())).isCloseTo(0.010, EXACT); // rank 15 = the count of le 10
    assertThat(value(hello.latency().p90())).isCloseTo(0.018, EXACT); // rank 27: 10 + 10 * 12/15 = 18 ms
    assertThat(value(hello.latency().p99())).isCloseTo(0.0198, EXACT); // rank 29.7: 10 + 10 * 14.7/15
    assertThat(value(hello.latency().mean())).isCloseTo(0.0125, EXACT);

    // 404s match no application: their routes have no application label; a route without traffic has no ratio
    RayServeRow notFound = k.route(null, "/not-found").orElseThrow();
    assertThat(notFound.key()).isEqualTo(Labels.of("route", "/not-found"));
    assertThat(value(notFound.get(RayMeasure.HTTP_4XX_RATE))).isCloseTo(0.5, EXACT);
    assertThat(value(notFound.get(RayMeasure.ERROR_RATIO))).isZero(); // a 404 is the client's error
    RayServeRow quiet = k.route(null, "/hello").orElseThrow();
    assertThat(value(quiet.get(RayMeasure.REQUEST_RATE))).isZero();
    assertThat(quiet.get(RayMeasure.ERROR_RATIO)).isEmpty();
    assertThat(k.routes()).hasSize(4);

    // applications sum their routes
    assertThat(value(k.application("add").orElseThrow().get(RayMeasure.REQUEST_RATE))).isCloseTo(2.0, EXACT);
    assertThat(value(k.application(null).orElseThrow().get(RayMeasure.REQUEST_RATE))).isCloseTo(0.5, EXACT);
    assertThat(value(k.application("add").orElseThrow().latency().p95())).isCloseTo(0.0875, EXACT);
  }

  @Test
  void deploymentsGiveQueriesExceptionsProcessingLatencyQueueAndReplicas() {
    RayServeKpis k = window();
    RayServeRow add = k.deployment("add", "add_Add").orElseThrow();
    assertThat(add.key()).isEqualTo(Labels.of("application", "add", "deployment", "add_Add"));
    // ok +10 +6, exceptions +3 +1: Ray counts each query in one of the two
    assertThat(value(add.get(RayMeasure.REQUEST_RATE))).isCloseTo(2.0, EXACT);
    assertThat(value(add.get(RayMeasure.ERROR_RATE))).isCloseTo(0.4, EXACT);
    assertThat(value(add.get(RayMeasure.ERROR_RATIO))).isCloseTo(0.2, EXACT);
    // processing: 10 in (5, 10], 10 in (10, 20] ms; sum 75 + 150 ms
    assertThat(value(add.latency().p50())).isCloseTo(0.010, EXACT); // rank 10 = the count of le 10
    assertThat(value(add.latency().p90())).isCloseTo(0.018, EXACT); // rank 18: 10 + 10 * 8/10
    assertThat(value(add.latency().p99())).isCloseTo(0.0198, EXACT); // rank 19.8: 10 + 10 * 9.8/10
    assertThat(value(add.latency().mean())).isCloseTo(0.01125, EXACT); // 225 ms / 20
    assertThat(value(add.get(RayMeasure.QUEUED_QUERIES))).isEqualTo(3);
    assertThat(value(add.get(RayMeasure.PROCESSING_QUERIES))).isEqualTo(3); // 2 + 1
    assertThat(value(add.get(RayMeasure.PENDING_QUERIES))).isZero();
    assertThat(add.get(RayMeasure.ONGOING_REQUESTS)).isEmpty(); // not in Ray 2.6
    assertThat(value(add.get(RayMeasure.REPLICAS))).isEqualTo(2);
    assertThat(value(add.get(RayMeasure.HEALTHY_REPLICAS))).isEqualTo(2);
    assertThat(value(add.get(RayMeasure.REPLICA_RESTARTS))).isEqualTo(1); // starts 1 -> 2

    RayServeRow hello = k.deployment("hello", "hello_Hello").orElseThrow();
    assertThat(value(hello.get(RayMeasure.REQUEST_RATE))).isCloseTo(3.0, EXACT); // +20 +10, no exception
    assertThat(value(hello.get(RayMeasure.ERROR_RATE))).isZero();
    // processing: 20 in (1, 2], 10 in (2, 5] ms; sum 30 + 35 ms
    assertThat(value(hello.latency().p50())).isCloseTo(0.00175, EXACT); // rank 15: 1 + 1 * 15/20
    assertThat(value(hello.latency().p90())).isCloseTo(0.0041, EXACT); // rank 27: 2 + 3 * 7/10
    assertThat(value(hello.latency().mean())).isCloseTo(65.0 / 30 / 1000, EXACT);
    assertThat(value(hello.get(RayMeasure.HEALTHY_REPLICAS))).isEqualTo(1); // hgPXou set unhealthy
    assertThat(value(hello.get(RayMeasure.REPLICA_RESTARTS))).isZero();
    assertThat(hello.model()).isEmpty(); // no vLLM on this node
  }

  @Test
  void theSharedKpisCarryApplicationRouteAndDeployment() {
    KpiSet set = window().toKpiSet("ray-head:8080", Instant.EPOCH);
    assertThat(set.source()).isEqualTo("ray");
    assertThat(set.find(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, LabelMatcher.eq("route", "/add")).orElseThrow()
        .value()).isCloseTo(0.0875, EXACT);
    assertThat(set.find(Kpi.ERROR_RATIO, KpiStatistic.VALUE, LabelMatcher.eq("deployment", "add_Add")).orElseThrow()
        .value()).isCloseTo(0.2, EXACT);
    assertThat(set.find(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, LabelMatcher.eq("deployment", "add_Add")))
        .map(KpiValue::value).contains(3.0);
    // application rows only in the tables: request rates are not counted twice
    assertThat(set.values()).noneMatch(v -> v.kpi() == Kpi.REQUEST_RATE && !v.dimensions().contains("route")
        && !v.dimensions().contains("deployment"));
    List<KpiTable> tables = window().tables();
    assertThat(tables).extracting(KpiTable::name).containsExactly("applications", "routes", "deployments");
    KpiTable routes = tables.get(1);
    assertThat(routes.keys()).containsExactly("application", "route");
    assertThat(routes.columns()).extracting(KpiTable.Column::name).contains("request_rate_per_second",
        "http_4xx_per_second", "error_ratio", "end_to_end_latency_seconds_p95");
    assertThat(tables.get(2).columns()).extracting(KpiTable.Column::name).contains("queue_depth",
        "healthy_replicas", "replica_restarts", "processing_latency_seconds_p99");
  }

  @Test
  void routeLatencyHistogramsInSecondsGiveSloGoodput() {
    RayServeKpis k = window();
    assertThat(k.histograms()).extracting(h -> h.dimensions().get("route")).containsExactly("/hello", "/add");
    assertThat(k.histograms()).allMatch(h -> h.kpi() == Kpi.END_TO_END_LATENCY);
    // /add: 8 in (10, 20], 8 in (20, 50], 4 in (50, 100] ms -> 16 of 20 at most 50 ms; the bound is 0.05 s
    List<MeasureValue> goodput = SloGoodput.of(Slo.parseAll("e2e=50ms"), k);
    assertThat(goodput).filteredOn(v -> "/add".equals(v.dimensions().get("route"))).singleElement()
        .satisfies(v -> assertThat(v.value()).isCloseTo(0.8, EXACT));
    // /hello: 15 in (5, 10], 15 in (10, 20] ms -> all 30 at most 50 ms
    assertThat(goodput).filteredOn(v -> "/hello".equals(v.dimensions().get("route"))).singleElement()
        .satisfies(v -> assertThat(v.value()).isEqualTo(1.0));
  }

  @Test
  void aReplicaRestartIsAResetAndGivesPromQlsNumbers() {
    String first = Captures.shared(Captures.HEAD, Integer.MAX_VALUE);
    // the replica restarted: its counters start again from 0 and count 5 (PromQL: increase = 5)
    String later = Captures.later(first, List.of(set("ray_serve_deployment_request_counter", 5,
        "replica=\"add_Add#lldSOb\"")));
    RayServeKpis k = new RayServeSource().between(Captures.read(first), Captures.read(later), Duration.ofSeconds(10));
    assertThat(k.resetDetected()).isTrue();
    assertThat(value(k.deployment("add", "add_Add").orElseThrow().get(RayMeasure.REQUEST_RATE)))
        .isCloseTo(0.5, EXACT);
  }
}

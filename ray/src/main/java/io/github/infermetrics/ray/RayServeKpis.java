package io.github.infermetrics.ray;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.kpi.WindowHistogram;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.Grouping;
import io.github.infermetrics.core.series.Rates;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.vllm.VllmEngine;
import io.github.infermetrics.vllm.VllmSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Ray Serve's KPIs between two scrapes of one Ray node: per application and per route from the HTTP proxy's
 * families, per deployment from the replicas' and routers'. Rates follow PromQL's counter-reset rule, latency
 * percentiles are PromQL's {@code histogram_quantile(q, sum by (le, ...) (rate(x_bucket[w]))) / 1000} over the two
 * scrapes (Ray's histograms are in milliseconds; these are seconds). Every sum runs over Serve's labels only, so
 * Ray's own ({@code WorkerId} of each proxy and replica, {@code SessionName}, {@code NodeAddress}, {@code Version},
 * {@code Component}) and the method, status code, handle and replica never split a row.
 *
 * <pre>{@code
 * RayServeSnapshot before = RayServeSnapshot.of(reader.read(previousScrape));
 * RayServeSnapshot after = RayServeSnapshot.of(reader.read(currentScrape));   // 15 s later
 * RayServeKpis kpis = RayServeKpis.between(before, after, Duration.ofSeconds(15));
 * for (RayServeRow r : kpis.routes()) {
 *   System.out.printf("%s %s: %s req/s, %s 5xx, p95 %s s%n", r.application().orElse("-"), r.route().orElseThrow(),
 *       r.get(RayMeasure.REQUEST_RATE), r.get(RayMeasure.ERROR_RATIO), r.latency().p95());
 * }
 * KpiSet shared = kpis.toKpiSet("ray-head:8080", Instant.now());
 * }</pre>
 *
 * <p>Joined with vLLM: on a Ray Serve LLM node a deployment whose replicas run vLLM engines gets the engines'
 * {@code model_name} as its {@code model} dimension, the dimension the vllm source's KPIs carry, so the two windows
 * of the node join on it. An engine belongs to the replica whose {@code replica} label is its {@code ReplicaId}
 * (or ends with {@code #ReplicaId}, as older Ray writes it); without {@code ReplicaId} (Ray before 2.51), to the
 * deployment whose name after its {@code Prefix:} is the model id as Ray Serve LLM names deployments ({@code /} as
 * {@code --}, {@code .} as {@code _}). A deployment with more than one candidate model gets none. Immutable.
 */
public final class RayServeKpis implements KpiWindow {
  /** The source name in {@link KpiSet}s. */
  public static final String SOURCE = "ray";
  /** The dimension of the Serve application. */
  public static final String APPLICATION = "application";
  /** The dimension of an HTTP route. */
  public static final String ROUTE = "route";
  /** The dimension of a deployment. */
  public static final String DEPLOYMENT = "deployment";

  /** The measures of application and route rows. */
  static final List<RayMeasure> ROUTE_MEASURES = List.of(RayMeasure.REQUEST_RATE, RayMeasure.HTTP_2XX_RATE,
      RayMeasure.HTTP_3XX_RATE, RayMeasure.HTTP_4XX_RATE, RayMeasure.ERROR_RATE, RayMeasure.ERROR_RATIO);
  /** The measures of deployment rows. */
  static final List<RayMeasure> DEPLOYMENT_MEASURES = List.of(RayMeasure.REQUEST_RATE, RayMeasure.ERROR_RATE,
      RayMeasure.ERROR_RATIO, RayMeasure.QUEUED_QUERIES, RayMeasure.ONGOING_REQUESTS, RayMeasure.PROCESSING_QUERIES,
      RayMeasure.PENDING_QUERIES, RayMeasure.REPLICAS, RayMeasure.HEALTHY_REPLICAS, RayMeasure.REPLICA_RESTARTS);

  private final Duration window;
  private final double windowSeconds;
  private final boolean reset;
  private final List<String> dropped;
  private final List<RayServeRow> applications;
  private final List<RayServeRow> routes;
  private final List<RayServeRow> deployments;
  private final List<MeasureValue> values;
  private final List<KpiTable> tables;

  private RayServeKpis(Duration window, boolean reset, List<String> dropped, List<RayServeRow> applications,
      List<RayServeRow> routes, List<RayServeRow> deployments) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.reset = reset;
    this.dropped = List.copyOf(dropped);
    this.applications = Collections.unmodifiableList(applications);
    this.routes = Collections.unmodifiableList(routes);
    this.deployments = Collections.unmodifiableList(deployments);
    List<MeasureValue> routeValues = values(routes, ROUTE_MEASURES, RayLatency.HTTP_REQUEST);
    List<MeasureValue> deploymentValues = values(deployments, DEPLOYMENT_MEASURES, RayLatency.PROCESSING);
    List<MeasureValue> all = new ArrayList<>(routeValues);
    all.addAll(deploymentValues);
    this.values = List.copyOf(all);
    this.tables = List.of(
        KpiTable.of("applications", columns(ROUTE_MEASURES, RayLatency.HTTP_REQUEST),
            values(applications, ROUTE_MEASURES, RayLatency.HTTP_REQUEST), APPLICATION),
        KpiTable.of("routes", columns(ROUTE_MEASURES, RayLatency.HTTP_REQUEST), routeValues, APPLICATION, ROUTE),
        KpiTable.of("deployments", columns(DEPLOYMENT_MEASURES, RayLatency.PROCESSING), deploymentValues,
            APPLICATION, DEPLOYMENT, KpiDimension.MODEL));
  }

  /**
   * The KPIs between two scrapes of the same Ray node.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not positive
   */
  public static RayServeKpis between(RayServeSnapshot previous, RayServeSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Calc c = new Calc(previous, current, MeasuredWindow.seconds(window));
    List<RayServeRow> applications = c.proxyRows(Grouping.by(APPLICATION));
    List<RayServeRow> routes = c.proxyRows(Grouping.by(APPLICATION, ROUTE));
    List<RayServeRow> deployments = c.deploymentRows();
    return new RayServeKpis(window, c.reset, current.nonFinite(), applications, routes, deployments);
  }

  /**
   * The window length.
   *
   * @return seconds
   */
  public double windowSeconds() {
    return windowSeconds;
  }

  /**
   * Whether a counter or histogram went down in the window (a replica or proxy restarted): the numbers are then
   * PromQL's, which count from zero after the restart.
   *
   * @return true after a reset
   */
  public boolean resetDetected() {
    return reset;
  }

  /**
   * One row per Serve application, from the HTTP proxy: requests, status classes, HTTP latency. These rows sum
   * the routes: they are in {@link #tables()} but not in {@link #values()}, so the KPI sinks do not count requests
   * twice.
   *
   * @return the applications, in scrape order; a row without {@code application} for requests no application
   *     matched (404) and for releases before multi-application Serve
   */
  public List<RayServeRow> applications() {
    return applications;
  }

  /**
   * One row per application and HTTP route, from the proxy.
   *
   * @return the routes, in scrape order
   */
  public List<RayServeRow> routes() {
    return routes;
  }

  /**
   * One row per application and deployment: queries, exceptions, processing latency, queue, replicas.
   *
   * @return the deployments, in scrape order
   */
  public List<RayServeRow> deployments() {
    return deployments;
  }

  /**
   * One route.
   *
   * @param application the application, or null for a release without applications
   * @param route the route, for example {@code /hello}
   * @return the row, or empty
   */
  public Optional<RayServeRow> route(String application, String route) {
    return find(routes, application, ROUTE, route);
  }

  /**
   * One deployment.
   *
   * @param application the application, or null for a release without applications
   * @param deployment the deployment, for example {@code hello_Hello}
   * @return the row, or empty
   */
  public Optional<RayServeRow> deployment(String application, String deployment) {
    return find(deployments, application, DEPLOYMENT, deployment);
  }

  /**
   * One application.
   *
   * @param application the application, or null for requests no application matched
   * @return the row, or empty
   */
  public Optional<RayServeRow> application(String application) {
    return applications.stream().filter(r -> Objects.equals(r.key().get(APPLICATION), application)).findFirst();
  }

  private static Optional<RayServeRow> find(List<RayServeRow> rows, String application, String label, String v) {
    return rows.stream().filter(r -> Objects.equals(r.key().get(APPLICATION), application)
        && v.equals(r.key().get(label))).findFirst();
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Duration window() {
    return window;
  }

  /**
   * Every value of the route and deployment rows: each {@link RayMeasure} and each latency statistic
   * ({@link RayLatencyMeasure}), dimensions {@code application}, {@code route} or {@code deployment}, and
   * {@code model} for a deployment joined with vLLM. Non-finite numbers are left out and counted in
   * {@link #dropped()}.
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    return values;
  }

  /**
   * Tables {@code applications}, {@code routes} and {@code deployments}, one column per measure and latency
   * statistic.
   *
   * @return the tables
   */
  @Override
  public List<KpiTable> tables() {
    return tables;
  }

  @Override
  public List<String> dropped() {
    return dropped;
  }

  /**
   * The routes' HTTP latency histograms (the end-to-end latency KPI), bounds converted to seconds, for SLO goodput
   * ({@code slo=e2e<=2s}). The processing latency is not a core KPI and has none here.
   *
   * @return the histograms, one per route with requests in the window
   */
  @Override
  public List<WindowHistogram> histograms() {
    List<WindowHistogram> out = new ArrayList<>();
    for (RayServeRow r : routes) {
      r.latencyMilliseconds().ifPresent(b -> out.add(new WindowHistogram(Kpi.END_TO_END_LATENCY, r.key(),
          b.scaled(0.001))));
    }
    return out;
  }

  /**
   * The KPIs in the shared vocabulary: per route the request rate, 5xx rate and ratio and the end-to-end (HTTP)
   * latency; per deployment the request rate, exception rate and ratio and the queue depth (queued queries).
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@code ray}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  @Override
  public String toString() {
    return "RayServeKpis{" + windowSeconds + " s, " + routes.size() + " routes, " + deployments.size()
        + " deployments}";
  }

  private static List<Measure> columns(List<RayMeasure> measures, RayLatency latency) {
    List<Measure> out = new ArrayList<>(measures);
    for (KpiStatistic s : RayLatencyMeasure.STATISTICS) {
      out.add(RayLatencyMeasure.of(latency, s));
    }
    return out;
  }

  private static List<MeasureValue> values(List<RayServeRow> rows, List<RayMeasure> measures, RayLatency latency) {
    List<MeasureValue> out = new ArrayList<>();
    for (RayServeRow r : rows) {
      for (RayMeasure m : measures) {
        OptionalDouble v = r.get(m);
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          out.add(new MeasureValue(m, r.key(), v.getAsDouble()));
        }
      }
      for (KpiStatistic s : RayLatencyMeasure.STATISTICS) {
        OptionalDouble v = r.latency().get(s);
        if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
          out.add(new MeasureValue(RayLatencyMeasure.of(latency, s), r.key(), v.getAsDouble(),
              r.latency().bound(s)));
        }
      }
    }
    return out;
  }

  /** The arithmetic of one {@link #between} call. */
  private static final class Calc {
    private static final String STATUS_CODE = "status_code";
    private static final String ERROR_CODE = "error_code";

    private final RayServeSnapshot previous;
    private final RayServeSnapshot current;
    private final double seconds;
    private boolean reset;

    Calc(RayServeSnapshot previous, RayServeSnapshot current, double seconds) {
      this.previous = previous;
      this.current = current;
      this.seconds = seconds;
    }

    /** Each series' increase of a cumulative family, for series in both scrapes (PromQL's reset rule). */
    Map<Labels, Double> increases(RayServeMetric m) {
      Optional<String> name = current.familyName(m);
      if (name.isEmpty()) {
        return Map.of();
      }
      Map<Labels, MetricPoint> before = previous.pointsByLabels(name.get());
      Map<Labels, Double> out = new LinkedHashMap<>();
      for (MetricPoint p : current.points(m)) {
        MetricPoint b = before.get(p.labels());
        if (b == null) {
          continue; // a new series has no increase yet, as in PromQL with two samples
        }
        double was = b.scalarValue();
        double now = p.scalarValue();
        reset |= now < was;
        out.put(p.labels(), Rates.increase(was, now));
      }
      return out;
    }

    Map<Labels, Double> rates(RayServeMetric m) {
      Map<Labels, Double> out = new LinkedHashMap<>();
      increases(m).forEach((k, v) -> out.put(k, v / seconds));
      return out;
    }

    /** Each series' bucket increases of a histogram family, for series in both scrapes. */
    Map<Labels, BucketCounts> histograms(RayServeMetric m) {
      Optional<String> name = current.familyName(m);
      if (name.isEmpty()) {
        return Map.of();
      }
      Map<Labels, MetricPoint> before = previous.pointsByLabels(name.get());
      Map<Labels, BucketCounts> out = new LinkedHashMap<>();
      for (MetricPoint p : current.points(m)) {
        MetricPoint b = before.get(p.labels());
        if (p instanceof HistogramPoint && b instanceof HistogramPoint) {
          BucketCounts inc = BucketCounts.increase((HistogramPoint) b, (HistogramPoint) p);
          reset |= inc.reset();
          out.put(p.labels(), inc);
        }
      }
      return out;
    }

    /** Each series' current value of a gauge family. */
    Map<Labels, Double> gauges(RayServeMetric m) {
      Map<Labels, Double> out = new LinkedHashMap<>();
      for (MetricPoint p : current.points(m)) {
        out.put(p.labels(), p.scalarValue());
      }
      return out;
    }

    /** The rows of the proxy's HTTP families, grouped by application (and route). */
    List<RayServeRow> proxyRows(Grouping by) {
      Map<Labels, Double> requests = rates(RayServeMetric.HTTP_REQUESTS);
      boolean statusCodes = current.points(RayServeMetric.HTTP_REQUESTS).stream()
          .anyMatch(p -> p.labels().contains(STATUS_CODE));
      // releases whose request counter has no status code: the classes of the non-200 counter's error codes
      Map<Labels, Double> coded = statusCodes ? requests : rates(RayServeMetric.HTTP_ERROR_REQUESTS);
      String codeLabel = statusCodes ? STATUS_CODE : ERROR_CODE;
      boolean classesKnown = statusCodes || current.familyName(RayServeMetric.HTTP_ERROR_REQUESTS).isPresent();
      Map<Labels, Double> total = by.sum(requests);
      Map<Character, Map<Labels, Double>> byClass = new LinkedHashMap<>();
      for (char c : new char[] {'2', '3', '4', '5'}) {
        Map<Labels, Double> inClass = new LinkedHashMap<>();
        coded.forEach((labels, rate) -> {
          String code = labels.get(codeLabel);
          if (code != null && !code.isEmpty() && code.charAt(0) == c) {
            inClass.put(labels, rate);
          }
        });
        byClass.put(c, by.sum(inClass));
      }
      Map<Labels, BucketCounts> latency = by.sumHistograms(histograms(RayServeMetric.HTTP_REQUEST_LATENCY));
      Set<Labels> keys = new LinkedHashSet<>(total.keySet());
      keys.addAll(latency.keySet());
      List<RayServeRow> out = new ArrayList<>();
      for (Labels key : keys) {
        Map<RayMeasure, OptionalDouble> m = new EnumMap<>(RayMeasure.class);
        Double all = total.get(key);
        if (all != null) {
          m.put(RayMeasure.REQUEST_RATE, OptionalDouble.of(all));
          if (statusCodes) {
            m.put(RayMeasure.HTTP_2XX_RATE, OptionalDouble.of(byClass.get('2').getOrDefault(key, 0.0)));
          }
          if (classesKnown) {
            m.put(RayMeasure.HTTP_3XX_RATE, OptionalDouble.of(byClass.get('3').getOrDefault(key, 0.0)));
            m.put(RayMeasure.HTTP_4XX_RATE, OptionalDouble.of(byClass.get('4').getOrDefault(key, 0.0)));
            double errors = byClass.get('5').getOrDefault(key, 0.0);
            m.put(RayMeasure.ERROR_RATE, OptionalDouble.of(errors));
            m.put(RayMeasure.ERROR_RATIO, ratio(errors, all));
          }
        }
        out.add(new RayServeRow(key, m, latency.get(key), seconds));
      }
      return out;
    }

    /** The deployment rows, with the vLLM model of Ray Serve LLM deployments. */
    List<RayServeRow> deploymentRows() {
      Grouping by = Grouping.by(APPLICATION, DEPLOYMENT);
      Map<Labels, Double> healthy = new LinkedHashMap<>();
      Map<Labels, Double> replicaCount = new LinkedHashMap<>();
      gauges(RayServeMetric.REPLICA_HEALTHY).forEach((labels, v) -> {
        healthy.put(labels, v >= 1 ? 1.0 : 0.0);
        replicaCount.put(labels, 1.0);
      });
      Map<Labels, Double> replicas = by.sum(replicaCount);
      Map<Labels, Double> healthyReplicas = by.sum(healthy);
      Map<Labels, Double> ok = by.sum(rates(RayServeMetric.DEPLOYMENT_REQUESTS));
      Map<Labels, Double> errors = by.sum(rates(RayServeMetric.DEPLOYMENT_ERRORS));
      boolean countsErrors = current.familyName(RayServeMetric.DEPLOYMENT_ERRORS).isPresent();
      boolean countsRequests = current.familyName(RayServeMetric.DEPLOYMENT_REQUESTS).isPresent();
      Map<Labels, BucketCounts> latency = by.sumHistograms(
          histograms(RayServeMetric.DEPLOYMENT_PROCESSING_LATENCY));
      Map<Labels, Double> queued = by.sum(gauges(RayServeMetric.DEPLOYMENT_QUEUED_QUERIES));
      Map<Labels, Double> ongoing = by.sum(gauges(RayServeMetric.ONGOING_REQUESTS_AT_REPLICAS));
      Map<Labels, Double> processing = by.sum(gauges(RayServeMetric.REPLICA_PROCESSING_QUERIES));
      Map<Labels, Double> pending = by.sum(gauges(RayServeMetric.REPLICA_PENDING_QUERIES));
      Map<Labels, Double> restarts = by.sum(increases(RayServeMetric.REPLICA_STARTS));
      boolean countsStarts = current.familyName(RayServeMetric.REPLICA_STARTS).isPresent();

      Set<Labels> keys = new LinkedHashSet<>(replicas.keySet());
      for (Map<Labels, ?> m : List.of(ok, errors, latency, queued, ongoing, processing, pending)) {
        keys.addAll(m.keySet());
      }
      Map<Labels, String> models = new VllmJoin(current).models(keys);
      List<RayServeRow> out = new ArrayList<>();
      for (Labels key : keys) {
        Map<RayMeasure, OptionalDouble> m = new EnumMap<>(RayMeasure.class);
        Double good = ok.get(key);
        Double bad = errors.get(key);
        if (good != null || bad != null) {
          // Ray counts a query once: in the request counter when it succeeded, in the error counter when not
          double e = bad == null ? 0 : bad;
          double all = (good == null ? 0 : good) + e;
          if (countsRequests) {
            m.put(RayMeasure.REQUEST_RATE, OptionalDouble.of(all));
          }
          if (countsErrors) {
            m.put(RayMeasure.ERROR_RATE, OptionalDouble.of(e));
            if (countsRequests) {
              m.put(RayMeasure.ERROR_RATIO, ratio(e, all));
            }
          }
        }
        m.put(RayMeasure.QUEUED_QUERIES, get(queued, key));
        m.put(RayMeasure.ONGOING_REQUESTS, get(ongoing, key));
        m.put(RayMeasure.PROCESSING_QUERIES, get(processing, key));
        m.put(RayMeasure.PENDING_QUERIES, get(pending, key));
        m.put(RayMeasure.REPLICAS, get(replicas, key));
        m.put(RayMeasure.HEALTHY_REPLICAS, get(healthyReplicas, key));
        if (countsStarts && replicas.containsKey(key)) {
          m.put(RayMeasure.REPLICA_RESTARTS, OptionalDouble.of(restarts.getOrDefault(key, 0.0)));
        }
        String model = models.get(key);
        out.add(new RayServeRow(model == null ? key : key.with(KpiDimension.MODEL, model), m, latency.get(key),
            seconds));
      }
      return out;
    }

    private static OptionalDouble get(Map<Labels, Double> m, Labels key) {
      Double v = m.get(key);
      return v == null || v.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** A ratio of two window quantities; empty when nothing happened (the denominator is 0). */
    private static OptionalDouble ratio(double numerator, double denominator) {
      return denominator > 0 ? OptionalDouble.of(numerator / denominator) : OptionalDouble.empty();
    }
  }

  /** Which vLLM model each deployment runs, from the vLLM engine metrics of the same scrape. */
  private static final class VllmJoin {
    private final RayServeSnapshot serve;
    private final List<VllmEngine> engines;

    VllmJoin(RayServeSnapshot serve) {
      this.serve = serve;
      this.engines = VllmSnapshot.detect(serve.source()) ? VllmSnapshot.of(serve.source()).engines() : List.of();
    }

    Map<Labels, String> models(Set<Labels> deployments) {
      Map<Labels, String> out = new LinkedHashMap<>();
      if (engines.isEmpty()) {
        return out;
      }
      Set<String> allModels = new LinkedHashSet<>();
      for (VllmEngine e : engines) {
        if (!e.model().isEmpty()) {
          allModels.add(e.model());
        }
      }
      for (Labels d : deployments) {
        String application = d.get(APPLICATION);
        String deployment = d.get(DEPLOYMENT);
        if (deployment == null) {
          continue;
        }
        Set<String> found = new LinkedHashSet<>();
        for (RayReplica r : serve.replicas()) {
          if (!r.deployment().equals(deployment) || !Objects.equals(r.application().orElse(null), application)) {
            continue;
          }
          for (VllmEngine e : engines) {
            if (!e.model().isEmpty() && e.rayReplicaId().filter(r::hasUniqueId).isPresent()) {
              found.add(e.model());
            }
          }
        }
        if (found.isEmpty()) {
          // Ray Serve LLM names a deployment Prefix: + the model id with / as -- and . as _
          String name = deployment.substring(deployment.indexOf(':') + 1);
          for (String model : allModels) {
            if (model.replace("/", "--").replace(".", "_").equals(name)) {
              found.add(model);
            }
          }
        }
        if (found.size() == 1) {
          out.put(d, found.iterator().next());
        }
      }
      return out;
    }
  }
}

package io.github.infermetrics.ray;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ray Serve as a {@link KpiSource} named {@value RayServeKpis#SOURCE}: it recognises the {@code ray_serve_*} families
 * of a Ray node's metrics agent and computes {@link RayServeKpis}. Registered for {@link java.util.ServiceLoader}.
 * A Ray Serve LLM node's endpoint also carries vLLM's engine metrics ({@code ray_vllm:*}, {@code ray_vllm_*}),
 * which the vllm source recognises: one target then gives a {@code ray} and a {@code vllm} window, whose
 * deployment and model rows share the {@code model} dimension (see {@link RayServeKpis}).
 *
 * <pre>{@code
 * KpiWindow w = new RayServeSource().between(previous, current, Duration.ofSeconds(15));
 * List<KpiSource> found = KpiSources.installed().detect(scrape);   // [ray, vllm] on a Ray Serve LLM node
 * }</pre>
 *
 * <p>Each node has its own endpoint ({@code --metrics-export-port}; Ray lists them for Prometheus in
 * {@code /tmp/ray/prom_metrics_service_discovery.json}): scrape every node, as the proxies and replicas of a
 * deployment report where they run.
 */
public final class RayServeSource implements KpiSource {
  private static final SourceDashboard DASHBOARD = dashboard("deployment=~\"$deployment\"", "[$__rate_interval]");

  /** For {@link java.util.ServiceLoader}. */
  public RayServeSource() {}

  @Override
  public String name() {
    return RayServeKpis.SOURCE;
  }

  @Override
  public String description() {
    return "Ray Serve: ray_serve_* of a Ray node's metrics agent (HTTP proxy, deployments, replicas)";
  }

  /**
   * 1 when the scrape has one of Ray Serve's request, latency, queue or replica families, 0.6 for other
   * {@code ray_serve_} families only (a controller without deployments), else 0: Ray's core metrics alone are not
   * Ray Serve.
   *
   * @param snapshot a scrape
   * @return the confidence
   */
  @Override
  public double recognize(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (RayServeSnapshot.detect(snapshot)) {
      return 1;
    }
    for (MetricFamily f : snapshot.families()) {
      if (f.name().startsWith(RayServeSnapshot.PREFIX)) {
        return 0.6;
      }
    }
    return 0;
  }

  @Override
  public RayServeKpis between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (recognize(current) < RECOGNIZED) {
      throw new IllegalArgumentException("no Ray Serve families (ray_serve_*) in the exposition");
    }
    return RayServeKpis.between(RayServeSnapshot.of(previous), RayServeSnapshot.of(current), window);
  }

  @Override
  public Optional<SourceDashboard> dashboard() {
    return Optional.of(DASHBOARD);
  }

  /**
   * A cumulative family's rate under both of Ray's names: the counter {@code X_total} of recent releases, else the
   * gauge-typed {@code X} of older ones. {@code or} keeps one series per label set where a release writes both.
   */
  static String rate(String family, String selector, String w) {
    return "rate(" + family + "_total" + selector + w + ") or rate(" + family + selector + w + ")";
  }

  // the built-in metrics of Ray's "Monitor your application" page; milliseconds / 1000 = seconds
  private static SourceDashboard dashboard(String d, String w) {
    String http = "ray_serve_num_http_requests";
    String byRoute = "sum by (application, route) (";
    String byDeployment = "sum by (application, deployment) (";
    String dep = "{" + d + "}";
    return SourceDashboard.builder("Ray Serve")
        .kpis(Kpi.REQUEST_RATE, Kpi.ERROR_RATE, Kpi.ERROR_RATIO, Kpi.END_TO_END_LATENCY, Kpi.QUEUE_DEPTH)
        .variable("deployment", "Deployment", "label_values(ray_serve_deployment_replica_healthy, deployment)")
        .panel("HTTP requests by status", "reqps", SourceDashboard.query(
            "sum by (application, route, status_code) (" + rate(http, "", w) + ")",
            "{{application}} {{route}} {{status_code}}"))
        .panel("HTTP error ratio (5xx)", "percentunit", SourceDashboard.query(
            byRoute + rate(http, "{status_code=~\"5..\"}", w) + ") / " + byRoute + rate(http, "", w) + ")",
            "{{application}} {{route}}"))
        .panel("HTTP request latency", "s",
            latency("ray_serve_http_request_latency_ms", "application, route", "", w,
                "{{application}} {{route}}"))
        .panel("Deployment queries", "reqps",
            SourceDashboard.query(byDeployment + rate("ray_serve_deployment_request_counter", dep, w) + ")",
                "ok {{deployment}}"),
            SourceDashboard.query(byDeployment + rate("ray_serve_deployment_error_counter", dep, w) + ")",
                "exception {{deployment}}"))
        .panel("Deployment processing latency", "s",
            latency("ray_serve_deployment_processing_latency_ms", "application, deployment", dep, w,
                "{{deployment}}"))
        .panel("Queued queries", "short", SourceDashboard.query(
            byDeployment + "ray_serve_deployment_queued_queries" + dep + ")", "{{deployment}}"))
        .panel("Ongoing requests at replicas", "short", SourceDashboard.query(
            byDeployment + "ray_serve_num_ongoing_requests_at_replicas" + dep + ") or " + byDeployment
                + "ray_serve_replica_processing_queries" + dep + ")", "{{deployment}}"))
        .panel("Healthy replicas", "short",
            SourceDashboard.query(byDeployment + "ray_serve_deployment_replica_healthy" + dep + ")",
                "healthy {{deployment}}"),
            SourceDashboard.query("count by (application, deployment) (ray_serve_deployment_replica_healthy" + dep
                + ")", "replicas {{deployment}}"))
        .panel("Replica restarts", "short", SourceDashboard.query(
            byDeployment + "increase(ray_serve_deployment_replica_starts_total" + dep + w
                + ") or increase(ray_serve_deployment_replica_starts" + dep + w + "))", "{{deployment}}"))
        .build();
  }

  /** Percentiles and the mean of a millisecond histogram, in seconds. */
  private static SourceDashboard.Query[] latency(String family, String by, String selector, String w,
      String legend) {
    List<SourceDashboard.Query> out = new ArrayList<>();
    for (String[] q : new String[][] {{"0.5", "p50"}, {"0.95", "p95"}, {"0.99", "p99"}}) {
      out.add(SourceDashboard.query("histogram_quantile(" + q[0] + ", sum by (le, " + by + ") (rate(" + family
          + "_bucket" + selector + w + "))) / 1000", q[1] + " " + legend));
    }
    out.add(SourceDashboard.query("sum by (" + by + ") (rate(" + family + "_sum" + selector + w + ")) / sum by ("
        + by + ") (rate(" + family + "_count" + selector + w + ")) / 1000", "mean " + legend));
    return out.toArray(new SourceDashboard.Query[0]);
  }
}

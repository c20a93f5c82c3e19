package io.github.infermetrics.ray;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * The single-valued KPIs {@link RayServeKpis} computes per application, route and deployment. The core ones carry
 * the vocabulary's names ({@code request_rate_per_second}, {@code error_ratio}, {@code queue_depth}); the others are
 * Ray Serve's own ({@code http_4xx_per_second}, {@code healthy_replicas}).
 *
 * <p>At the HTTP proxy (applications, routes) an error is a 5xx response: 4xx are the client's and have their
 * own column. At a deployment an error is a query that raised an exception in a replica
 * ({@code ray_serve_deployment_error_counter}); Ray counts the others in {@code ray_serve_deployment_request_counter},
 * so a deployment's request rate is the sum of both.
 */
public enum RayMeasure implements Measure {
  /** Requests per second: HTTP responses at the proxy, or queries a deployment's replicas finished. */
  REQUEST_RATE(Kpi.REQUEST_RATE, "REQ/S"),
  /** HTTP 2xx responses per second. */
  HTTP_2XX_RATE("http_2xx", KpiUnit.PER_SECOND, "2XX/S", "HTTP 2xx responses per second at the Serve proxy"),
  /** HTTP 3xx responses per second. */
  HTTP_3XX_RATE("http_3xx", KpiUnit.PER_SECOND, "3XX/S", "HTTP 3xx responses per second at the Serve proxy"),
  /** HTTP 4xx responses per second (the client's errors: not in {@link #ERROR_RATE}). */
  HTTP_4XX_RATE("http_4xx", KpiUnit.PER_SECOND, "4XX/S", "HTTP 4xx responses per second at the Serve proxy"),
  /** Errors per second: HTTP 5xx responses at the proxy, or queries that raised an exception at a deployment. */
  ERROR_RATE(Kpi.ERROR_RATE, "ERR/S"),
  /** {@link #ERROR_RATE} over {@link #REQUEST_RATE}. */
  ERROR_RATIO(Kpi.ERROR_RATIO, "ERR"),
  /** Queries waiting to be assigned to a replica, summed over the routers (the core KPI {@code queue_depth}). */
  QUEUED_QUERIES(Kpi.QUEUE_DEPTH, "QUEUED"),
  /** Queries sent to replicas and not finished, summed over the routers. */
  ONGOING_REQUESTS("ongoing_requests", KpiUnit.COUNT, "ONGOING",
      "Queries assigned to the deployment's replicas and not finished"),
  /** Queries the replicas are processing now. */
  PROCESSING_QUERIES("processing_queries", KpiUnit.COUNT, "PROC", "Queries the deployment's replicas process now"),
  /** Queries waiting inside the replicas (older Ray). */
  PENDING_QUERIES("pending_queries", KpiUnit.COUNT, "PEND", "Queries waiting inside the deployment's replicas"),
  /** Replicas reporting health. */
  REPLICAS("replicas", KpiUnit.COUNT, "REPL", "Replicas of the deployment"),
  /** Replicas reporting themselves healthy. */
  HEALTHY_REPLICAS("healthy_replicas", KpiUnit.COUNT, "HEALTHY", "Replicas of the deployment that are healthy"),
  /** Replica starts in the window (restarts after a failure) of replicas that were there before it. */
  REPLICA_RESTARTS("replica_restarts", KpiUnit.COUNT, "RESTARTS",
      "Replica restarts in the window (increase of ray_serve_deployment_replica_starts)");

  private final String id;
  private final KpiUnit unit;
  private final String header;
  private final Kpi kpi;
  private final String description;

  RayMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.header = header;
    this.kpi = kpi;
    this.description = kpi.description();
  }

  RayMeasure(String id, KpiUnit unit, String header, String description) {
    this.id = id;
    this.unit = unit;
    this.header = header;
    this.kpi = null;
    this.description = description;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public KpiStatistic statistic() {
    return KpiStatistic.VALUE;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  @Override
  public String description() {
    return description;
  }
}

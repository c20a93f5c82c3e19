package io.github.infermetrics.ray;

import java.util.List;

/**
 * One Ray Serve metric family, whatever the Ray release calls it. Counters are named without {@code _total}: Ray
 * 2.x before about 2.10 exports them as gauge-typed families without the suffix
 * ({@code ray_serve_num_http_requests}), later releases as counters with it
 * ({@code ray_serve_num_http_requests_total}), some beside the old name; {@link RayServeSnapshot} reads the
 * {@code _total} family first. Latencies are histograms in milliseconds.
 *
 * <pre>{@code
 * RayServeMetric.HTTP_REQUESTS.name();                        // ray_serve_num_http_requests
 * snapshot.familyName(RayServeMetric.HTTP_REQUESTS);          // Optional[ray_serve_num_http_requests_total]
 * }</pre>
 *
 * <p>Labels (Ray's docs, "Built-in Ray Serve metrics"): the proxy's HTTP families have {@code route},
 * {@code method}, {@code application}, {@code status_code} ({@code error_code} on the error counter); deployment
 * and replica families have {@code deployment}, {@code replica}, {@code application} and some {@code route}.
 * Releases before multi-application Serve have no {@code application}. Every family also has Ray's own labels
 * ({@code WorkerId}, {@code SessionName}, {@code NodeAddress}, {@code Version}, {@code Component}).
 */
public enum RayServeMetric {
  /** HTTP requests the proxies answered, by route, method, application and status code. */
  HTTP_REQUESTS(Kind.COUNTER, "ray_serve_num_http_requests"),
  /** Non-200 HTTP responses of the proxies, by route, method, application (recent releases) and error code. */
  HTTP_ERROR_REQUESTS(Kind.COUNTER, "ray_serve_num_http_error_requests"),
  /** End-to-end latency of HTTP requests at the proxy, milliseconds. */
  HTTP_REQUEST_LATENCY(Kind.HISTOGRAM, "ray_serve_http_request_latency_ms"),
  /** Queries a replica processed without an exception (Ray counts errors apart). */
  DEPLOYMENT_REQUESTS(Kind.COUNTER, "ray_serve_deployment_request_counter"),
  /** Queries that raised an exception in a replica. */
  DEPLOYMENT_ERRORS(Kind.COUNTER, "ray_serve_deployment_error_counter"),
  /** Time a replica took to process a query, milliseconds, successful or not. */
  DEPLOYMENT_PROCESSING_LATENCY(Kind.HISTOGRAM, "ray_serve_deployment_processing_latency_ms"),
  /** Queries to a deployment waiting to be assigned to a replica, per router (proxy or handle). */
  DEPLOYMENT_QUEUED_QUERIES(Kind.GAUGE, "ray_serve_deployment_queued_queries"),
  /** Queries assigned and sent to replicas, not yet finished, per router; recent releases. */
  ONGOING_REQUESTS_AT_REPLICAS(Kind.GAUGE, "ray_serve_num_ongoing_requests_at_replicas"),
  /** Queries a replica is processing now. */
  REPLICA_PROCESSING_QUERIES(Kind.GAUGE, "ray_serve_replica_processing_queries"),
  /** Queries waiting inside a replica; older releases. */
  REPLICA_PENDING_QUERIES(Kind.GAUGE, "ray_serve_replica_pending_queries"),
  /** 1 for a healthy replica, 0 for an unhealthy one. */
  REPLICA_HEALTHY(Kind.GAUGE, "ray_serve_deployment_replica_healthy"),
  /** Times a replica was started (restarted after a failure). */
  REPLICA_STARTS(Kind.COUNTER, "ray_serve_deployment_replica_starts");

  /** How a family is exposed. */
  public enum Kind {
    /** A gauge. */
    GAUGE,
    /** A cumulative count (typed gauge by older Ray, counter with {@code _total} by newer). */
    COUNTER,
    /** A classic histogram. */
    HISTOGRAM
  }

  private final Kind kind;
  private final String familyName;

  RayServeMetric(Kind kind, String familyName) {
    this.kind = kind;
    this.familyName = familyName;
  }

  /**
   * How it is exposed.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The family name, counters without {@code _total}.
   *
   * @return for example {@code ray_serve_deployment_queued_queries}
   */
  public String familyName() {
    return familyName;
  }

  /** The names a scrape may use, in lookup order: for a counter {@code X_total} before {@code X}. */
  List<String> lookupNames() {
    return kind == Kind.COUNTER ? List.of(familyName + "_total", familyName) : List.of(familyName);
  }
}

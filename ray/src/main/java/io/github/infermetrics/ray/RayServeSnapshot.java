package io.github.infermetrics.ray;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A typed view of the Ray Serve families of one scrape of a Ray node's metrics agent ({@code ray_serve_*}), under
 * whichever name the Ray release uses ({@link RayServeMetric}). The same endpoint also carries Ray's core metrics
 * and, on a Ray Serve LLM node, vLLM's engine metrics ({@code ray_vllm:*} or {@code ray_vllm_*}), which the vllm
 * module reads.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(bytes);   // http://ray-head:8080/metrics
 * if (RayServeSnapshot.detect(scrape)) {
 *   RayServeSnapshot serve = RayServeSnapshot.of(scrape);
 *   System.out.println(serve.namesFound().size() + " Serve families, application label: "
 *       + serve.hasApplicationLabel());
 *   serve.replicas().forEach(r -> System.out.println(r.deployment() + " " + r.replica() + " " + r.healthy()));
 * }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class RayServeSnapshot {
  /** Every Ray Serve family starts with it. */
  static final String PREFIX = "ray_serve_";
  /** The labels that name a replica's deployment and the replica. */
  static final String APPLICATION = "application";
  static final String DEPLOYMENT = "deployment";
  static final String REPLICA = "replica";

  private final MetricSnapshot source;
  private final Map<RayServeMetric, MetricFamily> families;
  private final SortedSet<String> namesFound;
  private final boolean application;
  private final List<RayReplica> replicas;
  private final List<String> nonFinite;

  private RayServeSnapshot(MetricSnapshot source) {
    this.source = source;
    SortedSet<String> names = new TreeSet<>();
    for (MetricFamily f : source.families()) {
      if (f.name().startsWith(PREFIX)) {
        names.add(f.name());
      }
    }
    this.namesFound = Collections.unmodifiableSortedSet(names);
    Map<RayServeMetric, MetricFamily> fams = new EnumMap<>(RayServeMetric.class);
    boolean anyApplication = false;
    for (RayServeMetric m : RayServeMetric.values()) {
      for (String name : m.lookupNames()) {
        Optional<MetricFamily> f = source.family(name);
        if (f.isPresent()) {
          fams.put(m, f.get());
          for (MetricPoint p : f.get().points()) {
            anyApplication |= p.labels().contains(APPLICATION);
          }
          break;
        }
      }
    }
    this.families = fams;
    this.application = anyApplication;
    this.replicas = Collections.unmodifiableList(collectReplicas());
    this.nonFinite = source.nonFiniteSamples(n -> n.startsWith(PREFIX));
  }

  /**
   * The typed view of a scrape.
   *
   * @param snapshot the scrape
   * @return the view; empty when the scrape has no Ray Serve families
   */
  public static RayServeSnapshot of(MetricSnapshot snapshot) {
    return Objects.requireNonNull(snapshot, "snapshot").view(RayServeSnapshot.class, RayServeSnapshot::new);
  }

  /**
   * Whether a scrape has Ray Serve families: one of {@link RayServeMetric}'s.
   *
   * @param snapshot the scrape
   * @return true when it has one
   */
  public static boolean detect(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    for (RayServeMetric m : RayServeMetric.values()) {
      for (String name : m.lookupNames()) {
        if (snapshot.family(name).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The scrape this view reads.
   *
   * @return the snapshot
   */
  public MetricSnapshot source() {
    return source;
  }

  /**
   * Every {@code ray_serve_} family name in the scrape, known to this library or not.
   *
   * @return an unmodifiable sorted set
   */
  public SortedSet<String> namesFound() {
    return namesFound;
  }

  /**
   * The family name this view reads for a metric.
   *
   * @param metric the metric
   * @return for example {@code ray_serve_num_http_requests} (Ray 2.6) or {@code ray_serve_num_http_requests_total};
   *     empty when the scrape has none
   */
  public Optional<String> familyName(RayServeMetric metric) {
    MetricFamily f = families.get(Objects.requireNonNull(metric, "metric"));
    return f == null ? Optional.empty() : Optional.of(f.name());
  }

  /**
   * Whether the series carry Serve's {@code application} label (multi-application Serve, Ray 2.4 and later).
   *
   * @return true when any does
   */
  public boolean hasApplicationLabel() {
    return application;
  }

  /**
   * The replicas: every {@code deployment} and {@code replica} pair of the replica-level families, with its health
   * where {@code ray_serve_deployment_replica_healthy} says it.
   *
   * @return the replicas, in scrape order
   */
  public List<RayReplica> replicas() {
    return replicas;
  }

  /**
   * The samples of Ray Serve families whose value is NaN or infinite, each as {@code name{labels} = value}.
   *
   * @return the samples; empty on a healthy node
   */
  public List<String> nonFinite() {
    return nonFinite;
  }

  /** Every point of a metric, in scrape order. */
  List<MetricPoint> points(RayServeMetric metric) {
    MetricFamily f = families.get(metric);
    return f == null ? List.of() : f.points();
  }

  /** The points of the family with this exact name, by their labels (to pair a later scrape's points with). */
  Map<Labels, MetricPoint> pointsByLabels(String familyName) {
    Map<Labels, MetricPoint> out = new LinkedHashMap<>();
    source.family(familyName).ifPresent(f -> f.points().forEach(p -> out.putIfAbsent(p.labels(), p)));
    return out;
  }

  private List<RayReplica> collectReplicas() {
    Map<List<String>, OptionalDouble> found = new LinkedHashMap<>();
    for (RayServeMetric m : List.of(RayServeMetric.REPLICA_HEALTHY, RayServeMetric.REPLICA_PROCESSING_QUERIES,
        RayServeMetric.DEPLOYMENT_REQUESTS, RayServeMetric.DEPLOYMENT_ERRORS,
        RayServeMetric.DEPLOYMENT_PROCESSING_LATENCY, RayServeMetric.REPLICA_STARTS)) {
      for (MetricPoint p : points(m)) {
        String deployment = nonEmpty(p.labels().get(DEPLOYMENT));
        String replica = nonEmpty(p.labels().get(REPLICA));
        if (deployment == null || replica == null) {
          continue;
        }
        List<String> key = new ArrayList<>(3);
        key.add(Objects.requireNonNullElse(nonEmpty(p.labels().get(APPLICATION)), ""));
        key.add(deployment);
        key.add(replica);
        if (m == RayServeMetric.REPLICA_HEALTHY) {
          double v = p.scalarValue();
          found.merge(key, Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v),
              (a, b) -> a.isPresent() ? a : b);
        } else {
          found.putIfAbsent(key, OptionalDouble.empty());
        }
      }
    }
    List<RayReplica> out = new ArrayList<>();
    found.forEach((k, healthy) -> out.add(new RayReplica(k.get(0).isEmpty() ? Optional.empty()
        : Optional.of(k.get(0)), k.get(1), k.get(2), healthy)));
    return out;
  }

  static String nonEmpty(String v) {
    return v == null || v.isEmpty() ? null : v;
  }


  @Override
  public String toString() {
    return "RayServeSnapshot{" + families.keySet() + ", " + replicas.size() + " replicas}";
  }
}

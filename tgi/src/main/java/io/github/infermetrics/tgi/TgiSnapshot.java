package io.github.infermetrics.tgi;

import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
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
 * A typed view of one text-generation-inference {@code /metrics} scrape: the server's gauges and counters by
 * concept ({@link TgiMetric}) and which names the scrape has.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(Files.readAllBytes(Path.of("metrics.txt")));
 * if (TgiSnapshot.detect(scrape)) {
 *   TgiSnapshot tgi = TgiSnapshot.of(scrape);
 *   System.out.println("queue " + tgi.queueSize() + ", batch " + tgi.batchSize() + ", failures " + tgi.failures());
 * }
 * }</pre>
 *
 * <p>TGI writes a series only once it has been touched (the Rust {@code metrics} crate): a counter the scrape does
 * not have has not counted anything yet. TGI's {@code /metrics} has no model name (one server serves one model; its
 * {@code /info} says which). Immutable.
 */
public final class TgiSnapshot {
  /** The prefix of every TGI family. */
  public static final String PREFIX = "tgi_";

  private final MetricSnapshot source;
  private final Map<TgiMetric, MetricFamily> families;
  private final SortedSet<String> namesFound;
  private final List<String> nonFinite;

  private TgiSnapshot(MetricSnapshot source) {
    this.source = source;
    SortedSet<String> names = new TreeSet<>();
    for (MetricFamily f : source.families()) {
      if (f.name().startsWith(PREFIX)) {
        names.add(f.name());
      }
    }
    this.namesFound = Collections.unmodifiableSortedSet(names);
    Map<TgiMetric, MetricFamily> fams = new EnumMap<>(TgiMetric.class);
    for (TgiMetric m : TgiMetric.values()) {
      for (String name : m.lookupNames()) {
        Optional<MetricFamily> f = source.family(name);
        if (f.isPresent()) {
          fams.put(m, f.get());
          break;
        }
      }
    }
    this.families = Collections.unmodifiableMap(fams);
    this.nonFinite = source.nonFiniteSamples(n -> n.startsWith(PREFIX));
  }

  /**
   * The typed view of a scrape.
   *
   * @param snapshot the scrape
   * @return the view
   */
  public static TgiSnapshot of(MetricSnapshot snapshot) {
    return Objects.requireNonNull(snapshot, "snapshot").view(TgiSnapshot.class, TgiSnapshot::new);
  }

  /**
   * Whether a scrape comes from TGI: it has a {@code tgi_} family.
   *
   * @param snapshot the scrape
   * @return true when it has one
   */
  public static boolean detect(MetricSnapshot snapshot) {
    for (MetricFamily f : Objects.requireNonNull(snapshot, "snapshot").families()) {
      if (f.name().startsWith(PREFIX)) {
        return true;
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
   * Every {@code tgi_} family name in the scrape, known or not.
   *
   * @return the names, sorted
   */
  public SortedSet<String> namesFound() {
    return namesFound;
  }

  /**
   * The name under which the scrape has a family.
   *
   * @param metric the concept
   * @return the family name, or empty when the scrape does not have it
   */
  public Optional<String> familyName(TgiMetric metric) {
    MetricFamily f = families.get(Objects.requireNonNull(metric, "metric"));
    return f == null ? Optional.empty() : Optional.of(f.name());
  }

  /** The family of a concept, or null. */
  MetricFamily family(TgiMetric metric) {
    return families.get(metric);
  }

  /**
   * An unlabelled gauge or counter, summed over its series.
   *
   * @param metric a gauge or counter concept
   * @return its value; empty when the scrape does not have it or it is not finite
   */
  public OptionalDouble value(TgiMetric metric) {
    MetricFamily f = families.get(Objects.requireNonNull(metric, "metric"));
    if (f == null || f.points().isEmpty()) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    for (MetricPoint p : f.points()) {
      sum += p.scalarValue();
    }
    return Double.isFinite(sum) ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /**
   * Requests in the queue now ({@code tgi_queue_size}).
   *
   * @return the count
   */
  public OptionalDouble queueSize() {
    return value(TgiMetric.QUEUE_SIZE);
  }

  /**
   * Requests in the running batch now ({@code tgi_batch_current_size}).
   *
   * @return the count
   */
  public OptionalDouble batchSize() {
    return value(TgiMetric.BATCH_CURRENT_SIZE);
  }

  /**
   * Failed requests since the start, by {@code err}.
   *
   * @return reason to count, in scrape order; empty before the first failure
   */
  public Map<String, Double> failures() {
    Map<String, Double> out = new LinkedHashMap<>();
    MetricFamily f = families.get(TgiMetric.REQUEST_FAILURE);
    if (f != null) {
      for (MetricPoint p : f.points()) {
        out.merge(Objects.requireNonNullElse(p.labels().get("err"), ""), p.scalarValue(), Double::sum);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The samples of {@code tgi_} families whose value is NaN or infinite, each as {@code name{labels} = value}.
   *
   * @return the samples; empty on a healthy server
   */
  public List<String> nonFinite() {
    return nonFinite;
  }


  @Override
  public String toString() {
    return "TgiSnapshot{" + namesFound.size() + " families}";
  }
}

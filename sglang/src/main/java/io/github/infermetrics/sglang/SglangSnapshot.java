package io.github.infermetrics.sglang;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A typed view of one SGLang {@code /metrics} scrape: one name per concept whatever the release calls it
 * ({@link SglangMetric}), the schedulers' state per rank, and which names the scrape uses.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(Files.readAllBytes(Path.of("metrics.txt")));
 * if (SglangSnapshot.detect(scrape)) {
 *   SglangSnapshot sglang = SglangSnapshot.of(scrape);
 *   System.out.println(sglang.models() + " " + sglang.familyName(SglangMetric.INTER_TOKEN_LATENCY).orElse("-"));
 *   sglang.schedulers().forEach(s -> System.out.println(s.key() + " waiting " + s.queuedRequests()));
 * }
 * }</pre>
 *
 * <p>When a scrape has the old and the new name of one concept, the new one is read. Families this library does
 * not know are ignored; {@link #namesFound()} still lists them. Immutable.
 */
public final class SglangSnapshot {
  /** The prefix of every SGLang family. */
  public static final String PREFIX = "sglang:";
  /** The gauges that add up when one rank's series are split by other labels; the others average. */
  private static final Set<SglangMetric> ADDITIVE = Collections.unmodifiableSet(java.util.EnumSet.of(
      SglangMetric.RUNNING_REQUESTS, SglangMetric.QUEUED_REQUESTS, SglangMetric.USED_TOKENS,
      SglangMetric.MAX_TOTAL_TOKENS, SglangMetric.GEN_THROUGHPUT));

  private final MetricSnapshot source;
  private final Map<SglangMetric, MetricFamily> families;
  private final SortedSet<String> namesFound;
  private final List<SglangScheduler> schedulers;
  private final List<String> models;
  private final List<String> nonFinite;

  private SglangSnapshot(MetricSnapshot source) {
    this.source = source;
    SortedSet<String> names = new TreeSet<>();
    for (MetricFamily f : source.families()) {
      if (f.name().startsWith(PREFIX)) {
        names.add(f.name());
      }
    }
    this.namesFound = Collections.unmodifiableSortedSet(names);
    Map<SglangMetric, MetricFamily> fams = new EnumMap<>(SglangMetric.class);
    for (SglangMetric m : SglangMetric.values()) {
      for (String name : m.lookupNames()) {
        Optional<MetricFamily> f = source.family(name);
        if (f.isPresent()) {
          fams.put(m, f.get());
          break;
        }
      }
    }
    this.families = Collections.unmodifiableMap(fams);
    Set<String> modelNames = new LinkedHashSet<>();
    Map<Labels, Map<SglangMetric, double[]>> byRank = new LinkedHashMap<>();
    for (Map.Entry<SglangMetric, MetricFamily> e : fams.entrySet()) {
      SglangMetric m = e.getKey();
      for (MetricPoint p : e.getValue().points()) {
        String model = p.labels().get(SglangKeys.MODEL_NAME);
        if (model != null && !model.isEmpty()) {
          modelNames.add(model);
        }
        if (m.kind() == SglangMetric.Kind.GAUGE) {
          // one series per rank is the rule; should labels that are not part of the key (engine_type, custom
          // labels) split a rank, its counts add up and its ratios average
          double[] sumAndCount = byRank.computeIfAbsent(SglangKeys.rank(p.labels()),
              k -> new EnumMap<>(SglangMetric.class)).computeIfAbsent(m, k -> new double[2]);
          sumAndCount[0] += p.scalarValue();
          sumAndCount[1]++;
        }
      }
    }
    List<SglangScheduler> list = new ArrayList<>();
    byRank.forEach((k, sums) -> {
      Map<SglangMetric, Double> gauges = new EnumMap<>(SglangMetric.class);
      sums.forEach((m, a) -> gauges.put(m, ADDITIVE.contains(m) ? a[0] : a[0] / a[1]));
      list.add(new SglangScheduler(k, gauges));
    });
    this.schedulers = Collections.unmodifiableList(list);
    this.models = List.copyOf(modelNames);
    this.nonFinite = source.nonFiniteSamples(n -> n.startsWith(PREFIX));
  }

  /**
   * The typed view of a scrape.
   *
   * @param snapshot the scrape
   * @return the view; empty of schedulers and models when the scrape has no SGLang families
   */
  public static SglangSnapshot of(MetricSnapshot snapshot) {
    return Objects.requireNonNull(snapshot, "snapshot").view(SglangSnapshot.class, SglangSnapshot::new);
  }

  /**
   * Whether a scrape comes from SGLang: it has an {@code sglang:} family.
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
   * Every {@code sglang:} family name in the scrape, known or not.
   *
   * @return the names, sorted
   */
  public SortedSet<String> namesFound() {
    return namesFound;
  }

  /**
   * The name under which the scrape has a concept.
   *
   * @param metric the concept
   * @return the family name, or empty when the scrape does not have it
   */
  public Optional<String> familyName(SglangMetric metric) {
    MetricFamily f = families.get(Objects.requireNonNull(metric, "metric"));
    return f == null ? Optional.empty() : Optional.of(f.name());
  }

  /** The family of a concept, or null. */
  MetricFamily family(SglangMetric metric) {
    return families.get(metric);
  }

  /**
   * The served models ({@code model_name}), in scrape order.
   *
   * @return the names
   */
  public List<String> models() {
    return models;
  }

  /**
   * One entry per scheduler rank that reports gauges, in scrape order.
   *
   * @return the schedulers
   */
  public List<SglangScheduler> schedulers() {
    return schedulers;
  }

  /**
   * The samples of {@code sglang:} families whose value is NaN or infinite, each as {@code name{labels} = value}:
   * the KPIs leave out what they feed and count them ({@link SglangKpis#dropped()}).
   *
   * @return the samples; empty on a healthy server
   */
  public List<String> nonFinite() {
    return nonFinite;
  }


  @Override
  public String toString() {
    return "SglangSnapshot{" + namesFound.size() + " families, " + schedulers.size() + " schedulers}";
  }
}

package io.github.infermetrics.core.snapshot;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything one exposition said: its families in exposition order, looked up by name.
 *
 * <pre>{@code
 * MetricSnapshot s = new SnapshotReader().read(bytes);
 * List<MetricPoint> p = s.select("requests_running", LabelMatcher.eq("model", "qwen3"));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class MetricSnapshot {
  private final ExpositionFormat format;
  private final List<MetricFamily> families;
  /**
   * Families by name, built on the first lookup (a reader that only walks {@link #families()} never pays for it);
   * an immutable map, whose final fields make the racy single-check publication safe.
   */
  private Map<String, MetricFamily> byName;
  private final long sampleCount;
  private final int skippedLines;
  /**
   * The views sources derived from this snapshot ({@link #view}), newest first: usually one, as a target's scrapes
   * are read by the source that serves it. Racy single-check publication of immutable nodes, as for
   * {@link #byName}: a view made twice by two threads is one wasted derivation, not a wrong answer.
   */
  private View views;

  /** A derived view, the type it was asked for under, and the views made before it. */
  private record View(Class<?> type, Object value, View next) {}

  MetricSnapshot(ExpositionFormat format, List<MetricFamily> families, long sampleCount, int skippedLines) {
    this.format = format;
    this.families = Collections.unmodifiableList(families);
    this.sampleCount = sampleCount;
    this.skippedLines = skippedLines;
  }

  /**
   * A snapshot from families built elsewhere.
   *
   * @param format the format they came in, or {@code null}
   * @param families the families; names must be unique
   * @return the snapshot
   * @throws IllegalArgumentException when two families share a name
   */
  public static MetricSnapshot of(ExpositionFormat format, List<MetricFamily> families) {
    List<MetricFamily> copy = List.copyOf(families);
    long samples = 0;
    Map<String, MetricFamily> seen = new HashMap<>();
    for (MetricFamily f : copy) {
      if (seen.put(f.name(), f) != null) {
        throw new IllegalArgumentException("two families named " + f.name());
      }
      samples += f.points().size();
    }
    return new MetricSnapshot(format, copy, samples, 0);
  }

  /**
   * The format of the exposition.
   *
   * @return the format, or {@code null} when built by hand
   */
  public ExpositionFormat format() {
    return format;
  }

  /**
   * The families in exposition order, including families that had metadata but no samples.
   *
   * @return an unmodifiable list
   */
  public List<MetricFamily> families() {
    return families;
  }

  /**
   * The family with this name.
   *
   * @param name the family name ({@code foo} for histogram samples {@code foo_bucket})
   * @return the family, or empty
   */
  public Optional<MetricFamily> family(String name) {
    return Optional.ofNullable(byName().get(name));
  }

  /**
   * The points of a family whose labels match every matcher.
   *
   * @param familyName the family name
   * @param matchers the matchers
   * @return the matching points; empty when there is no such family
   */
  public List<MetricPoint> select(String familyName, LabelMatcher... matchers) {
    Objects.requireNonNull(familyName, "familyName");
    MetricFamily f = byName().get(familyName);
    return f == null ? List.of() : f.points(matchers);
  }

  /**
   * Number of sample lines read.
   *
   * @return the count
   */
  public long sampleCount() {
    return sampleCount;
  }

  /**
   * Lines skipped under {@link io.github.infermetrics.core.exposition.BadLinePolicy#SKIP}.
   *
   * @return the count
   */
  public int skippedLines() {
    return skippedLines;
  }

  /**
   * The counter, gauge and untyped samples of some families whose value is NaN or infinite, each as
   * {@code name{labels} = value}: what a KPI source leaves out and counts.
   *
   * @param families which families to look at, by name
   * @return the samples, in exposition order
   */
  public List<String> nonFiniteSamples(java.util.function.Predicate<String> families) {
    List<String> out = null; // a healthy server has none: no list for every scrape
    for (int i = 0; i < this.families.size(); i++) {
      MetricFamily f = this.families.get(i);
      if (!families.test(f.name())) {
        continue;
      }
      List<MetricPoint> points = f.points();
      for (int j = 0; j < points.size(); j++) {
        MetricPoint p = points.get(j);
        double v = p.scalarValue();
        if (Double.isInfinite(v) || Double.isNaN(v) && p.isScalar()) {
          if (out == null) {
            out = new java.util.ArrayList<>();
          }
          out.add(f.name() + (p.labels().isEmpty() ? "" : p.labels().toString()) + " = " + v);
        }
      }
    }
    return out == null ? List.of() : out;
  }

  /**
   * A view of this snapshot derived by {@code derive}, made once and kept with the snapshot, so that a source which
   * reads each scrape twice, as the current one of a window and then as the previous one of the next, derives it
   * once. The view must be immutable and depend on nothing but the snapshot; one is kept per type.
   *
   * <pre>{@code
   * record Sizes(int families, long samples) {}
   * Sizes sizes = snapshot.view(Sizes.class, s -> new Sizes(s.families().size(), s.sampleCount()));
   * }</pre>
   *
   * @param type the view's type, its key
   * @param derive makes the view from this snapshot
   * @param <T> the view's type
   * @return the kept view, or a new one
   */
  public <T> T view(Class<T> type, Function<? super MetricSnapshot, ? extends T> derive) {
    Objects.requireNonNull(type, "type");
    View first = views;
    for (View v = first; v != null; v = v.next()) {
      if (v.type() == type) {
        return type.cast(v.value());
      }
    }
    T made = Objects.requireNonNull(derive.apply(this), "derived view");
    views = new View(type, type.cast(made), first);
    return made;
  }

  private Map<String, MetricFamily> byName() {
    Map<String, MetricFamily> m = byName;
    if (m == null) {
      Map<String, MetricFamily> built = new HashMap<>(families.size() * 2);
      for (MetricFamily f : families) {
        built.put(f.name(), f);
      }
      m = byName = Map.copyOf(built);
    }
    return m;
  }

  @Override
  public String toString() {
    return "MetricSnapshot{" + families.size() + " families, " + sampleCount + " samples}";
  }
}

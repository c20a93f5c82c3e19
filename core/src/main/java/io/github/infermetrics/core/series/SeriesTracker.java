package io.github.infermetrics.core.series;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The previous point of every series of one scrape target. Given the target's successive snapshots, it pairs each
 * series with its point from the snapshot before and reports the series that appeared and those that vanished
 * (went stale): what a Micrometer binder or a live {@code watch} needs to compute rates and to remove the meters of
 * series that are gone.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * SeriesTracker tracker = new SeriesTracker();
 * while (running) {
 *   SeriesTracker.Step step = tracker.advance(reader.read(scrape()));
 *   step.continuing().forEach(u -> update(u.familyName(), u.labels(), u.previous(), u.current()));
 *   step.stale().forEach(u -> removeMeter(u.familyName(), u.labels()));
 * }
 * }</pre>
 *
 * <p>A series is its family name and labels; as in Prometheus, a label with an empty value is the same as no
 * label, so {@code a{x=""}} and {@code a} are one series (the updates carry each point's labels as exposed). A
 * family whose type changed between two snapshots ends its old
 * series (stale) and starts new ones. Should a snapshot repeat a series, its first point counts. Every type is
 * tracked, including info and state sets. Not thread-safe: keep one per target, like the reader.
 */
public final class SeriesTracker {
  /**
   * The outcome of one {@link #advance(MetricSnapshot)}.
   *
   * <pre>{@code
   * SeriesTracker.Step step = tracker.advance(snapshot);
   * System.out.println(step.added().size() + " new, " + step.stale().size() + " gone");
   * }</pre>
   *
   * @param continuing series in both snapshots, in the order of the new snapshot
   * @param added series only in the new snapshot, in its order
   * @param stale series only in the previous snapshot, in its order
   */
  public record Step(List<SeriesUpdate> continuing, List<SeriesUpdate> added, List<SeriesUpdate> stale) {
    /**
     * Copies the lists.
     *
     * @param continuing series in both snapshots
     * @param added new series
     * @param stale vanished series
     */
    public Step {
      continuing = List.copyOf(continuing);
      added = List.copyOf(added);
      stale = List.copyOf(stale);
    }
  }

  /** Mutable so that a steady state updates in place rather than allocating an entry per series per scrape. */
  private static final class Entry {
    MetricType type;
    MetricPoint point;
    int generation;
    int position;

    Entry(MetricType type, MetricPoint point, int generation, int position) {
      this.type = type;
      this.point = point;
      this.generation = generation;
      this.position = position;
    }
  }

  private record Gone(int position, SeriesUpdate update) {}

  private final SeriesIndex<Entry> index = new SeriesIndex<>();
  private int generation;

  /** A tracker that has seen nothing yet: the first snapshot's series are all new. */
  public SeriesTracker() {}

  /**
   * Takes the target's next snapshot.
   *
   * @param snapshot the snapshot
   * @return the series paired with their previous points, the new ones and the stale ones
   */
  public Step advance(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    int gen = ++generation;
    List<SeriesUpdate> continuing = new ArrayList<>();
    List<SeriesUpdate> added = new ArrayList<>();
    List<Gone> gone = new ArrayList<>();
    int position = 0;
    for (MetricFamily family : snapshot.families()) {
      String name = family.name();
      MetricType type = family.type();
      for (MetricPoint point : family.points()) {
        Labels labels = identity(point.labels());
        Entry e = index.get(name, labels);
        if (e == null) {
          index.put(name, labels, new Entry(type, point, gen, position));
          added.add(new SeriesUpdate(name, type, null, point));
        } else if (e.generation == gen) {
          continue; // a repeated series: the first point stands
        } else if (e.type != type) {
          gone.add(new Gone(e.position, new SeriesUpdate(name, e.type, e.point, null)));
          added.add(new SeriesUpdate(name, type, null, point));
          e.type = type;
          e.point = point;
          e.generation = gen;
          e.position = position;
        } else {
          continuing.add(new SeriesUpdate(name, type, e.point, point));
          e.point = point;
          e.generation = gen;
          e.position = position;
        }
        position++;
      }
    }
    if (index.size() > continuing.size() + added.size()) {
      List<SeriesUpdate> vanished = new ArrayList<>();
      List<Labels> vanishedKeys = new ArrayList<>();
      index.forEach((name, labels, e) -> {
        if (e.generation != gen) {
          SeriesUpdate u = new SeriesUpdate(name, e.type, e.point, null);
          gone.add(new Gone(e.position, u));
          vanished.add(u);
          vanishedKeys.add(labels);
        }
      });
      for (int i = 0; i < vanished.size(); i++) {
        index.remove(vanished.get(i).familyName(), vanishedKeys.get(i));
      }
    }
    gone.sort(Comparator.comparingInt(Gone::position));
    List<SeriesUpdate> stale = new ArrayList<>(gone.size());
    for (Gone g : gone) {
      stale.add(g.update());
    }
    return new Step(continuing, added, stale);
  }

  /** The labels without those whose value is empty: the same instance, without allocating, when there are none. */
  static Labels identity(Labels labels) {
    Labels result = labels;
    for (int i = labels.size() - 1; i >= 0; i--) {
      if (labels.value(i).isEmpty()) {
        result = result.without(labels.name(i));
      }
    }
    return result;
  }

  /**
   * Number of series known from the last snapshot.
   *
   * @return the count
   */
  public int size() {
    return index.size();
  }

  /** Forgets every series: the next snapshot's series are all new and none are reported stale. */
  public void clear() {
    index.clear();
  }
}

package io.github.infermetrics.core.series;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricPoint;
import java.util.Objects;

/**
 * What became of one series between two snapshots of a target: its point then and now.
 *
 * <pre>{@code
 * for (SeriesUpdate u : tracker.advance(snapshot).continuing()) {
 *   if (u.type() == MetricType.COUNTER) {
 *     double perSecond = Rates.rate(((CounterPoint) u.previous()).value(), ((CounterPoint) u.current()).value(), 15);
 *   }
 * }
 * }</pre>
 *
 * @param familyName the family name
 * @param type the family's type
 * @param previous the point in the previous snapshot, or {@code null} for a new series
 * @param current the point in this snapshot, or {@code null} for a series that went stale
 */
public record SeriesUpdate(String familyName, MetricType type, MetricPoint previous, MetricPoint current) {
  /**
   * Validates.
   *
   * @param familyName the family name
   * @param type the family's type
   * @param previous the previous point, or {@code null}
   * @param current the current point, or {@code null}
   */
  public SeriesUpdate {
    Objects.requireNonNull(familyName, "familyName");
    Objects.requireNonNull(type, "type");
    if (previous == null && current == null) {
      throw new IllegalArgumentException("a series update needs a previous or a current point");
    }
  }

  /**
   * The series' labels.
   *
   * @return the labels of the current point, or of the previous one for a stale series
   */
  public Labels labels() {
    return current != null ? current.labels() : previous.labels();
  }

  /**
   * Whether the series appeared in this snapshot.
   *
   * @return true when there is no previous point
   */
  public boolean isNew() {
    return previous == null;
  }

  /**
   * Whether the series was in the previous snapshot but not in this one.
   *
   * @return true when there is no current point
   */
  public boolean isStale() {
    return current == null;
  }
}

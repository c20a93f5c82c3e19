package io.github.infermetrics.core.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pairing successive snapshots of a target and reporting new and stale series. */
class SeriesTrackerTest {

  @Test
  void threeSnapshotsPairSeriesAndReportStaleness() {
    SnapshotReader reader = new SnapshotReader();
    SeriesTracker tracker = new SeriesTracker();

    SeriesTracker.Step first = tracker.advance(read(reader, "# TYPE requests counter\n"
        + "requests{model=\"a\"} 1\nrequests{model=\"b\"} 2\nrequests{model=\"c\"} 3\n"
        + "# TYPE running gauge\nrunning 4\n"));
    assertThat(first.continuing()).isEmpty();
    assertThat(first.stale()).isEmpty();
    assertThat(names(first.added())).containsExactly("requests{model=\"a\"}", "requests{model=\"b\"}",
        "requests{model=\"c\"}", "running{}");
    assertThat(first.added()).allMatch(SeriesUpdate::isNew);

    // b went away, d appeared
    SeriesTracker.Step second = tracker.advance(read(reader, "# TYPE requests counter\n"
        + "requests{model=\"a\"} 11\nrequests{model=\"c\"} 13\nrequests{model=\"d\"} 1\n"
        + "# TYPE running gauge\nrunning 5\n"));
    assertThat(names(second.continuing())).containsExactly("requests{model=\"a\"}", "requests{model=\"c\"}",
        "running{}");
    assertThat(values(second.continuing())).containsExactly("1.0->11.0", "3.0->13.0", "4.0->5.0");
    assertThat(names(second.added())).containsExactly("requests{model=\"d\"}");
    assertThat(names(second.stale())).containsExactly("requests{model=\"b\"}");
    assertThat(second.stale().get(0).isStale()).isTrue();
    assertThat(((CounterPoint) second.stale().get(0).previous()).value()).as("last known point").isEqualTo(2);
    assertThat(tracker.size()).isEqualTo(4);

    // only d is left: a, c and running are stale, in the previous snapshot's order; d continues from 1
    SeriesTracker.Step third = tracker.advance(read(reader, "# TYPE requests counter\nrequests{model=\"d\"} 6\n"));
    assertThat(names(third.continuing())).containsExactly("requests{model=\"d\"}");
    assertThat(values(third.continuing())).containsExactly("1.0->6.0");
    assertThat(third.added()).isEmpty();
    assertThat(names(third.stale())).containsExactly("requests{model=\"a\"}", "requests{model=\"c\"}", "running{}");
    assertThat(tracker.size()).isEqualTo(1);

    // b is back: new again, as it was forgotten when it went stale
    SeriesTracker.Step fourth = tracker.advance(read(reader, "# TYPE requests counter\n"
        + "requests{model=\"b\"} 2\nrequests{model=\"d\"} 7\n"));
    assertThat(names(fourth.added())).containsExactly("requests{model=\"b\"}");
    assertThat(names(fourth.continuing())).containsExactly("requests{model=\"d\"}");
  }

  @Test
  void anEmptyLabelValueIsTheSameSeriesAsNoLabelAsInPrometheus() {
    SnapshotReader reader = new SnapshotReader();
    SeriesTracker tracker = new SeriesTracker();
    tracker.advance(read(reader, "# TYPE requests counter\nrequests{model=\"a\",version=\"\"} 1\n"));

    SeriesTracker.Step next = tracker.advance(read(reader, "# TYPE requests counter\nrequests{model=\"a\"} 4\n"));

    assertThat(next.added()).isEmpty();
    assertThat(next.stale()).isEmpty();
    assertThat(values(next.continuing())).containsExactly("1.0->4.0");
    assertThat(next.continuing().get(0).labels()).isEqualTo(Labels.of("model", "a"));
  }

  @Test
  void aFamilyChangingTypeEndsItsSeries() {
    SeriesTracker tracker = new SeriesTracker();
    tracker.advance(snapshot(MetricFamily.of("x", MetricType.COUNTER, null, null,
        List.of(CounterPoint.of(Labels.of("a", "1"), 5)))));
    SeriesTracker.Step step = tracker.advance(snapshot(MetricFamily.of("x", MetricType.GAUGE, null, null,
        List.of(new GaugePoint(Labels.of("a", "1"), 7, MetricPoint.NO_TIMESTAMP)))));
    assertThat(step.continuing()).isEmpty();
    assertThat(step.stale()).singleElement().satisfies(u -> assertThat(u.type()).isEqualTo(MetricType.COUNTER));
    assertThat(step.added()).singleElement().satisfies(u -> assertThat(u.type()).isEqualTo(MetricType.GAUGE));
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void aRepeatedSeriesKeepsItsFirstPoint() {
    SeriesTracker tracker = new SeriesTracker();
    Labels l = Labels.of("a", "1");
    SeriesTracker.Step step = tracker.advance(snapshot(MetricFamily.of("x", MetricType.COUNTER, null, null,
        List.of(CounterPoint.of(l, 5), CounterPoint.of(Labels.of("a", "1"), 9)))));
    assertThat(step.added()).singleElement()
        .satisfies(u -> assertThat(((CounterPoint) u.current()).value()).isEqualTo(5));
    SeriesTracker.Step next = tracker.advance(snapshot(MetricFamily.of("x", MetricType.COUNTER, null, null,
        List.of(CounterPoint.of(l, 6)))));
    assertThat(values(next.continuing())).containsExactly("5.0->6.0");
    assertThat(next.stale()).isEmpty();
  }

  @Test
  void clearForgetsEverything() {
    SeriesTracker tracker = new SeriesTracker();
    MetricSnapshot s = snapshot(MetricFamily.of("x", MetricType.COUNTER, null, null,
        List.of(CounterPoint.of(Labels.EMPTY, 1))));
    tracker.advance(s);
    tracker.clear();
    SeriesTracker.Step step = tracker.advance(s);
    assertThat(step.added()).hasSize(1);
    assertThat(step.stale()).isEmpty();
  }

  private static MetricSnapshot read(SnapshotReader reader, String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MetricSnapshot snapshot(MetricFamily... families) {
    return MetricSnapshot.of(null, List.of(families));
  }

  private static List<String> names(List<SeriesUpdate> updates) {
    return updates.stream().map(u -> u.familyName() + u.labels()).collect(Collectors.toList());
  }

  private static List<String> values(List<SeriesUpdate> updates) {
    return updates.stream().map(u -> value(u.previous()) + "->" + value(u.current())).collect(Collectors.toList());
  }

  private static double value(MetricPoint p) {
    return p instanceof CounterPoint ? ((CounterPoint) p).value() : ((GaugePoint) p).value();
  }
}

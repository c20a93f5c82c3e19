package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.series.Rates;
import java.time.Duration;

/**
 * A source of the test class path, registered in its META-INF/services like a user's own: a queue service that
 * exposes {@code my_queue_waiting} and {@code my_queue_done_total}. The README's custom-source example.
 */
public final class QueueSource implements KpiSource {
  static final Measure WAITING = Measure.of(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, "WAITING");
  static final Measure DONE = Measure.of("done", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "DONE/S",
      "Jobs finished per second");

  @Override
  public String name() {
    return "myqueue";
  }

  @Override
  public String description() {
    return "our queue service: my_queue_waiting, my_queue_done_total";
  }

  @Override
  public double recognize(MetricSnapshot s) {
    return s.family("my_queue_waiting").isPresent() ? 1 : 0;
  }

  @Override
  public KpiWindow between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
    if (recognize(current) == 0) {
      throw new IllegalArgumentException("no my_queue_waiting in the exposition");
    }
    MeasuredWindow.Builder w = MeasuredWindow.builder(name(), window);
    for (MetricPoint p : current.select("my_queue_waiting")) {
      w.gauge(WAITING, p.labels(), ((GaugePoint) p).value());
    }
    for (MetricPoint p : current.select("my_queue_done_total")) {
      for (MetricPoint before : previous.select("my_queue_done_total")) {
        if (before.labels().equals(p.labels())) {
          double done = Rates.increase(((CounterPoint) before).value(), ((CounterPoint) p).value());
          w.put(DONE, p.labels(), done / MeasuredWindow.seconds(window));
        }
      }
    }
    return w.build();
  }
}

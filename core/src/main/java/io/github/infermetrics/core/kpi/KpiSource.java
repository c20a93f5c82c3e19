package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.util.Optional;

/**
 * A serving stack infermetrics understands: it recognises the stack's metric families in a scrape and computes its
 * KPIs between two scrapes. Each source module provides one ({@code triton}, {@code vllm}, {@code neuron}, ...),
 * registered for {@link java.util.ServiceLoader} with a {@code provides} clause in its {@code module-info.java}
 * and a {@code META-INF/services/io.github.infermetrics.core.kpi.KpiSource} file, so that
 * {@link KpiSources#installed()}, {@code infermetrics sources}, {@code kpi --source auto}, {@code watch} and the
 * dashboards find every source on the class or module path. A source of your own plugs in the same way.
 *
 * <pre>{@code
 * public final class QueueSource implements KpiSource {
 *   static final Measure WAITING = Measure.of(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, "WAITING");
 *
 *   public String name() { return "myqueue"; }
 *   public String description() { return "my_queue_waiting gauge of our queue service"; }
 *   public double recognize(MetricSnapshot s) { return s.family("my_queue_waiting").isPresent() ? 1 : 0; }
 *   public KpiWindow between(MetricSnapshot previous, MetricSnapshot current, Duration window) {
 *     List<MeasureValue> values = new ArrayList<>();
 *     for (MetricPoint p : current.select("my_queue_waiting")) {
 *       values.add(new MeasureValue(WAITING, p.labels(), ((GaugePoint) p).value()));
 *     }
 *     return MeasuredWindow.of(name(), window, values);
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe; per-target state lives in the pipeline.
 */
public interface KpiSource {
  /**
   * The confidence at or above which {@link KpiSources#detect} takes a source for a scrape.
   */
  double RECOGNIZED = 0.5;

  /**
   * The source's name: the {@code source} dimension of its KPIs, the {@code --source} value, the name in
   * {@code infermetrics sources}.
   *
   * @return lower case, for example {@code vllm}
   */
  String name();

  /**
   * What it recognises, in one line, for {@code infermetrics sources} and error messages.
   *
   * @return for example {@code our queue service: my_queue_waiting, my_queue_done_total}
   */
  String description();

  /**
   * How confidently this scrape is one of this source's: 0 when none of its families are there, 1 when its
   * defining families are; {@link #RECOGNIZED} and above counts as recognised. Decide from the families' names and
   * types only: a pipeline asks again only when a target's families change, not on every scrape.
   *
   * @param snapshot a scrape
   * @return from 0 to 1
   */
  double recognize(MetricSnapshot snapshot);

  /**
   * The KPIs between two scrapes of the same target.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the window
   * @throws IllegalArgumentException when {@code window} is not positive, or the current scrape has none of this
   *     source's families (the message says which families were looked for)
   */
  KpiWindow between(MetricSnapshot previous, MetricSnapshot current, Duration window);

  /**
   * The dashboards' view of this source: its panels, with the PromQL (including fallbacks for older metric names)
   * and the KPIs to chart from CloudWatch. The cloudwatch module renders it; it knows no source's names itself.
   *
   * @return the dashboard, or empty when the source has none
   */
  default Optional<SourceDashboard> dashboard() {
    return Optional.empty();
  }
}

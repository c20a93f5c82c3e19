package io.github.infermetrics.spring;

import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.TargetWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A consumer that drops the windows of a target that arrive after the consumer was told the target was removed.
 *
 * <p>Why: {@link io.github.infermetrics.core.pipeline.KpiPipeline#remove} cancels a target's schedule and tells the
 * consumers, but a scrape already past its cancellation check still computes its window and hands it over, after
 * {@link KpiConsumer#removed}. {@link io.github.infermetrics.core.micrometer.WindowMetrics} would then make meters
 * again for a target that is gone, and nothing would ever remove them: with discovery, every pod that goes would
 * risk leaving a set of meters behind. A late window is one whose later scrape started before the removal
 * ({@link TargetWindow#at()}); a new target of the same name (a pod with a new address) scrapes twice after it was
 * added, so its windows pass.
 */
final class LateWindowFilter implements KpiConsumer {
  /** Longer than any scrape in flight at a removal can take to deliver its window. */
  private static final Duration REMEMBERED = Duration.ofMinutes(10);
  private static final int STRIPES = 64;

  private final KpiConsumer consumer;
  private final Supplier<Instant> clock;
  private final Map<String, Instant> removedAt = new ConcurrentHashMap<>();
  /** A removal and a window of one target are never handled at once; different targets mostly are. */
  private final Object[] locks = new Object[STRIPES];

  LateWindowFilter(KpiConsumer consumer, Supplier<Instant> clock) {
    this.consumer = consumer;
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  static KpiConsumer of(KpiConsumer consumer) {
    return new LateWindowFilter(consumer, Instant::now);
  }

  @Override
  public void accept(TargetWindow window) {
    synchronized (lock(window.target())) {
      Instant removed = removedAt.get(window.target());
      if (removed != null) {
        if (!window.at().isAfter(removed)) {
          return;
        }
        removedAt.remove(window.target(), removed); // the target came back: its windows pass from now on
      }
      consumer.accept(window);
    }
  }

  @Override
  public void removed(String target) {
    Instant now = clock.get();
    synchronized (lock(target)) {
      removedAt.put(target, now);
      consumer.removed(target);
    }
    Instant forget = now.minus(REMEMBERED);
    removedAt.values().removeIf(at -> at.isBefore(forget));
  }

  @Override
  public String toString() {
    return consumer.toString();
  }

  private Object lock(String target) {
    return locks[Math.floorMod(target.hashCode(), STRIPES)];
  }
}

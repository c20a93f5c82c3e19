package io.github.infermetrics.core.micrometer;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The Micrometer binder of any source's {@link KpiWindow}s, and the engine of every source module's binder
 * ({@code TritonMetrics}, {@code VllmMetrics}, ...): every {@link MeasureValue} becomes a gauge. Core KPIs are named
 * by the shared vocabulary ({@code time.to.first.token.p95}), a source's own measures by the source's name and the
 * measure ({@code vllm.prefix.cache.hit}, {@code triton.compute.infer.mean}); either way dotted, with the unit as
 * the meter's base unit, so each registry's naming convention spells them its way (Prometheus:
 * {@code time_to_first_token_p95_seconds}, {@code vllm_prefix_cache_hit_ratio}). Tags: the value's dimensions
 * ({@code model}, {@code engine}, {@code device}, ...), {@code source}, {@code target} when there is one, and the
 * extra tags.
 *
 * <pre>{@code
 * WindowMetrics meters = new WindowMetrics(Tags.of("cluster", "prod"));
 * meters.bindTo(registry);
 * pipeline.addConsumer(meters);          // every target's windows, tagged target=...; or:
 * meters.update(window, "vllm-0:8000");  // one window of one target
 * }</pre>
 *
 * <p>A value missing from an update of the same source and target (no traffic, so no latency) reads NaN until it
 * comes back; after the removal threshold ({@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} by default) its meter is
 * removed, and a target removed from the pipeline loses its meters at once. Meters a registry refuses are counted
 * ({@link #rejectedMeters()}). Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class WindowMetrics implements MeterBinder, KpiConsumer, AutoCloseable {
  private final Object lock = new Object();
  private final MeterSet meters;
  private final int missesBeforeRemoval;
  private long generation;

  private record Key(String name, Labels labels) {}

  private record Owner(String source, String target) {}

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public WindowMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public WindowMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
    if (missesBeforeRemoval < 1) {
      throw new IllegalArgumentException("missesBeforeRemoval must be at least 1: " + missesBeforeRemoval);
    }
    this.meters = new MeterSet(Tags.of(Objects.requireNonNull(extraTags, "extraTags")));
    this.missesBeforeRemoval = missesBeforeRemoval;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      meters.bindTo(registry);
    }
  }

  /**
   * Takes a window without a target tag (give the binder a {@code target} tag of its own when it watches one
   * target).
   *
   * @param window the window
   */
  public void update(KpiWindow window) {
    update(window, "");
  }

  /**
   * Takes one target's window of one source.
   *
   * @param window the window
   * @param target the target's name, or {@code ""} for none
   */
  public void update(KpiWindow window, String target) {
    Objects.requireNonNull(window, "window");
    update(window.source(), window.values(), target);
  }

  private void update(String source, java.util.List<MeasureValue> values, String target) {
    Objects.requireNonNull(target, "target");
    synchronized (lock) {
      long gen = ++generation;
      Owner owner = new Owner(source, target);
      for (MeasureValue v : values) {
        Labels labels = v.dimensions().with(KpiDimension.SOURCE, source);
        if (!target.isEmpty()) {
          labels = labels.with(KpiDimension.TARGET, target);
        }
        String name = v.measure().meterName(source);
        MeterSet.Value m = meters.value(new Key(name, labels), name, tags(labels), v.measure().description(),
            v.measure().unit().meterBaseUnit(), false);
        MeterSet.push(m, v.value(), owner, gen);
      }
      meters.expire(owner, gen, missesBeforeRemoval);
    }
  }

  /**
   * Takes every source's window of a target, tagged with its name: the pipeline consumer.
   *
   * @param window the target's window
   */
  @Override
  public void accept(TargetWindow window) {
    for (SourceWindow s : window.sources()) {
      update(s.source(), s.values(), window.target()); // with the derived goodput and saturation
    }
  }

  /**
   * Removes a target's meters at once.
   *
   * @param target the target's name
   */
  @Override
  public void removed(String target) {
    synchronized (lock) {
      meters.removeIf(v -> ((Owner) v.owner).target().equals(target));
    }
  }

  /**
   * Number of values with meters.
   *
   * @return the count
   */
  public int size() {
    synchronized (lock) {
      return meters.size();
    }
  }

  /**
   * Meters a registry refused so far (each bound registry counts apart).
   *
   * @return the count
   */
  public long rejectedMeters() {
    synchronized (lock) {
      return meters.rejected();
    }
  }

  /** Removes every meter. */
  @Override
  public void close() {
    synchronized (lock) {
      meters.clear();
    }
  }

  static Tags tags(Labels labels) {
    Tags tags = Tags.empty();
    for (int i = 0; i < labels.size(); i++) {
      tags = tags.and(labels.name(i), labels.value(i));
    }
    return tags;
  }
}

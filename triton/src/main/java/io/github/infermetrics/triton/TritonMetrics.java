package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes {@link TritonKpis} as Micrometer gauges. The measures that are core KPIs go through core's
 * {@link KpiMetrics}, named like everywhere else ({@code request_rate_per_second},
 * {@code queue_time_seconds_mean}, {@code time_to_first_token_seconds_p95}, {@code accelerator_utilization_ratio},
 * ...) and tagged {@code model}, {@code model_version}, {@code device} (the GPU), {@code namespace},
 * {@code reason}, {@code source=triton} and {@code target}; the Triton-only measures are named {@code triton_}
 * plus their column name ({@code triton_cache_hit_ratio}, {@code triton_inference_rate_per_second},
 * {@code triton_power_average_watts}, ...) with the same model and device tags and {@code target}. Every meter
 * also gets the extra tags.
 *
 * <pre>{@code
 * TritonMetrics triton = new TritonMetrics(Tags.of("cluster", "prod"));
 * triton.bindTo(registry);
 * // every 15 s, from two scrapes of http://triton-0:8002/metrics
 * triton.update(TritonKpis.between(previous, current, 15), "triton-0", Instant.now());
 * }</pre>
 *
 * <p>A value missing from an update (no traffic, so no latency) reads NaN until it comes back; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates of the same target without it (a model unloaded) its
 * meter is removed. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class TritonMetrics implements MeterBinder, AutoCloseable {
  /** The name prefix of the Triton-only meters. */
  public static final String PREFIX = "triton_";

  private final Object lock = new Object();
  private final KpiMetrics kpis;
  private final Tags extraTags;
  private final int missesBeforeRemoval;
  private final List<MeterRegistry> registries = new ArrayList<>();
  private final Map<Key, Pushed> extras = new HashMap<>();
  private long generation;

  private record Key(String name, Labels tags, String target) {}

  /** One Triton-only value and its meter in each bound registry (null where a registry refused it). */
  private static final class Pushed {
    final Key key;
    final List<Meter> meters = new ArrayList<>();
    volatile double value;
    long lastUpdate;
    int missedUpdates;

    Pushed(Key key) {
      this.key = key;
    }

    double value() {
      return value;
    }
  }

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public TritonMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   * @throws IllegalArgumentException when {@code missesBeforeRemoval} is below 1
   */
  public TritonMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
    this.extraTags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
    this.kpis = new KpiMetrics(this.extraTags, missesBeforeRemoval);
    this.missesBeforeRemoval = missesBeforeRemoval;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      kpis.bindTo(registry);
      registries.add(registry);
      for (Pushed p : extras.values()) {
        register(p, registry);
      }
    }
  }

  /**
   * Takes a window's KPIs of one target.
   *
   * @param window the KPIs
   * @param target the scraped endpoint (becomes the {@code target} tag), or {@code ""}
   * @param at the end of the window
   */
  public void update(TritonKpis window, String target, Instant at) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      kpis.update(window.toKpiSet(target, at));
      long gen = ++generation;
      for (ModelKpis m : window.models()) {
        Labels dims = TritonKpis.dimensions(m.key());
        m.values().forEach((measure, value) -> {
          if (measure.kpi().isEmpty()) {
            push(measure, dims, target, value, gen);
          }
        });
      }
      for (GpuKpis g : window.gpus()) {
        Labels dims = Labels.of(KpiDimension.DEVICE, g.uuid());
        g.values().forEach((measure, value) -> {
          if (measure.kpi().isEmpty()) {
            push(measure, dims, target, value, gen);
          }
        });
      }
      window.server().values().forEach((measure, value) -> push(measure, Labels.EMPTY, target, value, gen));
      for (Iterator<Pushed> it = extras.values().iterator(); it.hasNext(); ) {
        Pushed p = it.next();
        if (p.lastUpdate == gen || !p.key.target().equals(target)) {
          continue; // updated now, or another target's value
        }
        p.value = Double.NaN;
        if (++p.missedUpdates >= missesBeforeRemoval) {
          removeMeters(p);
          it.remove();
        }
      }
    }
  }

  /**
   * Takes a window's KPIs, without a target, ending now.
   *
   * @param window the KPIs
   */
  public void update(TritonKpis window) {
    update(window, "", Instant.now());
  }

  /**
   * Number of values with meters, core KPIs and Triton-only measures together.
   *
   * @return the count
   */
  public int size() {
    synchronized (lock) {
      return kpis.size() + extras.size();
    }
  }

  /** Removes every meter. */
  @Override
  public void close() {
    synchronized (lock) {
      kpis.close();
      extras.values().forEach(this::removeMeters);
      extras.clear();
    }
  }

  private void push(TritonMeasure measure, Labels dims, String target, double value, long gen) {
    Labels tags = target.isEmpty() ? dims : dims.with(KpiDimension.TARGET, target);
    Key key = new Key(PREFIX + measure.columnName(), tags, target);
    Pushed p = extras.get(key);
    if (p == null) {
      p = new Pushed(key);
      extras.put(key, p);
      for (MeterRegistry r : registries) {
        register(p, r);
      }
    }
    p.value = value;
    p.lastUpdate = gen;
    p.missedUpdates = 0;
  }

  private void register(Pushed p, MeterRegistry registry) {
    Tags tags = extraTags;
    Labels l = p.key.tags();
    for (int i = 0; i < l.size(); i++) {
      tags = tags.and(l.name(i), l.value(i));
    }
    Meter m;
    try {
      m = Gauge.builder(p.key.name(), p, Pushed::value).tags(tags).strongReference(true).register(registry);
    } catch (RuntimeException e) {
      // a registry may refuse a meter (Prometheus wants one set of tag keys per name): skip it
      m = null;
    }
    p.meters.add(m);
  }

  private void removeMeters(Pushed p) {
    for (int i = 0; i < p.meters.size(); i++) {
      Meter m = p.meters.get(i);
      if (m != null) {
        registries.get(i).remove(m);
      }
    }
  }
}

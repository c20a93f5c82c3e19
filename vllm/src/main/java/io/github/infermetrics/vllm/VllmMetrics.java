package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Publishes {@link VllmKpis} as Micrometer gauges tagged {@code model} (plus {@code model_version} behind Triton),
 * {@code engine} for per-engine values, {@code source=vllm}, {@code target} and the extra tags. The shared KPIs go
 * through core's {@link KpiMetrics} under their shared names ({@code time_to_first_token_seconds_p95},
 * {@code generation_token_rate_per_second}, ...); the vLLM-only ones are named {@code vllm_} plus their
 * {@link VllmMeasure#columnName()} ({@code vllm_goodput_per_second}, {@code vllm_prefix_cache_hit_ratio}) or
 * {@code vllm_<latency>_seconds_<statistic>} ({@code vllm_prefill_time_seconds_p99}).
 *
 * <pre>{@code
 * VllmMetrics vllm = new VllmMetrics("vllm-0:8000", Tags.of("cluster", "prod"));
 * vllm.bindTo(registry);
 * VllmSnapshot previous = null;
 * // after each scrape, 15 s apart:
 * VllmSnapshot current = VllmSnapshot.of(result.snapshot());
 * if (previous != null) {
 *   vllm.update(VllmKpis.between(previous, current, 15), Instant.now());
 * }
 * previous = current;
 * }</pre>
 *
 * <p>A value missing from an update (no requests in the window) reads NaN; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it (a model unloaded) its gauge is removed.
 * Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class VllmMetrics implements MeterBinder, AutoCloseable {
  /** Measures that the shared vocabulary already carries (through {@link KpiMetrics}). */
  private static final Set<VllmMeasure> SHARED = EnumSet.of(VllmMeasure.REQUEST_RATE, VllmMeasure.ERROR_RATE,
      VllmMeasure.ERROR_RATIO, VllmMeasure.PROMPT_TOKEN_RATE, VllmMeasure.GENERATION_TOKEN_RATE,
      VllmMeasure.KV_CACHE_USAGE);

  private final Object lock = new Object();
  private final String target;
  private final Tags extraTags;
  private final KpiMetrics shared;
  private final List<MeterRegistry> registries = new ArrayList<>();
  private final Map<Key, Holder> extras = new LinkedHashMap<>();

  private record Key(String name, Labels dimensions) {}

  /** One vLLM-only value and its gauges. */
  private static final class Holder {
    volatile double value = Double.NaN;
    int misses;
    final List<Gauge> gauges = new ArrayList<>();
  }

  /**
   * A binder for one scraped vLLM server.
   *
   * @param target the scraped endpoint (the {@code target} tag), or {@code ""}
   * @param extraTags tags for every meter
   */
  public VllmMetrics(String target, Iterable<Tag> extraTags) {
    this.target = Objects.requireNonNull(target, "target");
    this.extraTags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
    this.shared = new KpiMetrics(this.extraTags);
  }

  /**
   * A binder without a target tag.
   *
   * @param extraTags tags for every meter
   */
  public VllmMetrics(Iterable<Tag> extraTags) {
    this("", extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      shared.bindTo(registry);
      registries.add(registry);
      extras.forEach((k, h) -> register(registry, k, h));
    }
  }

  /**
   * Takes a window's KPIs.
   *
   * @param kpis the KPIs
   * @param at the end of the window
   */
  public void update(VllmKpis kpis, Instant at) {
    Objects.requireNonNull(kpis, "kpis");
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      shared.update(kpis.toKpiSet(target, at));
      Map<Key, Double> now = new LinkedHashMap<>();
      List<VllmWindow> all = new ArrayList<>(kpis.models());
      all.addAll(kpis.engines());
      for (VllmWindow w : all) {
        for (VllmMeasure m : VllmMeasure.values()) {
          if (!SHARED.contains(m)) {
            put(now, "vllm_" + m.columnName(), w.key(), w.get(m));
          }
        }
        for (VllmLatency l : VllmLatency.values()) {
          if (l.kpi().isEmpty()) {
            LatencyStats s = w.latency(l);
            String base = "vllm_" + l.id() + "_seconds_";
            put(now, base + "mean", w.key(), s.mean());
            put(now, base + "p50", w.key(), s.p50());
            put(now, base + "p90", w.key(), s.p90());
            put(now, base + "p95", w.key(), s.p95());
            put(now, base + "p99", w.key(), s.p99());
          }
        }
      }
      now.forEach((k, v) -> {
        Holder h = extras.get(k);
        if (h == null) {
          h = new Holder();
          extras.put(k, h);
          for (MeterRegistry r : registries) {
            register(r, k, h);
          }
        }
        h.value = v;
        h.misses = 0;
      });
      for (Iterator<Map.Entry<Key, Holder>> it = extras.entrySet().iterator(); it.hasNext();) {
        Map.Entry<Key, Holder> e = it.next();
        if (now.containsKey(e.getKey())) {
          continue;
        }
        Holder h = e.getValue();
        h.value = Double.NaN;
        if (++h.misses >= KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL) {
          remove(h);
          it.remove();
        }
      }
    }
  }

  private static void put(Map<Key, Double> into, String name, Labels dims, OptionalDouble v) {
    if (v.isPresent()) {
      into.put(new Key(name, dims), v.getAsDouble());
    }
  }

  private void register(MeterRegistry registry, Key key, Holder h) {
    Tags tags = extraTags.and(KpiDimension.SOURCE, VllmKpis.SOURCE);
    if (!target.isEmpty()) {
      tags = tags.and(KpiDimension.TARGET, target);
    }
    for (int i = 0; i < key.dimensions().size(); i++) {
      tags = tags.and(key.dimensions().name(i), key.dimensions().value(i));
    }
    try {
      h.gauges.add(Gauge.builder(key.name(), h, x -> x.value).tags(tags).register(registry));
    } catch (IllegalArgumentException refused) {
      // a registry may refuse a meter (for example other tag keys under one name): skip it, never throw
    }
  }

  private void remove(Holder h) {
    for (Gauge g : h.gauges) {
      for (MeterRegistry r : registries) {
        r.remove(g);
      }
    }
    h.gauges.clear();
  }

  /**
   * Number of vLLM-only values with gauges (the shared KPIs are counted by {@link KpiMetrics#size()}).
   *
   * @return the count
   */
  public int extraSize() {
    synchronized (lock) {
      return extras.size();
    }
  }

  /** Removes every meter. */
  @Override
  public void close() {
    synchronized (lock) {
      shared.close();
      extras.values().forEach(this::remove);
      extras.clear();
    }
  }
}

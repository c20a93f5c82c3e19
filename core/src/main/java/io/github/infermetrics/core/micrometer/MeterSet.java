package io.github.infermetrics.core.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Meters whose values are pushed from outside (a scrape, a KPI computation) into one or more registries: each
 * value has one meter per bound registry, reading a volatile field. Values not pushed in an update are handled by
 * the caller's staleness rule. Not thread-safe by itself: the binders call it under their lock.
 */
final class MeterSet {
  private final Tags extraTags;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<Object, Value> values = new HashMap<>();
  private long rejected;

  /** One pushed value and its meters, one per bound registry (null where the registry refused it). */
  static final class Value {
    final Object key;
    final String name;
    final Tags tags;
    final String description;
    final String baseUnit;
    final boolean counter;
    final List<Meter> meters = new ArrayList<>();
    volatile double value;
    long lastUpdate;
    int missedUpdates;

    Value(Object key, String name, Tags tags, String description, String baseUnit, boolean counter) {
      this.key = key;
      this.name = name;
      this.tags = tags;
      this.description = description;
      this.baseUnit = baseUnit;
      this.counter = counter;
    }

    double value() {
      return value;
    }
  }

  MeterSet(Tags extraTags) {
    this.extraTags = Objects.requireNonNull(extraTags, "extraTags");
  }

  void bindTo(MeterRegistry registry) {
    registries.add(registry);
    for (Value v : values.values()) {
      register(v, registry);
    }
  }

  /** The value for this key, created (and registered everywhere) on first use. */
  Value value(Object key, String name, Tags tags, String description, String baseUnit, boolean counter) {
    Value v = values.get(key);
    if (v == null) {
      v = new Value(key, name, extraTags.and(tags), description, baseUnit, counter);
      values.put(key, v);
      for (MeterRegistry r : registries) {
        register(v, r);
      }
    }
    return v;
  }

  /** Removes the values that {@code stale} says to drop; visits every value once. */
  void removeIf(java.util.function.Predicate<Value> stale) {
    for (Iterator<Value> it = values.values().iterator(); it.hasNext(); ) {
      Value v = it.next();
      if (stale.test(v)) {
        removeMeters(v);
        it.remove();
      }
    }
  }

  void clear() {
    for (Value v : values.values()) {
      removeMeters(v);
    }
    values.clear();
  }

  int size() {
    return values.size();
  }

  long rejected() {
    return rejected;
  }

  private void removeMeters(Value v) {
    for (int i = 0; i < v.meters.size(); i++) {
      Meter m = v.meters.get(i);
      if (m != null) {
        registries.get(i).remove(m);
      }
    }
  }

  private void register(Value v, MeterRegistry registry) {
    Meter m;
    try {
      if (v.counter) {
        m = FunctionCounter.builder(v.name, v, Value::value).tags(v.tags).description(v.description)
            .baseUnit(v.baseUnit).register(registry);
      } else {
        m = Gauge.builder(v.name, v, Value::value).tags(v.tags).description(v.description).baseUnit(v.baseUnit)
            .strongReference(true).register(registry);
      }
    } catch (RuntimeException e) {
      // a registry may refuse a meter (Prometheus wants one set of tag keys per name): skip it, count it
      rejected++;
      m = null;
    }
    v.meters.add(m);
  }
}

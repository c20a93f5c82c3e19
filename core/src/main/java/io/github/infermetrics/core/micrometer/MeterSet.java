package io.github.infermetrics.core.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The one engine of every binder here and in the source modules: values pushed from outside (a scrape, a KPI
 * window) into one or more registries, each value with one meter per bound registry reading a volatile field.
 * Values not pushed in an update go stale by the caller's rule. A meter a registry refuses, by throwing or through
 * its registration-failure listener (Prometheus wants one set of tag keys per name), is counted in
 * {@link #rejected()}. Not thread-safe by itself: the binders call it under their lock.
 */
final class MeterSet {
  private final Tags extraTags;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<Object, Value> values = new HashMap<>();
  private long rejected;
  // the value being registered and by which thread, for the registration-failure listener, which registries call
  // synchronously on the registering thread (other binders' failures on other threads are not ours)
  private volatile Value registering;
  private volatile Thread registeringThread;

  /** One pushed value and its meters, one per bound registry (null where the registry refused it). */
  static final class Value {
    final Object key;
    final String name;
    final Tags tags;
    final String description;
    final String baseUnit;
    final boolean counter;
    final List<Meter> meters = new ArrayList<>();
    volatile double value = Double.NaN;
    long lastUpdate;
    int missedUpdates;
    Object owner;

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
    WeakReference<MeterSet> self = new WeakReference<>(this);
    registry.config().onMeterRegistrationFailed((id, reason) -> {
      MeterSet s = self.get();
      if (s != null) {
        s.registrationFailed();
      }
    });
    for (Value v : values.values()) {
      register(v, registry);
    }
  }

  private void registrationFailed() {
    if (registering != null && registeringThread == Thread.currentThread()) {
      rejected++;
      registering = null; // count a meter once, however many times a registry complains of it
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
  void removeIf(Predicate<Value> stale) {
    for (Iterator<Value> it = values.values().iterator(); it.hasNext(); ) {
      Value v = it.next();
      if (stale.test(v)) {
        removeMeters(v);
        it.remove();
      }
    }
  }

  /**
   * Marks the values of one owner that this update did not push: NaN now, removed after {@code missesAllowed}
   * such updates.
   */
  void expire(Object owner, long generation, int missesAllowed) {
    removeIf(v -> {
      if (v.lastUpdate == generation || !Objects.equals(v.owner, owner)) {
        return false; // updated now, or another owner's value
      }
      v.value = Double.NaN;
      return ++v.missedUpdates >= missesAllowed;
    });
  }

  /** Sets a value in an update: its owner, its generation, no misses. */
  static void push(Value v, double value, Object owner, long generation) {
    v.value = value;
    v.owner = owner;
    v.lastUpdate = generation;
    v.missedUpdates = 0;
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
    registeringThread = Thread.currentThread();
    registering = v;
    try {
      if (v.counter) {
        m = FunctionCounter.builder(v.name, v, Value::value).tags(v.tags).description(v.description)
            .baseUnit(v.baseUnit).register(registry);
      } else {
        m = Gauge.builder(v.name, v, Value::value).tags(v.tags).description(v.description).baseUnit(v.baseUnit)
            .strongReference(true).register(registry);
      }
    } catch (RuntimeException e) {
      // a registry may refuse a meter by throwing: skip it, count it (unless its listener counted it already)
      if (registering != null) {
        rejected++;
      }
      m = null;
    } finally {
      registering = null;
      registeringThread = null;
    }
    v.meters.add(m);
  }
}

package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Saturation;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One target's server-side KPIs over one pipeline window, reduced to the numbers a load test follows over time: one
 * value per gauge for the model under test (or the whole server), and for its accelerators.
 *
 * @param seconds the window's end, seconds from the run's start
 * @param target the target's name
 * @param values the gauges it had
 */
record ServerSample(double seconds, String target, Map<Gauge, Double> values) {
  ServerSample {
    values = java.util.Collections.unmodifiableMap(values.isEmpty() ? new EnumMap<>(Gauge.class)
        : new EnumMap<>(values));
  }

  /** What a sample holds, and how a window's values become one. */
  enum Gauge {
    /** KV-cache use, 0-1: the fullest model's. */
    KV_CACHE_USAGE("kv_cache_usage", Kpi.KV_CACHE_USAGE, Scope.MODEL_MAX),
    /** Requests waiting. */
    QUEUE_DEPTH("queue_depth", Kpi.QUEUE_DEPTH, Scope.MODEL_SUM),
    /** Requests in the running batch (vLLM, SGLang), or inferences per execution (Triton). */
    BATCH_SIZE("batch_size", Kpi.BATCH_SIZE, Scope.MODEL_MAX),
    /** Requests completed per second. */
    REQUEST_RATE("request_rate", Kpi.REQUEST_RATE, Scope.MODEL_SUM),
    /** Failed requests per second. */
    ERROR_RATE("error_rate", Kpi.ERROR_RATE, Scope.MODEL_SUM),
    /** Output tokens per second. */
    GENERATION_TOKEN_RATE("generation_tokens_per_second", Kpi.GENERATION_TOKEN_RATE, Scope.MODEL_SUM),
    /** Prompt tokens per second. */
    PROMPT_TOKEN_RATE("prompt_tokens_per_second", Kpi.PROMPT_TOKEN_RATE, Scope.MODEL_SUM),
    /** The saturation KPI, 0-1: the most saturated model's. */
    SATURATION("saturation", Kpi.SATURATION, Scope.MODEL_MAX),
    /** Accelerator use, 0-1: the target's overall value, else the mean over its devices. */
    ACCELERATOR_UTILIZATION("accelerator_utilization", Kpi.ACCELERATOR_UTILIZATION, Scope.ACCELERATOR),
    /** Accelerator memory in use, bytes, over all devices. */
    ACCELERATOR_MEMORY_USED("accelerator_memory_used_bytes", Kpi.ACCELERATOR_MEMORY_USED, Scope.DEVICE_SUM),
    /** Accelerator memory, bytes, over all devices. */
    ACCELERATOR_MEMORY_TOTAL("accelerator_memory_total_bytes", Kpi.ACCELERATOR_MEMORY_TOTAL, Scope.DEVICE_SUM),
    /** Power, watts, over all devices. */
    POWER("power_watts", Kpi.POWER, Scope.DEVICE_SUM),
    /**
     * Devices with a utilisation or memory value: GPUs (dcgm-exporter, Triton), NeuronCores (neuron-monitor, whose
     * device dimension is the core).
     */
    DEVICES("devices", null, Scope.DEVICE_COUNT);

    final String key;
    final Kpi kpi;
    final Scope scope;

    Gauge(String key, Kpi kpi, Scope scope) {
      this.key = key;
      this.kpi = kpi;
      this.scope = scope;
    }
  }

  /** Which values of a window a gauge takes, and how it combines them. */
  private enum Scope {
    MODEL_MAX, MODEL_SUM, ACCELERATOR, DEVICE_SUM, DEVICE_COUNT
  }

  /**
   * Reduces a target's window.
   *
   * @param seconds the window's end from the run's start
   * @param target the target's name
   * @param sets its KPI sets, one per source
   * @param model the model under test: its values are taken when the server reports several models
   * @return the sample
   */
  static ServerSample of(double seconds, String target, List<KpiSet> sets, String model) {
    Map<Gauge, Double> out = new EnumMap<>(Gauge.class);
    for (Gauge g : Gauge.values()) {
      double v = switch (g.scope) {
        case MODEL_MAX, MODEL_SUM -> modelLevel(sets, g.kpi, model, g.scope == Scope.MODEL_SUM);
        case ACCELERATOR -> {
          OptionalDouble a = Saturation.accelerator(sets);
          yield a.isPresent() ? a.getAsDouble() : Double.NaN;
        }
        case DEVICE_SUM -> deviceSum(sets, g.kpi);
        case DEVICE_COUNT -> devices(sets);
      };
      if (!Double.isNaN(v)) {
        out.put(g, v);
      }
    }
    return new ServerSample(seconds, target, out);
  }

  /**
   * A gauge's value.
   *
   * @param g the gauge
   * @return the value, or NaN
   */
  double get(Gauge g) {
    Double v = values.get(g);
    return v == null ? Double.NaN : v;
  }

  /**
   * A model-level KPI: the values with a model and no finer split (engine, device, ...), of the model under test
   * when it is there; else the server-wide value (no dimensions). NaN when neither.
   */
  static double modelLevel(List<KpiSet> sets, Kpi kpi, String model, boolean sum) {
    double ours = Double.NaN;
    double any = Double.NaN;
    double whole = Double.NaN;
    for (KpiSet set : sets) {
      for (KpiValue v : set.values(kpi, KpiStatistic.VALUE)) {
        Labels d = v.dimensions();
        if (d.isEmpty()) {
          whole = combine(whole, v.value(), sum);
        } else if (isModelLevel(d)) {
          any = combine(any, v.value(), sum);
          if (d.get(KpiDimension.MODEL).equals(model)) {
            ours = combine(ours, v.value(), sum);
          }
        }
      }
    }
    return !Double.isNaN(ours) ? ours : !Double.isNaN(any) ? any : whole;
  }

  /** A value of a whole model: a model, and no engine, device, runtime, reason or SLO. */
  static boolean isModelLevel(Labels d) {
    return d.get(KpiDimension.MODEL) != null && d.get(KpiDimension.ENGINE) == null
        && d.get(KpiDimension.DEVICE) == null && d.get(KpiDimension.RUNTIME) == null
        && d.get(KpiDimension.REASON) == null && d.get(KpiDimension.SLO) == null;
  }

  private static double deviceSum(List<KpiSet> sets, Kpi kpi) {
    double devices = Double.NaN;
    double whole = Double.NaN;
    for (KpiSet set : sets) {
      for (KpiValue v : set.values(kpi, KpiStatistic.VALUE)) {
        Labels d = v.dimensions();
        if (d.isEmpty()) {
          whole = combine(whole, v.value(), true);
        } else if (d.size() == 1 && d.get(KpiDimension.DEVICE) != null) {
          // a device's own value: finer ones (per core, per model on it) would count twice
          devices = combine(devices, v.value(), true);
        }
      }
    }
    return !Double.isNaN(devices) ? devices : whole;
  }

  private static double devices(List<KpiSet> sets) {
    Set<String> seen = new HashSet<>();
    for (KpiSet set : sets) {
      for (Kpi k : new Kpi[] {Kpi.ACCELERATOR_UTILIZATION, Kpi.ACCELERATOR_MEMORY_TOTAL}) {
        for (KpiValue v : set.values(k, KpiStatistic.VALUE)) {
          String device = v.dimensions().get(KpiDimension.DEVICE);
          if (device != null && v.dimensions().get(KpiDimension.MODEL) == null) {
            seen.add(device);
          }
        }
      }
    }
    return seen.isEmpty() ? Double.NaN : seen.size();
  }

  private static double combine(double acc, double v, boolean sum) {
    if (Double.isNaN(acc)) {
      return v;
    }
    return sum ? acc + v : Math.max(acc, v);
  }
}

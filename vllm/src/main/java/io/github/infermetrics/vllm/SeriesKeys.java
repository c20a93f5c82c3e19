package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a series' labels onto the KPI dimensions: vLLM's {@code model_name} and {@code engine}, or Triton's vLLM
 * backend's {@code model} and {@code version}, become {@code model}, {@code model_version} and {@code engine}.
 * Under Ray, the replica ({@code ReplicaId}, or {@code WorkerId} without one) is the engine, with vLLM's own
 * {@code engine} label after it when there is one: each Ray replica runs its own engines, numbered from 0.
 */
final class SeriesKeys {
  /** The raw label names that identify an engine (or a model), in both label schemes. */
  static final String[] RAW_KEY_LABELS = {"model_name", "model", "version", "engine"};
  /** Ray Serve's replica id, which vLLM's Ray stat logger adds ({@code ""} outside Serve). */
  static final String RAY_REPLICA = "ReplicaId";
  /** Ray's worker (actor process) id, on every metric Ray exports from a worker. */
  static final String RAY_WORKER = "WorkerId";
  /** The labels Ray's metrics agent adds: never part of a model's or an engine's identity. */
  static final String[] RAY_LABELS = {RAY_REPLICA, RAY_WORKER, "SessionName", "NodeAddress", "Version", "Component",
      "JobId"};

  private SeriesKeys() {}

  /** The engine key of a series: model, model_version (Triton) and engine where present and non-empty. */
  static Labels key(Labels raw) {
    List<String> pairs = new ArrayList<>(6);
    String model = nonEmpty(raw.get("model_name"));
    if (model == null) {
      // Triton's vLLM backend replaces model_name/engine by its own model/version labels
      model = nonEmpty(raw.get("model"));
      add(pairs, KpiDimension.MODEL_VERSION, nonEmpty(raw.get("version")));
    }
    add(pairs, KpiDimension.MODEL, model);
    add(pairs, KpiDimension.ENGINE, engine(raw));
    return pairs.isEmpty() ? Labels.EMPTY : Labels.of(pairs.toArray(new String[0]));
  }

  /** The engine: Ray's replica (or worker) then vLLM's {@code engine}, joined by {@code /}, as far as present. */
  static String engine(Labels raw) {
    String ray = rayReplica(raw);
    if (ray == null) {
      ray = nonEmpty(raw.get(RAY_WORKER));
    }
    String engine = nonEmpty(raw.get("engine"));
    if (ray == null) {
      return engine;
    }
    return engine == null ? ray : ray + "/" + engine;
  }

  /** Ray Serve's replica id of a series, or null outside Ray Serve. */
  static String rayReplica(Labels raw) {
    return nonEmpty(raw.get(RAY_REPLICA));
  }

  /** Ray's worker id of a series, or null outside Ray. */
  static String rayWorker(Labels raw) {
    return nonEmpty(raw.get(RAY_WORKER));
  }

  /** A key summed over engines: the model and its version. */
  static Labels modelKey(Labels key) {
    return key.without(KpiDimension.ENGINE);
  }

  /** Whether a raw label set uses Triton's scheme. */
  static boolean tritonScheme(Labels raw) {
    return !raw.contains("model_name") && (raw.contains("model") || raw.contains("version"));
  }

  /** A detail label's value, {@code ""} when absent. */
  static String detail(Labels raw, String detailLabel) {
    if (detailLabel == null) {
      return "";
    }
    String v = raw.get(detailLabel);
    return v == null ? "" : v;
  }

  private static String nonEmpty(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  private static void add(List<String> pairs, String name, String value) {
    if (value != null) {
      pairs.add(name);
      pairs.add(value);
    }
  }
}

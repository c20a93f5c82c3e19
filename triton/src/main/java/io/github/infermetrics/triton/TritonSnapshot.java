package io.github.infermetrics.triton;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A typed view of one scrape of Triton's {@code :8002/metrics}: per model series ({@link ModelStats}), per GPU
 * ({@link GpuStats}), the host CPU, the pinned memory pool, the response cache, the TensorRT-LLM backend's gauges,
 * and the vLLM backend's {@code vllm:*} families to hand to the vllm module.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(HttpClient.newHttpClient()
 *     .send(HttpRequest.newBuilder(URI.create("http://triton:8002/metrics")).build(),
 *         HttpResponse.BodyHandlers.ofByteArray()).body());
 * if (TritonSnapshot.detect(scrape)) {
 *   TritonSnapshot triton = TritonSnapshot.of(scrape);
 *   for (ModelStats m : triton.models()) {
 *     System.out.println(m.key().model() + " " + m.requestSuccess().orElse(0) + " requests so far");
 *   }
 * }
 * }</pre>
 *
 * <p>Works with every Triton version in the reference notes: families and labels that a version lacks are
 * absent, the old {@code nv_inference_compute_duration_us} and {@code nv_inference_load_ratio} are read, and
 * families this class does not know are ignored. A per-model family's points are matched by the labels
 * {@link ModelKey} describes, so one model bound to two GPUs is two model series. Immutable.
 */
public final class TritonSnapshot {
  private static final Map<String, ModelCounter> COUNTERS = new HashMap<>();
  private static final Map<String, ModelSummary> SUMMARIES = new HashMap<>();

  static {
    for (ModelCounter c : ModelCounter.values()) {
      COUNTERS.put(c.familyName(), c);
    }
    for (ModelSummary s : ModelSummary.values()) {
      SUMMARIES.put(s.familyName(), s);
    }
  }

  private final MetricSnapshot snapshot;
  private final List<ModelStats> models;
  private final List<GpuStats> gpus;
  private final CpuStats cpu;
  private final PinnedMemoryStats pinnedMemory;
  private final ResponseCacheStats responseCache;
  private final List<TrtLlmGauges> trtLlm;
  private final List<String> nonFinite;

  private TritonSnapshot(MetricSnapshot snapshot) {
    this.snapshot = snapshot;
    Map<Labels, ModelStats.Builder> models = new LinkedHashMap<>();
    Map<String, double[]> gpus = new LinkedHashMap<>();
    Map<String, Double> server = new HashMap<>();
    Map<ModelKey, Map<String, Map<String, Double>>> trtLlm = new LinkedHashMap<>();
    java.util.Set<String> trtLlmCounters = new java.util.HashSet<>();
    for (MetricFamily f : snapshot.families()) {
      String name = f.name();
      if (!name.startsWith(TritonFamilies.PREFIX)) {
        continue;
      }
      if (name.startsWith(TritonFamilies.TRT_LLM_PREFIX)) {
        readTrtLlm(f, trtLlm);
        if (f.type() == io.github.infermetrics.core.exposition.MetricType.COUNTER) {
          trtLlmCounters.add(name.substring(TritonFamilies.TRT_LLM_PREFIX.length()));
        }
      } else if (GPU_FAMILIES.containsKey(name)) {
        int slot = GPU_FAMILIES.get(name);
        for (MetricPoint p : f.points()) {
          String uuid = p.labels().get(TritonFamilies.GPU_UUID);
          if (uuid != null && !uuid.isBlank() && p.isScalar()) {
            gpus.computeIfAbsent(uuid, u -> emptySlots(GPU_FAMILIES.size()))[slot] = p.scalarValue();
          }
        }
      } else if (SERVER_FAMILIES.contains(name)) {
        // unlabelled server gauges: one point
        for (MetricPoint p : f.points()) {
          if (p.isScalar()) {
            server.put(name, p.scalarValue());
          }
        }
      } else {
        readModelFamily(f, models);
      }
    }
    List<ModelStats> ms = new ArrayList<>(models.size());
    models.values().forEach(b -> ms.add(b.build()));
    this.models = Collections.unmodifiableList(ms);
    List<GpuStats> gs = new ArrayList<>(gpus.size());
    gpus.forEach((uuid, v) -> gs.add(new GpuStats(uuid, opt(v[0]), opt(v[1]), opt(v[2]), opt(v[3]), opt(v[4]),
        opt(v[5]))));
    this.gpus = Collections.unmodifiableList(gs);
    this.cpu = anyOf(server, TritonFamilies.CPU_UTILIZATION, TritonFamilies.CPU_MEMORY_TOTAL,
        TritonFamilies.CPU_MEMORY_USED)
        ? new CpuStats(get(server, TritonFamilies.CPU_UTILIZATION), get(server, TritonFamilies.CPU_MEMORY_TOTAL),
            get(server, TritonFamilies.CPU_MEMORY_USED))
        : null;
    this.pinnedMemory = anyOf(server, TritonFamilies.PINNED_TOTAL, TritonFamilies.PINNED_USED)
        ? new PinnedMemoryStats(get(server, TritonFamilies.PINNED_TOTAL), get(server, TritonFamilies.PINNED_USED))
        : null;
    this.responseCache = anyOf(server, CACHE_FAMILIES)
        ? new ResponseCacheStats(get(server, TritonFamilies.CACHE_UTIL), get(server, TritonFamilies.CACHE_ENTRIES),
            get(server, TritonFamilies.CACHE_TOTAL_HITS), get(server, TritonFamilies.CACHE_TOTAL_MISSES),
            get(server, TritonFamilies.CACHE_LOOKUPS), get(server, TritonFamilies.CACHE_EVICTIONS),
            get(server, TritonFamilies.CACHE_LOOKUP_DURATION), get(server, TritonFamilies.CACHE_INSERTION_DURATION))
        : null;
    List<TrtLlmGauges> ts = new ArrayList<>(trtLlm.size());
    trtLlm.forEach((k, m) -> ts.add(new TrtLlmGauges(k, m, trtLlmCounters)));
    this.trtLlm = Collections.unmodifiableList(ts);
    this.nonFinite = snapshot.nonFiniteSamples(n -> n.startsWith(TritonFamilies.PREFIX));
  }

  /**
   * The samples of Triton's families whose value is NaN or infinite, each as {@code name{labels} = value}: the
   * KPIs leave them out and count them ({@link TritonKpis#dropped()}).
   *
   * @return the samples; empty on a healthy server
   */
  public List<String> nonFinite() {
    return nonFinite;
  }

  /** GPU families and their slot in the per-GPU array, in {@link GpuStats} component order. */
  private static final Map<String, Integer> GPU_FAMILIES = Map.of(
      TritonFamilies.GPU_UTILIZATION, 0,
      TritonFamilies.GPU_MEMORY_TOTAL, 1,
      TritonFamilies.GPU_MEMORY_USED, 2,
      TritonFamilies.GPU_POWER_USAGE, 3,
      TritonFamilies.GPU_POWER_LIMIT, 4,
      TritonFamilies.GPU_ENERGY, 5);

  private static final String[] CACHE_FAMILIES = {TritonFamilies.CACHE_UTIL, TritonFamilies.CACHE_ENTRIES,
      TritonFamilies.CACHE_TOTAL_HITS, TritonFamilies.CACHE_TOTAL_MISSES, TritonFamilies.CACHE_LOOKUPS,
      TritonFamilies.CACHE_EVICTIONS, TritonFamilies.CACHE_LOOKUP_DURATION, TritonFamilies.CACHE_INSERTION_DURATION};

  private static final java.util.Set<String> SERVER_FAMILIES = java.util.Set.of(TritonFamilies.CPU_UTILIZATION,
      TritonFamilies.CPU_MEMORY_TOTAL, TritonFamilies.CPU_MEMORY_USED, TritonFamilies.PINNED_TOTAL,
      TritonFamilies.PINNED_USED, TritonFamilies.CACHE_UTIL, TritonFamilies.CACHE_ENTRIES,
      TritonFamilies.CACHE_TOTAL_HITS, TritonFamilies.CACHE_TOTAL_MISSES, TritonFamilies.CACHE_LOOKUPS,
      TritonFamilies.CACHE_EVICTIONS, TritonFamilies.CACHE_LOOKUP_DURATION, TritonFamilies.CACHE_INSERTION_DURATION);

  /**
   * The typed view of a scrape.
   *
   * @param snapshot a scrape of Triton's metrics endpoint
   * @return the view; empty lists when the scrape holds no Triton families
   */
  public static TritonSnapshot of(MetricSnapshot snapshot) {
    return Objects.requireNonNull(snapshot, "snapshot").view(TritonSnapshot.class, TritonSnapshot::new);
  }

  /**
   * Whether a scrape comes from Triton: it has at least one {@code nv_} family.
   *
   * @param snapshot a scrape
   * @return true when an {@code nv_} family is present
   */
  public static boolean detect(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    for (MetricFamily f : snapshot.families()) {
      if (f.name().startsWith(TritonFamilies.PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The scrape this view reads.
   *
   * @return the snapshot
   */
  public MetricSnapshot snapshot() {
    return snapshot;
  }

  /**
   * The model series, in the order they first appear in the scrape.
   *
   * @return an unmodifiable list
   */
  public List<ModelStats> models() {
    return models;
  }

  /**
   * One model series.
   *
   * @param key the series
   * @return its stats, or empty
   */
  public Optional<ModelStats> model(ModelKey key) {
    Objects.requireNonNull(key, "key");
    for (ModelStats m : models) {
      if (m.key().equals(key)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The GPUs, in the order they first appear.
   *
   * @return an unmodifiable list; empty without {@code --allow-gpu-metrics}
   */
  public List<GpuStats> gpus() {
    return gpus;
  }

  /**
   * The host CPU and memory.
   *
   * @return the stats, or empty when no {@code nv_cpu_*} family is present
   */
  public Optional<CpuStats> cpu() {
    return Optional.ofNullable(cpu);
  }

  /**
   * The pinned memory pool.
   *
   * @return the stats, or empty before Triton 24.01
   */
  public Optional<PinnedMemoryStats> pinnedMemory() {
    return Optional.ofNullable(pinnedMemory);
  }

  /**
   * The response-cache plugin's gauges.
   *
   * @return the stats, or empty without a response cache
   */
  public Optional<ResponseCacheStats> responseCache() {
    return Optional.ofNullable(responseCache);
  }

  /**
   * The TensorRT-LLM backend's gauges, per model.
   *
   * @return an unmodifiable list; empty without that backend
   */
  public List<TrtLlmGauges> trtLlm() {
    return trtLlm;
  }

  /**
   * The vLLM backend's families ({@code vllm:*}, labelled {@code model}/{@code version} by Triton), for the vllm
   * module's view.
   *
   * @return a snapshot of only those families, in exposition order; empty when there are none
   */
  public MetricSnapshot vllmFamilies() {
    List<MetricFamily> out = new ArrayList<>();
    for (MetricFamily f : snapshot.families()) {
      if (f.name().startsWith(TritonFamilies.VLLM_PREFIX)) {
        out.add(f);
      }
    }
    return MetricSnapshot.of(snapshot.format(), out);
  }

  @Override
  public String toString() {
    return "TritonSnapshot{" + models.size() + " model series, " + gpus.size() + " GPUs}";
  }

  private static void readModelFamily(MetricFamily f, Map<Labels, ModelStats.Builder> models) {
    String name = f.name();
    ModelCounter counter = COUNTERS.get(name);
    ModelSummary summary = SUMMARIES.get(name);
    for (MetricPoint p : f.points()) {
      Labels labels = p.labels();
      if (labels.get(TritonFamilies.MODEL) == null) {
        continue; // not a per-model series: nothing to attach it to
      }
      String reason = labels.get(TritonFamilies.REASON);
      Labels keyLabels = reason == null ? labels : labels.without(TritonFamilies.REASON);
      if (counter != null) {
        if (p.isScalar()) {
          ModelStats.Builder b = model(models, keyLabels);
          if (counter == ModelCounter.REQUEST_FAILURE) {
            b.failure(reason == null ? "" : reason, p.scalarValue());
          } else {
            b.counter(counter, p.scalarValue());
          }
        }
      } else if (summary != null) {
        if (p instanceof SummaryPoint) {
          model(models, keyLabels).summary(summary, (SummaryPoint) p);
        }
      } else if (name.equals(TritonFamilies.PENDING_REQUESTS)) {
        if (p.isScalar()) {
          model(models, keyLabels).pendingRequests(p.scalarValue());
        }
      } else if (name.equals(TritonFamilies.LOAD_DURATION)) {
        if (p.isScalar()) {
          model(models, keyLabels).loadDurationSeconds(p.scalarValue());
        }
      } else if (name.equals(TritonFamilies.FIRST_RESPONSE_HISTOGRAM)) {
        if (p instanceof HistogramPoint) {
          model(models, keyLabels).firstResponseMs((HistogramPoint) p);
        }
      } else if (name.equals(TritonFamilies.LOAD_RATIO_OLD)) {
        if (p instanceof HistogramPoint) {
          model(models, keyLabels).loadRatio((HistogramPoint) p);
        }
      }
      // any other nv_ family with a model label is a newer one: ignored
    }
  }

  private static ModelStats.Builder model(Map<Labels, ModelStats.Builder> models, Labels keyLabels) {
    return models.computeIfAbsent(keyLabels, l -> ModelStats.builder(new ModelKey(l)));
  }

  /** TRT-LLM series: the model's labels make the key, the other labels say which value it is. */
  private static void readTrtLlm(MetricFamily f, Map<ModelKey, Map<String, Map<String, Double>>> out) {
    String suffix = f.name().substring(TritonFamilies.TRT_LLM_PREFIX.length());
    for (MetricPoint p : f.points()) {
      Labels labels = p.labels();
      OptionalDouble v = scalar(p);
      if (labels.get(TritonFamilies.MODEL) == null || v.isEmpty()) {
        continue;
      }
      Labels keyLabels = labels;
      StringBuilder type = new StringBuilder();
      int typeLabels = 0;
      String single = "";
      for (int i = 0; i < labels.size(); i++) {
        String n = labels.name(i);
        if (!isModelLabel(n)) {
          keyLabels = keyLabels.without(n);
          if (typeLabels++ > 0) {
            type.append(',');
          }
          type.append(n).append('=').append(labels.value(i));
          single = labels.value(i);
        }
      }
      String typeKey = typeLabels == 1 ? single : type.toString();
      out.computeIfAbsent(new ModelKey(keyLabels), k -> new LinkedHashMap<>())
          .computeIfAbsent(suffix, s -> new LinkedHashMap<>()).put(typeKey, v.getAsDouble());
    }
  }

  private static boolean isModelLabel(String name) {
    return name.equals(TritonFamilies.MODEL) || name.equals(TritonFamilies.VERSION)
        || name.equals(TritonFamilies.NAMESPACE) || name.equals(TritonFamilies.GPU_UUID) || name.startsWith("_");
  }

  /** The value of a counter, gauge or untyped point (a family without {@code # TYPE}). */
  static OptionalDouble scalar(MetricPoint p) {
    return p.isScalar() ? OptionalDouble.of(p.scalarValue()) : OptionalDouble.empty();
  }

  private static double[] emptySlots(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }

  /** NaN marks an empty slot here; a NaN sample is no information either. */
  private static OptionalDouble opt(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private static boolean anyOf(Map<String, Double> server, String... names) {
    for (String n : names) {
      if (server.containsKey(n)) {
        return true;
      }
    }
    return false;
  }

  private static OptionalDouble get(Map<String, Double> server, String name) {
    Double v = server.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}

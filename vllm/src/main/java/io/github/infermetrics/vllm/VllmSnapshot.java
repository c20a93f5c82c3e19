package io.github.infermetrics.vllm;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A typed view of one vLLM {@code /metrics} scrape: per model and engine, one name per concept whatever the vLLM
 * version calls it ({@link VllmMetric}), and which names and which {@link VllmGeneration} the scrape uses.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(Files.readAllBytes(Path.of("metrics.txt")));
 * if (VllmSnapshot.detect(scrape)) {
 *   VllmSnapshot vllm = VllmSnapshot.of(scrape);   // vllm:, ray_vllm:, ray_vllm_, NIM's names: detected
 *   System.out.println(vllm.naming() + " " + vllm.generation() + " " + vllm.namesFound());
 *   for (VllmEngine e : vllm.engines()) {
 *     System.out.println(e.model() + " engine " + e.engine().orElse("-") + " KV cache "
 *         + e.kvCacheUsage().orElse(Double.NaN) + ", waiting " + e.waitingRequests().orElse(Double.NaN));
 *   }
 * }
 * }</pre>
 *
 * <p>Reads vLLM's own labels ({@code model_name}, {@code engine}; V0 has no {@code engine}) and those of Triton's
 * vLLM backend ({@code model}, {@code version}); both become the KPI dimensions {@code model},
 * {@code model_version} and {@code engine}. Under Ray Serve LLM ({@link VllmNaming#RAY},
 * {@link VllmNaming#RAY_UNDERSCORE}) Ray's {@code ReplicaId} (or, without one, {@code WorkerId}) names the engine,
 * followed by vLLM's {@code engine} label where there is one ({@code engine="hx2kq9ab/0"}); Ray's other labels
 * ({@code SessionName}, {@code NodeAddress}, {@code Version}, {@code Component}) never split a model or an
 * engine. The family names are read in the scrape's {@link #naming()}. When a scrape has an old and a new name for one concept (vLLM 0.9 to
 * 0.12 expose both), the new one is read. Families this library does not know are ignored; {@link #namesFound()}
 * still lists them. Immutable.
 */
public final class VllmSnapshot {
  private static final Set<String> V0_ONLY = Set.of("vllm:num_requests_swapped", "vllm:cpu_cache_usage_perc",
      "vllm:gpu_prefix_cache_hit_rate", "vllm:cpu_prefix_cache_hit_rate", "vllm:avg_prompt_throughput_toks_per_s",
      "vllm:avg_generation_throughput_toks_per_s", "vllm:request_params_best_of", "vllm:time_in_queue_requests",
      "vllm:model_forward_time_milliseconds", "vllm:model_execute_time_milliseconds",
      "vllm:spec_decode_draft_acceptance_rate", "vllm:spec_decode_efficiency",
      "vllm:spec_decode_num_emitted_tokens", "vllm:spec_decode_num_emitted_tokens_total");
  private static final Set<String> V1_ONLY = Set.of("vllm:kv_cache_usage_perc", "vllm:prefix_cache_queries",
      "vllm:prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries", "vllm:gpu_prefix_cache_queries_total",
      "vllm:inter_token_latency_seconds", "vllm:request_time_per_output_token_seconds", "vllm:engine_sleep_state",
      "vllm:num_requests_waiting_by_reason", "vllm:vllm_config_info", "vllm:spec_decode_num_drafts",
      "vllm:spec_decode_num_drafts_total", "vllm:request_prefill_kv_computed_tokens",
      "vllm:prompt_tokens_by_source", "vllm:prompt_tokens_by_source_total");
  private static final Set<String> DEPRECATED = Set.of("vllm:gpu_cache_usage_perc",
      "vllm:time_per_output_token_seconds", "vllm:gpu_prefix_cache_queries", "vllm:gpu_prefix_cache_queries_total",
      "vllm:gpu_prefix_cache_hits", "vllm:gpu_prefix_cache_hits_total");

  private final MetricSnapshot source;
  private final VllmNaming naming;
  private final Map<VllmMetric, MetricFamily> families;
  /** Per concept: engine key to the points of that key. */
  private final Map<VllmMetric, Map<Labels, List<MetricPoint>>> byKey;
  private final SortedSet<String> namesFound;
  private final VllmGeneration generation;
  private final boolean servedByTriton;
  private final List<VllmEngine> engines;
  private final List<String> nonFinite;

  private VllmSnapshot(MetricSnapshot source, VllmNaming naming) {
    this.source = source;
    this.naming = naming;
    SortedSet<String> names = new TreeSet<>();
    SortedSet<String> vllmNames = new TreeSet<>();
    for (MetricFamily f : source.families()) {
      Optional<String> v = naming.vllmName(f.name());
      if (v.isPresent()) {
        names.add(f.name());
        vllmNames.add(v.get());
      }
    }
    this.namesFound = Collections.unmodifiableSortedSet(names);
    Map<VllmMetric, MetricFamily> fams = new EnumMap<>(VllmMetric.class);
    Map<VllmMetric, Map<Labels, List<MetricPoint>>> index = new EnumMap<>(VllmMetric.class);
    boolean anyEngine = false;
    boolean anyTriton = false;
    Map<Labels, Labels> engineKeys = new LinkedHashMap<>();
    for (VllmMetric m : VllmMetric.values()) {
      for (String name : naming.lookupNames(m)) {
        Optional<MetricFamily> f = source.family(name);
        if (f.isPresent()) {
          fams.put(m, f.get());
          break;
        }
      }
      MetricFamily f = fams.get(m);
      if (f == null) {
        continue;
      }
      Map<Labels, List<MetricPoint>> points = new LinkedHashMap<>();
      for (MetricPoint p : f.points()) {
        Labels key = SeriesKeys.key(p.labels());
        points.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        anyEngine |= p.labels().contains("engine");
        anyTriton |= SeriesKeys.tritonScheme(p.labels());
        if (m.kind() != VllmMetric.Kind.INFO && !m.name().startsWith("NEURON_")) {
          engineKeys.putIfAbsent(key, p.labels());
        }
      }
      index.put(m, points);
    }
    this.families = fams;
    this.byKey = index;
    this.servedByTriton = anyTriton;
    this.generation = generation(vllmNames, anyEngine, anyTriton);
    List<VllmEngine> list = new ArrayList<>();
    engineKeys.forEach((key, raw) -> list.add(new VllmEngine(this, key, raw)));
    this.engines = Collections.unmodifiableList(list);
    this.nonFinite = source.nonFiniteSamples(naming::isVllmName);
  }

  /**
   * The samples of the families read whose value is NaN or infinite, each as {@code name{labels} = value}: the
   * KPIs leave what they feed out and count them ({@link VllmKpis#dropped()}).
   *
   * @return the samples; empty on a healthy server
   */
  public List<String> nonFinite() {
    return nonFinite;
  }

  /**
   * The typed view of a scrape (or of the {@code vllm:*} families of a Triton scrape), in the naming the scrape
   * uses ({@link VllmNaming#detect}; {@link VllmNaming#VLLM} when it has no vLLM families).
   *
   * @param snapshot the scrape
   * @return the view; empty of engines when the scrape has no vLLM families
   */
  public static VllmSnapshot of(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    return new VllmSnapshot(snapshot, VllmNaming.detect(snapshot).orElse(VllmNaming.VLLM));
  }

  /**
   * The typed view of a scrape whose vLLM families are spelled in a naming you know, such as
   * {@code VllmNaming.prefix("kserve_vllm:")}.
   *
   * <pre>{@code
   * VllmSnapshot v = VllmSnapshot.of(scrape, VllmNaming.RAY_UNDERSCORE);   // ray_vllm_* of a Ray 2.51 node
   * }</pre>
   *
   * @param snapshot the scrape
   * @param naming how its vLLM families are spelled
   * @return the view; empty of engines when the scrape has no families in that naming
   */
  public static VllmSnapshot of(MetricSnapshot snapshot, VllmNaming naming) {
    Objects.requireNonNull(naming, "naming");
    // kept with the snapshot for the naming the source detects, which is the one asked for every time
    VllmSnapshot v = Objects.requireNonNull(snapshot, "snapshot")
        .view(VllmSnapshot.class, s -> new VllmSnapshot(s, naming));
    return v.naming() == naming ? v : new VllmSnapshot(snapshot, naming);
  }

  /**
   * Whether a scrape comes from vLLM: it has vLLM families in some naming ({@link VllmNaming#detect}):
   * {@code vllm:}, {@code vllm_neuron:}, {@code ray_vllm:}, {@code ray_vllm_}, another prefix ending in
   * {@code vllm:} or {@code vllm_}, or enough of NIM's unprefixed ones.
   *
   * @param snapshot the scrape
   * @return true when it has
   */
  public static boolean detect(MetricSnapshot snapshot) {
    return VllmNaming.detect(Objects.requireNonNull(snapshot, "snapshot")).isPresent();
  }

  /**
   * How this scrape spells vLLM's names: detected, or the one given to {@link #of(MetricSnapshot, VllmNaming)}.
   *
   * @return the naming, for example {@link VllmNaming#RAY} for {@code ray_vllm:*}
   */
  public VllmNaming naming() {
    return naming;
  }

  private static VllmGeneration generation(Set<String> names, boolean anyEngine, boolean triton) {
    boolean v0 = names.stream().anyMatch(V0_ONLY::contains);
    boolean v1 = anyEngine || names.stream().anyMatch(V1_ONLY::contains);
    boolean deprecated = names.stream().anyMatch(DEPRECATED::contains);
    if (v0 && v1) {
      return VllmGeneration.MIXED;
    }
    if (v1) {
      return deprecated ? VllmGeneration.V1_DEPRECATED_NAMES : VllmGeneration.V1;
    }
    // the deprecated names alone were exposed by V0 too; Triton's backend copies names from either
    if (v0 || (deprecated && !triton)) {
      return VllmGeneration.V0;
    }
    return VllmGeneration.UNKNOWN;
  }

  /**
   * The scrape this view reads.
   *
   * @return the snapshot
   */
  public MetricSnapshot source() {
    return source;
  }

  /**
   * Every family name of the scrape's {@link #naming()} (for {@code vllm:}: every {@code vllm:} and
   * {@code vllm_neuron:} family), known to this library or not, as the scrape spells it: what a dashboard can query
   * on this server. Under NIM, which has no prefix, only the names this library knows.
   *
   * @return an unmodifiable sorted set
   */
  public SortedSet<String> namesFound() {
    return namesFound;
  }

  /**
   * Which generation of names the scrape uses.
   *
   * @return the generation
   */
  public VllmGeneration generation() {
    return generation;
  }

  /**
   * Whether the series carry the labels of Triton's vLLM backend ({@code model}, {@code version}).
   *
   * @return true for a Triton scrape
   */
  public boolean servedByTriton() {
    return servedByTriton;
  }

  /**
   * The exposed family name this view reads for a concept.
   *
   * @param metric the concept
   * @return the name as the scrape spells it, for example {@code vllm:gpu_cache_usage_perc} on V0 or
   *     {@code ray_vllm_kv_cache_usage_perc} on a Ray 2.51 node; empty when the scrape has none
   */
  public Optional<String> familyName(VllmMetric metric) {
    MetricFamily f = families.get(Objects.requireNonNull(metric, "metric"));
    return f == null ? Optional.empty() : Optional.of(f.name());
  }

  /**
   * Whether the prefix-cache counters count KV blocks (V1 0.8's {@code gpu_prefix_cache_*}) rather than tokens
   * ({@code prefix_cache_*} since 0.9). Hit ratios are the same either way; the raw counts are not comparable.
   *
   * @return true when read from the old block-counting names
   */
  public boolean prefixCacheCountsBlocks() {
    return familyName(VllmMetric.PREFIX_CACHE_QUERIES).flatMap(naming::vllmName)
        .map(n -> n.startsWith("vllm:gpu_")).orElse(false);
  }

  /**
   * The engines, one per model (and version) and {@code engine} label, in scrape order. In V0 and behind Triton
   * there is no {@code engine} label: one entry per model.
   *
   * @return an unmodifiable list
   */
  public List<VllmEngine> engines() {
    return engines;
  }

  /**
   * The engine with this key.
   *
   * @param key the key ({@link VllmEngine#key()})
   * @return the engine, or empty
   */
  public Optional<VllmEngine> engine(Labels key) {
    for (VllmEngine e : engines) {
      if (e.key().equals(key)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The series of an info concept ({@link VllmMetric#CACHE_CONFIG_INFO}, {@link VllmMetric#VLLM_CONFIG_INFO}).
   *
   * @param metric the concept
   * @return one entry per series, in scrape order
   */
  public List<VllmInfo> info(VllmMetric metric) {
    List<VllmInfo> out = new ArrayList<>();
    for (MetricPoint p : points(metric)) {
      Map<String, String> values = new LinkedHashMap<>(p.labels().asMap());
      for (String k : SeriesKeys.RAW_KEY_LABELS) {
        values.remove(k);
      }
      for (String k : SeriesKeys.RAY_LABELS) {
        values.remove(k);
      }
      out.add(new VllmInfo(SeriesKeys.key(p.labels()), values));
    }
    return out;
  }

  /**
   * The LoRA adapters, from the newest {@code vllm:lora_requests_info} series (its value is its update time).
   *
   * @return the info, or empty without LoRA
   */
  public Optional<VllmLoraInfo> lora() {
    MetricPoint latest = null;
    double latestTime = Double.NEGATIVE_INFINITY;
    for (MetricPoint p : points(VllmMetric.LORA_REQUESTS_INFO)) {
      double t = p.scalarValue();
      if (latest == null || t > latestTime) {
        latest = p;
        latestTime = t;
      }
    }
    if (latest == null) {
      return Optional.empty();
    }
    Labels l = latest.labels();
    int max;
    try {
      max = Integer.parseInt(Objects.requireNonNullElse(l.get("max_lora"), "-1").trim());
    } catch (NumberFormatException e) {
      max = -1;
    }
    return Optional.of(new VllmLoraInfo(max, adapters(l.get("waiting_lora_adapters")),
        adapters(l.get("running_lora_adapters")), latestTime));
  }

  private static List<String> adapters(String joined) {
    if (joined == null || joined.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : Arrays.asList(joined.split(","))) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /**
   * The vLLM-Neuron series, one entry per model, {@code bucket_name} and {@code rank_id}, in scrape order.
   *
   * @return the buckets; empty when the scrape is not from vLLM-Neuron
   */
  public List<VllmNeuronBucket> neuronBuckets() {
    Map<List<String>, Map<VllmMetric, MetricPoint>> rows = new LinkedHashMap<>();
    for (VllmMetric m : VllmMetric.values()) {
      if (!m.name().startsWith("NEURON_")) {
        continue;
      }
      for (MetricPoint p : points(m)) {
        rows.computeIfAbsent(neuronRow(p.labels()), k -> new EnumMap<>(VllmMetric.class)).putIfAbsent(m, p);
      }
    }
    List<VllmNeuronBucket> out = new ArrayList<>();
    rows.forEach((k, v) -> out.add(new VllmNeuronBucket(k.get(0), k.get(1), k.get(2),
        optional(v.get(VllmMetric.NEURON_NEFF_EXECUTIONS)), optional(v.get(VllmMetric.NEURON_COMPILATION_TIME)),
        optional(v.get(VllmMetric.NEURON_STARTUP_TIME)), optional(v.get(VllmMetric.NEURON_MODEL_LOAD_TIME)),
        optional(v.get(VllmMetric.NEURON_MODEL_LOAD_SIZE)), histogram(v.get(VllmMetric.NEURON_NUM_SEQS_PADDING)),
        histogram(v.get(VllmMetric.NEURON_NUM_BATCHED_TOKENS_PADDING)))));
    return out;
  }

  /** The model, bucket and rank of a vLLM-Neuron series. */
  static List<String> neuronRow(Labels l) {
    String model = l.get("model_name");
    return List.of(model == null ? "" : model, Objects.requireNonNullElse(l.get("bucket_name"), ""),
        Objects.requireNonNullElse(l.get("rank_id"), ""));
  }

  /** Every point of a concept, in scrape order. */
  List<MetricPoint> points(VllmMetric metric) {
    MetricFamily f = families.get(metric);
    return f == null ? List.of() : f.points();
  }

  /** The points of a concept for one engine key. */
  List<MetricPoint> points(VllmMetric metric, Labels key) {
    Map<Labels, List<MetricPoint>> m = byKey.get(metric);
    if (m == null) {
      return List.of();
    }
    return m.getOrDefault(key, List.of());
  }


  private static OptionalDouble optional(MetricPoint p) {
    if (p == null) {
      return OptionalDouble.empty();
    }
    double v = p.scalarValue();
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private static Optional<HistogramPoint> histogram(MetricPoint p) {
    return p instanceof HistogramPoint ? Optional.of((HistogramPoint) p) : Optional.empty();
  }

  @Override
  public String toString() {
    return "VllmSnapshot{" + generation + ", " + engines.size() + " engines, " + namesFound.size() + " names}";
  }
}

package io.github.infermetrics.vllm;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a deployment spells vLLM's family names: the prefix that stands where vLLM writes {@code vllm:}. vLLM's own
 * server writes {@code vllm:time_to_first_token_seconds}; Ray Serve LLM re-exports it as
 * {@code ray_vllm:time_to_first_token_seconds} (Ray up to 2.50) or {@code ray_vllm_time_to_first_token_seconds}
 * (later Ray, after vLLM PR 25439 replaced the colon); NVIDIA NIM serves {@code time_to_first_token_seconds} with
 * no prefix; other stacks add their own ({@code kserve_vllm:}). The labels stay vLLM's ({@code model_name},
 * {@code engine}), with Ray's added under Ray ({@code WorkerId}, {@code ReplicaId}, {@code SessionName}, ...).
 *
 * <pre>{@code
 * VllmNaming.detect(scrape);                          // Optional[ray_vllm_] for a Ray 2.51 node
 * VllmNaming.RAY_UNDERSCORE.name("vllm:kv_cache_usage_perc");   // ray_vllm_kv_cache_usage_perc
 * VllmSnapshot v = VllmSnapshot.of(scrape, VllmNaming.prefix("kserve_vllm:"));
 * }</pre>
 *
 * <p>Detection ({@link #detect}) finds the prefix from the names: a family whose name starts with a namespace
 * ending in {@code vllm:} (any family: the colon is vLLM's own namespace), or with some prefix ending in
 * {@code vllm_} followed by a vLLM family's own name ({@code num_requests_running}, {@code prompt_tokens_total},
 * ...), counts for that prefix, and the prefix with the most families wins. Without
 * such a prefix, the unprefixed names count as NIM's only when several of vLLM's characteristic families are there
 * with their types and a {@code model_name} label: a lone {@code num_requests_running} of some other program is
 * not vLLM. A prefix that does not contain {@code vllm} is never detected; name it ({@link #prefix}).
 *
 * <p>vLLM-Neuron's {@code vllm_neuron:} families follow the same rule ({@code ray_vllm_neuron:},
 * {@code ray_vllm_neuron_}); NIM has none. NIM names the finished-requests-by-reason counter
 * {@code request_finish_total} (its {@code request_success_total} has no {@code finished_reason}): under
 * {@link #NIM} that counter is read as {@link VllmMetric#REQUEST_SUCCESS}, and NIM's
 * {@code request_success_total}/{@code request_failure_total} are not read. Immutable.
 */
public final class VllmNaming {
  /** vLLM's own names: {@code vllm:} (and {@code vllm_neuron:}). */
  public static final VllmNaming VLLM = new VllmNaming("vllm:", "vllm");
  /** Ray Serve LLM up to Ray 2.50: {@code ray_vllm:}. */
  public static final VllmNaming RAY = new VllmNaming("ray_vllm:", "ray");
  /** Ray Serve LLM from Ray 2.51 (vLLM PR 25439): {@code ray_vllm_}, the colon replaced by an underscore. */
  public static final VllmNaming RAY_UNDERSCORE = new VllmNaming("ray_vllm_", "ray-underscore");
  /** NVIDIA NIM for LLMs: vLLM's names without a prefix. */
  public static final VllmNaming NIM = new VllmNaming("", "nim");

  /** The confidence of an unprefixed (NIM) scrape with enough of vLLM's characteristic families. */
  static final double NIM_CONFIDENCE = 0.9;

  private static final String CANONICAL = "vllm:";
  private static final String CANONICAL_NEURON = "vllm_neuron:";
  /** NIM's name of the finished-requests-by-reason counter (vLLM's request_success). */
  private static final String NIM_FINISHED = "request_finish";
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final List<VllmNaming> BUILT_IN = List.of(VLLM, RAY, RAY_UNDERSCORE, NIM);
  /** vLLM's own names without {@code vllm:}, counters also with {@code _total}: what detection looks for. */
  private static final Set<String> BASES = bases();
  /** What an unprefixed scrape must show to count as vLLM (NIM), with the type each must have. */
  private static final Map<VllmMetric, MetricType> CHARACTERISTIC = characteristic();

  private final String prefix;
  private final String id;

  private VllmNaming(String prefix, String id) {
    this.prefix = prefix;
    this.id = id;
  }

  /**
   * The naming with this prefix in place of {@code vllm:}; the built-in ones for their prefixes.
   *
   * @param prefix for example {@code kserve_vllm:}; empty for NIM
   * @return the naming
   * @throws IllegalArgumentException when the prefix cannot start a Prometheus metric name
   */
  public static VllmNaming prefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    for (VllmNaming n : BUILT_IN) {
      if (n.prefix.equals(prefix)) {
        return n;
      }
    }
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("a vLLM name prefix must be letters, digits, '_' and ':' and not start"
          + " with a digit, got '" + prefix + "'");
    }
    return new VllmNaming(prefix, prefix);
  }

  /**
   * A naming by its name: {@code vllm}, {@code ray}, {@code ray-underscore}, {@code nim}, or a prefix ending in
   * {@code :} or {@code _} (such as {@code kserve_vllm:}).
   *
   * @param text the name or prefix
   * @return the naming
   * @throws IllegalArgumentException naming the accepted values
   */
  public static VllmNaming parse(String text) {
    Objects.requireNonNull(text, "text");
    for (VllmNaming n : BUILT_IN) {
      if (n.id.equals(text)) {
        return n;
      }
    }
    if (!text.isEmpty() && (text.endsWith(":") || text.endsWith("_")) && PREFIX.matcher(text).matches()) {
      return prefix(text);
    }
    throw new IllegalArgumentException("unknown vLLM naming '" + text + "': use vllm, ray, ray-underscore, nim, or"
        + " a prefix ending in ':' or '_' (such as kserve_vllm:)");
  }

  /**
   * The prefix that stands where vLLM writes {@code vllm:}.
   *
   * @return for example {@code ray_vllm_}; empty for NIM
   */
  public String prefix() {
    return prefix;
  }

  /**
   * The short name: {@code vllm}, {@code ray}, {@code ray-underscore}, {@code nim}, or the prefix itself.
   *
   * @return the name, accepted by {@link #parse}
   */
  public String id() {
    return id;
  }

  /**
   * A vLLM family name as this deployment spells it.
   *
   * @param vllmName vLLM's own name, {@code vllm:...} or {@code vllm_neuron:...}
   * @return for example {@code ray_vllm_kv_cache_usage_perc}; empty for a vLLM-Neuron name under NIM
   * @throws IllegalArgumentException when the name is not one of vLLM's
   */
  public Optional<String> name(String vllmName) {
    if (vllmName.startsWith(CANONICAL)) {
      return Optional.of(prefix + vllmName.substring(CANONICAL.length()));
    }
    if (vllmName.startsWith(CANONICAL_NEURON)) {
      String neuron = neuronPrefix();
      return neuron == null ? Optional.empty()
          : Optional.of(neuron + vllmName.substring(CANONICAL_NEURON.length()));
    }
    throw new IllegalArgumentException("not a vLLM name (vllm:... or vllm_neuron:...): " + vllmName);
  }

  /**
   * vLLM's own name of a family spelled this way: the inverse of {@link #name(String)}.
   *
   * @param familyName a family name of a scrape
   * @return for example {@code vllm:kv_cache_usage_perc}; empty when the name is not of this naming
   */
  public Optional<String> vllmName(String familyName) {
    String neuron = neuronPrefix();
    if (neuron != null && familyName.startsWith(neuron)) {
      return Optional.of(CANONICAL_NEURON + familyName.substring(neuron.length()));
    }
    if (prefix.isEmpty()) {
      boolean known = BASES.contains(familyName) || familyName.equals(NIM_FINISHED)
          || familyName.equals(NIM_FINISHED + "_total");
      return known ? Optional.of(CANONICAL + familyName) : Optional.empty();
    }
    return familyName.startsWith(prefix) && familyName.length() > prefix.length()
        ? Optional.of(CANONICAL + familyName.substring(prefix.length())) : Optional.empty();
  }

  /**
   * Whether a family name is one of this naming's: it has the prefix (for NIM: it is one of vLLM's names).
   *
   * @param familyName a family name
   * @return true for a vLLM family
   */
  public boolean isVllmName(String familyName) {
    return vllmName(familyName).isPresent();
  }

  /** The prefix of vLLM-Neuron's families under this naming, or null when it has none (NIM). */
  private String neuronPrefix() {
    if (prefix.endsWith("vllm:") || prefix.endsWith("vllm_")) {
      return prefix.substring(0, prefix.length() - 1) + "_neuron" + prefix.charAt(prefix.length() - 1);
    }
    return null;
  }

  /** The exposed names of a concept, in lookup order (counters: {@code _total} first). */
  List<String> lookupNames(VllmMetric metric) {
    List<String> out = new ArrayList<>();
    if (prefix.isEmpty() && metric == VllmMetric.REQUEST_SUCCESS) {
      out.add(NIM_FINISHED + "_total");
      out.add(NIM_FINISHED);
    }
    for (String vllm : metric.lookupNames()) {
      name(vllm).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The naming a scrape uses, when it has vLLM families (see the class comment for the rule).
   *
   * @param snapshot a scrape
   * @return the naming; empty when the scrape is not vLLM's
   */
  public static Optional<VllmNaming> detect(MetricSnapshot snapshot) {
    Detection d = detection(snapshot);
    return d.confidence() >= io.github.infermetrics.core.kpi.KpiSource.RECOGNIZED ? Optional.of(d.naming())
        : Optional.empty();
  }

  /** The best naming of a scrape with its confidence: 1 for a vllm-bearing prefix, NIM's rule otherwise. */
  static Detection detection(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    Map<String, Integer> byPrefix = new LinkedHashMap<>();
    for (MetricFamily f : snapshot.families()) {
      String p = prefixOf(f.name());
      if (p != null) {
        byPrefix.merge(p, 1, Integer::sum);
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> e : byPrefix.entrySet()) {
      if (best == null || e.getValue() > byPrefix.get(best)
          || (e.getValue().equals(byPrefix.get(best)) && rank(e.getKey()) < rank(best))) {
        best = e.getKey();
      }
    }
    if (best != null) {
      return new Detection(prefix(best), 1);
    }
    return new Detection(NIM, NIM.confidence(snapshot));
  }

  /** Built-in prefixes first on a tie, in their order. */
  private static int rank(String prefix) {
    for (int i = 0; i < BUILT_IN.size(); i++) {
      if (BUILT_IN.get(i).prefix.equals(prefix)) {
        return i;
      }
    }
    return BUILT_IN.size();
  }

  /**
   * The prefix of a family name: up to its first colon when that follows {@code vllm} (vLLM's own namespace, known
   * family or not), or up to {@code vllm_} when a vLLM family's name follows; else null.
   */
  static String prefixOf(String name) {
    if (name.startsWith(CANONICAL_NEURON)) {
      return CANONICAL;
    }
    for (int i = name.indexOf("vllm"); i >= 0; i = name.indexOf("vllm", i + 1)) {
      int end = i + 4;
      if (end + 1 < name.length() && (name.charAt(end) == ':' && name.indexOf(':') == end
          || name.charAt(end) == '_' && BASES.contains(name.substring(end + 1)))) {
        return name.substring(0, end + 1);
      }
    }
    return null;
  }

  /**
   * How surely a scrape is vLLM's under this naming: for a prefix, 1 when a family has it (a prefix ending in
   * {@code _} also needs a vLLM name after it), else 0; for NIM, {@value #NIM_CONFIDENCE} with at least four of vLLM's characteristic families (time to
   * first token among them) of the right type and labelled {@code model_name}, otherwise at most 0.4.
   */
  double confidence(MetricSnapshot snapshot) {
    if (!prefix.isEmpty()) {
      boolean namespace = prefix.endsWith(":");
      for (MetricFamily f : snapshot.families()) {
        Optional<String> v = vllmName(f.name());
        if (v.isPresent() && (namespace || v.get().startsWith(CANONICAL_NEURON)
            || BASES.contains(v.get().substring(CANONICAL.length())))) {
          return 1;
        }
      }
      return 0;
    }
    int found = 0;
    boolean ttft = false;
    for (Map.Entry<VllmMetric, MetricType> c : CHARACTERISTIC.entrySet()) {
      for (String name : lookupNames(c.getKey())) {
        Optional<MetricFamily> f = snapshot.family(name);
        if (f.isPresent() && typeFits(f.get().type(), c.getValue()) && hasModelName(f.get())) {
          found++;
          ttft |= c.getKey() == VllmMetric.TIME_TO_FIRST_TOKEN;
          break;
        }
      }
    }
    return found >= 4 && ttft ? NIM_CONFIDENCE : Math.min(0.4, 0.1 * found);
  }

  private static boolean typeFits(MetricType actual, MetricType wanted) {
    return actual == wanted || (wanted != MetricType.HISTOGRAM && actual == MetricType.UNKNOWN);
  }

  private static boolean hasModelName(MetricFamily f) {
    for (MetricPoint p : f.points()) {
      if (p.labels().contains("model_name")) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> bases() {
    Set<String> out = new HashSet<>();
    for (VllmMetric m : VllmMetric.values()) {
      for (String n : m.lookupNames()) {
        if (n.startsWith(CANONICAL)) {
          out.add(n.substring(CANONICAL.length()));
        }
      }
    }
    return Set.copyOf(out);
  }

  private static Map<VllmMetric, MetricType> characteristic() {
    Map<VllmMetric, MetricType> m = new LinkedHashMap<>();
    m.put(VllmMetric.REQUESTS_RUNNING, MetricType.GAUGE);
    m.put(VllmMetric.REQUESTS_WAITING, MetricType.GAUGE);
    m.put(VllmMetric.KV_CACHE_USAGE, MetricType.GAUGE);
    m.put(VllmMetric.TIME_TO_FIRST_TOKEN, MetricType.HISTOGRAM);
    m.put(VllmMetric.INTER_TOKEN_LATENCY, MetricType.HISTOGRAM);
    m.put(VllmMetric.E2E_REQUEST_LATENCY, MetricType.HISTOGRAM);
    m.put(VllmMetric.PROMPT_TOKENS, MetricType.COUNTER);
    m.put(VllmMetric.GENERATION_TOKENS, MetricType.COUNTER);
    return m;
  }

  /** A detected naming and how sure detection is, 0 to 1. */
  record Detection(VllmNaming naming, double confidence) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof VllmNaming && ((VllmNaming) o).prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  /**
   * The short name and prefix.
   *
   * @return for example {@code ray-underscore (ray_vllm_)} or {@code nim (no prefix)}
   */
  @Override
  public String toString() {
    return id.equals(prefix) ? prefix : id + " (" + (prefix.isEmpty() ? "no prefix" : prefix) + ")";
  }
}

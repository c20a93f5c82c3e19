package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Joins the GPUs a model server's pod holds to the model server's own KPIs: when a pipeline watches both a model
 * server (vLLM, SGLang, TGI, Triton, ...) whose pod is known ({@link PipelineTarget#pod()}) and the GPU exporter of
 * its node (dcgm-exporter, which labels GPUs with their pods), it gives the model server's target the utilisation,
 * memory and power of its pod's GPUs, and KPIs no single exporter has: generated tokens per second per GPU
 * ({@link Kpi#GENERATION_TOKENS_PER_ACCELERATOR}), tokens per joule ({@link Kpi#GENERATION_TOKENS_PER_JOULE}) and,
 * given a price per GPU-hour, the cost of a million generated tokens ({@link Kpi#COST_PER_MILLION_TOKENS}).
 *
 * <pre>{@code
 * PipelineTarget vllm = PipelineTarget.builder(URI.create("http://10.0.0.7:8000/metrics")).name("qwen")
 *     .pod("serving/qwen-0").build();      // watch: vllm=qwen@http://10.0.0.7:8000/metrics,pod=serving/qwen-0
 * PipelineTarget gpus = PipelineTarget.builder(URI.create("http://10.0.0.7:9400/metrics")).name("gpu-node-7")
 *     .build();
 * AcceleratorJoin join = AcceleratorJoin.builder(window -> window.kpiSets().forEach(emf::write))
 *     .target(vllm).pricePerAcceleratorHour(1.21).build();
 * try (KpiPipeline pipeline = KpiPipeline.builder().target(vllm).target(gpus).consumer(join).build()) {
 *   pipeline.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>It is a {@link KpiConsumer} in front of another ({@code downstream}): every window passes through unchanged,
 * and for each window of a model-server target it can join, it passes one more {@link TargetWindow} for the same
 * target, time and window length with a single {@link SourceWindow} of source {@value #SOURCE}. Consumers that
 * keep a target's latest KPIs should therefore keep them per source. The join works on the shared vocabulary only,
 * so any GPU source fits: the GPU values are the {@link Kpi#ACCELERATOR_UTILIZATION}, memory, {@link Kpi#POWER},
 * {@link Kpi#AVERAGE_POWER} and {@link Kpi#ACCELERATOR_COUNT} values whose dimensions are {@code pod}
 * ({@code namespace/name}) and at most {@code node} (a GPU source's per-pod aggregates); the pod's values are
 * matched to the target's {@link PipelineTarget#pod()}.
 *
 * <p>What the joined window holds, each with the GPU values' dimensions ({@code pod}, {@code node}):
 * <ul>
 *   <li>the pod's utilisation, memory used and total, power, average power and GPU count, as the GPU source
 *       gave them;</li>
 *   <li>with the model server's generated tokens per second (the sum of its {@link Kpi#GENERATION_TOKEN_RATE}
 *       values per model, not per engine; with {@code model} when they are of one model): tokens per second per
 *       GPU = rate / GPU count; tokens per joule = rate / average power (W = J/s; the power at the end of the window
 *       when the source has no energy counter); cost per million tokens = price × GPU count / 3600 / rate ×
 *       10<sup>6</sup> (none without traffic).</li>
 * </ul>
 * The model server's window and the GPU window of the same moment arrive in either order: a model-server window
 * is joined at once with GPU values at most {@link Builder#maxSkew} apart (default: its window length), or else
 * when such values arrive. A model-server window that found none before its next window came is left unjoined
 * and counted ({@link #unjoined()}). Thread-safe.
 */
public final class AcceleratorJoin implements KpiConsumer {
  /** The {@link SourceWindow#source()} of the joined windows. */
  public static final String SOURCE = "accelerators";

  private static final Set<Kpi> GPU_KPIS = Set.of(Kpi.ACCELERATOR_UTILIZATION, Kpi.ACCELERATOR_MEMORY_USED,
      Kpi.ACCELERATOR_MEMORY_TOTAL, Kpi.POWER, Kpi.AVERAGE_POWER, Kpi.ACCELERATOR_COUNT);
  private static final Set<String> GPU_DIMENSIONS = Set.of(KpiDimension.POD, KpiDimension.NODE);
  private static final Set<String> MODEL_DIMENSIONS = Set.of(KpiDimension.MODEL, KpiDimension.MODEL_VERSION,
      KpiDimension.NAMESPACE);

  /** The measures of a joined window, one per KPI. */
  private static final Map<Kpi, Measure> MEASURES = new EnumMap<>(Kpi.class);

  static {
    MEASURES.put(Kpi.ACCELERATOR_UTILIZATION, Measure.of(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, "UTIL"));
    MEASURES.put(Kpi.ACCELERATOR_MEMORY_USED, Measure.of(Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE,
        "MEM USED"));
    MEASURES.put(Kpi.ACCELERATOR_MEMORY_TOTAL, Measure.of(Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE,
        "MEM TOTAL"));
    MEASURES.put(Kpi.POWER, Measure.of(Kpi.POWER, KpiStatistic.VALUE, "POWER W"));
    MEASURES.put(Kpi.AVERAGE_POWER, Measure.of(Kpi.AVERAGE_POWER, KpiStatistic.VALUE, "AVG W"));
    MEASURES.put(Kpi.ACCELERATOR_COUNT, Measure.of(Kpi.ACCELERATOR_COUNT, KpiStatistic.VALUE, "GPUS"));
    MEASURES.put(Kpi.GENERATION_TOKENS_PER_ACCELERATOR, Measure.of(Kpi.GENERATION_TOKENS_PER_ACCELERATOR,
        KpiStatistic.VALUE, "TOK/S/GPU"));
    MEASURES.put(Kpi.GENERATION_TOKENS_PER_JOULE, Measure.of(Kpi.GENERATION_TOKENS_PER_JOULE, KpiStatistic.VALUE,
        "TOK/J"));
    MEASURES.put(Kpi.COST_PER_MILLION_TOKENS, Measure.of(Kpi.COST_PER_MILLION_TOKENS, KpiStatistic.VALUE,
        "$/M TOK"));
  }

  /** The GPU values of one pod at one moment. */
  private record PodGpus(Instant at, Labels dimensions, Map<Kpi, Double> values) {}

  private final KpiConsumer downstream;
  private final Map<String, String> podOfTarget = new HashMap<>();
  private final Map<String, PodGpus> latest = new HashMap<>();
  private final Map<String, TargetWindow> pending = new LinkedHashMap<>();
  private final double pricePerAcceleratorHour;
  private final Duration maxSkew;
  private long joined;
  private long unjoined;

  private AcceleratorJoin(Builder b) {
    this.downstream = b.downstream;
    this.podOfTarget.putAll(b.pods);
    this.pricePerAcceleratorHour = b.price;
    this.maxSkew = b.maxSkew;
  }

  /**
   * Starts a join in front of a consumer.
   *
   * @param downstream the consumer of every window and of the joined ones
   * @return a builder
   */
  public static Builder builder(KpiConsumer downstream) {
    return new Builder(downstream);
  }

  /**
   * Starts (or stops) joining a target: a target added to the pipeline while it runs, or one whose pod changed.
   *
   * @param target the target; one without a pod is forgotten
   */
  public void watch(PipelineTarget target) {
    Objects.requireNonNull(target, "target");
    synchronized (this) {
      if (target.pod().isPresent()) {
        podOfTarget.put(target.name(), target.pod().get());
      } else {
        podOfTarget.remove(target.name());
        pending.remove(target.name());
      }
    }
  }

  @Override
  public void accept(TargetWindow window) {
    Objects.requireNonNull(window, "window");
    downstream.accept(window);
    List<TargetWindow> out = new ArrayList<>();
    synchronized (this) {
      Map<String, PodGpus> gpus = podGpus(window);
      latest.putAll(gpus);
      for (String pod : gpus.keySet()) {
        pending.values().removeIf(w -> {
          Optional<TargetWindow> j = join(w, pod);
          j.ifPresent(out::add);
          return j.isPresent();
        });
      }
      String pod = podOfTarget.get(window.target());
      if (pod != null && window.source(SOURCE).isEmpty()) {
        if (pending.remove(window.target()) != null) {
          unjoined++;   // its GPU values never came: this newer window replaces it
        }
        Optional<TargetWindow> j = join(window, pod);
        if (j.isPresent()) {
          out.add(j.get());
        } else {
          pending.put(window.target(), window);
        }
      }
      joined += out.size();
    }
    // outside the lock: the downstream consumer may take its time
    out.forEach(downstream::accept);
  }

  @Override
  public void removed(String target) {
    synchronized (this) {
      if (pending.remove(target) != null) {
        unjoined++;
      }
    }
    downstream.removed(target);
  }

  /**
   * Joined windows passed on so far.
   *
   * @return the count
   */
  public synchronized long joined() {
    return joined;
  }

  /**
   * Model-server windows that found no GPU values of their pod before their next window (or their removal): the
   * node's GPU exporter is not watched, is down, or does not label the pod's GPUs.
   *
   * @return the count
   */
  public synchronized long unjoined() {
    return unjoined;
  }

  /**
   * The model-server targets whose latest window still waits for GPU values, with why, for status lines.
   *
   * @return target name to a one-line reason
   */
  public synchronized Map<String, String> waiting() {
    Map<String, String> out = new LinkedHashMap<>();
    for (TargetWindow w : pending.values()) {
      String pod = podOfTarget.get(w.target());
      PodGpus last = latest.get(pod);
      out.put(w.target(), last == null ? "no GPU values for pod " + pod + " yet from any exporter watched"
          : "the GPU values for pod " + pod + " are from " + last.at() + ", more than " + skew(w) + " from " + w.at());
    }
    return out;
  }

  private Duration skew(TargetWindow w) {
    return maxSkew != null ? maxSkew : w.window();
  }

  /** The GPU values per pod in a window: pod aggregates of the KPIs the join reads. */
  private static Map<String, PodGpus> podGpus(TargetWindow window) {
    Map<String, PodGpus> out = new LinkedHashMap<>();
    for (SourceWindow s : window.sources()) {
      if (s.source().equals(SOURCE)) {
        continue;
      }
      for (KpiValue v : s.kpis().values()) {
        String pod = v.dimensions().get(KpiDimension.POD);
        if (pod == null || !GPU_KPIS.contains(v.kpi()) || !onlyDimensions(v.dimensions(), GPU_DIMENSIONS)) {
          continue;
        }
        out.computeIfAbsent(pod, p -> new PodGpus(window.at(), v.dimensions(), new EnumMap<>(Kpi.class)))
            .values().putIfAbsent(v.kpi(), v.value());
      }
    }
    return out;
  }

  private static boolean onlyDimensions(Labels dims, Set<String> allowed) {
    for (int i = 0; i < dims.size(); i++) {
      if (!allowed.contains(dims.name(i))) {
        return false;
      }
    }
    return true;
  }

  /** The joined window of a model-server window and its pod's latest GPU values, if they are close enough. */
  private Optional<TargetWindow> join(TargetWindow w, String pod) {
    if (!pod.equals(podOfTarget.get(w.target()))) {
      return Optional.empty();
    }
    PodGpus gpus = latest.get(pod);
    if (gpus == null || Duration.between(gpus.at(), w.at()).abs().compareTo(skew(w)) > 0) {
      return Optional.empty();
    }
    MeasuredWindow.Builder b = MeasuredWindow.builder(SOURCE, w.window());
    Labels dims = gpus.dimensions();
    gpus.values().forEach((kpi, value) -> b.put(MEASURES.get(kpi), dims, value));

    Map<String, Double> byModel = generationRates(w);
    if (!byModel.isEmpty()) {
      double rate = 0;
      for (double r : byModel.values()) {
        rate += r;
      }
      Labels derived = byModel.size() == 1 && !byModel.keySet().iterator().next().isEmpty()
          ? dims.with(KpiDimension.MODEL, byModel.keySet().iterator().next()) : dims;
      Double count = gpus.values().get(Kpi.ACCELERATOR_COUNT);
      if (count != null && count > 0) {
        b.put(MEASURES.get(Kpi.GENERATION_TOKENS_PER_ACCELERATOR), derived, rate / count);
        if (pricePerAcceleratorHour > 0 && rate > 0) {
          double dollarsPerSecond = pricePerAcceleratorHour * count / 3600;
          b.put(MEASURES.get(Kpi.COST_PER_MILLION_TOKENS), derived, dollarsPerSecond / rate * 1e6);
        }
      }
      Double watts = gpus.values().getOrDefault(Kpi.AVERAGE_POWER, gpus.values().get(Kpi.POWER));
      if (watts != null && watts > 0) {
        b.put(MEASURES.get(Kpi.GENERATION_TOKENS_PER_JOULE), derived, rate / watts);
      }
    }
    List<Measure> columns = new ArrayList<>(MEASURES.values());
    MeasuredWindow accelerators = b.table(KpiTable.of("accelerators", columns, b.values(), KpiDimension.POD,
        KpiDimension.MODEL)).build();
    KpiSet set = accelerators.toKpiSet(w.target(), w.at());
    return Optional.of(new TargetWindow(w.target(), w.at(), w.window(),
        List.of(new SourceWindow(SOURCE, accelerators, set)), List.of()));
  }

  /**
   * The window's generated tokens per second by model: the values split by model only (not by engine or reason),
   * summed over a model's versions, the first source's where two sources give one model; the whole target's
   * ({@code ""}) when none is by model.
   */
  private static Map<String, Double> generationRates(TargetWindow w) {
    Map<String, Double> byModel = new LinkedHashMap<>();
    Double whole = null;
    for (SourceWindow s : w.sources()) {
      Map<String, Double> mine = new LinkedHashMap<>();
      for (KpiValue v : s.kpis().values(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE)) {
        Labels d = v.dimensions();
        String model = d.get(KpiDimension.MODEL);
        if (d.isEmpty()) {
          whole = whole == null ? v.value() : whole;
        } else if (model != null && onlyDimensions(d, MODEL_DIMENSIONS)) {
          mine.merge(model, v.value(), Double::sum);
        }
      }
      mine.forEach(byModel::putIfAbsent);
    }
    if (byModel.isEmpty() && whole != null) {
      byModel.put("", whole);
    }
    return byModel;
  }

  /** Builds an {@link AcceleratorJoin}; not thread-safe. */
  public static final class Builder {
    private final KpiConsumer downstream;
    private final Map<String, String> pods = new LinkedHashMap<>();
    private double price;
    private Duration maxSkew;

    private Builder(KpiConsumer downstream) {
      this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /**
     * A model-server target to join, by its pod; a target without a pod is left as it is.
     *
     * @param target the target
     * @return this
     */
    public Builder target(PipelineTarget target) {
      Objects.requireNonNull(target, "target");
      target.pod().ifPresent(p -> pods.put(target.name(), p));
      return this;
    }

    /**
     * A model-server target to join, by name and pod.
     *
     * @param targetName the target's name ({@link PipelineTarget#name()})
     * @param pod {@code namespace/name}
     * @return this
     */
    public Builder target(String targetName, String pod) {
      Objects.requireNonNull(targetName, "targetName");
      Objects.requireNonNull(pod, "pod");
      int slash = pod.indexOf('/');
      if (slash <= 0 || slash == pod.length() - 1) {
        throw new IllegalArgumentException("pod must be namespace/name: '" + pod + "'");
      }
      pods.put(targetName, pod);
      return this;
    }

    /**
     * The price of one accelerator (GPU) per hour, for {@link Kpi#COST_PER_MILLION_TOKENS}; none by default.
     *
     * @param dollars positive and finite, for example {@code 1.21} (an A10G's share of a g5.12xlarge)
     * @return this
     */
    public Builder pricePerAcceleratorHour(double dollars) {
      if (!(dollars > 0) || Double.isInfinite(dollars)) {
        throw new IllegalArgumentException("price per accelerator-hour must be positive and finite: " + dollars);
      }
      this.price = dollars;
      return this;
    }

    /**
     * How far apart a model server's window and its GPUs' values may be; default: the model server's window
     * length.
     *
     * @param skew positive
     * @return this
     */
    public Builder maxSkew(Duration skew) {
      Objects.requireNonNull(skew, "maxSkew");
      if (skew.isNegative() || skew.isZero()) {
        throw new IllegalArgumentException("maxSkew must be positive: " + skew);
      }
      this.maxSkew = skew;
      return this;
    }

    /**
     * Builds the join.
     *
     * @return the join
     */
    public AcceleratorJoin build() {
      return new AcceleratorJoin(this);
    }
  }
}

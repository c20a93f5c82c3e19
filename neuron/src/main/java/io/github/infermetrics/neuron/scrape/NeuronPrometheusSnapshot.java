package io.github.infermetrics.neuron.scrape;

import static io.github.infermetrics.neuron.scrape.ConverterFamilies.DEVICE_INDEX;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.ERROR_TYPE;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.EVENT_TYPE;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.MEMORY_LOCATION;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.NEURONCORE;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.PERCENTILE;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.RUNTIME_TAG;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.STATUS_TYPE;
import static io.github.infermetrics.neuron.scrape.ConverterFamilies.USAGE_TYPE;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A typed view over one scrape of AWS's {@code neuron-monitor-prometheus.py} ({@code neuron-monitor |
 * neuron-monitor-prometheus.py --port 8000}, or the Kubernetes DaemonSet's port), for users who only have that
 * endpoint: per runtime its NeuronCore utilization and memory, runtime memory and vCPU usage, execution counters
 * and latency percentiles; for the instance its ECC counters, system usage, EC2 and Neuron hardware info.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(bytes);   // or a Scraper's result
 * if (NeuronPrometheusSnapshot.detect(scrape)) {
 *   NeuronPrometheusSnapshot neuron = NeuronPrometheusSnapshot.of(scrape);
 *   for (NeuronRuntime r : neuron.runtimes()) {
 *     System.out.println(r.tag() + " p50=" + r.latency("p50") + " device memory=" + r.deviceMemoryUsedBytes());
 *   }
 * }
 * }</pre>
 *
 * <p>Values are as the converter wrote them: ratios are 0 to 1 (it divided neuron-monitor's percentages by 100),
 * {@code memory_location="None"} on the per-core memory families is ignored. Both Prometheus text and OpenMetrics
 * expositions work, and so do the older converter's {@code inference_*} names. Families of other exporters (the
 * {@code python_*} and {@code process_*} collectors) and labels the view does not know are ignored. One view is
 * one instance: a scrape that federates several instances repeats series and is rejected. Immutable.
 */
public final class NeuronPrometheusSnapshot {
  private final MetricSnapshot source;
  private final List<NeuronRuntime> runtimes;
  private final Optional<InstanceInfo> instance;
  private final Optional<NeuronHardware> hardware;
  private final SystemUsage system;
  private final List<EccCounters> ecc;

  private NeuronPrometheusSnapshot(MetricSnapshot source, List<NeuronRuntime> runtimes,
      Optional<InstanceInfo> instance, Optional<NeuronHardware> hardware, SystemUsage system,
      List<EccCounters> ecc) {
    this.source = source;
    this.runtimes = List.copyOf(runtimes);
    this.instance = instance;
    this.hardware = hardware;
    this.system = system;
    this.ecc = List.copyOf(ecc);
  }

  /**
   * The converter's samples whose value is NaN or infinite (its Python client's own {@code process_*} and
   * {@code python_*} collectors aside), each as {@code name{labels} = value}: the KPIs leave them out and count
   * them.
   *
   * @return the samples; empty on a healthy exporter
   */
  public List<String> nonFinite() {
    return source.nonFiniteSamples(n -> !n.startsWith("process_") && !n.startsWith("python_"));
  }

  /**
   * Whether a scrape comes from {@code neuron-monitor-prometheus.py}: it has one of the families only that
   * converter writes ({@code neuroncore_utilization_ratio}, {@code execution_latency_seconds},
   * {@code neuron_runtime_memory_used_bytes}, {@code execution_status_total}, {@code neuron_hardware_info}, ...).
   * A family without samples counts: the converter keeps the metadata when no runtime is running.
   *
   * @param scrape the scrape
   * @return true when it has one of them
   */
  public static boolean detect(MetricSnapshot scrape) {
    Objects.requireNonNull(scrape, "scrape");
    for (String name : ConverterFamilies.SIGNATURE) {
      if (scrape.family(name).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The typed view of a scrape. A scrape without any of the converter's families gives a view without runtimes.
   *
   * @param scrape the scrape
   * @return the view
   * @throws IllegalArgumentException naming the family and labels when a series lacks a label the converter always
   *     writes ({@code runtime_tag}, {@code neuroncore}, ...), an index label is not a number, a family has a type
   *     the converter never gives it, or a series is repeated
   */
  public static NeuronPrometheusSnapshot of(MetricSnapshot scrape) {
    return Objects.requireNonNull(scrape, "scrape").view(NeuronPrometheusSnapshot.class,
        NeuronPrometheusSnapshot::read);
  }

  private static NeuronPrometheusSnapshot read(MetricSnapshot scrape) {
    Map<String, RuntimeParts> byTag = new TreeMap<>(NeuronPrometheusSnapshot::compareTags);
    ConverterFamilies.gauge(scrape, ConverterFamilies.UTILIZATION).ifPresent(f -> {
      for (MetricPoint p : f.points()) {
        RuntimeParts r = runtime(byTag, f, p);
        int core = ConverterFamilies.index(f, p, NEURONCORE);
        CoreParts c = r.cores.computeIfAbsent(core, k -> new CoreParts());
        if (c.utilization.isPresent()) {
          throw repeated(f, p);
        }
        c.utilization = OptionalDouble.of(ConverterFamilies.value(f, p));
      }
    });
    // only the five types the converter writes: a newer one, or the CloudWatch agent's _total, is not ours to read
    for (String type : ConverterFamilies.MEMORY_TYPES) {
      ConverterFamilies.gauge(scrape, ConverterFamilies.CORE_MEMORY_PREFIX + type).ifPresent(f -> {
        for (MetricPoint p : f.points()) {
          RuntimeParts r = runtime(byTag, f, p);
          int core = ConverterFamilies.index(f, p, NEURONCORE);
          putOnce(r.cores.computeIfAbsent(core, k -> new CoreParts()).memory, type, f, p);
        }
      });
    }
    keyed(byTag, ConverterFamilies.gauge(scrape, ConverterFamilies.RUNTIME_MEMORY), MEMORY_LOCATION,
        r -> r.memory);
    keyed(byTag, ConverterFamilies.gauge(scrape, ConverterFamilies.RUNTIME_VCPU), USAGE_TYPE, r -> r.vcpu);
    keyed(byTag, ConverterFamilies.counter(scrape, ConverterFamilies.STATUS, ConverterFamilies.STATUS_OLD),
        STATUS_TYPE, r -> r.status);
    keyed(byTag, ConverterFamilies.counter(scrape, ConverterFamilies.ERRORS, ConverterFamilies.ERRORS_OLD),
        ERROR_TYPE, r -> r.errors);
    keyed(byTag, ConverterFamilies.gauge(scrape, ConverterFamilies.LATENCY, ConverterFamilies.LATENCY_OLD),
        PERCENTILE, r -> r.latency);

    List<NeuronRuntime> runtimes = new ArrayList<>();
    byTag.forEach((tag, parts) -> runtimes.add(parts.build(tag)));
    return new NeuronPrometheusSnapshot(scrape, runtimes, instance(scrape), hardware(scrape), system(scrape),
        ecc(scrape));
  }

  /** Numeric tags (PIDs) in numeric order, then the others in text order. */
  private static int compareTags(String a, String b) {
    boolean na = isDigits(a);
    boolean nb = isDigits(b);
    if (na && nb) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    return na ? -1 : nb ? 1 : a.compareTo(b);
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private interface Slot {
    Map<String, Double> of(RuntimeParts r);
  }

  private static void keyed(Map<String, RuntimeParts> byTag, Optional<MetricFamily> family, String keyLabel,
      Slot slot) {
    family.ifPresent(f -> {
      for (MetricPoint p : f.points()) {
        putOnce(slot.of(runtime(byTag, f, p)), ConverterFamilies.required(f, p, keyLabel), f, p);
      }
    });
  }

  private static RuntimeParts runtime(Map<String, RuntimeParts> byTag, MetricFamily f, MetricPoint p) {
    RuntimeParts r = byTag.computeIfAbsent(ConverterFamilies.required(f, p, RUNTIME_TAG), k -> new RuntimeParts());
    r.share(p.labels());
    return r;
  }

  private static void putOnce(Map<String, Double> m, String key, MetricFamily f, MetricPoint p) {
    if (m.put(key, ConverterFamilies.value(f, p)) != null) {
      throw repeated(f, p);
    }
  }

  private static IllegalArgumentException repeated(MetricFamily f, MetricPoint p) {
    return new IllegalArgumentException(f.name() + p.labels() + ": series repeated (one view is one instance;"
        + " select one instance_id from a federated scrape first)");
  }

  private static Optional<InstanceInfo> instance(MetricSnapshot scrape) {
    return ConverterFamilies.info(scrape, ConverterFamilies.INSTANCE)
        .flatMap(f -> single(f).map(p -> new InstanceInfo(p.labels())));
  }

  private static Optional<NeuronHardware> hardware(MetricSnapshot scrape) {
    return ConverterFamilies.info(scrape, ConverterFamilies.HARDWARE)
        .flatMap(f -> single(f).map(p -> NeuronHardware.fromLabels(p.labels())));
  }

  private static SystemUsage system(MetricSnapshot scrape) {
    Map<String, Double> vcpu = new HashMap<>();
    ConverterFamilies.gauge(scrape, ConverterFamilies.SYSTEM_VCPU).ifPresent(f -> {
      for (MetricPoint p : f.points()) {
        putOnce(vcpu, ConverterFamilies.required(f, p, USAGE_TYPE), f, p);
      }
    });
    return new SystemUsage(scalar(scrape, ConverterFamilies.VCPU_COUNT), vcpu,
        scalar(scrape, ConverterFamilies.MEMORY_TOTAL), scalar(scrape, ConverterFamilies.MEMORY_USED),
        scalar(scrape, ConverterFamilies.SWAP_TOTAL), scalar(scrape, ConverterFamilies.SWAP_USED));
  }

  private static List<EccCounters> ecc(MetricSnapshot scrape) {
    Map<Integer, Map<String, Double>> byDevice = new TreeMap<>();
    ConverterFamilies.counter(scrape, ConverterFamilies.ECC).ifPresent(f -> {
      for (MetricPoint p : f.points()) {
        int device = ConverterFamilies.index(f, p, DEVICE_INDEX);
        putOnce(byDevice.computeIfAbsent(device, k -> new HashMap<>()), ConverterFamilies.required(f, p, EVENT_TYPE),
            f, p);
      }
    });
    List<EccCounters> out = new ArrayList<>();
    byDevice.forEach((device, events) -> out.add(new EccCounters(device, events)));
    return out;
  }

  private static OptionalDouble scalar(MetricSnapshot scrape, String name) {
    Optional<MetricFamily> f = ConverterFamilies.gauge(scrape, name);
    Optional<MetricPoint> p = f.flatMap(NeuronPrometheusSnapshot::single);
    return p.isPresent() ? OptionalDouble.of(ConverterFamilies.value(f.get(), p.get())) : OptionalDouble.empty();
  }

  /** The one point of an instance-level family; none when the converter cleared it. */
  private static Optional<MetricPoint> single(MetricFamily f) {
    List<MetricPoint> points = f.points();
    if (points.size() > 1) {
      throw repeated(f, points.get(1));
    }
    return points.isEmpty() ? Optional.empty() : Optional.of(points.get(0));
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
   * The runtimes, numeric tags (PIDs) in numeric order first. Empty when no Neuron application is running: the
   * converter then clears every series.
   *
   * @return an unmodifiable list
   */
  public List<NeuronRuntime> runtimes() {
    return runtimes;
  }

  /**
   * One runtime.
   *
   * @param tag its {@code runtime_tag}
   * @return the runtime, or empty
   */
  public Optional<NeuronRuntime> runtime(String tag) {
    for (NeuronRuntime r : runtimes) {
      if (r.tag().equals(tag)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The EC2 instance, from {@code instance_info}.
   *
   * @return the instance, or empty when the scrape has none
   */
  public Optional<InstanceInfo> instance() {
    return instance;
  }

  /**
   * The Neuron hardware, from {@code neuron_hardware_info}.
   *
   * @return the hardware, or empty when the scrape has none
   */
  public Optional<NeuronHardware> hardware() {
    return hardware;
  }

  /**
   * The host's vCPU and memory usage.
   *
   * @return the system usage; its values are empty where the scrape has none
   */
  public SystemUsage system() {
    return system;
  }

  /**
   * The ECC counters, by device index.
   *
   * @return an unmodifiable list
   */
  public List<EccCounters> ecc() {
    return ecc;
  }

  @Override
  public String toString() {
    return "NeuronPrometheusSnapshot{" + runtimes.size() + " runtimes, " + ecc.size() + " devices with ECC}";
  }

  /** A runtime's series while the families are read. */
  private static final class RuntimeParts {
    final Map<Integer, CoreParts> cores = new TreeMap<>();
    final Map<String, Double> memory = new HashMap<>();
    final Map<String, Double> vcpu = new HashMap<>();
    final Map<String, Double> status = new HashMap<>();
    final Map<String, Double> errors = new HashMap<>();
    final Map<String, Double> latency = new HashMap<>();
    Map<String, String> shared;

    /** Keeps the labels every series of the runtime has with the same value. */
    void share(Labels labels) {
      if (shared == null) {
        shared = new LinkedHashMap<>(labels.asMap());
        // the labels that tell a runtime's series apart are never shared, even by a runtime with one series
        for (String own : List.of(RUNTIME_TAG, NEURONCORE, MEMORY_LOCATION, USAGE_TYPE, STATUS_TYPE, ERROR_TYPE,
            PERCENTILE)) {
          shared.remove(own);
        }
      } else {
        shared.entrySet().removeIf(e -> !e.getValue().equals(labels.get(e.getKey())));
      }
    }

    NeuronRuntime build(String tag) {
      List<NeuronCoreUsage> list = new ArrayList<>();
      cores.forEach((index, c) -> list.add(new NeuronCoreUsage(index, c.utilization, c.memory)));
      return new NeuronRuntime(tag, Labels.of(shared), list, memory, vcpu, status, errors, latency);
    }
  }

  /** A NeuronCore's series while the families are read. */
  private static final class CoreParts {
    OptionalDouble utilization = OptionalDouble.empty();
    final Map<String, Double> memory = new HashMap<>();
  }
}

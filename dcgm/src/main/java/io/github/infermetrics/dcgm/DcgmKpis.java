package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.series.Rates;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * NVIDIA GPUs' KPIs between two dcgm-exporter scrapes of one node: per GPU and MIG instance ({@link GpuKpis}), per
 * node and per pod ({@link GroupKpis}), as typed values, as the shared {@link KpiSet} and as {@link KpiTable}s.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * DcgmSnapshot before = DcgmSnapshot.of(reader.read(previousScrape));   // http://node:9400/metrics
 * DcgmSnapshot after = DcgmSnapshot.of(reader.read(currentScrape));     // 15 s later
 * DcgmKpis kpis = DcgmKpis.between(before, after, Duration.ofSeconds(15));
 * for (GpuKpis g : kpis.gpus()) {
 *   System.out.printf("%s %.0f %% (%s), %.0f W on average%n", g.device(),
 *       g.get(DcgmMeasure.UTILIZATION).orElse(Double.NaN) * 100,
 *       g.utilizationSource().map(UtilizationSource::label).orElse("-"),
 *       g.get(DcgmMeasure.AVERAGE_POWER).orElse(Double.NaN));
 * }
 * kpis.pod("serving/qwen-0").ifPresent(p -> System.out.println(p.get(DcgmMeasure.MEMORY_USED)));
 * }</pre>
 *
 * <ul>
 *   <li>Utilisation is {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} where the GPU reports it, else
 *       {@code DCGM_FI_DEV_GPU_UTIL} / 100; {@link GpuKpis#utilizationSource()} says which.</li>
 *   <li>Memory: used and free from {@code DCGM_FI_DEV_FB_USED}/{@code _FREE}; total from {@code DCGM_FI_DEV_FB_TOTAL},
 *       else used + free (+ {@code DCGM_FI_DEV_FB_RESERVED} where exported); used ratio = used / total.</li>
 *   <li>Average power = Δ{@code DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION} (mJ, PromQL's increase, so a driver reload
 *       counts from zero) / 1000 / window; PCIe retries per second likewise.</li>
 *   <li>Throughput: PCIe from {@code DCGM_FI_PROF_PCIE_*_BYTES}, else {@code DCGM_FI_DEV_PCIE_*_THROUGHPUT};
 *       NVLink from {@code DCGM_FI_PROF_NVLINK_*_BYTES}, the total else from
 *       {@code DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL} (see {@link DcgmField}).</li>
 *   <li>Nodes ({@code Hostname}; no {@code node} dimension when the exporter gives none) count every GPU, a GPU in
 *       MIG mode as its instances: {@link DcgmMeasure#DEVICES}, mean utilisation over them, and per GPU its own
 *       memory and power (its instances' memory summed when the GPU reports none itself). Pods count the GPUs and
 *       instances assigned to them: mean utilisation, summed memory, and the power of whole GPUs (a MIG instance
 *       has no power of its own). A GPU with no pod counts for its node only; a time-sliced GPU counts for every
 *       pod it is assigned to.</li>
 * </ul>
 *
 * <p>Dimensions: per GPU {@code device} (the UUID), with {@value #MIG_INSTANCE} and {@value #MIG_PROFILE} for a MIG
 * instance; per node {@code node}; per pod {@code pod} ({@code namespace/name}) and {@code node}; clock events add
 * {@code reason}. A GPU only in the later scrape has its gauges but no rates. Immutable.
 */
public final class DcgmKpis implements KpiWindow {
  /** The {@link KpiSet#source()} of DCGM KPIs. */
  public static final String SOURCE = "dcgm";
  /** The dimension of a MIG instance's {@code GPU_I_ID}. */
  public static final String MIG_INSTANCE = "gpu_instance";
  /** The dimension of a MIG instance's {@code GPU_I_PROFILE}. */
  public static final String MIG_PROFILE = "gpu_profile";

  /** The measures of the nodes and pods tables. */
  static final List<DcgmMeasure> GROUP_MEASURES = List.of(DcgmMeasure.DEVICES, DcgmMeasure.UTILIZATION,
      DcgmMeasure.MEMORY_USED, DcgmMeasure.MEMORY_TOTAL, DcgmMeasure.MEMORY_USED_RATIO, DcgmMeasure.POWER,
      DcgmMeasure.AVERAGE_POWER);

  private final Duration window;
  private final List<GpuKpis> gpus;
  private final List<GroupKpis> nodes;
  private final List<GroupKpis> pods;
  private final List<String> dropped;
  private final DcgmSnapshot current;

  private DcgmKpis(Duration window, List<GpuKpis> gpus, List<GroupKpis> nodes, List<GroupKpis> pods,
      DcgmSnapshot current) {
    this.window = window;
    this.gpus = Collections.unmodifiableList(gpus);
    this.nodes = Collections.unmodifiableList(nodes);
    this.pods = Collections.unmodifiableList(pods);
    this.dropped = current.dropped();
    this.current = current;
  }

  /**
   * Computes the KPIs between two scrapes of the same exporter.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not positive
   */
  public static DcgmKpis between(DcgmSnapshot previous, DcgmSnapshot current, Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    double seconds = MeasuredWindow.seconds(window);
    Map<DcgmGpu.Key, DcgmGpu> before = new LinkedHashMap<>();
    previous.gpus().forEach(g -> before.put(g.key(), g));
    List<GpuKpis> gpus = new ArrayList<>();
    for (DcgmGpu now : current.gpus()) {
      gpus.add(gpu(before.get(now.key()), now, seconds));
    }
    return new DcgmKpis(window, gpus, nodes(gpus), pods(gpus), current);
  }

  private static GpuKpis gpu(DcgmGpu then, DcgmGpu now, double seconds) {
    Map<DcgmMeasure, Double> v = new EnumMap<>(DcgmMeasure.class);
    OptionalDouble gr = now.get(DcgmField.GR_ENGINE_ACTIVE);
    OptionalDouble util = now.get(DcgmField.GPU_UTIL);
    Optional<UtilizationSource> source = Optional.empty();
    if (gr.isPresent()) {
      put(v, DcgmMeasure.UTILIZATION, gr.getAsDouble());
      source = Optional.of(UtilizationSource.GR_ENGINE_ACTIVE);
    } else if (util.isPresent()) {
      put(v, DcgmMeasure.UTILIZATION, util.getAsDouble());
      source = Optional.of(UtilizationSource.GPU_UTIL);
    }
    put(v, DcgmMeasure.GR_ENGINE_ACTIVE, gr);
    put(v, DcgmMeasure.GPU_UTIL, util);
    put(v, DcgmMeasure.SM_ACTIVE, now.get(DcgmField.SM_ACTIVE));
    put(v, DcgmMeasure.SM_OCCUPANCY, now.get(DcgmField.SM_OCCUPANCY));
    put(v, DcgmMeasure.TENSOR_ACTIVE, now.get(DcgmField.TENSOR_ACTIVE));
    put(v, DcgmMeasure.DRAM_ACTIVE, now.get(DcgmField.DRAM_ACTIVE));
    put(v, DcgmMeasure.MEMORY_COPY, now.get(DcgmField.MEM_COPY_UTIL));

    OptionalDouble used = now.get(DcgmField.FB_USED);
    OptionalDouble free = now.get(DcgmField.FB_FREE);
    OptionalDouble total = now.get(DcgmField.FB_TOTAL);
    if (total.isEmpty() && used.isPresent() && free.isPresent()) {
      total = OptionalDouble.of(used.getAsDouble() + free.getAsDouble()
          + now.get(DcgmField.FB_RESERVED).orElse(0));
    }
    put(v, DcgmMeasure.MEMORY_USED, used);
    put(v, DcgmMeasure.MEMORY_FREE, free);
    put(v, DcgmMeasure.MEMORY_TOTAL, total);
    if (used.isPresent() && total.isPresent()) {
      put(v, DcgmMeasure.MEMORY_USED_RATIO, used.getAsDouble() / total.getAsDouble());
    }

    put(v, DcgmMeasure.POWER, now.get(DcgmField.POWER_USAGE));
    put(v, DcgmMeasure.POWER_LIMIT, now.get(DcgmField.POWER_LIMIT));
    boolean reset = false;
    if (then != null) {
      OptionalDouble a = then.get(DcgmField.TOTAL_ENERGY);
      OptionalDouble b = now.get(DcgmField.TOTAL_ENERGY);
      if (a.isPresent() && b.isPresent()) {
        reset |= b.getAsDouble() < a.getAsDouble();
        put(v, DcgmMeasure.AVERAGE_POWER, Rates.increase(a.getAsDouble(), b.getAsDouble()) / seconds);
      }
      a = then.get(DcgmField.PCIE_REPLAYS);
      b = now.get(DcgmField.PCIE_REPLAYS);
      if (a.isPresent() && b.isPresent()) {
        reset |= b.getAsDouble() < a.getAsDouble();
        put(v, DcgmMeasure.PCIE_REPLAYS, Rates.increase(a.getAsDouble(), b.getAsDouble()) / seconds);
      }
    }
    put(v, DcgmMeasure.TEMPERATURE, now.get(DcgmField.GPU_TEMP));
    put(v, DcgmMeasure.MEMORY_TEMPERATURE, now.get(DcgmField.MEMORY_TEMP));
    put(v, DcgmMeasure.SM_CLOCK, now.get(DcgmField.SM_CLOCK));
    put(v, DcgmMeasure.MEMORY_CLOCK, now.get(DcgmField.MEM_CLOCK));
    put(v, DcgmMeasure.XID_ERROR, now.get(DcgmField.XID_ERRORS));
    put(v, DcgmMeasure.PCIE_TRANSMIT, either(now, DcgmField.PCIE_TX_BYTES, DcgmField.PCIE_TX_THROUGHPUT));
    put(v, DcgmMeasure.PCIE_RECEIVE, either(now, DcgmField.PCIE_RX_BYTES, DcgmField.PCIE_RX_THROUGHPUT));
    OptionalDouble tx = now.get(DcgmField.NVLINK_TX_BYTES);
    OptionalDouble rx = now.get(DcgmField.NVLINK_RX_BYTES);
    put(v, DcgmMeasure.NVLINK_TRANSMIT, tx);
    put(v, DcgmMeasure.NVLINK_RECEIVE, rx);
    put(v, DcgmMeasure.NVLINK_THROUGHPUT, tx.isPresent() && rx.isPresent()
        ? OptionalDouble.of(tx.getAsDouble() + rx.getAsDouble()) : now.get(DcgmField.NVLINK_BANDWIDTH_TOTAL));
    OptionalDouble mask = now.get(DcgmField.CLOCK_EVENT_REASONS);
    List<String> reasons = mask.isPresent() ? ClockEventReason.names((long) mask.getAsDouble()) : List.of();
    return new GpuKpis(now, v, source, reasons, reset);
  }

  private static OptionalDouble either(DcgmGpu g, DcgmField preferred, DcgmField fallback) {
    OptionalDouble v = g.get(preferred);
    return v.isPresent() ? v : g.get(fallback);
  }

  /** Nodes in the order their first GPU appears; a GPU's instances stand in for it where it has any. */
  private static List<GroupKpis> nodes(List<GpuKpis> gpus) {
    Map<String, Map<String, List<GpuKpis>>> byNode = new LinkedHashMap<>();
    for (GpuKpis g : gpus) {
      byNode.computeIfAbsent(g.gpu().hostname().orElse(""), k -> new LinkedHashMap<>())
          .computeIfAbsent(g.device(), k -> new ArrayList<>()).add(g);
    }
    List<GroupKpis> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<GpuKpis>>> node : byNode.entrySet()) {
      List<GpuKpis> leaves = new ArrayList<>();
      double[] used = {0, 0};
      double[] total = {0, 0};
      double[] power = {0, 0};
      double[] average = {0, 0};
      for (List<GpuKpis> device : node.getValue().values()) {
        GpuKpis whole = null;
        List<GpuKpis> instances = new ArrayList<>();
        for (GpuKpis g : device) {
          if (g.gpu().isMigInstance()) {
            instances.add(g);
          } else if (whole == null) {
            whole = g;
          }
        }
        leaves.addAll(instances.isEmpty() ? List.of(whole) : instances);
        add(used, deviceTotal(whole, instances, DcgmMeasure.MEMORY_USED, true));
        add(total, deviceTotal(whole, instances, DcgmMeasure.MEMORY_TOTAL, true));
        add(power, deviceTotal(whole, instances, DcgmMeasure.POWER, false));
        add(average, deviceTotal(whole, instances, DcgmMeasure.AVERAGE_POWER, false));
      }
      Map<DcgmMeasure, Double> v = new EnumMap<>(DcgmMeasure.class);
      v.put(DcgmMeasure.DEVICES, (double) leaves.size());
      put(v, DcgmMeasure.UTILIZATION, mean(leaves, DcgmMeasure.UTILIZATION));
      putSum(v, DcgmMeasure.MEMORY_USED, used);
      putSum(v, DcgmMeasure.MEMORY_TOTAL, total);
      if (used[1] > 0 && total[1] > 0) {
        put(v, DcgmMeasure.MEMORY_USED_RATIO, used[0] / total[0]);
      }
      putSum(v, DcgmMeasure.POWER, power);
      putSum(v, DcgmMeasure.AVERAGE_POWER, average);
      Optional<String> name = node.getKey().isEmpty() ? Optional.empty() : Optional.of(node.getKey());
      out.add(new GroupKpis(name, Optional.empty(), ids(leaves), v));
    }
    return out;
  }

  /**
   * One physical GPU's value of a measure: the GPU's own, else (memory) its instances' sum or (power, a property of
   * the whole GPU) the first instance's.
   */
  private static OptionalDouble deviceTotal(GpuKpis whole, List<GpuKpis> instances, DcgmMeasure m, boolean sum) {
    if (whole != null && whole.get(m).isPresent()) {
      return whole.get(m);
    }
    double s = 0;
    boolean any = false;
    for (GpuKpis i : instances) {
      OptionalDouble x = i.get(m);
      if (x.isPresent()) {
        if (!sum) {
          return x;
        }
        s += x.getAsDouble();
        any = true;
      }
    }
    return any ? OptionalDouble.of(s) : OptionalDouble.empty();
  }

  private static List<GroupKpis> pods(List<GpuKpis> gpus) {
    Map<String, List<GpuKpis>> byPod = new LinkedHashMap<>();
    for (GpuKpis g : gpus) {
      for (GpuPod p : g.gpu().pods()) {
        List<GpuKpis> members = byPod.computeIfAbsent(p.key(), k -> new ArrayList<>());
        if (!members.contains(g)) {
          members.add(g);
        }
      }
    }
    List<GroupKpis> out = new ArrayList<>();
    for (Map.Entry<String, List<GpuKpis>> pod : byPod.entrySet()) {
      List<GpuKpis> members = pod.getValue();
      List<GpuKpis> whole = new ArrayList<>();
      for (GpuKpis g : members) {
        if (!g.gpu().isMigInstance()) {
          whole.add(g);
        }
      }
      Map<DcgmMeasure, Double> v = new EnumMap<>(DcgmMeasure.class);
      v.put(DcgmMeasure.DEVICES, (double) members.size());
      put(v, DcgmMeasure.UTILIZATION, mean(members, DcgmMeasure.UTILIZATION));
      OptionalDouble used = sum(members, DcgmMeasure.MEMORY_USED);
      OptionalDouble total = sum(members, DcgmMeasure.MEMORY_TOTAL);
      put(v, DcgmMeasure.MEMORY_USED, used);
      put(v, DcgmMeasure.MEMORY_TOTAL, total);
      if (used.isPresent() && total.isPresent()) {
        put(v, DcgmMeasure.MEMORY_USED_RATIO, used.getAsDouble() / total.getAsDouble());
      }
      put(v, DcgmMeasure.POWER, sum(whole, DcgmMeasure.POWER));
      put(v, DcgmMeasure.AVERAGE_POWER, sum(whole, DcgmMeasure.AVERAGE_POWER));
      out.add(new GroupKpis(members.get(0).gpu().hostname(), Optional.of(pod.getKey()), ids(members), v));
    }
    return out;
  }

  private static List<String> ids(List<GpuKpis> gpus) {
    List<String> out = new ArrayList<>(gpus.size());
    for (GpuKpis g : gpus) {
      out.add(g.device() + g.gpu().migInstance().map(i -> "/" + i).orElse(""));
    }
    return out;
  }

  private static OptionalDouble mean(List<GpuKpis> gpus, DcgmMeasure m) {
    double s = 0;
    int n = 0;
    for (GpuKpis g : gpus) {
      OptionalDouble x = g.get(m);
      if (x.isPresent()) {
        s += x.getAsDouble();
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(s / n);
  }

  private static OptionalDouble sum(List<GpuKpis> gpus, DcgmMeasure m) {
    double s = 0;
    boolean any = false;
    for (GpuKpis g : gpus) {
      OptionalDouble x = g.get(m);
      if (x.isPresent()) {
        s += x.getAsDouble();
        any = true;
      }
    }
    return any ? OptionalDouble.of(s) : OptionalDouble.empty();
  }

  /** Adds a present value to {sum, count}. */
  private static void add(double[] acc, OptionalDouble x) {
    if (x.isPresent()) {
      acc[0] += x.getAsDouble();
      acc[1]++;
    }
  }

  private static void putSum(Map<DcgmMeasure, Double> v, DcgmMeasure m, double[] acc) {
    if (acc[1] > 0) {
      put(v, m, acc[0]);
    }
  }

  /** Keeps finite values only: 0/0 and NaN inputs mean "the window cannot say". */
  private static void put(Map<DcgmMeasure, Double> m, DcgmMeasure key, double value) {
    if (Double.isFinite(value)) {
      m.put(key, value);
    }
  }

  private static void put(Map<DcgmMeasure, Double> m, DcgmMeasure key, OptionalDouble value) {
    if (value.isPresent()) {
      put(m, key, value.getAsDouble());
    }
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Duration window() {
    return window;
  }

  @Override
  public List<String> dropped() {
    return dropped;
  }

  /**
   * The later scrape, as its GPUs were at the end of the window: what {@link ContainerInsightsMapping#map} takes,
   * so a pipeline's window can be written as Container Insights too.
   *
   * @return the typed view of the later scrape
   */
  public DcgmSnapshot snapshot() {
    return current;
  }

  /**
   * The GPUs and MIG instances of the later scrape, in its order.
   *
   * @return an unmodifiable list
   */
  public List<GpuKpis> gpus() {
    return gpus;
  }

  /**
   * A whole GPU.
   *
   * @param device its UUID
   * @return its KPIs, or empty
   */
  public Optional<GpuKpis> gpu(String device) {
    return gpu(device, null);
  }

  /**
   * A GPU or one of its MIG instances.
   *
   * @param device its UUID
   * @param migInstance the {@code GPU_I_ID}, or null for the whole GPU
   * @return its KPIs, or empty
   */
  public Optional<GpuKpis> gpu(String device, String migInstance) {
    Objects.requireNonNull(device, "device");
    for (GpuKpis g : gpus) {
      if (g.device().equals(device) && g.gpu().migInstance().orElse("").equals(migInstance == null ? ""
          : migInstance)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /**
   * The nodes, in the order their GPUs appear.
   *
   * @return an unmodifiable list; one group without a node when the exporter gives no {@code Hostname}
   */
  public List<GroupKpis> nodes() {
    return nodes;
  }

  /**
   * The pods holding GPUs, in the order their GPUs appear.
   *
   * @return an unmodifiable list; empty without the exporter's Kubernetes labels
   */
  public List<GroupKpis> pods() {
    return pods;
  }

  /**
   * One pod's GPUs.
   *
   * @param namespaceAndName {@code namespace/name}
   * @return the pod's KPIs, or empty when no GPU is assigned to it
   */
  public Optional<GroupKpis> pod(String namespaceAndName) {
    Objects.requireNonNull(namespaceAndName, "namespaceAndName");
    for (GroupKpis p : pods) {
      if (p.pod().orElseThrow().equals(namespaceAndName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Samples of the later scrape that name no GPU ({@link DcgmSnapshot#unattributed()}).
   *
   * @return each as {@code name{labels} = value}
   */
  public List<String> unattributed() {
    return current.unattributed();
  }

  /**
   * The KPI dimensions of a GPU: {@code device}, and for a MIG instance {@value #MIG_INSTANCE} and
   * {@value #MIG_PROFILE}.
   *
   * @param g the GPU
   * @return the dimensions
   */
  public static Labels dimensions(DcgmGpu g) {
    Labels d = Labels.of(KpiDimension.DEVICE, g.device());
    if (g.migInstance().isPresent()) {
      d = d.with(MIG_INSTANCE, g.migInstance().get());
    }
    if (g.migProfile().isPresent()) {
      d = d.with(MIG_PROFILE, g.migProfile().get());
    }
    return d;
  }

  private static Labels dimensions(GroupKpis g) {
    Labels d = g.node().map(n -> Labels.of(KpiDimension.NODE, n)).orElse(Labels.EMPTY);
    return g.pod().map(p -> d.with(KpiDimension.POD, p)).orElse(d);
  }

  /**
   * Every value: per GPU its {@link DcgmMeasure}s ({@link #dimensions(DcgmGpu)}), one
   * {@link DcgmMeasure#CLOCK_EVENT} per active reason (with {@code reason}), then per node and per pod their
   * measures ({@link GroupKpis}: devices, utilisation, memory used, total and ratio, power, average power) with
   * {@code node}, or {@code pod} and {@code node}.
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    List<MeasureValue> out = new ArrayList<>();
    for (GpuKpis g : gpus) {
      Labels dims = dimensions(g.gpu());
      g.values().forEach((m, value) -> out.add(new MeasureValue(m, dims, value)));
      for (String reason : g.clockEventReasons()) {
        out.add(new MeasureValue(DcgmMeasure.CLOCK_EVENT, dims.with(KpiDimension.REASON, reason), 1));
      }
    }
    for (List<GroupKpis> groups : List.of(nodes, pods)) {
      for (GroupKpis g : groups) {
        Labels dims = dimensions(g);
        g.values().forEach((m, value) -> out.add(new MeasureValue(m, dims, value)));
      }
    }
    return out;
  }

  /**
   * Everything computed, for people: {@code gpus} (one row per GPU and MIG instance, keyed by device, MIG instance
   * and profile where there are instances, and pods where there are any; one column per per-GPU
   * {@link DcgmMeasure}), {@code gpu_labels} (no columns: per GPU its index, model, node, containers, the field its
   * utilisation came from and the active clock-event reasons), {@code nodes} and {@code pods} (the
   * {@link GroupKpis}' measures), and {@code unattributed} (the samples that name no GPU) when there are any.
   *
   * @return the tables
   */
  @Override
  public List<KpiTable> tables() {
    List<KpiTable> out = new ArrayList<>();
    // the measures' table keyed narrowly (UUIDs are long), the labels in a table of their own
    boolean mig = false;
    boolean anyPod = false;
    for (GpuKpis g : gpus) {
      mig |= g.gpu().isMigInstance();
      anyPod |= !g.gpu().pods().isEmpty();
    }
    List<String> keys = new ArrayList<>(List.of(KpiDimension.DEVICE));
    if (mig) {
      keys.addAll(List.of(MIG_INSTANCE, MIG_PROFILE));
    }
    if (anyPod) {
      keys.add(KpiDimension.POD);
    }
    KpiTable.Builder t = KpiTable.builder("gpus", keys.toArray(new String[0]));
    List<String> infoKeys = new ArrayList<>(List.of(KpiDimension.DEVICE));
    if (mig) {
      infoKeys.add(MIG_INSTANCE);
    }
    infoKeys.addAll(List.of("gpu", "model_name", KpiDimension.NODE, "container", "utilization_from",
        "clock_events"));
    KpiTable.Builder info = KpiTable.builder("gpu_labels", infoKeys.toArray(new String[0]));
    List<DcgmMeasure> columns = new ArrayList<>();
    for (DcgmMeasure m : DcgmMeasure.values()) {
      if (m != DcgmMeasure.CLOCK_EVENT && m != DcgmMeasure.DEVICES) {
        columns.add(m);
        t.column(m);
      }
    }
    for (GpuKpis g : gpus) {
      DcgmGpu gpu = g.gpu();
      Map<String, String> key = new LinkedHashMap<>();
      Map<String, String> labels = new LinkedHashMap<>();
      key.put(KpiDimension.DEVICE, gpu.device());
      labels.put(KpiDimension.DEVICE, gpu.device());
      gpu.migInstance().ifPresent(i -> key.put(MIG_INSTANCE, i));
      gpu.migInstance().ifPresent(i -> labels.put(MIG_INSTANCE, i));
      gpu.migProfile().ifPresent(p -> key.put(MIG_PROFILE, p));
      gpu.gpuIndex().ifPresent(i -> labels.put("gpu", i));
      gpu.modelName().ifPresent(n -> labels.put("model_name", n));
      gpu.hostname().ifPresent(n -> labels.put(KpiDimension.NODE, n));
      if (!gpu.pods().isEmpty()) {
        List<String> podKeys = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        for (GpuPod p : gpu.pods()) {
          podKeys.add(p.key());
          if (!p.container().isEmpty()) {
            containers.add(p.container());
          }
        }
        key.put(KpiDimension.POD, String.join(",", podKeys));
        if (!containers.isEmpty()) {
          labels.put("container", String.join(",", containers));
        }
      }
      g.utilizationSource().ifPresent(s -> labels.put("utilization_from", s.label()));
      if (!g.clockEventReasons().isEmpty()) {
        labels.put("clock_events", String.join(",", g.clockEventReasons()));
      }
      List<OptionalDouble> row = new ArrayList<>(columns.size());
      for (DcgmMeasure m : columns) {
        row.add(g.get(m));
      }
      t.row(Labels.of(key), row);
      info.row(Labels.of(labels), List.of());
    }
    out.add(t.build());
    out.add(info.build());
    out.add(groupTable("nodes", nodes, KpiDimension.NODE));
    out.add(groupTable("pods", pods, KpiDimension.POD, KpiDimension.NODE));
    if (!current.unattributedSamples().isEmpty()) {
      KpiTable.Builder u = KpiTable.builder("unattributed", "sample").column("value", "VALUE");
      for (DcgmSnapshot.Unattributed s : current.unattributedSamples()) {
        u.row(Labels.of("sample", s.sample()), OptionalDouble.of(s.value()));
      }
      out.add(u.build());
    }
    return Collections.unmodifiableList(out);
  }

  private static KpiTable groupTable(String name, List<GroupKpis> groups, String... keys) {
    KpiTable.Builder t = KpiTable.builder(name, keys);
    GROUP_MEASURES.forEach(t::column);
    for (GroupKpis g : groups) {
      List<OptionalDouble> row = new ArrayList<>();
      for (DcgmMeasure m : GROUP_MEASURES) {
        row.add(g.get(m));
      }
      t.row(dimensions(g), row);
    }
    return t.build();
  }

  /**
   * The KPIs that fit the shared vocabulary: utilisation, memory used and total, power and average power per GPU,
   * node and pod, and the accelerator count per node and pod. DCGM blanks and non-finite samples are counted in
   * {@link KpiSet#dropped()}.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the set, source {@value #SOURCE}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  @Override
  public String toString() {
    return "DcgmKpis{" + MeasuredWindow.seconds(window) + " s, " + gpus.size() + " GPUs and MIG instances, "
        + pods.size() + " pods}";
  }
}

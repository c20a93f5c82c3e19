package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A typed view of one dcgm-exporter {@code /metrics} scrape: one {@link DcgmGpu} per GPU and per MIG instance, with
 * its identity ({@code gpu}, {@code UUID}, {@code device}, {@code modelName}, {@code Hostname}, {@code GPU_I_ID},
 * {@code GPU_I_PROFILE}), the pods it is assigned to and the {@link DcgmField}s read, in base units.
 *
 * <pre>{@code
 * MetricSnapshot scrape = new SnapshotReader().read(Files.readAllBytes(Path.of("dcgm.txt")));
 * if (DcgmSnapshot.detect(scrape)) {
 *   for (DcgmGpu g : DcgmSnapshot.of(scrape).gpus()) {
 *     System.out.println(g.device() + " " + g.get(DcgmField.POWER_USAGE).orElse(Double.NaN) + " W");
 *   }
 * }
 * }</pre>
 *
 * <p>A sample is of the GPU its {@code UUID} names (or its {@code gpu} index when there is no UUID) and of the MIG
 * instance its {@code GPU_I_ID} names; one that names neither cannot be attributed and is listed in
 * {@link #unattributed()}. Kubernetes labels with empty values (the exporter's mapping is on but the pod-resources
 * socket is not mounted, or no pod holds the GPU) mean no pod. A GPU time-sliced between pods comes once per pod
 * in the exposition, with the same values: it is one {@link DcgmGpu} with several {@link DcgmGpu#pods()}. DCGM's
 * blank values ({@code DCGM_FP64_BLANK} 140737488355328 and the three after it, and the INT64 blanks from
 * 9223372036854775792: "not supported", "not found", "no permission") and values that are not finite are left out
 * and listed in {@link #dropped()} (with the labels that say which GPU). Families this library does not read are
 * ignored. Immutable.
 */
public final class DcgmSnapshot {
  /** DCGM's {@code DCGM_FP64_BLANK}; it and the next three values are "blank", "not found", ... */
  static final double FP64_BLANK = 140737488355328.0;
  /** DCGM's {@code DCGM_INT64_BLANK} (0x7ffffffffffffff0), as a double: every INT64 blank rounds to 2^63. */
  static final double INT64_BLANK = 9223372036854775792.0;

  private final MetricSnapshot source;
  private final List<DcgmGpu> gpus;
  private final List<String> dropped;
  private final List<String> unattributed;
  private final List<Unattributed> unattributedSamples;

  /** A sample that names no GPU: its name with labels, and its raw value. */
  record Unattributed(String sample, double value) {}

  private DcgmSnapshot(MetricSnapshot source) {
    this.source = source;
    Map<DcgmField, MetricFamily> families = new EnumMap<>(DcgmField.class);
    Map<DcgmField, Integer> ranks = new EnumMap<>(DcgmField.class);
    for (MetricFamily f : source.families()) {
      Optional<DcgmField> field = DcgmField.ofFamily(f.name());
      if (field.isPresent()) {
        int rank = field.get().rank(f.name());
        Integer best = ranks.get(field.get());
        if (best == null || rank < best) {
          ranks.put(field.get(), rank);
          families.put(field.get(), f);
        }
      }
    }
    Map<DcgmGpu.Key, Building> byKey = new LinkedHashMap<>();
    List<String> drops = new ArrayList<>();
    List<Unattributed> orphans = new ArrayList<>();
    // in exposition order, so GPUs come in the order the exporter lists them
    for (MetricFamily f : source.families()) {
      Optional<DcgmField> field = DcgmField.ofFamily(f.name());
      if (field.isEmpty() || families.get(field.get()) != f) {
        continue;
      }
      for (MetricPoint p : f.points()) {
        double raw;
        if (p instanceof GaugePoint g) {
          raw = g.value();
        } else if (p instanceof CounterPoint c) {
          raw = c.value();
        } else if (p instanceof UnknownPoint u) {
          raw = u.value();
        } else {
          continue;
        }
        Labels l = p.labels();
        Labels who = identity(l);
        String sample = f.name() + (who.isEmpty() ? "" : who.toString()) + " = ";
        if (!Double.isFinite(raw)) {
          drops.add(sample + raw);
          continue;
        }
        if (isBlank(raw)) {
          drops.add(sample + formatRaw(raw) + " (DCGM blank: no value)");
          continue;
        }
        Optional<String> uuid = label(l, "UUID", "uuid");
        Optional<String> gpu = label(l, "gpu");
        if (uuid.isEmpty() && gpu.isEmpty()) {
          orphans.add(new Unattributed(f.name() + (l.isEmpty() ? "" : l.toString()), raw));
          continue;
        }
        DcgmGpu.Identity id = new DcgmGpu.Identity(uuid, gpu, label(l, "device"), label(l, "modelName", "model_name"),
            label(l, "Hostname", "hostname"), label(l, "GPU_I_ID"), label(l, "GPU_I_PROFILE"));
        Building b = byKey.computeIfAbsent(id.key(), k -> new Building(id));
        pod(l).ifPresent(b.pods::add);
        b.values.putIfAbsent(field.get(), field.get().toBase(raw));
      }
    }
    List<DcgmGpu> out = new ArrayList<>(byKey.size());
    for (Building b : byKey.values()) {
      out.add(new DcgmGpu(b.identity, new ArrayList<>(b.pods), b.values));
    }
    this.gpus = Collections.unmodifiableList(out);
    this.dropped = List.copyOf(drops);
    this.unattributedSamples = List.copyOf(orphans);
    List<String> text = new ArrayList<>(orphans.size());
    for (Unattributed u : orphans) {
      text.add(u.sample() + " = " + formatRaw(u.value()));
    }
    this.unattributed = List.copyOf(text);
  }

  private static final class Building {
    final DcgmGpu.Identity identity;
    final Set<GpuPod> pods = new LinkedHashSet<>();
    final Map<DcgmField, Double> values = new EnumMap<>(DcgmField.class);

    Building(DcgmGpu.Identity identity) {
      this.identity = identity;
    }
  }

  /**
   * A typed view of a scrape.
   *
   * @param snapshot a dcgm-exporter scrape
   * @return the view; with no GPUs when the scrape has no {@code DCGM_FI_*} families this library reads
   */
  public static DcgmSnapshot of(MetricSnapshot snapshot) {
    return Objects.requireNonNull(snapshot, "snapshot").view(DcgmSnapshot.class, DcgmSnapshot::new);
  }

  /**
   * Whether a scrape is dcgm-exporter's: it has a {@code DCGM_FI_*} family (any case).
   *
   * @param snapshot a scrape
   * @return true when it has one
   */
  public static boolean detect(MetricSnapshot snapshot) {
    for (MetricFamily f : snapshot.families()) {
      if (f.name().regionMatches(true, 0, "DCGM_FI_", 0, 8)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a raw value is one of DCGM's blanks: its way of saying a field has no value on this GPU. */
  static boolean isBlank(double raw) {
    return raw >= INT64_BLANK || (raw >= FP64_BLANK && raw < FP64_BLANK + 4);
  }

  private static String formatRaw(double raw) {
    // whole numbers as integers, exactly (a blank 2^63 reads 9223372036854775808, not 9.223372036854776E18)
    return raw == Math.rint(raw) && Math.abs(raw) < 1e20 ? new java.math.BigDecimal(raw).toPlainString()
        : Double.toString(raw);
  }

  /** The labels that say which GPU a sample is of: enough to find it, short enough to read in a list of drops. */
  private static Labels identity(Labels l) {
    Labels out = Labels.EMPTY;
    for (String name : new String[] {"gpu", "UUID", "uuid", "GPU_I_ID", "Hostname", "hostname"}) {
      String v = l.get(name);
      if (v != null && !v.isEmpty()) {
        out = out.with(name, v);
      }
    }
    return out;
  }

  private static Optional<String> label(Labels l, String... names) {
    for (String n : names) {
      String v = l.get(n);
      if (v != null && !v.isEmpty()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private static Optional<GpuPod> pod(Labels l) {
    Optional<String> pod = label(l, "pod", "pod_name");
    Optional<String> namespace = label(l, "namespace", "pod_namespace");
    if (pod.isEmpty() || namespace.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new GpuPod(namespace.get(), pod.get(), label(l, "container", "container_name").orElse("")));
  }

  /**
   * The scrape this view reads.
   *
   * @return the snapshot
   */
  public MetricSnapshot snapshot() {
    return source;
  }

  /**
   * The GPUs and MIG instances, in the order the exposition first names them.
   *
   * @return an unmodifiable list
   */
  public List<DcgmGpu> gpus() {
    return gpus;
  }

  /**
   * A whole GPU.
   *
   * @param device its UUID (or {@code gpu<index>})
   * @return the GPU, or empty
   */
  public Optional<DcgmGpu> gpu(String device) {
    return gpu(device, null);
  }

  /**
   * A GPU or one of its MIG instances.
   *
   * @param device its UUID (or {@code gpu<index>})
   * @param migInstance the {@code GPU_I_ID}, or null for the whole GPU
   * @return the GPU or instance, or empty
   */
  public Optional<DcgmGpu> gpu(String device, String migInstance) {
    DcgmGpu.Key k = new DcgmGpu.Key(device, migInstance == null ? "" : migInstance);
    for (DcgmGpu g : gpus) {
      if (g.key().equals(k)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /**
   * Samples left out because their value was not finite or was one of DCGM's blanks, each as
   * {@code name{gpu, UUID, GPU_I_ID, Hostname} = value}.
   *
   * @return in exposition order
   */
  public List<String> dropped() {
    return dropped;
  }

  /**
   * Samples of families this library reads that name no GPU (neither {@code UUID} nor {@code gpu}), each as
   * {@code name{labels} = value}: nothing can be said of which GPU they describe.
   *
   * @return in exposition order
   */
  public List<String> unattributed() {
    return unattributed;
  }

  List<Unattributed> unattributedSamples() {
    return unattributedSamples;
  }

  @Override
  public String toString() {
    return "DcgmSnapshot{" + gpus.size() + " GPUs and MIG instances"
        + (unattributed.isEmpty() ? "" : ", " + unattributed.size() + " unattributed samples") + "}";
  }
}

package io.github.infermetrics.dcgm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One GPU, or one MIG instance of a GPU, as one dcgm-exporter scrape describes it: who it is (its labels), whose it
 * is (the pods dcgm-exporter assigns it to) and its {@link DcgmField} values in base units. Immutable.
 *
 * <pre>{@code
 * for (DcgmGpu g : DcgmSnapshot.of(scrape).gpus()) {
 *   System.out.println(g.device() + g.migInstance().map(i -> " instance " + i).orElse("") + " on "
 *       + g.hostname().orElse("?") + ": " + g.get(DcgmField.FB_USED).orElse(Double.NaN) + " bytes used, pods "
 *       + g.pods());
 * }
 * }</pre>
 */
public final class DcgmGpu {
  private final String device;
  private final Optional<String> uuid;
  private final Optional<String> gpuIndex;
  private final Optional<String> deviceName;
  private final Optional<String> modelName;
  private final Optional<String> hostname;
  private final Optional<String> migInstance;
  private final Optional<String> migProfile;
  private final List<GpuPod> pods;
  private final Map<DcgmField, Double> values;

  DcgmGpu(Identity id, List<GpuPod> pods, Map<DcgmField, Double> values) {
    this.uuid = id.uuid;
    this.gpuIndex = id.gpuIndex;
    this.device = uuid.orElseGet(() -> "gpu" + gpuIndex.orElseThrow());
    this.deviceName = id.deviceName;
    this.modelName = id.modelName;
    this.hostname = id.hostname;
    this.migInstance = id.migInstance;
    this.migProfile = id.migProfile;
    this.pods = List.copyOf(pods);
    Map<DcgmField, Double> v = new EnumMap<>(DcgmField.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
  }

  /** The labels that say which GPU a sample is of, as read from one sample. */
  static final class Identity {
    final Optional<String> uuid;
    final Optional<String> gpuIndex;
    final Optional<String> deviceName;
    final Optional<String> modelName;
    final Optional<String> hostname;
    final Optional<String> migInstance;
    final Optional<String> migProfile;

    Identity(Optional<String> uuid, Optional<String> gpuIndex, Optional<String> deviceName,
        Optional<String> modelName, Optional<String> hostname, Optional<String> migInstance,
        Optional<String> migProfile) {
      if (uuid.isEmpty() && gpuIndex.isEmpty()) {
        throw new IllegalArgumentException("a GPU needs a UUID or a gpu index");
      }
      this.uuid = uuid;
      this.gpuIndex = gpuIndex;
      this.deviceName = deviceName;
      this.modelName = modelName;
      this.hostname = hostname;
      this.migInstance = migInstance;
      this.migProfile = migProfile;
    }

    /** What tells two GPUs (or MIG instances) of one scrape apart. */
    Key key() {
      return new Key(uuid.orElseGet(() -> "gpu" + gpuIndex.orElseThrow()), migInstance.orElse(""));
    }
  }

  /** A GPU's identity within a scrape and across scrapes: its device id and MIG instance ({@code ""} for none). */
  record Key(String device, String migInstance) {}

  Key key() {
    return new Key(device, migInstance.orElse(""));
  }

  /**
   * The KPI {@code device}: the GPU's UUID, or {@code gpu<index>} when the exporter gives no UUID. A MIG instance
   * has its GPU's device and its own {@link #migInstance()}.
   *
   * @return for example {@code GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e}
   */
  public String device() {
    return device;
  }

  /**
   * The {@code UUID} label (or {@code uuid}, the exporter's old name).
   *
   * @return the UUID, or empty
   */
  public Optional<String> uuid() {
    return uuid;
  }

  /**
   * The {@code gpu} label: DCGM's GPU index on the node.
   *
   * @return for example {@code 0}, or empty
   */
  public Optional<String> gpuIndex() {
    return gpuIndex;
  }

  /**
   * The {@code device} label: the device file's name, which Container Insights calls {@code GpuDevice}.
   *
   * @return for example {@code nvidia0}, or empty
   */
  public Optional<String> deviceName() {
    return deviceName;
  }

  /**
   * The {@code modelName} label.
   *
   * @return for example {@code Tesla T4}, or empty
   */
  public Optional<String> modelName() {
    return modelName;
  }

  /**
   * The {@code Hostname} label (or {@code hostname}, the newest exporter's name): the node's name where the
   * exporter is given {@code NODE_NAME}, as its Helm chart does; otherwise the exporter's own host name.
   *
   * @return the host, or empty
   */
  public Optional<String> hostname() {
    return hostname;
  }

  /**
   * The MIG GPU instance ({@code GPU_I_ID}) when this is one.
   *
   * @return for example {@code 3}, or empty for a whole GPU
   */
  public Optional<String> migInstance() {
    return migInstance;
  }

  /**
   * The MIG profile ({@code GPU_I_PROFILE}) when this is an instance.
   *
   * @return for example {@code 1g.10gb}, or empty
   */
  public Optional<String> migProfile() {
    return migProfile;
  }

  /**
   * Whether this is a MIG instance rather than a whole GPU.
   *
   * @return true when {@code GPU_I_ID} is set
   */
  public boolean isMigInstance() {
    return migInstance.isPresent();
  }

  /**
   * The pods dcgm-exporter assigns this GPU to: none when its Kubernetes mapping is off, the GPU is free, or the
   * labels are empty; more than one when the GPU is time-sliced between pods.
   *
   * @return the pods, in the order the scrape names them
   */
  public List<GpuPod> pods() {
    return pods;
  }

  /**
   * One field's value in its base unit.
   *
   * @param field the field
   * @return the value, or empty when the scrape has none (or DCGM reported it blank)
   */
  public OptionalDouble get(DcgmField field) {
    Double v = values.get(Objects.requireNonNull(field, "field"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Every field read.
   *
   * @return an unmodifiable map in {@link DcgmField} order
   */
  public Map<DcgmField, Double> values() {
    return values;
  }

  @Override
  public String toString() {
    return "DcgmGpu{" + device + migInstance.map(i -> " GI " + i).orElse("") + ", pods " + pods + ", " + values
        + "}";
  }
}

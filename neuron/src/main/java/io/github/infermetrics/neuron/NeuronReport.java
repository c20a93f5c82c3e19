package io.github.infermetrics.neuron;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One report of {@code neuron-monitor}: the JSON document it prints on one line of stdout each period. Read it with
 * {@link NeuronReportReader}.
 *
 * <pre>{@code
 * NeuronReport report = NeuronReportReader.parse(line);
 * for (NeuronReport.Runtime rt : report.runtimes()) {
 *   rt.report().neuroncoreCounters().ifPresent(c ->
 *       c.cores().forEach((core, n) -> System.out.println(core + ": " + n.utilizationPercent() + " %")));
 * }
 * }</pre>
 *
 * <p>The model follows the current structure (Neuron 2.23+); older names are read as their new ones
 * ({@code inference_stats} as {@code execution_stats}, {@code inference_summary} as {@code execution_summary},
 * {@code logical_neuroncore_size} as {@code logical_neuroncore_config}, {@code effective_flops} as {@code flops}).
 * Metric groups that were not due in this period are absent ({@link Optional#empty()}); percentages stay 0–100 as in
 * the JSON; counts are per period, not cumulative. Every group's own {@code error} string is kept and listed by
 * {@link #errors()}.
 *
 * @param runtimes {@code neuron_runtime_data}: one entry per monitored application, empty when none runs
 * @param system {@code system_data}
 * @param instance {@code instance_info}
 * @param hardware {@code neuron_hardware_info}
 * @param k8s {@code neuron_k8s_info}, present only with the k8s-info companion (EKS)
 */
public record NeuronReport(List<Runtime> runtimes, SystemData system, InstanceInfo instance, HardwareInfo hardware,
    Optional<K8sInfo> k8s) {

  /**
   * Validates and copies.
   *
   * @param runtimes the runtimes
   * @param system the system groups
   * @param instance the instance information
   * @param hardware the hardware information
   * @param k8s the Kubernetes information
   */
  public NeuronReport {
    runtimes = List.copyOf(runtimes);
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(hardware, "hardware");
    Objects.requireNonNull(k8s, "k8s");
  }

  /**
   * The non-empty {@code error} strings of every object of the report, keyed by its JSON path, in document order.
   *
   * @return for example {@code $.neuron_runtime_data[0].report.neuron_runtime_vcpu_usage -> "open /proc/..."}
   */
  public Map<String, String> errors() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < runtimes.size(); i++) {
      Runtime rt = runtimes.get(i);
      String p = "$.neuron_runtime_data[" + i + "]";
      put(out, p, rt.error());
      RuntimeReport r = rt.report();
      r.executionStats().ifPresent(g -> put(out, p + ".report.execution_stats", g.error()));
      r.memoryUsed().ifPresent(g -> put(out, p + ".report.memory_used", g.error()));
      r.vcpuUsage().ifPresent(g -> put(out, p + ".report.neuron_runtime_vcpu_usage", g.error()));
      r.neuroncoreCounters().ifPresent(g -> put(out, p + ".report.neuroncore_counters", g.error()));
    }
    system.memoryInfo().ifPresent(g -> put(out, "$.system_data.memory_info", g.error()));
    system.hwCounters().ifPresent(g -> put(out, "$.system_data.neuron_hw_counters", g.error()));
    system.vcpuUsage().ifPresent(g -> put(out, "$.system_data.vcpu_usage", g.error()));
    put(out, "$.instance_info", instance.error());
    put(out, "$.neuron_hardware_info", hardware.error());
    k8s.ifPresent(g -> put(out, "$.neuron_k8s_info", g.error()));
    return Collections.unmodifiableMap(out);
  }

  private static void put(Map<String, String> out, String path, String error) {
    if (!error.isEmpty()) {
      out.put(path, error);
    }
  }

  /**
   * One monitored application ({@code neuron_runtime_data[]}).
   *
   * @param pid its process id
   * @param address the runtime address, {@code ""} for applications (and when absent)
   * @param tag {@code neuron_runtime_tag}: {@code NEURON_PROCESS_TAG} or the PID
   * @param error the error string, {@code ""} when fine
   * @param report its metric groups
   */
  public record Runtime(long pid, String address, String tag, String error, RuntimeReport report) {
    /**
     * Validates.
     *
     * @param pid the pid
     * @param address the address
     * @param tag the tag
     * @param error the error
     * @param report the groups
     */
    public Runtime {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(report, "report");
    }
  }

  /**
   * The application-level metric groups of one runtime; a group not due this period is absent.
   *
   * @param neuroncoreCounters {@code neuroncore_counters}
   * @param executionStats {@code execution_stats} (or the old {@code inference_stats})
   * @param memoryUsed {@code memory_used}
   * @param vcpuUsage {@code neuron_runtime_vcpu_usage}
   */
  public record RuntimeReport(Optional<NeuronCoreCounters> neuroncoreCounters, Optional<ExecutionStats> executionStats,
      Optional<MemoryUsed> memoryUsed, Optional<RuntimeVcpuUsage> vcpuUsage) {
    /**
     * Validates.
     *
     * @param neuroncoreCounters the counters
     * @param executionStats the execution statistics
     * @param memoryUsed the memory use
     * @param vcpuUsage the vCPU use
     */
    public RuntimeReport {
      Objects.requireNonNull(neuroncoreCounters, "neuroncoreCounters");
      Objects.requireNonNull(executionStats, "executionStats");
      Objects.requireNonNull(memoryUsed, "memoryUsed");
      Objects.requireNonNull(vcpuUsage, "vcpuUsage");
    }
  }

  /**
   * {@code neuroncore_counters}.
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error, {@code ""} when fine
   * @param cores {@code neuroncores_in_use} by global NeuronCore index, ascending
   */
  public record NeuronCoreCounters(double period, String error, SortedMap<Integer, NeuronCoreCounter> cores) {
    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param cores the cores
     */
    public NeuronCoreCounters {
      Objects.requireNonNull(error, "error");
      cores = Collections.unmodifiableSortedMap(new TreeMap<>(cores));
    }
  }

  /**
   * One NeuronCore's counters.
   *
   * @param utilizationPercent {@code neuroncore_utilization}, 0–100 over the period
   * @param flops {@code flops} (or {@code effective_flops}): floating-point operations per second, absent before
   *     Neuron 2.7
   * @param physicalUtilizationPercent Trn2 {@code v3d}: utilisation (0–100) of each physical core behind this logical
   *     core, keyed {@code nc_v3.<physical index>}; empty elsewhere
   */
  public record NeuronCoreCounter(double utilizationPercent, OptionalDouble flops,
      Map<String, Double> physicalUtilizationPercent) {
    /**
     * Validates and copies.
     *
     * @param utilizationPercent the utilisation
     * @param flops the FLOPS
     * @param physicalUtilizationPercent the per-physical-core utilisation
     */
    public NeuronCoreCounter {
      Objects.requireNonNull(flops, "flops");
      physicalUtilizationPercent = Collections.unmodifiableMap(new LinkedHashMap<>(physicalUtilizationPercent));
    }
  }

  /**
   * {@code execution_stats}: counts for the captured period and latency percentiles.
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error
   * @param errors {@code error_summary}: error type ({@code generic, numerical, transient, model, runtime, hardware})
   *     to count, in document order (types added by newer versions are kept)
   * @param statuses {@code execution_summary}: status ({@code completed, completed_with_err, completed_with_num_err,
   *     timed_out, incorrect_input, failed_to_queue}) to count, in document order
   * @param totalLatency {@code latency_stats.total_latency}, absent when {@code null} (nothing ran)
   * @param deviceLatency {@code latency_stats.device_latency}, absent when {@code null}
   */
  public record ExecutionStats(double period, String error, Map<String, Long> errors, Map<String, Long> statuses,
      Optional<Latency> totalLatency, Optional<Latency> deviceLatency) {
    /** The {@code execution_summary} status of executions that completed without error. */
    public static final String COMPLETED = "completed";

    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param errors the error counts
     * @param statuses the status counts
     * @param totalLatency the total latency
     * @param deviceLatency the device latency
     */
    public ExecutionStats {
      Objects.requireNonNull(error, "error");
      errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
      statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
      Objects.requireNonNull(totalLatency, "totalLatency");
      Objects.requireNonNull(deviceLatency, "deviceLatency");
    }

    /**
     * All executions that ended in the period, successful or not: the sum of {@link #statuses()}.
     *
     * @return the count
     */
    public long executions() {
      long n = 0;
      for (long v : statuses.values()) {
        n += v;
      }
      return n;
    }

    /**
     * The sum of {@link #errors()}.
     *
     * @return the count
     */
    public long totalErrors() {
      long n = 0;
      for (long v : errors.values()) {
        n += v;
      }
      return n;
    }

    /**
     * The {@code completed} count.
     *
     * @return the count, 0 when absent
     */
    public long completed() {
      return statuses.getOrDefault(COMPLETED, 0L);
    }
  }

  /**
   * Latency percentiles of one period, in seconds.
   *
   * @param percentiles percentile name ({@code p0, p1, p25, p50, p75, p99, p100}) to seconds, in document order
   */
  public record Latency(Map<String, Double> percentiles) {
    /**
     * Copies.
     *
     * @param percentiles the percentiles
     */
    public Latency {
      percentiles = Collections.unmodifiableMap(new LinkedHashMap<>(percentiles));
    }

    /**
     * One percentile.
     *
     * @param name for example {@code p99}
     * @return the seconds, or empty when the report does not have it
     */
    public OptionalDouble percentile(String name) {
      Double v = percentiles.get(name);
      return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * The median.
     *
     * @return {@code p50} in seconds, or empty
     */
    public OptionalDouble p50() {
      return percentile("p50");
    }

    /**
     * The 99th percentile.
     *
     * @return {@code p99} in seconds, or empty
     */
    public OptionalDouble p99() {
      return percentile("p99");
    }
  }

  /**
   * {@code memory_used}.
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error
   * @param hostBytes {@code neuron_runtime_used_bytes.host}
   * @param deviceBytes {@code neuron_runtime_used_bytes.neuron_device}
   * @param hostBreakdown {@code usage_breakdown.host}, absent before Neuron 2.4
   * @param coreMemory {@code usage_breakdown.neuroncore_memory_usage} by NeuronCore index, ascending
   * @param loadedModels {@code loaded_models}
   */
  public record MemoryUsed(double period, String error, long hostBytes, long deviceBytes,
      Optional<HostMemory> hostBreakdown, SortedMap<Integer, CoreMemory> coreMemory, List<LoadedModel> loadedModels) {
    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param hostBytes host bytes
     * @param deviceBytes device bytes
     * @param hostBreakdown the host breakdown
     * @param coreMemory the per-core breakdown
     * @param loadedModels the models
     */
    public MemoryUsed {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(hostBreakdown, "hostBreakdown");
      coreMemory = Collections.unmodifiableSortedMap(new TreeMap<>(coreMemory));
      loadedModels = List.copyOf(loadedModels);
    }
  }

  /**
   * Host memory by use, in bytes ({@code usage_breakdown.host}).
   *
   * @param applicationMemory {@code application_memory}
   * @param constants {@code constants}
   * @param dmaBuffers {@code dma_buffers}
   * @param tensors {@code tensors}
   */
  public record HostMemory(long applicationMemory, long constants, long dmaBuffers, long tensors) {}

  /**
   * Device memory of one NeuronCore by use, in bytes ({@code neuroncore_memory_usage[core]}).
   *
   * @param constants {@code constants}
   * @param modelCode {@code model_code}
   * @param modelSharedScratchpad {@code model_shared_scratchpad}
   * @param runtimeMemory {@code runtime_memory}
   * @param tensors {@code tensors}
   */
  public record CoreMemory(long constants, long modelCode, long modelSharedScratchpad, long runtimeMemory,
      long tensors) {
    /**
     * The sum of the five uses (the agent's {@code neuroncore_memory_usage_total}).
     *
     * @return bytes
     */
    public long total() {
      return constants + modelCode + modelSharedScratchpad + runtimeMemory + tensors;
    }
  }

  /**
   * One loaded model ({@code loaded_models[]}).
   *
   * @param name the model name (often a compile-cache path)
   * @param uuid the model UUID (hex)
   * @param modelId the runtime's model id
   * @param running {@code is_running}
   * @param subgraphs subgraph name to its memory and placement, in document order
   */
  public record LoadedModel(String name, String uuid, long modelId, boolean running, Map<String, Subgraph> subgraphs) {
    /**
     * Validates and copies.
     *
     * @param name the name
     * @param uuid the uuid
     * @param modelId the id
     * @param running whether it runs
     * @param subgraphs the subgraphs
     */
    public LoadedModel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(uuid, "uuid");
      subgraphs = Collections.unmodifiableMap(new LinkedHashMap<>(subgraphs));
    }
  }

  /**
   * One subgraph of a loaded model.
   *
   * @param hostBytes {@code memory_used_bytes.host}
   * @param deviceBytes {@code memory_used_bytes.neuron_device}
   * @param hostBreakdown {@code usage_breakdown.host}, when present
   * @param deviceBreakdown {@code usage_breakdown.neuron_device}, when present
   * @param neuroncoreIndex {@code neuroncore_index}
   * @param neuronDeviceIndex {@code neuron_device_index}
   */
  public record Subgraph(long hostBytes, long deviceBytes, Optional<HostMemory> hostBreakdown,
      Optional<DeviceMemory> deviceBreakdown, int neuroncoreIndex, int neuronDeviceIndex) {
    /**
     * Validates.
     *
     * @param hostBytes host bytes
     * @param deviceBytes device bytes
     * @param hostBreakdown host breakdown
     * @param deviceBreakdown device breakdown
     * @param neuroncoreIndex the core
     * @param neuronDeviceIndex the device
     */
    public Subgraph {
      Objects.requireNonNull(hostBreakdown, "hostBreakdown");
      Objects.requireNonNull(deviceBreakdown, "deviceBreakdown");
    }
  }

  /**
   * Device memory of one subgraph by use, in bytes.
   *
   * @param constants {@code constants}
   * @param modelCode {@code model_code}
   * @param runtimeMemory {@code runtime_memory}
   * @param tensors {@code tensors}
   */
  public record DeviceMemory(long constants, long modelCode, long runtimeMemory, long tensors) {}

  /**
   * {@code neuron_runtime_vcpu_usage}: the runtime's CPU use in percent, as neuron-monitor reports it.
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error (for example {@code open /proc/<pid>/stat: no such file or directory})
   * @param userPercent {@code vcpu_usage.user}
   * @param systemPercent {@code vcpu_usage.system}
   */
  public record RuntimeVcpuUsage(double period, String error, double userPercent, double systemPercent) {
    /**
     * Validates.
     *
     * @param period the period
     * @param error the error
     * @param userPercent user
     * @param systemPercent system
     */
    public RuntimeVcpuUsage {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * {@code system_data}: the system metric groups due this period.
   *
   * @param vcpuUsage {@code vcpu_usage}
   * @param memoryInfo {@code memory_info}
   * @param hwCounters {@code neuron_hw_counters}
   */
  public record SystemData(Optional<VcpuUsage> vcpuUsage, Optional<MemoryInfo> memoryInfo,
      Optional<HwCounters> hwCounters) {
    /** No system group. */
    public static final SystemData EMPTY = new SystemData(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Validates.
     *
     * @param vcpuUsage vCPU use
     * @param memoryInfo memory
     * @param hwCounters hardware counters
     */
    public SystemData {
      Objects.requireNonNull(vcpuUsage, "vcpuUsage");
      Objects.requireNonNull(memoryInfo, "memoryInfo");
      Objects.requireNonNull(hwCounters, "hwCounters");
    }
  }

  /**
   * {@code vcpu_usage} (system).
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error
   * @param average {@code average_usage}
   * @param perCpu {@code usage_data} by vCPU index, ascending
   * @param contextSwitches {@code context_switch_count} in the period
   */
  public record VcpuUsage(double period, String error, CpuTimes average, SortedMap<Integer, CpuTimes> perCpu,
      long contextSwitches) {
    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param average the average
     * @param perCpu per vCPU
     * @param contextSwitches context switches
     */
    public VcpuUsage {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(average, "average");
      perCpu = Collections.unmodifiableSortedMap(new TreeMap<>(perCpu));
    }
  }

  /**
   * CPU time split in percent (0–100).
   *
   * @param user {@code user}
   * @param nice {@code nice}
   * @param system {@code system}
   * @param idle {@code idle}
   * @param ioWait {@code io_wait}
   * @param irq {@code irq}
   * @param softIrq {@code soft_irq}
   */
  public record CpuTimes(double user, double nice, double system, double idle, double ioWait, double irq,
      double softIrq) {
    /**
     * User time as neuron-monitor-prometheus counts it: {@code user + nice}.
     *
     * @return percent
     */
    public double userTotal() {
      return user + nice;
    }

    /**
     * System time as neuron-monitor-prometheus counts it: {@code system + io_wait + irq + soft_irq}.
     *
     * @return percent
     */
    public double systemTotal() {
      return system + ioWait + irq + softIrq;
    }
  }

  /**
   * {@code memory_info} (system), in bytes.
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error
   * @param memoryTotalBytes {@code memory_total_bytes}
   * @param memoryUsedBytes {@code memory_used_bytes}
   * @param swapTotalBytes {@code swap_total_bytes}
   * @param swapUsedBytes {@code swap_used_bytes}
   */
  public record MemoryInfo(double period, String error, long memoryTotalBytes, long memoryUsedBytes,
      long swapTotalBytes, long swapUsedBytes) {
    /**
     * Validates.
     *
     * @param period the period
     * @param error the error
     * @param memoryTotalBytes total
     * @param memoryUsedBytes used
     * @param swapTotalBytes swap total
     * @param swapUsedBytes swap used
     */
    public MemoryInfo {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * {@code neuron_hw_counters} (system).
   *
   * @param period the period actually captured, in seconds
   * @param error the group's error
   * @param devices {@code neuron_devices}
   */
  public record HwCounters(double period, String error, List<DeviceEcc> devices) {
    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param devices the devices
     */
    public HwCounters {
      Objects.requireNonNull(error, "error");
      devices = List.copyOf(devices);
    }
  }

  /**
   * ECC events of one Neuron device in the period (per-period counts, as the Prometheus converter treats them).
   *
   * @param deviceIndex {@code neuron_device_index}
   * @param memEccCorrected {@code mem_ecc_corrected}
   * @param memEccUncorrected {@code mem_ecc_uncorrected}
   * @param sramEccCorrected {@code sram_ecc_corrected} (0 when absent, as in Neuron 1.x)
   * @param sramEccUncorrected {@code sram_ecc_uncorrected}
   */
  public record DeviceEcc(int deviceIndex, long memEccCorrected, long memEccUncorrected, long sramEccCorrected,
      long sramEccUncorrected) {
    /**
     * Whether the device had an uncorrected ECC event.
     *
     * @return true when {@code mem_ecc_uncorrected} or {@code sram_ecc_uncorrected} is above 0
     */
    public boolean hasUncorrected() {
      return memEccUncorrected > 0 || sramEccUncorrected > 0;
    }

    /**
     * The events by their JSON name, in the order the converter exports them.
     *
     * @return {@code mem_ecc_corrected, mem_ecc_uncorrected, sram_ecc_corrected, sram_ecc_uncorrected} to counts
     */
    public Map<String, Long> byType() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("mem_ecc_corrected", memEccCorrected);
      m.put("mem_ecc_uncorrected", memEccUncorrected);
      m.put("sram_ecc_corrected", sramEccCorrected);
      m.put("sram_ecc_uncorrected", sramEccUncorrected);
      return Collections.unmodifiableMap(m);
    }
  }

  /**
   * {@code instance_info}; strings are {@code ""} when the report lacks them.
   *
   * @param name {@code instance_name} (needs aws-cli on the host)
   * @param id {@code instance_id}
   * @param type {@code instance_type}
   * @param availabilityZone {@code instance_availability_zone}
   * @param availabilityZoneId {@code instance_availability_zone_id}
   * @param region {@code instance_region}
   * @param amiId {@code ami_id}
   * @param subnetId {@code subnet_id}
   * @param ultraserverId {@code ultraserver_id}, present only in the newest reports
   * @param error the object's error
   */
  public record InstanceInfo(String name, String id, String type, String availabilityZone, String availabilityZoneId,
      String region, String amiId, String subnetId, Optional<String> ultraserverId, String error) {
    /** An instance about which nothing is known. */
    public static final InstanceInfo UNKNOWN = new InstanceInfo("", "", "", "", "", "", "", "", Optional.empty(), "");

    /**
     * Validates.
     *
     * @param name name
     * @param id id
     * @param type type
     * @param availabilityZone zone
     * @param availabilityZoneId zone id
     * @param region region
     * @param amiId AMI
     * @param subnetId subnet
     * @param ultraserverId UltraServer
     * @param error error
     */
    public InstanceInfo {
      for (String s : new String[] {name, id, type, availabilityZone, availabilityZoneId, region, amiId, subnetId,
          error}) {
        Objects.requireNonNull(s, "instance_info strings must not be null");
      }
      Objects.requireNonNull(ultraserverId, "ultraserverId");
    }
  }

  /**
   * {@code neuron_hardware_info}.
   *
   * @param deviceType {@code neuron_device_type} ({@code inferentia}, {@code trainium2}, ...), {@code ""} before 2.19
   * @param deviceVersion {@code neuron_device_version}, {@code ""} when absent
   * @param neuroncoreVersion {@code neuroncore_version}, {@code ""} when absent
   * @param deviceCount {@code neuron_device_count}
   * @param deviceMemorySize {@code neuron_device_memory_size}: bytes per device, absent before 2.19
   * @param neuroncorePerDeviceCount {@code neuroncore_per_device_count}
   * @param logicalNeuroncoreConfig {@code logical_neuroncore_config} (or {@code logical_neuroncore_size}), absent
   *     before 2.21
   * @param error the object's error
   */
  public record HardwareInfo(String deviceType, String deviceVersion, String neuroncoreVersion, int deviceCount,
      OptionalLong deviceMemorySize, int neuroncorePerDeviceCount, OptionalInt logicalNeuroncoreConfig,
      String error) {
    /** Hardware about which nothing is known. */
    public static final HardwareInfo UNKNOWN = new HardwareInfo("", "", "", 0, OptionalLong.empty(), 0,
        OptionalInt.empty(), "");

    /**
     * Validates.
     *
     * @param deviceType type
     * @param deviceVersion version
     * @param neuroncoreVersion core version
     * @param deviceCount devices
     * @param deviceMemorySize memory per device
     * @param neuroncorePerDeviceCount cores per device
     * @param logicalNeuroncoreConfig LNC
     * @param error error
     */
    public HardwareInfo {
      Objects.requireNonNull(deviceType, "deviceType");
      Objects.requireNonNull(deviceVersion, "deviceVersion");
      Objects.requireNonNull(neuroncoreVersion, "neuroncoreVersion");
      Objects.requireNonNull(deviceMemorySize, "deviceMemorySize");
      Objects.requireNonNull(logicalNeuroncoreConfig, "logicalNeuroncoreConfig");
      Objects.requireNonNull(error, "error");
    }

    /**
     * The device a global NeuronCore index belongs to.
     *
     * @param core the global core index
     * @return {@code core / neuroncore_per_device_count}, or empty when the count is unknown
     */
    public OptionalInt deviceOf(int core) {
      return neuroncorePerDeviceCount > 0 ? OptionalInt.of(core / neuroncorePerDeviceCount) : OptionalInt.empty();
    }

    /**
     * Device memory of the whole instance.
     *
     * @return {@code neuron_device_memory_size × neuron_device_count}, or empty when unknown
     */
    public OptionalLong totalDeviceMemory() {
      return deviceMemorySize.isPresent() && deviceCount > 0
          ? OptionalLong.of(deviceMemorySize.getAsLong() * deviceCount) : OptionalLong.empty();
    }
  }

  /**
   * {@code neuron_k8s_info}: which pod uses which NeuronCore and Neuron device.
   *
   * @param period the period actually captured, in seconds
   * @param error the object's error
   * @param cores {@code neuroncores_k8s_info} by NeuronCore index, ascending
   * @param devices {@code neurondevices_k8s_info} by device index, ascending
   */
  public record K8sInfo(double period, String error, SortedMap<Integer, PodRef> cores,
      SortedMap<Integer, PodRef> devices) {
    /**
     * Validates and copies.
     *
     * @param period the period
     * @param error the error
     * @param cores by core
     * @param devices by device
     */
    public K8sInfo {
      Objects.requireNonNull(error, "error");
      cores = Collections.unmodifiableSortedMap(new TreeMap<>(cores));
      devices = Collections.unmodifiableSortedMap(new TreeMap<>(devices));
    }
  }

  /**
   * The pod using a NeuronCore or device.
   *
   * @param podName {@code pod_name}
   * @param namespace {@code namespace}
   * @param containerNames {@code container_name}
   */
  public record PodRef(String podName, String namespace, List<String> containerNames) {
    /**
     * Validates and copies.
     *
     * @param podName pod
     * @param namespace namespace
     * @param containerNames containers
     */
    public PodRef {
      Objects.requireNonNull(podName, "podName");
      Objects.requireNonNull(namespace, "namespace");
      containerNames = List.copyOf(new ArrayList<>(containerNames));
    }
  }
}

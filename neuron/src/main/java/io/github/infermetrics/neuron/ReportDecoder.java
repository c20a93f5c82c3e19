package io.github.infermetrics.neuron;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.infermetrics.neuron.NeuronReport.CoreMemory;
import io.github.infermetrics.neuron.NeuronReport.CpuTimes;
import io.github.infermetrics.neuron.NeuronReport.DeviceEcc;
import io.github.infermetrics.neuron.NeuronReport.DeviceMemory;
import io.github.infermetrics.neuron.NeuronReport.ExecutionStats;
import io.github.infermetrics.neuron.NeuronReport.HardwareInfo;
import io.github.infermetrics.neuron.NeuronReport.HostMemory;
import io.github.infermetrics.neuron.NeuronReport.HwCounters;
import io.github.infermetrics.neuron.NeuronReport.InstanceInfo;
import io.github.infermetrics.neuron.NeuronReport.K8sInfo;
import io.github.infermetrics.neuron.NeuronReport.Latency;
import io.github.infermetrics.neuron.NeuronReport.LoadedModel;
import io.github.infermetrics.neuron.NeuronReport.MemoryInfo;
import io.github.infermetrics.neuron.NeuronReport.MemoryUsed;
import io.github.infermetrics.neuron.NeuronReport.NeuronCoreCounter;
import io.github.infermetrics.neuron.NeuronReport.NeuronCoreCounters;
import io.github.infermetrics.neuron.NeuronReport.PodRef;
import io.github.infermetrics.neuron.NeuronReport.Runtime;
import io.github.infermetrics.neuron.NeuronReport.RuntimeReport;
import io.github.infermetrics.neuron.NeuronReport.RuntimeVcpuUsage;
import io.github.infermetrics.neuron.NeuronReport.Subgraph;
import io.github.infermetrics.neuron.NeuronReport.SystemData;
import io.github.infermetrics.neuron.NeuronReport.VcpuUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Turns a parsed JSON tree into a {@link NeuronReport}. Unknown fields are ignored; a known field of the wrong type
 * is an error naming its JSON path; a missing or {@code null} group is absent; old names are read as new ones.
 */
final class ReportDecoder {
  private ReportDecoder() {}

  static NeuronReport decode(JsonNode root) {
    requireObject(root, "$");
    List<Runtime> runtimes = new ArrayList<>();
    JsonNode rtData = present(root, "neuron_runtime_data");
    if (rtData != null) {
      requireArray(rtData, "$.neuron_runtime_data");
      for (int i = 0; i < rtData.size(); i++) {
        runtimes.add(runtime(rtData.get(i), "$.neuron_runtime_data[" + i + "]"));
      }
    }
    SystemData system = SystemData.EMPTY;
    JsonNode sys = present(root, "system_data");
    if (sys != null) {
      String p = "$.system_data";
      requireObject(sys, p);
      system = new SystemData(group(sys, p, "vcpu_usage", ReportDecoder::vcpuUsage),
          group(sys, p, "memory_info", ReportDecoder::memoryInfo),
          group(sys, p, "neuron_hw_counters", ReportDecoder::hwCounters));
    }
    InstanceInfo instance = group(root, "$", "instance_info", ReportDecoder::instanceInfo)
        .orElse(InstanceInfo.UNKNOWN);
    HardwareInfo hardware = group(root, "$", "neuron_hardware_info", ReportDecoder::hardwareInfo)
        .orElse(HardwareInfo.UNKNOWN);
    Optional<K8sInfo> k8s = group(root, "$", "neuron_k8s_info", ReportDecoder::k8sInfo);
    return new NeuronReport(runtimes, system, instance, hardware, k8s);
  }

  private static Runtime runtime(JsonNode n, String p) {
    requireObject(n, p);
    RuntimeReport report = new RuntimeReport(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    JsonNode r = present(n, "report");
    if (r != null) {
      String rp = p + ".report";
      requireObject(r, rp);
      Optional<ExecutionStats> stats = group(r, rp, "execution_stats", ReportDecoder::executionStats);
      if (stats.isEmpty()) {
        stats = group(r, rp, "inference_stats", ReportDecoder::executionStats); // before Neuron 2.4
      }
      report = new RuntimeReport(group(r, rp, "neuroncore_counters", ReportDecoder::neuroncoreCounters), stats,
          group(r, rp, "memory_used", ReportDecoder::memoryUsed),
          group(r, rp, "neuron_runtime_vcpu_usage", ReportDecoder::runtimeVcpu));
    }
    long pid = integer(n, p, "pid", 0);
    String tag = string(n, p, "neuron_runtime_tag", pid == 0 ? "" : Long.toString(pid));
    return new Runtime(pid, string(n, p, "address", ""), tag, string(n, p, "error", ""), report);
  }

  private static NeuronCoreCounters neuroncoreCounters(JsonNode n, String p) {
    TreeMap<Integer, NeuronCoreCounter> cores = new TreeMap<>();
    JsonNode inUse = present(n, "neuroncores_in_use");
    if (inUse != null) {
      String ip = p + ".neuroncores_in_use";
      requireObject(inUse, ip);
      for (Map.Entry<String, JsonNode> e : inUse.properties()) {
        String cp = ip + "." + e.getKey();
        JsonNode c = e.getValue();
        requireObject(c, cp);
        OptionalDouble flops = optionalNumber(c, cp, "flops");
        if (flops.isEmpty()) {
          flops = optionalNumber(c, cp, "effective_flops"); // spelling seen in one third-party capture
        }
        cores.put(index(e.getKey(), ip), new NeuronCoreCounter(number(c, cp, "neuroncore_utilization", 0), flops,
            v3d(c, cp)));
      }
    }
    return new NeuronCoreCounters(number(n, p, "period", 0), string(n, p, "error", ""), cores);
  }

  /** Trn2 {@code v3d}: {@code {"nc_v3.0": {...}}} as documented, or {@code {"nc_v3": {"0": {...}}}} as seen. */
  private static Map<String, Double> v3d(JsonNode core, String cp) {
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode v3d = present(core, "v3d");
    if (v3d == null) {
      return out;
    }
    String vp = cp + ".v3d";
    requireObject(v3d, vp);
    for (Map.Entry<String, JsonNode> e : v3d.properties()) {
      String ep = vp + "." + e.getKey();
      requireObject(e.getValue(), ep);
      if (e.getValue().has("neuroncore_utilization")) {
        out.put(e.getKey(), number(e.getValue(), ep, "neuroncore_utilization", 0));
      } else {
        for (Map.Entry<String, JsonNode> ie : e.getValue().properties()) {
          String iep = ep + "." + ie.getKey();
          requireObject(ie.getValue(), iep);
          out.put(e.getKey() + "." + ie.getKey(), number(ie.getValue(), iep, "neuroncore_utilization", 0));
        }
      }
    }
    return out;
  }

  private static ExecutionStats executionStats(JsonNode n, String p) {
    Map<String, Long> errors = counts(n, p, "error_summary");
    Map<String, Long> statuses = counts(n, p, "execution_summary");
    if (statuses.isEmpty()) {
      statuses = counts(n, p, "inference_summary"); // before Neuron 2.3
    }
    Optional<Latency> total = Optional.empty();
    Optional<Latency> device = Optional.empty();
    JsonNode lat = present(n, "latency_stats");
    if (lat != null) {
      String lp = p + ".latency_stats";
      requireObject(lat, lp);
      total = group(lat, lp, "total_latency", ReportDecoder::latency);
      device = group(lat, lp, "device_latency", ReportDecoder::latency);
    }
    return new ExecutionStats(number(n, p, "period", 0), string(n, p, "error", ""), errors, statuses, total, device);
  }

  private static Latency latency(JsonNode n, String p) {
    Map<String, Double> percentiles = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isNull()) {
        percentiles.put(e.getKey(), number(n, p, e.getKey(), 0));
      }
    }
    return new Latency(percentiles);
  }

  private static Map<String, Long> counts(JsonNode n, String p, String field) {
    Map<String, Long> out = new LinkedHashMap<>();
    JsonNode m = present(n, field);
    if (m == null) {
      return out;
    }
    String mp = p + "." + field;
    requireObject(m, mp);
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      out.put(e.getKey(), integer(m, mp, e.getKey(), 0));
    }
    return out;
  }

  private static MemoryUsed memoryUsed(JsonNode n, String p) {
    long host = 0;
    long device = 0;
    Optional<HostMemory> hostBreakdown = Optional.empty();
    TreeMap<Integer, CoreMemory> cores = new TreeMap<>();
    JsonNode used = present(n, "neuron_runtime_used_bytes");
    if (used != null) {
      String up = p + ".neuron_runtime_used_bytes";
      requireObject(used, up);
      host = integer(used, up, "host", 0);
      device = integer(used, up, "neuron_device", 0);
      JsonNode ub = present(used, "usage_breakdown");
      if (ub != null) {
        String bp = up + ".usage_breakdown";
        requireObject(ub, bp);
        hostBreakdown = group(ub, bp, "host", ReportDecoder::hostMemory);
        JsonNode nc = present(ub, "neuroncore_memory_usage");
        if (nc != null) {
          String np = bp + ".neuroncore_memory_usage";
          requireObject(nc, np);
          for (Map.Entry<String, JsonNode> e : nc.properties()) {
            String cp = np + "." + e.getKey();
            JsonNode c = e.getValue();
            requireObject(c, cp);
            cores.put(index(e.getKey(), np), new CoreMemory(integer(c, cp, "constants", 0),
                integer(c, cp, "model_code", 0), integer(c, cp, "model_shared_scratchpad", 0),
                integer(c, cp, "runtime_memory", 0), integer(c, cp, "tensors", 0)));
          }
        }
      }
    }
    List<LoadedModel> models = new ArrayList<>();
    JsonNode lm = present(n, "loaded_models");
    if (lm != null) {
      String lp = p + ".loaded_models";
      requireArray(lm, lp);
      for (int i = 0; i < lm.size(); i++) {
        models.add(loadedModel(lm.get(i), lp + "[" + i + "]"));
      }
    }
    return new MemoryUsed(number(n, p, "period", 0), string(n, p, "error", ""), host, device, hostBreakdown, cores,
        models);
  }

  private static LoadedModel loadedModel(JsonNode n, String p) {
    requireObject(n, p);
    Map<String, Subgraph> subgraphs = new LinkedHashMap<>();
    JsonNode sg = present(n, "subgraphs");
    if (sg != null) {
      String sp = p + ".subgraphs";
      requireObject(sg, sp);
      for (Map.Entry<String, JsonNode> e : sg.properties()) {
        subgraphs.put(e.getKey(), subgraph(e.getValue(), sp + "." + e.getKey()));
      }
    }
    return new LoadedModel(string(n, p, "name", ""), string(n, p, "uuid", ""), integer(n, p, "model_id", 0),
        bool(n, p, "is_running"), subgraphs);
  }

  private static Subgraph subgraph(JsonNode n, String p) {
    requireObject(n, p);
    long host = 0;
    long device = 0;
    Optional<HostMemory> hostBreakdown = Optional.empty();
    Optional<DeviceMemory> deviceBreakdown = Optional.empty();
    JsonNode mub = present(n, "memory_used_bytes");
    if (mub != null) {
      String mp = p + ".memory_used_bytes";
      requireObject(mub, mp);
      host = integer(mub, mp, "host", 0);
      device = integer(mub, mp, "neuron_device", 0);
      JsonNode ub = present(mub, "usage_breakdown");
      if (ub != null) {
        String bp = mp + ".usage_breakdown";
        requireObject(ub, bp);
        hostBreakdown = group(ub, bp, "host", ReportDecoder::hostMemory);
        deviceBreakdown = group(ub, bp, "neuron_device", (d, dp) -> new DeviceMemory(integer(d, dp, "constants", 0),
            integer(d, dp, "model_code", 0), integer(d, dp, "runtime_memory", 0), integer(d, dp, "tensors", 0)));
      }
    }
    return new Subgraph(host, device, hostBreakdown, deviceBreakdown, (int) integer(n, p, "neuroncore_index", 0),
        (int) integer(n, p, "neuron_device_index", 0));
  }

  private static HostMemory hostMemory(JsonNode n, String p) {
    return new HostMemory(integer(n, p, "application_memory", 0), integer(n, p, "constants", 0),
        integer(n, p, "dma_buffers", 0), integer(n, p, "tensors", 0));
  }

  private static RuntimeVcpuUsage runtimeVcpu(JsonNode n, String p) {
    double user = 0;
    double system = 0;
    JsonNode u = present(n, "vcpu_usage");
    if (u != null) {
      String up = p + ".vcpu_usage";
      requireObject(u, up);
      user = number(u, up, "user", 0);
      system = number(u, up, "system", 0);
    }
    return new RuntimeVcpuUsage(number(n, p, "period", 0), string(n, p, "error", ""), user, system);
  }

  private static VcpuUsage vcpuUsage(JsonNode n, String p) {
    CpuTimes average = group(n, p, "average_usage", ReportDecoder::cpuTimes)
        .orElse(new CpuTimes(0, 0, 0, 0, 0, 0, 0));
    TreeMap<Integer, CpuTimes> perCpu = new TreeMap<>();
    JsonNode ud = present(n, "usage_data");
    if (ud != null) {
      String up = p + ".usage_data";
      requireObject(ud, up);
      for (Map.Entry<String, JsonNode> e : ud.properties()) {
        String cp = up + "." + e.getKey();
        requireObject(e.getValue(), cp);
        perCpu.put(index(e.getKey(), up), cpuTimes(e.getValue(), cp));
      }
    }
    return new VcpuUsage(number(n, p, "period", 0), string(n, p, "error", ""), average, perCpu,
        integer(n, p, "context_switch_count", 0));
  }

  private static CpuTimes cpuTimes(JsonNode n, String p) {
    return new CpuTimes(number(n, p, "user", 0), number(n, p, "nice", 0), number(n, p, "system", 0),
        number(n, p, "idle", 0), number(n, p, "io_wait", 0), number(n, p, "irq", 0), number(n, p, "soft_irq", 0));
  }

  private static MemoryInfo memoryInfo(JsonNode n, String p) {
    return new MemoryInfo(number(n, p, "period", 0), string(n, p, "error", ""), integer(n, p, "memory_total_bytes", 0),
        integer(n, p, "memory_used_bytes", 0), integer(n, p, "swap_total_bytes", 0),
        integer(n, p, "swap_used_bytes", 0));
  }

  private static HwCounters hwCounters(JsonNode n, String p) {
    List<DeviceEcc> devices = new ArrayList<>();
    JsonNode d = present(n, "neuron_devices");
    if (d != null) {
      String dp = p + ".neuron_devices";
      requireArray(d, dp);
      for (int i = 0; i < d.size(); i++) {
        String ep = dp + "[" + i + "]";
        JsonNode e = d.get(i);
        requireObject(e, ep);
        devices.add(new DeviceEcc((int) integer(e, ep, "neuron_device_index", i), integer(e, ep, "mem_ecc_corrected", 0),
            integer(e, ep, "mem_ecc_uncorrected", 0), integer(e, ep, "sram_ecc_corrected", 0),
            integer(e, ep, "sram_ecc_uncorrected", 0)));
      }
    }
    return new HwCounters(number(n, p, "period", 0), string(n, p, "error", ""), devices);
  }

  private static InstanceInfo instanceInfo(JsonNode n, String p) {
    JsonNode us = present(n, "ultraserver_id");
    Optional<String> ultraserver = us == null ? Optional.empty() : Optional.of(string(n, p, "ultraserver_id", ""));
    return new InstanceInfo(string(n, p, "instance_name", ""), string(n, p, "instance_id", ""),
        string(n, p, "instance_type", ""), string(n, p, "instance_availability_zone", ""),
        string(n, p, "instance_availability_zone_id", ""), string(n, p, "instance_region", ""),
        string(n, p, "ami_id", ""), string(n, p, "subnet_id", ""), ultraserver, string(n, p, "error", ""));
  }

  private static HardwareInfo hardwareInfo(JsonNode n, String p) {
    OptionalLong memSize = present(n, "neuron_device_memory_size") == null ? OptionalLong.empty()
        : OptionalLong.of(integer(n, p, "neuron_device_memory_size", 0));
    String lncField = present(n, "logical_neuroncore_config") != null ? "logical_neuroncore_config"
        : "logical_neuroncore_size"; // the first documented name (Neuron 2.21 docs)
    OptionalInt lnc = present(n, lncField) == null ? OptionalInt.empty()
        : OptionalInt.of((int) integer(n, p, lncField, 0));
    return new HardwareInfo(string(n, p, "neuron_device_type", ""), string(n, p, "neuron_device_version", ""),
        string(n, p, "neuroncore_version", ""), (int) integer(n, p, "neuron_device_count", 0), memSize,
        (int) integer(n, p, "neuroncore_per_device_count", 0), lnc, string(n, p, "error", ""));
  }

  private static K8sInfo k8sInfo(JsonNode n, String p) {
    return new K8sInfo(number(n, p, "period", 0), string(n, p, "error", ""), pods(n, p, "neuroncores_k8s_info"),
        pods(n, p, "neurondevices_k8s_info"));
  }

  private static TreeMap<Integer, PodRef> pods(JsonNode n, String p, String field) {
    TreeMap<Integer, PodRef> out = new TreeMap<>();
    JsonNode m = present(n, field);
    if (m == null) {
      return out;
    }
    String mp = p + "." + field;
    requireObject(m, mp);
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      String ep = mp + "." + e.getKey();
      JsonNode pod = e.getValue();
      requireObject(pod, ep);
      List<String> containers = new ArrayList<>();
      JsonNode cn = present(pod, "container_name");
      if (cn != null && cn.isArray()) {
        for (int i = 0; i < cn.size(); i++) {
          if (!cn.get(i).isTextual()) {
            throw error(ep + ".container_name[" + i + "]", "expected a string, got " + cn.get(i).getNodeType());
          }
          containers.add(cn.get(i).asText());
        }
      } else if (cn != null) {
        containers.add(string(pod, ep, "container_name", "")); // a single name, tolerated
      }
      out.put(index(e.getKey(), mp), new PodRef(string(pod, ep, "pod_name", ""), string(pod, ep, "namespace", ""),
          containers));
    }
    return out;
  }

  // ---- field access with JSON paths in errors

  /** The field's value, or null when it is missing or JSON {@code null}. */
  private static JsonNode present(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static <T> Optional<T> group(JsonNode parent, String parentPath, String field,
      BiFunction<JsonNode, String, T> decode) {
    JsonNode v = present(parent, field);
    if (v == null) {
      return Optional.empty();
    }
    String p = parentPath + "." + field;
    requireObject(v, p);
    return Optional.of(decode.apply(v, p));
  }

  private static void requireObject(JsonNode n, String path) {
    if (!n.isObject()) {
      throw error(path, "expected an object, got " + describe(n));
    }
  }

  private static void requireArray(JsonNode n, String path) {
    if (!n.isArray()) {
      throw error(path, "expected an array, got " + describe(n));
    }
  }

  private static String string(JsonNode n, String p, String field, String absent) {
    JsonNode v = present(n, field);
    if (v == null) {
      return absent;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw error(p + "." + field, "expected a string, got " + describe(v));
    }
    return v.asText(); // a number where a string is expected (a numeric tag) is read as its text
  }

  private static double number(JsonNode n, String p, String field, double absent) {
    JsonNode v = present(n, field);
    if (v == null) {
      return absent;
    }
    if (!v.isNumber()) {
      throw error(p + "." + field, "expected a number, got " + describe(v));
    }
    return v.doubleValue();
  }

  private static OptionalDouble optionalNumber(JsonNode n, String p, String field) {
    return present(n, field) == null ? OptionalDouble.empty() : OptionalDouble.of(number(n, p, field, 0));
  }

  private static long integer(JsonNode n, String p, String field, long absent) {
    JsonNode v = present(n, field);
    if (v == null) {
      return absent;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 0x1p53) {
      return (long) v.doubleValue(); // 12.0 is a fine count
    }
    throw error(p + "." + field, "expected an integer, got " + describe(v));
  }

  private static boolean bool(JsonNode n, String p, String field) {
    JsonNode v = present(n, field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw error(p + "." + field, "expected true or false, got " + describe(v));
    }
    return v.booleanValue();
  }

  private static int index(String key, String mapPath) {
    try {
      int i = Integer.parseInt(key);
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(mapPath + "." + key, "expected a non-negative index as the key, got \"" + key + "\"");
  }

  private static String describe(JsonNode v) {
    String text = v.toString();
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " "
        + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }

  private static NeuronReportException error(String path, String reason) {
    return new NeuronReportException(0, 0, path, reason);
  }
}

package io.github.infermetrics.neuron;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.PrometheusText;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.neuron.NeuronReport.CoreMemory;
import io.github.infermetrics.neuron.NeuronReport.CpuTimes;
import io.github.infermetrics.neuron.NeuronReport.DeviceEcc;
import io.github.infermetrics.neuron.NeuronReport.HardwareInfo;
import io.github.infermetrics.neuron.NeuronReport.InstanceInfo;
import io.github.infermetrics.neuron.NeuronReport.K8sInfo;
import io.github.infermetrics.neuron.NeuronReport.PodRef;
import io.github.infermetrics.neuron.NeuronReport.Runtime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns neuron-monitor reports into the Prometheus exposition of AWS's {@code neuron-monitor-prometheus.py}: the same
 * 20 metric families with the same names, types, help texts, labels and transforms, so that
 * {@code neuron-monitor | java ... NeuronPrometheusExporter} can replace
 * {@code neuron-monitor | neuron-monitor-prometheus.py --port 8000} for dashboards, alarms and the CloudWatch agent.
 *
 * <pre>{@code
 * NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
 * try (NeuronPrometheusExporter.Endpoint endpoint = exporter.serve(8000);
 *      NeuronReportReader reader = NeuronReportReader.of(System.in)) {
 *   for (NeuronReport report : reader) {
 *     exporter.update(report);           // GET http://host:8000/metrics serves the state after the last report
 *   }
 * }
 * }</pre>
 *
 * <p>What the converter does, and so does this class:
 * <ul>
 *   <li>every series carries the instance labels {@code availability_zone, instance_id, instance_name,
 *       instance_type, region, subnet_id} (plus {@code ultraserver_id} when the report has it); runtime series add
 *       {@code runtime_tag};</li>
 *   <li>percentages become ratios (÷100); system vCPU use is {@code user+nice} and
 *       {@code system+io_wait+irq+soft_irq}, capped at 100 before ÷100;</li>
 *   <li>{@code execution_errors_total}, {@code execution_status_total} and {@code hardware_ecc_events_total} are
 *       counters incremented by each report's per-period counts, with their {@code *_created} gauges;</li>
 *   <li>{@code execution_latency_seconds} is {@code total_latency} only and keeps its last value when the report's
 *       block is {@code null}; gauges of a group not in a report keep their last value;</li>
 *   <li>{@code neuroncore_memory_usage_*} carry {@code memory_location="None"} (the converter's leftover label);</li>
 *   <li>the series of a runtime that is no longer in the report are removed, so all runtime series are cleared when
 *       no runtime runs (the converter clears them; since Neuron 2.25 it also drops defunct processes);</li>
 *   <li>with {@code neuron_k8s_info} in the report, per-core series add {@code pod_name, namespace,
 *       container_name} (names joined by {@code ,}) for the cores a pod uses.</li>
 * </ul>
 * The {@code python_*} and {@code process_*} collectors of the Python process are not reproduced, nor the old
 * {@code inference_*} names of converters before Neuron 2.4 (old reports are exported under the new names).
 *
 * <p>Thread-safe: {@link #update} renders the exposition once; {@link #writeTo} and the endpoint serve that text.
 */
public final class NeuronPrometheusExporter {
  private static final String[] CORE_MEMORY_TYPES = {"constants", "model_code", "model_shared_scratchpad",
      "runtime_memory", "tensors"};
  /** The content type of the exposition (Prometheus text 0.0.4, like prometheus_client). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Clock clock;
  private final Object lock = new Object();
  private final Family systemMemoryTotal = new Family("system_memory_total_bytes", "System memory total_bytes bytes");
  private final Family systemMemoryUsed = new Family("system_memory_used_bytes", "System memory used_bytes bytes");
  private final Family systemSwapTotal = new Family("system_swap_total_bytes", "System swap total_bytes bytes");
  private final Family systemSwapUsed = new Family("system_swap_used_bytes", "System swap used_bytes bytes");
  private final Family eccEvents = Family.counter("hardware_ecc_events", "Hardware ecc events total", false);
  private final Family vcpuCount = new Family("system_vcpu_count", "System vCPU count");
  private final Family vcpuUsage = new Family("system_vcpu_usage_ratio", "System CPU utilization ratio");
  private final Family instanceInfo = new Family("instance_info", "EC2 instance information");
  private final Family hardwareInfo = new Family("neuron_hardware_info", "Neuron Hardware Information");
  private final Family executionErrors = Family.counter("execution_errors", "Execution errors total", true);
  private final Family executionStatus = Family.counter("execution_status", "Execution status total", true);
  private final Family executionLatency = Family.runtime("execution_latency_seconds", "Execution latency in seconds");
  private final Family runtimeMemory = Family.runtime("neuron_runtime_memory_used_bytes", "Runtime memory used bytes");
  private final Family[] coreMemory = new Family[CORE_MEMORY_TYPES.length];
  private final Family runtimeVcpu = Family.runtime("neuron_runtime_vcpu_usage_ratio", "Runtime vCPU utilization ratio");
  private final Family coreUtilization = Family.runtime("neuroncore_utilization_ratio", "NeuronCore utilization ratio");
  private final List<Family> families = new ArrayList<>();
  private volatile byte[] exposition;

  /** An exporter with no report yet: it serves the families' help and type lines only. */
  public NeuronPrometheusExporter() {
    this(Clock.systemUTC());
  }

  /** An exporter whose {@code *_created} times come from this clock (tests). */
  NeuronPrometheusExporter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    for (int i = 0; i < CORE_MEMORY_TYPES.length; i++) {
      coreMemory[i] = Family.runtime("neuroncore_memory_usage_" + CORE_MEMORY_TYPES[i],
          "NeuronCore memory utilization for " + CORE_MEMORY_TYPES[i]);
    }
    // the converter's registration order, which is its output order
    families.addAll(List.of(systemMemoryTotal, systemMemoryUsed, systemSwapTotal, systemSwapUsed, eccEvents,
        vcpuCount, vcpuUsage, instanceInfo, hardwareInfo, executionErrors, executionStatus, executionLatency,
        runtimeMemory));
    families.addAll(List.of(coreMemory));
    families.addAll(List.of(runtimeVcpu, coreUtilization));
    exposition = render();
  }

  /**
   * Takes a report: sets gauges, increments counters by the report's per-period counts, drops the series of
   * runtimes that are gone, and renders the exposition that {@link #writeTo} and the endpoint serve from now on.
   *
   * @param report the report
   */
  public void update(NeuronReport report) {
    Objects.requireNonNull(report, "report");
    synchronized (lock) {
      double now = clock.millis() / 1000.0;
      Labels base = instanceLabels(report.instance());
      Set<String> tags = new HashSet<>();
      for (Runtime rt : report.runtimes()) {
        tags.add(rt.tag());
      }
      for (Family f : families) {
        if (f.perRuntime) {
          f.series.keySet().removeIf(l -> !tags.contains(l.get("runtime_tag")));
          f.created.keySet().retainAll(f.series.keySet());
        }
      }
      for (Runtime rt : report.runtimes()) {
        runtime(rt, base.with("runtime_tag", rt.tag()), report.k8s(), now);
      }
      system(report, base, now);
      exposition = render();
    }
  }

  private void runtime(Runtime rt, Labels labels, Optional<K8sInfo> k8s, double now) {
    rt.report().neuroncoreCounters().ifPresent(c -> c.cores().forEach((core, n) ->
        coreUtilization.set(coreLabels(labels, core, k8s), n.utilizationPercent() / 100)));
    rt.report().executionStats().ifPresent(s -> {
      s.errors().forEach((type, n) -> executionErrors.inc(labels.with("error_type", type), n, now));
      s.statuses().forEach((type, n) -> executionStatus.inc(labels.with("status_type", type), n, now));
      s.totalLatency().ifPresent(l -> l.percentiles().forEach((p, v) ->
          executionLatency.set(labels.with("percentile", p), v)));
    });
    rt.report().memoryUsed().ifPresent(m -> {
      runtimeMemory.set(labels.with("memory_location", "host"), m.hostBytes());
      runtimeMemory.set(labels.with("memory_location", "neuron_device"), m.deviceBytes());
      m.coreMemory().forEach((core, mem) -> {
        Labels l = coreLabels(labels, core, k8s).with("memory_location", "None");
        for (int i = 0; i < coreMemory.length; i++) {
          coreMemory[i].set(l, coreMemoryBytes(i, mem));
        }
      });
    });
    rt.report().vcpuUsage().ifPresent(v -> {
      runtimeVcpu.set(labels.with("usage_type", "user"), v.userPercent() / 100);
      runtimeVcpu.set(labels.with("usage_type", "system"), v.systemPercent() / 100);
    });
  }

  private void system(NeuronReport report, Labels base, double now) {
    report.system().memoryInfo().ifPresent(m -> {
      systemMemoryTotal.set(base, m.memoryTotalBytes());
      systemMemoryUsed.set(base, m.memoryUsedBytes());
      systemSwapTotal.set(base, m.swapTotalBytes());
      systemSwapUsed.set(base, m.swapUsedBytes());
    });
    report.system().hwCounters().ifPresent(h -> {
      for (DeviceEcc d : h.devices()) {
        Labels l = base.with("neuron_device_index", Integer.toString(d.deviceIndex()));
        d.byType().forEach((type, n) -> eccEvents.inc(l.with("event_type", type), n, now));
      }
    });
    report.system().vcpuUsage().ifPresent(v -> {
      vcpuCount.set(base, v.perCpu().size());
      CpuTimes a = v.average();
      vcpuUsage.set(base.with("usage_type", "user"), Math.min(100, a.userTotal()) / 100);
      vcpuUsage.set(base.with("usage_type", "system"), Math.min(100, a.systemTotal()) / 100);
    });
    instanceInfo.series.clear(); // an Info has one series; new labels replace the old ones
    instanceInfo.set(base, 1);
    HardwareInfo hw = report.hardware();
    Labels hwLabels = base.with("neuron_device_count", Integer.toString(hw.deviceCount()))
        .with("neuroncore_per_device_count", Integer.toString(hw.neuroncorePerDeviceCount()));
    if (hw.deviceMemorySize().isPresent()) {
      hwLabels = hwLabels.with("neuron_device_memory_size", Long.toString(hw.deviceMemorySize().getAsLong()));
    }
    hardwareInfo.series.clear();
    hardwareInfo.set(hwLabels, 1);
  }

  private static long coreMemoryBytes(int type, CoreMemory m) {
    switch (type) {
      case 0: return m.constants();
      case 1: return m.modelCode();
      case 2: return m.modelSharedScratchpad();
      case 3: return m.runtimeMemory();
      default: return m.tensors();
    }
  }

  private static Labels coreLabels(Labels runtimeLabels, int core, Optional<K8sInfo> k8s) {
    Labels l = runtimeLabels.with("neuroncore", Integer.toString(core));
    if (k8s.isPresent()) {
      PodRef pod = k8s.get().cores().get(core);
      if (pod != null) {
        l = l.with("pod_name", pod.podName()).with("namespace", pod.namespace())
            .with("container_name", String.join(",", pod.containerNames()));
      }
    }
    return l;
  }

  static Labels instanceLabels(InstanceInfo i) {
    Labels l = Labels.of("availability_zone", i.availabilityZone(), "instance_id", i.id(), "instance_name",
        i.name(), "instance_type", i.type(), "region", i.region(), "subnet_id", i.subnetId());
    return i.ultraserverId().isPresent() ? l.with("ultraserver_id", i.ultraserverId().get()) : l;
  }

  /**
   * Writes the exposition of the state after the last report (Prometheus text 0.0.4, UTF-8).
   *
   * @param out the stream; not closed
   * @throws IOException when writing fails
   */
  public void writeTo(OutputStream out) throws IOException {
    out.write(exposition);
  }

  /**
   * The exposition of the state after the last report.
   *
   * @return Prometheus text 0.0.4
   */
  public String exposition() {
    return new String(exposition, StandardCharsets.UTF_8);
  }

  /**
   * The state after the last report as a snapshot, for typed access and for comparison with a real scrape.
   *
   * @return the snapshot, read by core's {@link SnapshotReader}
   */
  public MetricSnapshot snapshot() {
    return new SnapshotReader().read(exposition);
  }

  /**
   * Serves {@code GET /metrics} on all interfaces.
   *
   * @param port the TCP port; 0 picks a free one
   * @return the running endpoint; close it to stop
   * @throws IOException when the port cannot be bound
   */
  public Endpoint serve(int port) throws IOException {
    return serve(new InetSocketAddress(port));
  }

  /**
   * Serves {@code GET /metrics} on one address (for example loopback only).
   *
   * @param address the address and port
   * @return the running endpoint; close it to stop
   * @throws IOException when the address cannot be bound
   */
  public Endpoint serve(InetSocketAddress address) throws IOException {
    return new Endpoint(this, address);
  }

  byte[] expositionBytes() {
    return exposition;
  }

  private byte[] render() {
    StringBuilder sb = new StringBuilder(16384);
    for (Family f : families) {
      f.render(sb);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One metric family's series, in the order they were first set. */
  private static final class Family {
    final String name;
    final String help;
    final boolean counter;
    final boolean perRuntime;
    final Map<Labels, Double> series = new LinkedHashMap<>();
    final Map<Labels, Double> created = new LinkedHashMap<>();

    private Family(String name, String help, boolean counter, boolean perRuntime) {
      this.name = name;
      this.help = help;
      this.counter = counter;
      this.perRuntime = perRuntime;
    }

    Family(String name, String help) {
      this(name, help, false, false);
    }

    static Family runtime(String name, String help) {
      return new Family(name, help, false, true);
    }

    /** A counter family, named without {@code _total} as in prometheus_client. */
    static Family counter(String name, String help, boolean perRuntime) {
      return new Family(name, help, true, perRuntime);
    }

    void set(Labels labels, double value) {
      series.put(labels, value);
    }

    void inc(Labels labels, double by, double now) {
      series.merge(labels, by, Double::sum);
      created.putIfAbsent(labels, now);
    }

    void render(StringBuilder sb) {
      if (counter) {
        header(sb, name + "_total", "counter");
        samples(sb, name + "_total", series);
        header(sb, name + "_created", "gauge");
        samples(sb, name + "_created", created);
      } else {
        header(sb, name, "gauge");
        samples(sb, name, series);
      }
    }

    private void header(StringBuilder sb, String familyName, String type) {
      PrometheusText.appendHeader(sb, familyName, help, type, false);
    }

    private static void samples(StringBuilder sb, String sampleName, Map<Labels, Double> values) {
      for (Map.Entry<Labels, Double> e : values.entrySet()) {
        PrometheusText.appendSample(sb, sampleName, e.getKey(), FloatFormats.pythonClient(e.getValue()));
      }
    }
  }

  /**
   * A running {@code /metrics} endpoint (JDK {@code HttpServer}) serving the exporter's state after its last report.
   * Other paths answer 404, other methods than GET and HEAD 405.
   */
  public static final class Endpoint implements AutoCloseable {
    private final com.sun.net.httpserver.HttpServer server;

    Endpoint(NeuronPrometheusExporter exporter, InetSocketAddress address) throws IOException {
      server = com.sun.net.httpserver.HttpServer.create(address, 0);
      server.createContext("/", exchange -> {
        try (exchange) {
          String path = exchange.getRequestURI().getPath();
          if (!path.equals("/metrics") && !path.equals("/")) {
            exchange.sendResponseHeaders(404, -1);
            return;
          }
          String method = exchange.getRequestMethod();
          if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            return;
          }
          byte[] body = exporter.expositionBytes();
          exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
          if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        }
      });
      server.start();
    }

    /**
     * The bound address, with the actual port when 0 was asked for.
     *
     * @return the address
     */
    public InetSocketAddress address() {
      return server.getAddress();
    }

    /**
     * The bound port.
     *
     * @return the port
     */
    public int port() {
      return server.getAddress().getPort();
    }

    /** Stops serving and releases the port. */
    @Override
    public void close() {
      server.stop(0);
    }
  }
}

package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An embedded NVIDIA dcgm-exporter on loopback: {@code /metrics} with the {@code DCGM_FI_*} families of its
 * {@code etc/default-counters.csv} and {@code etc/dcp-metrics-included.csv}, in the exporter's byte format (its
 * render template's label order, {@code %f} for DCGM's floating-point fields, integers for the others), for GPUs that
 * follow a {@link GpuLoad}, held by one Kubernetes pod, plus idle GPUs held by none.
 *
 * <pre>{@code
 * try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().engines(2).seed(1).build());
 *     DcgmSimulator gpus = DcgmSimulator.start(DcgmSimulator.Config.builder().load(vllm.gpuLoad())
 *         .pod(DcgmSimulator.DEMO_NAMESPACE, DcgmSimulator.DEMO_POD, DcgmSimulator.DEMO_CONTAINER).build())) {
 *   // watch vllm.metricsUri() with [pod=demo/vllm-demo-0], and gpus.metricsUri()
 * }
 * }</pre>
 *
 * <p>A made-up but plausible model of an NVIDIA A10G (24 GiB, 300 W): every sampling step (100 ms) it reads the
 * load; the graphics engine is active 0.3 + 0.7 × load of the time while anything runs (a decode step keeps it busy
 * even with few requests), smoothed over about a second as DCGM's sampling does; GPU_UTIL is the share of time any
 * kernel ran; power rises from 60 W idle to the limit with the engine's activity and the energy counter integrates
 * it; the framebuffer of a loaded GPU is 90 % used (vLLM allocates its KV cache up front), an idle one's is empty;
 * clocks drop and the clock-event reasons say {@code gpu_idle} (1) when nothing runs, {@code sw_power_cap} (4) near
 * the power limit. Labels: {@code gpu}, {@code UUID} (from the seed), {@code pci_bus_id}, {@code device},
 * {@code modelName}, {@code Hostname}, {@code DCGM_FI_DRIVER_VERSION}, and {@code container}, {@code namespace},
 * {@code pod} on the pod's GPUs. Thread-safe.
 *
 * @since 0.1.0
 */
public final class DcgmSimulator implements AutoCloseable {
  /** The namespace of the demo's vLLM pod: give the vLLM target {@code [pod=demo/vllm-demo-0]}. */
  public static final String DEMO_NAMESPACE = "demo";
  /** The demo's vLLM pod. */
  public static final String DEMO_POD = "vllm-demo-0";
  /** The demo's vLLM container. */
  public static final String DEMO_CONTAINER = "vllm";

  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String MODEL_NAME = "NVIDIA A10G";
  private static final String DRIVER = "535.183.01";
  private static final long FB_TOTAL_MIB = 23028;
  private static final double POWER_LIMIT = 300;
  private static final double IDLE_POWER = 60;
  /** DCGM's sampling: its fields are averages over about a second. */
  private static final double SMOOTHING_SECONDS = 1.0;

  private final Config config;
  private final Gpu[] gpus;
  private final HttpServer server;
  private final ScheduledExecutorService sampler;
  private final URI base;
  private long lastSampleNanos;

  /** One simulated GPU's state. */
  private static final class Gpu {
    final int index;
    final String uuid;
    final boolean loaded;
    double engineActive;
    double kernelActive;
    double busy;
    double power = IDLE_POWER;
    double energyMillijoules;

    Gpu(int index, String uuid, boolean loaded, double energyMillijoules) {
      this.index = index;
      this.uuid = uuid;
      this.loaded = loaded;
      this.energyMillijoules = energyMillijoules;
    }
  }

  private DcgmSimulator(Config config) throws IOException {
    this.config = config;
    int loaded = config.load == null ? 0 : config.load.busy().length;
    this.gpus = new Gpu[loaded + config.idleGpus];
    Random random = new Random(config.seed);
    for (int i = 0; i < gpus.length; i++) {
      gpus[i] = new Gpu(i, uuid(random), i < loaded, 1e8 * (1 + random.nextDouble()));
    }
    server = LoopbackHttp.create(config.host, config.port);
    server.setExecutor(Executors.newSingleThreadExecutor(SimulatorThreads.daemon("dcgm-sim-http")));
    server.createContext("/metrics", this::metrics);
    server.createContext("/health", ex -> respond(ex, 200, "text/plain; charset=utf-8", "OK"));
    server.start();
    base = URI.create("http://" + VllmSimulator.hostForUri(config.host) + ":" + server.getAddress().getPort());
    lastSampleNanos = System.nanoTime();
    if (config.sampling.isZero()) {
      sampler = null;
    } else {
      sampler = Executors.newSingleThreadScheduledExecutor(SimulatorThreads.daemon("dcgm-sim-sampler"));
      long every = config.sampling.toNanos();
      sampler.scheduleAtFixedRate(this::sampleNow, every, every, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Starts a simulator.
   *
   * @param config the configuration
   * @return the running simulator; {@link #close()} it
   * @throws IOException when the port cannot be bound
   */
  public static DcgmSimulator start(Config config) throws IOException {
    return new DcgmSimulator(Objects.requireNonNull(config, "config"));
  }

  /**
   * The metrics endpoint, for example {@code http://127.0.0.1:40123/metrics}.
   *
   * @return the URI
   */
  public URI metricsUri() {
    return base.resolve("/metrics");
  }

  /**
   * The configuration it runs with.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  /**
   * The GPUs' UUIDs, the loaded ones (the pod's) first.
   *
   * @return the UUIDs
   */
  public java.util.List<String> uuids() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Gpu g : gpus) {
      out.add(g.uuid);
    }
    return out;
  }

  /** Stops serving and sampling. */
  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void sampleNow() {
    long now = System.nanoTime();
    synchronized (this) {
      double seconds = (now - lastSampleNanos) / 1e9;
      lastSampleNanos = now;
      if (seconds > 0) {
        step(seconds);
      }
    }
  }

  /** Advances the simulation by one sampling step of this length (what the sampler does, by hand in tests). */
  synchronized void step(double seconds) {
    double[] busy = config.load == null ? new double[0] : config.load.busy();
    double smoothing = 1 - Math.exp(-seconds / SMOOTHING_SECONDS);
    for (Gpu g : gpus) {
      double b = g.loaded && g.index < busy.length ? Math.max(0, Math.min(1, busy[g.index])) : 0;
      g.busy = b;
      double engine = b > 0 ? Math.min(1, 0.3 + 0.7 * b) : 0;
      g.engineActive += (engine - g.engineActive) * smoothing;
      g.kernelActive += ((b > 0 ? 1 : 0) - g.kernelActive) * smoothing;
      g.power = IDLE_POWER + (POWER_LIMIT - IDLE_POWER) * g.engineActive;
      g.energyMillijoules += g.power * seconds * 1000;
    }
  }

  private static String uuid(Random random) {
    StringBuilder sb = new StringBuilder("GPU-");
    int[] groups = {8, 4, 4, 4, 12};
    for (int i = 0; i < groups.length; i++) {
      if (i > 0) {
        sb.append('-');
      }
      for (int j = 0; j < groups[i]; j++) {
        sb.append(Character.forDigit(random.nextInt(16), 16));
      }
    }
    return sb.toString();
  }

  // ---- /metrics ------------------------------------------------------------------------------------------------

  private void metrics(HttpExchange ex) throws IOException {
    try {
      if (!"GET".equals(ex.getRequestMethod())) {
        respond(ex, 405, "text/plain; charset=utf-8", "Method Not Allowed");
        return;
      }
      respond(ex, 200, METRICS_TYPE, exposition());
    } finally {
      ex.close();
    }
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The exposition now, in the order of dcgm-exporter's dcp-metrics-included.csv. */
  synchronized String exposition() {
    StringBuilder t = new StringBuilder(8192);
    family(t, "DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz).", g -> integer(g.busy > 0 ? 1710 : 210));
    family(t, "DCGM_FI_DEV_MEM_CLOCK", "gauge", "Memory clock frequency (in MHz).",
        g -> integer(g.busy > 0 ? 6251 : 405));
    family(t, "DCGM_FI_DEV_MEMORY_TEMP", "gauge", "Memory temperature (in C).",
        g -> integer(Math.round(32 + 30 * g.engineActive)));
    family(t, "DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).",
        g -> integer(Math.round(30 + 40 * g.engineActive)));
    family(t, "DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W).", g -> real(g.power));
    family(t, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy consumption since boot (in mJ).",
        g -> integer((long) Math.floor(g.energyMillijoules)));
    family(t, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter", "Total number of PCIe retries.", g -> "0");
    family(t, "DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).",
        g -> integer(Math.round(100 * g.kernelActive)));
    family(t, "DCGM_FI_DEV_MEM_COPY_UTIL", "gauge", "Memory utilization (in %).",
        g -> integer(Math.round(40 * g.engineActive)));
    family(t, "DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered.", g -> "0");
    family(t, "DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB).",
        g -> integer(FB_TOTAL_MIB - used(g)));
    family(t, "DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB).", g -> integer(used(g)));
    family(t, "DCGM_FI_DEV_FB_TOTAL", "gauge", "Framebuffer memory total (in MiB).", g -> integer(FB_TOTAL_MIB));
    family(t, "DCGM_FI_DEV_FB_USED_PERCENT", "gauge", "Percentage used of Frame Buffer: Used/(Total - Reserved).",
        g -> real(used(g) / (double) FB_TOTAL_MIB));
    family(t, "DCGM_FI_DEV_POWER_MGMT_LIMIT", "gauge", "Power management limit (in W).", g -> real(POWER_LIMIT));
    family(t, "DCGM_FI_DEV_CLOCKS_EVENT_REASONS", "gauge", "Current clock event reasons (bitmask).",
        g -> integer(g.busy == 0 ? 1 : g.power > 0.97 * POWER_LIMIT ? 4 : 0));
    family(t, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "gauge", "Ratio of time the graphics engine is active.",
        g -> real(g.engineActive));
    family(t, "DCGM_FI_PROF_SM_ACTIVE", "gauge", "The ratio of cycles an SM has at least 1 warp assigned.",
        g -> real(0.9 * g.engineActive));
    family(t, "DCGM_FI_PROF_SM_OCCUPANCY", "gauge", "The ratio of number of warps resident on an SM.",
        g -> real(g.engineActive > 0 ? (0.1 + 0.4 * g.busy) * g.engineActive : 0));
    family(t, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "gauge", "Ratio of cycles the tensor (HMMA) pipe is active.",
        g -> real(0.5 * g.engineActive));
    family(t, "DCGM_FI_PROF_DRAM_ACTIVE", "gauge",
        "Ratio of cycles the device memory interface is active sending or receiving data.",
        g -> real(0.6 * g.engineActive));
    family(t, "DCGM_FI_PROF_PCIE_TX_BYTES", "gauge", "The rate of data transmitted over the PCIe bus - including"
        + " both protocol headers and data payloads - in bytes per second.", g -> integer(Math.round(2e7 * g.busy)));
    family(t, "DCGM_FI_PROF_PCIE_RX_BYTES", "gauge", "The rate of data received over the PCIe bus - including"
        + " both protocol headers and data payloads - in bytes per second.", g -> integer(Math.round(5e7 * g.busy)));
    return t.toString();
  }

  private static long used(Gpu g) {
    return g.loaded ? Math.round(0.9 * FB_TOTAL_MIB) : 0;
  }

  private interface Value {
    String of(Gpu g);
  }

  private void family(StringBuilder t, String name, String type, String help, Value value) {
    t.append("# HELP ").append(name).append(' ').append(help).append('\n');
    t.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    for (Gpu g : gpus) {
      t.append(name).append("{gpu=\"").append(g.index).append("\",UUID=\"").append(g.uuid)
          .append("\",pci_bus_id=\"00000000:").append(String.format(Locale.ROOT, "%02X", 0x1b + 0x10 * g.index))
          .append(":00.0\",device=\"nvidia").append(g.index).append("\",modelName=\"").append(MODEL_NAME)
          .append("\",Hostname=\"").append(config.hostname).append("\",DCGM_FI_DRIVER_VERSION=\"").append(DRIVER)
          .append('"');
      if (g.loaded && config.podName != null) {
        t.append(",container=\"").append(config.container).append("\",namespace=\"").append(config.namespace)
            .append("\",pod=\"").append(config.podName).append('"');
      }
      t.append("} ").append(value.of(g)).append('\n');
    }
  }

  /** DCGM's floating-point fields, as the exporter writes them (Go's {@code %f}). */
  private static String real(double v) {
    return String.format(Locale.ROOT, "%f", v);
  }

  private static String integer(long v) {
    return Long.toString(v);
  }

  /**
   * What the simulator serves. Build with {@link #builder()}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final String host;
    private final int port;
    private final GpuLoad load;
    private final int idleGpus;
    private final String hostname;
    private final String namespace;
    private final String podName;
    private final String container;
    private final long seed;
    private final Duration sampling;

    private Config(Builder b) {
      host = b.host;
      port = b.port;
      load = b.load;
      idleGpus = b.idleGpus;
      hostname = b.hostname;
      namespace = b.namespace;
      podName = b.podName;
      container = b.container;
      seed = b.seed;
      sampling = b.sampling;
    }

    /**
     * A builder with the defaults: 127.0.0.1, a free port, no load (idle GPUs only), one idle GPU, host name
     * {@code sim-gpu-node-1}, no pod, seed 0, sampling every 100 ms.
     *
     * @return a new builder
     */
    public static Builder builder() {
      return new Builder();
    }

    /** @return the host name in the {@code Hostname} label (the node's name) */
    public String hostname() {
      return hostname;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private GpuLoad load;
      private int idleGpus = 1;
      private String hostname = "sim-gpu-node-1";
      private String namespace;
      private String podName;
      private String container;
      private long seed;
      private Duration sampling = Duration.ofMillis(100);

      private Builder() {}

      /**
       * @param host the address to bind
       * @return this builder
       */
      public Builder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
      }

      /**
       * @param port 0 to 65535; 0 picks a free port
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder port(int port) {
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port: must be 0 to 65535, got " + port);
        }
        this.port = port;
        return this;
      }

      /**
       * @param load what the loaded GPUs do; one GPU per entry of its {@link GpuLoad#busy()}
       * @return this builder
       */
      public Builder load(GpuLoad load) {
        this.load = Objects.requireNonNull(load, "load");
        return this;
      }

      /**
       * @param gpus GPUs after the loaded ones that no pod holds and nothing uses, 0 to 16
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder idleGpus(int gpus) {
        if (gpus < 0 || gpus > 16) {
          throw new IllegalArgumentException("idleGpus: must be 0 to 16, got " + gpus);
        }
        this.idleGpus = gpus;
        return this;
      }

      /**
       * @param hostname the {@code Hostname} label, not blank
       * @return this builder
       */
      public Builder hostname(String hostname) {
        if (hostname == null || hostname.isBlank()) {
          throw new IllegalArgumentException("hostname: must not be blank");
        }
        this.hostname = hostname;
        return this;
      }

      /**
       * The pod that holds the loaded GPUs, as dcgm-exporter's Kubernetes mapping labels them.
       *
       * @param namespace the namespace, not blank
       * @param pod the pod's name, not blank
       * @param container the container, not blank
       * @return this builder
       */
      public Builder pod(String namespace, String pod, String container) {
        for (String s : new String[] {namespace, pod, container}) {
          if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("pod: namespace, name and container must not be blank");
          }
        }
        this.namespace = namespace;
        this.podName = pod;
        this.container = container;
        return this;
      }

      /**
       * @param seed the seed of the GPUs' UUIDs and energy counters
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param every how often the load is read, positive; zero for no sampler thread (tests step by hand)
       * @return this builder
       */
      public Builder sampling(Duration every) {
        Objects.requireNonNull(every, "sampling");
        if (every.isNegative()) {
          throw new IllegalArgumentException("sampling: must not be negative, got " + every);
        }
        this.sampling = every;
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

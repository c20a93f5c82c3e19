package io.github.infermetrics.cli.simulate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Produces {@code neuron-monitor} reports in the current JSON format (Neuron 2.23 and later), one line each as
 * {@code neuron-monitor} prints them on stdout: {@code neuron_runtime_data} with {@code execution_stats},
 * {@code memory_used}, {@code neuron_runtime_vcpu_usage} and {@code neuroncore_counters}, then
 * {@code system_data} ({@code memory_info}, {@code neuron_hw_counters}, {@code vcpu_usage}), {@code instance_info}
 * and {@code neuron_hardware_info}. Executions per period follow a {@link LoadPattern} (executions per second) in
 * simulated time, so the same seed gives the same reports.
 *
 * <pre>{@code
 * try (NeuronMonitorSimulator neuron = NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder()
 *         .pattern(LoadPattern.steady(50)).seed(5).build())) {
 *   String first = neuron.nextReport();                     // one JSON line, one period later
 *   neuron.start(System.out::println, Duration.ofSeconds(1)); // or a line every second, until close()
 * }
 * }</pre>
 *
 * <p>As in the real reports, counts are per period, utilisation is a percentage (0 to 100), latency percentiles
 * are seconds (or {@code null} when nothing ran), map keys are strings sorted as Go sorts them, floats are written
 * as Go writes them. Thread-safe.
 *
 * @since 0.1.0
 */
public final class NeuronMonitorSimulator implements AutoCloseable {
  private static final String[] PERCENTILES = {"p0", "p1", "p100", "p25", "p50", "p75", "p99"};
  private static final double[] PERCENTILE_VALUES = {0, 0.01, 1, 0.25, 0.5, 0.75, 0.99};
  /** BF16 peak of one NeuronCore-v2, in FLOP/s. */
  private static final double PEAK_FLOPS_PER_CORE = 95e12;
  /** Host-side seconds an execution adds to its device latency. */
  private static final Distribution HOST_OVERHEAD = Distribution.logNormal(0.0002, 0.4);

  private final Config config;
  private final Random random;
  private final int pid;
  private final String instanceId;
  private final long[] modelBytes;
  private double simulatedSeconds;
  private ScheduledExecutorService ticker;
  private volatile boolean closed;

  private NeuronMonitorSimulator(Config config) {
    this.config = config;
    this.random = new Random(config.seed);
    this.pid = 1000 + random.nextInt(60000);
    this.instanceId = String.format(java.util.Locale.ROOT, "i-%017x", random.nextLong() & 0xFFFFFFFFFFFFFFFL);
    this.modelBytes = new long[config.devices * config.coresPerDevice];
    for (int i = 0; i < modelBytes.length; i++) {
      modelBytes[i] = 900_000_000L + random.nextInt(400_000_000);
    }
  }

  /**
   * A simulator that reports on demand ({@link #nextReport()}) or on a timer ({@link #start(Consumer, Duration)}).
   *
   * @param config the configuration
   * @return the simulator
   */
  public static NeuronMonitorSimulator create(Config config) {
    return new NeuronMonitorSimulator(Objects.requireNonNull(config, "config"));
  }

  /**
   * The next report: one period ({@link Config.Builder#period(Duration)}) of simulated time later.
   *
   * @return one JSON document on one line, without a line feed
   */
  public String nextReport() {
    return nextReport(config.period);
  }

  /**
   * The next report after the given period of simulated time.
   *
   * @param period the period the report covers, positive
   * @return one JSON document on one line, without a line feed
   */
  public synchronized String nextReport(Duration period) {
    PatternText.checkPositive("period", period);
    double seconds = period.toNanos() / 1e9;
    double rate = config.pattern.rateAt(Duration.ofNanos((long) (simulatedSeconds * 1e9)));
    simulatedSeconds += seconds;
    return report(seconds, rate);
  }

  /**
   * Hands a report to {@code lines} every {@code period}, on a daemon thread, until {@link #close()}.
   *
   * @param lines receives each report (one line, no line feed)
   * @param period the time between reports, positive
   * @return this simulator
   * @throws IllegalStateException when already started
   */
  public synchronized NeuronMonitorSimulator start(Consumer<String> lines, Duration period) {
    Objects.requireNonNull(lines, "lines");
    PatternText.checkPositive("period", period);
    if (ticker != null) {
      throw new IllegalStateException("already started");
    }
    ticker = Executors.newSingleThreadScheduledExecutor(SimulatorThreads.daemon("neuron-monitor-sim"));
    ticker.scheduleAtFixedRate(() -> {
      String line = nextReport(period);
      if (!closed) {
        lines.accept(line);
      }
    }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return this;
  }

  /** Stops the timer of {@link #start(Consumer, Duration)}, if any; no line is handed over after it returns. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      closed = true;
      t = ticker;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The configuration it runs with.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  // ---- the report ----------------------------------------------------------------------------------------------

  private String report(double seconds, double rate) {
    int cores = config.devices * config.coresPerDevice;
    int completed = Sampling.poisson(random, rate * seconds);
    int errors = Sampling.poisson(random, completed * config.errorRatio);
    double[] device = new double[completed];
    double[] total = new double[completed];
    double busy = 0;
    for (int i = 0; i < completed; i++) {
      device[i] = config.deviceLatency.sample(random);
      total[i] = device[i] + HOST_OVERHEAD.sample(random);
      busy += device[i];
    }
    Arrays.sort(device);
    Arrays.sort(total);

    JsonWriter j = new JsonWriter().beginObject().name("neuron_runtime_data").beginArray();
    j.beginObject().field("pid", pid).field("address", "").field("neuron_runtime_tag", String.valueOf(pid))
        .field("error", "").name("report").beginObject();

    j.name("execution_stats").beginObject().field("period", period(seconds)).name("error_summary").beginObject()
        .field("generic", errors).field("numerical", 0).field("transient", 0).field("model", 0).field("runtime", 0)
        .field("hardware", 0).endObject();
    j.name("execution_summary").beginObject().field("completed", completed - errors)
        .field("completed_with_err", errors).field("completed_with_num_err", 0).field("timed_out", 0)
        .field("incorrect_input", 0).field("failed_to_queue", 0).endObject();
    j.name("latency_stats").beginObject();
    percentiles(j, "total_latency", total);
    percentiles(j, "device_latency", device);
    j.endObject().field("error", "").endObject();

    // utilisation: the device time spread over the cores, with a little noise
    double[] utilization = new double[cores];
    for (int c = 0; c < cores; c++) {
      double share = busy / cores / seconds * (0.9 + 0.2 * random.nextDouble());
      utilization[c] = Math.min(100, 100 * share);
    }

    j.name("memory_used").beginObject().field("period", period(seconds)).name("neuron_runtime_used_bytes")
        .beginObject();
    long deviceUsed = 0;
    long[] tensors = new long[cores];
    for (int c = 0; c < cores; c++) {
      tensors[c] = 4_000_000L + (long) (utilization[c] * 300_000);
      deviceUsed += modelBytes[c] + tensors[c] + 196_608 + 33_554_432;
    }
    long host = 610_000_000L + random.nextInt(1_000_000);
    j.field("host", host).field("neuron_device", deviceUsed).name("usage_breakdown").beginObject().name("host")
        .beginObject().field("application_memory", host - 1_048_576).field("constants", 0)
        .field("dma_buffers", 1_048_576).field("tensors", 0).endObject();
    j.name("neuroncore_memory_usage").beginObject();
    for (String c : coreKeys(cores)) {
      int i = Integer.parseInt(c);
      j.name(c).beginObject().field("constants", 196_608).field("model_code", modelBytes[i])
          .field("model_shared_scratchpad", 0).field("runtime_memory", 33_554_432).field("tensors", tensors[i])
          .endObject();
    }
    j.endObject().endObject().endObject();
    j.name("loaded_models").beginArray();
    for (int c = 0; c < cores; c++) {
      j.beginObject().field("name", config.modelName).field("uuid", String.format(java.util.Locale.ROOT,
          "%016x%016x", 0x2b28572e7dd811edL + c, 0xb0250e0372b2eb59L)).field("model_id", 10001 + c)
          .field("is_running", completed > 0).name("subgraphs").beginObject().name("sg_00").beginObject()
          .name("memory_used_bytes").beginObject().field("host", 20_608).field("neuron_device", modelBytes[c] + 196_608)
          .name("usage_breakdown").beginObject().name("host").beginObject().field("application_memory", 20_608)
          .field("constants", 0).field("dma_buffers", 0).field("tensors", 0).endObject().name("neuron_device")
          .beginObject().field("constants", 196_608).field("model_code", modelBytes[c]).field("runtime_memory", 0)
          .field("tensors", 0).endObject().endObject().endObject()
          .field("neuroncore_index", c % config.coresPerDevice).field("neuron_device_index", c / config.coresPerDevice)
          .endObject().endObject().endObject();
    }
    j.endArray().field("error", "").endObject();

    double load = cores == 0 ? 0 : Arrays.stream(utilization).sum() / cores / 100;
    j.name("neuron_runtime_vcpu_usage").beginObject().field("period", period(seconds)).name("vcpu_usage")
        .beginObject().field("user", round2(2 + 30 * load + random.nextDouble()))
        .field("system", round2(0.5 + 5 * load + random.nextDouble() / 2)).endObject().field("error", "")
        .endObject();

    j.name("neuroncore_counters").beginObject().field("period", period(seconds)).name("neuroncores_in_use")
        .beginObject();
    for (String c : coreKeys(cores)) {
      double u = utilization[Integer.parseInt(c)];
      j.name(c).beginObject().field("neuroncore_utilization", u).field("flops",
          Math.round(u / 100 * PEAK_FLOPS_PER_CORE * 0.6)).endObject();
    }
    j.endObject().field("error", "").endObject();
    j.endObject().endObject().endArray();

    j.name("system_data").beginObject();
    j.name("memory_info").beginObject().field("period", period(seconds))
        .field("memory_total_bytes", config.memoryTotalBytes)
        .field("memory_used_bytes", (long) (config.memoryTotalBytes * (0.3 + 0.05 * load)) + random.nextInt(1 << 20))
        .field("swap_total_bytes", 0).field("swap_used_bytes", 0).field("error", "").endObject();
    j.name("neuron_hw_counters").beginObject().field("period", period(seconds)).name("neuron_devices").beginArray();
    for (int d = 0; d < config.devices; d++) {
      j.beginObject().field("neuron_device_index", d).field("mem_ecc_corrected", 0).field("mem_ecc_uncorrected", 0)
          .field("sram_ecc_uncorrected", 0).field("sram_ecc_corrected", 0).endObject();
    }
    j.endArray().field("error", "").endObject();
    j.name("vcpu_usage").beginObject().field("period", period(seconds));
    double[][] usage = new double[config.vcpus][];
    double[] average = new double[7];
    for (int v = 0; v < config.vcpus; v++) {
      double user = round2(Math.min(95, 3 + 40 * load * random.nextDouble()));
      double system = round2(0.5 + 4 * load * random.nextDouble());
      double irq = 0;
      double softIrq = round2(0.1 * random.nextDouble());
      double ioWait = round2(0.05 * random.nextDouble());
      double idle = round2(100 - user - system - softIrq - ioWait);
      usage[v] = new double[] {user, 0, system, idle, ioWait, irq, softIrq};
      for (int k = 0; k < 7; k++) {
        average[k] += usage[v][k] / config.vcpus;
      }
    }
    cpuUsage(j.name("average_usage"), average);
    j.name("usage_data").beginObject();
    for (String v : coreKeys(config.vcpus)) {
      cpuUsage(j.name(v), usage[Integer.parseInt(v)]);
    }
    j.endObject().field("context_switch_count", (long) (seconds * (20_000 + 60_000 * load))).field("error", "")
        .endObject();
    j.endObject();

    j.name("instance_info").beginObject().field("instance_name", "").field("instance_id", instanceId)
        .field("instance_type", config.instanceType).field("instance_availability_zone", config.region + "a")
        .field("instance_availability_zone_id", "sim-az1").field("instance_region", config.region)
        .field("ami_id", "ami-0" + instanceId.substring(2, 18)).field("subnet_id", "subnet-0" + instanceId.substring(3,
            19)).field("error", "").endObject();
    j.name("neuron_hardware_info").beginObject().field("neuron_device_type", config.deviceType)
        .field("neuron_device_version", config.deviceVersion).field("neuroncore_version", config.coreVersion)
        .field("neuron_device_count", config.devices).field("neuron_device_memory_size", config.deviceMemoryBytes)
        .field("neuroncore_per_device_count", config.coresPerDevice).field("logical_neuroncore_config", 1)
        .field("error", "").endObject();
    return j.endObject().text();
  }

  private static void percentiles(JsonWriter j, String name, double[] sorted) {
    j.name(name);
    if (sorted.length == 0) {
      j.nullValue();
      return;
    }
    j.beginObject();
    for (int i = 0; i < PERCENTILES.length; i++) {
      j.field(PERCENTILES[i], Sampling.quantile(sorted, sorted.length, PERCENTILE_VALUES[i]));
    }
    j.endObject();
  }

  private static void cpuUsage(JsonWriter j, double[] u) {
    j.beginObject().field("user", round2(u[0])).field("nice", round2(u[1])).field("system", round2(u[2]))
        .field("idle", round2(u[3])).field("io_wait", round2(u[4])).field("irq", round2(u[5]))
        .field("soft_irq", round2(u[6])).endObject();
  }

  /** Map keys as Go's encoding/json writes a map: string keys in byte order ({@code "10"} before {@code "2"}). */
  private static Iterable<String> coreKeys(int n) {
    TreeMap<String, Boolean> keys = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      keys.put(String.valueOf(i), Boolean.TRUE);
    }
    return keys.keySet();
  }

  /** The period a group actually captured: a touch shorter than asked, as in real reports. */
  private double period(double seconds) {
    return Math.round(seconds * (1 - 0.001 * random.nextDouble()) * 1e9) / 1e9;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /**
   * The simulated instance and its load. Build with {@link #builder()}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final LoadPattern pattern;
    private final long seed;
    private final Duration period;
    private final String instanceType;
    private final String region;
    private final String deviceType;
    private final String deviceVersion;
    private final String coreVersion;
    private final int devices;
    private final int coresPerDevice;
    private final long deviceMemoryBytes;
    private final int vcpus;
    private final long memoryTotalBytes;
    private final String modelName;
    private final Distribution deviceLatency;
    private final double errorRatio;

    private Config(Builder b) {
      pattern = b.pattern;
      seed = b.seed;
      period = b.period;
      instanceType = b.instanceType;
      region = b.region;
      deviceType = b.deviceType;
      deviceVersion = b.deviceVersion;
      coreVersion = b.coreVersion;
      devices = b.devices;
      coresPerDevice = b.coresPerDevice;
      deviceMemoryBytes = b.deviceMemoryBytes;
      vcpus = b.vcpus;
      memoryTotalBytes = b.memoryTotalBytes;
      modelName = b.modelName;
      deviceLatency = b.deviceLatency;
      errorRatio = b.errorRatio;
    }

    /**
     * A builder with the defaults of a trn1.2xlarge (one Trainium device, 2 NeuronCores-v2, 32 GiB device memory,
     * 8 vCPUs) in us-west-2, one runtime, steady 20 executions/s of 10 ms device latency, 0.1 % errors, period 1 s,
     * seed 0.
     *
     * @return a new builder
     */
    public static Builder builder() {
      return new Builder();
    }

    /** @return the time one report covers by default */
    public Duration period() {
      return period;
    }

    /** @return executions per second over time */
    public LoadPattern pattern() {
      return pattern;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private LoadPattern pattern = LoadPattern.steady(20);
      private long seed;
      private Duration period = Duration.ofSeconds(1);
      private String instanceType = "trn1.2xlarge";
      private String region = "us-west-2";
      private String deviceType = "trainium";
      private String deviceVersion = "v2";
      private String coreVersion = "v2";
      private int devices = 1;
      private int coresPerDevice = 2;
      private long deviceMemoryBytes = 34_359_738_368L;
      private int vcpus = 8;
      private long memoryTotalBytes = 33_110_204_416L;
      private String modelName = "llama-3-8b-neuron";
      private Distribution deviceLatency = Distribution.logNormal(0.01, 0.25);
      private double errorRatio = 0.001;

      private Builder() {}

      /**
       * @param pattern executions per second over time
       * @return this builder
       */
      public Builder pattern(LoadPattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        return this;
      }

      /**
       * @param seed the seed of everything random in the reports
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param period the time one report covers (neuron-monitor's {@code period}), positive
       * @return this builder
       * @throws IllegalArgumentException when not positive
       */
      public Builder period(Duration period) {
        PatternText.checkPositive("period", period);
        this.period = period;
        return this;
      }

      /**
       * The instance: type, Neuron device type, device count and NeuronCores per device.
       *
       * @param instanceType for example {@code inf2.xlarge}
       * @param deviceType for example {@code inferentia2}
       * @param devices Neuron devices, 1 to 64
       * @param coresPerDevice NeuronCores per device, 1 to 16
       * @return this builder
       * @throws IllegalArgumentException when a count is out of range or a name blank
       */
      public Builder instance(String instanceType, String deviceType, int devices, int coresPerDevice) {
        if (instanceType == null || instanceType.isBlank() || deviceType == null || deviceType.isBlank()) {
          throw new IllegalArgumentException("instance: instanceType and deviceType must not be blank");
        }
        if (devices < 1 || devices > 64) {
          throw new IllegalArgumentException("devices: must be 1 to 64, got " + devices);
        }
        if (coresPerDevice < 1 || coresPerDevice > 16) {
          throw new IllegalArgumentException("coresPerDevice: must be 1 to 16, got " + coresPerDevice);
        }
        this.instanceType = instanceType;
        this.deviceType = deviceType;
        this.devices = devices;
        this.coresPerDevice = coresPerDevice;
        return this;
      }

      /**
       * @param d device latency of one execution, in seconds
       * @return this builder
       */
      public Builder deviceLatency(Distribution d) {
        this.deviceLatency = Objects.requireNonNull(d, "deviceLatency");
        return this;
      }

      /**
       * @param ratio share of executions completed with an error, 0 to 1
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder errorRatio(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
          throw new IllegalArgumentException("errorRatio: must be 0 to 1, got " + ratio);
        }
        this.errorRatio = ratio;
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.cli.simulate.ExpositionText.HistogramSeries;
import io.github.infermetrics.cli.simulate.ExpositionText.Series;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An embedded NVIDIA Triton metrics endpoint on loopback: {@code /metrics} in prometheus-cpp's text format (no
 * {@code _total}, integers without a decimal point, labels sorted, the {@code nv_*} families in Triton's order),
 * for several models with versions and several GPUs, driven by simulated traffic that follows a
 * {@link LoadPattern} from a seed.
 *
 * <pre>{@code
 * try (TritonSimulator triton = TritonSimulator.start(TritonSimulator.Config.builder()
 *         .pattern(LoadPattern.parse("burst:2-30/20s/5s")).gpus(2).summaries(true).seed(3).build())) {
 *   System.err.println("scrape " + triton.metricsUri());   // http://127.0.0.1:PORT/metrics
 * }
 * }</pre>
 *
 * <p>Traffic is simulated when the endpoint is scraped, in steps of 100 ms of wall time since the previous scrape:
 * Poisson arrivals at the pattern's rate, spread over the models by weight, a few failures by {@code reason}, queue
 * and compute times in microseconds, dynamic batches. Counters therefore grow consistently between scrapes
 * ({@code nv_inference_request_duration_us} is the sum of queue, compute and a small overhead, and the summaries'
 * {@code _count}/{@code _sum} equal the counters). GPU utilisation follows the compute time, power follows the
 * utilisation, and energy integrates the power. The families are those of Triton 24.07 and later (failures by
 * {@code reason}, pinned memory, model load duration); the response-cache and backend families are not served.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class TritonSimulator implements AutoCloseable {
  private static final String[] REASONS = {"REJECTED", "CANCELED", "BACKEND", "OTHER"};
  private static final double[] REASON_SHARE = {0.5, 0.15, 0.3, 0.05};
  private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
  private static final double STEP_SECONDS = 0.1;
  private static final double SUMMARY_MAX_AGE_SECONDS = 60;
  private static final long CPU_MEMORY_TOTAL = 66_395_840_512L;
  // the microseconds of a request around its compute, the same for every model
  private static final Distribution QUEUE_US = Distribution.logNormal(150, 0.5);
  private static final Distribution INPUT_US = Distribution.logNormal(40, 0.3);
  private static final Distribution OUTPUT_US = Distribution.logNormal(25, 0.3);
  private static final Distribution OVERHEAD_US = Distribution.uniform(30, 90);

  private final Config config;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final URI base;
  private final Random random;
  private final ModelState[] models;
  /** The models' weights summed, to share the request rate among them. */
  private final double totalWeight;
  private final GpuState[] gpus;
  private final long startNanos;
  private long simulatedNanos;
  private double cpuUtilization;
  private long cpuMemoryUsed;
  private long pinnedUsed;

  private TritonSimulator(Config config) throws IOException {
    this.config = config;
    this.random = new Random(config.seed);
    this.models = new ModelState[config.models.size()];
    for (int i = 0; i < models.length; i++) {
      models[i] = new ModelState(config.models.get(i), 1.5 + 6 * random.nextDouble());
    }
    double weights = 0;
    for (ModelState m : models) {
      weights += m.model.weight();
    }
    this.totalWeight = weights;
    List<Gpu> gpuList = config.gpus;
    if (gpuList.isEmpty()) {
      gpuList = new ArrayList<>();
      Random uuids = new Random(config.seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
      for (int i = 0; i < config.gpuCount; i++) {
        gpuList.add(new Gpu(Sampling.gpuUuid(uuids), 24L << 30, 300));
      }
    }
    this.gpus = new GpuState[gpuList.size()];
    for (int i = 0; i < gpus.length; i++) {
      gpus[i] = new GpuState(gpuList.get(i));
      gpus[i].energyJoules = 1000 * random.nextDouble();
    }
    cpuMemoryUsed = 6_000_000_000L;
    startNanos = System.nanoTime();
    handlers = Executors.newFixedThreadPool(2, SimulatorThreads.daemon("triton-sim"));
    server = LoopbackHttp.create(config.host, config.port);
    server.setExecutor(handlers);
    server.createContext("/metrics", this::metrics);
    server.createContext("/", ex -> respond(ex, 404, "text/plain", "Not Found\n"));
    server.start();
    base = URI.create("http://" + VllmSimulator.hostForUri(config.host) + ":" + server.getAddress().getPort());
  }

  /**
   * Starts a simulator.
   *
   * @param config the configuration
   * @return the running simulator; {@link #close()} it
   * @throws IOException when the port cannot be bound (for example {@link java.net.BindException}: in use)
   */
  public static TritonSimulator start(Config config) throws IOException {
    return new TritonSimulator(Objects.requireNonNull(config, "config"));
  }

  /**
   * The metrics endpoint, for example {@code http://127.0.0.1:8002/metrics}.
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

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private void metrics(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod())) {
      respond(ex, 405, "text/plain", "Method Not Allowed\n");
      return;
    }
    respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", exposition());
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Simulates the traffic up to now and writes the exposition. */
  synchronized String exposition() {
    advanceTo(System.nanoTime() - startNanos);
    return write();
  }

  // ---- simulation ----------------------------------------------------------------------------------------------

  private void advanceTo(long nanosSinceStart) {
    long stepNanos = (long) (STEP_SECONDS * 1e9);
    while (simulatedNanos < nanosSinceStart) {
      long step = Math.min(stepNanos, nanosSinceStart - simulatedNanos);
      step(simulatedNanos / 1e9, step / 1e9);
      simulatedNanos += step;
    }
  }

  private void step(double at, double seconds) {
    double rate = config.pattern.rateAt(Duration.ofNanos((long) (at * 1e9)));
    double busy = 0;
    double gpuLoad = 0;
    for (GpuState g : gpus) {
      gpuLoad += g.utilization;
    }
    gpuLoad = gpus.length == 0 ? 0 : gpuLoad / gpus.length;
    for (ModelState m : models) {
      double modelRate = rate * m.model.weight() / totalWeight;
      int arrivals = Sampling.poisson(random, modelRate * seconds);
      int ok = 0;
      double queueSum = 0;
      for (int i = 0; i < arrivals; i++) {
        if (random.nextDouble() < config.failureRatio) {
          m.failures[reason()]++;
          continue;
        }
        ok++;
        // queueing grows with how busy the GPUs already are
        long queue = Math.round(QUEUE_US.sample(random) * (1 + 8 * gpuLoad));
        long in = Math.round(INPUT_US.sample(random));
        double inferSeconds = m.model.computeSeconds().sample(random);
        long infer = Math.max(1, Math.round(inferSeconds * 1e6));
        long out = Math.round(OUTPUT_US.sample(random));
        long request = queue + in + infer + out + Math.round(OVERHEAD_US.sample(random));
        m.success++;
        m.requestUs += request;
        m.queueUs += queue;
        m.inputUs += in;
        m.inferUs += infer;
        m.outputUs += out;
        m.firstResponse.observe(request / 1000.0);
        queueSum += queue / 1e6;
        busy += inferSeconds;
        if (config.summaries) {
          m.window.addLast(new double[] {at + seconds * random.nextDouble(), request, queue, in, infer, out});
        }
      }
      if (ok > 0) {
        int batch = 1 + random.nextInt(Math.min(m.model.maxBatchSize(), ok));
        m.inferences += ok;
        m.executions += (ok + batch - 1) / batch;
      }
      // Little's law over the step: requests queued at any moment
      m.pending = Sampling.poisson(random, ok == 0 ? 0 : queueSum / seconds);
      while (!m.window.isEmpty() && m.window.peekFirst()[0] < at + seconds - SUMMARY_MAX_AGE_SECONDS) {
        m.window.removeFirst();
      }
    }
    // Triton samples GPU utilisation every 2 s: a moving average with that time constant
    double smoothing = 1 - Math.exp(-seconds / 2.0);
    for (GpuState g : gpus) {
      double instant = Math.min(1, busy / gpus.length / seconds + 0.01 * random.nextDouble());
      g.utilization += (instant - g.utilization) * smoothing;
      double idle = 0.2 * g.gpu.powerLimitWatts();
      g.power = idle + (0.95 * g.gpu.powerLimitWatts() - idle) * g.utilization;
      g.energyJoules += g.power * seconds;
      g.memoryUsed = Math.min(g.gpu.memoryTotalBytes(), (long) (g.gpu.memoryTotalBytes() * (0.35 + 0.1
          * g.utilization)));
    }
    cpuUtilization += (Math.min(1, 0.03 + 0.25 * gpuLoad + 0.02 * random.nextDouble()) - cpuUtilization)
        * smoothing;
    cpuMemoryUsed = 6_000_000_000L + (long) (2e8 * random.nextDouble());
    pinnedUsed = (long) (gpuLoad * (64L << 20));
  }

  private int reason() {
    double u = random.nextDouble();
    for (int i = 0; i < REASONS.length; i++) {
      u -= REASON_SHARE[i];
      if (u < 0) {
        return i;
      }
    }
    return REASONS.length - 1;
  }

  // ---- exposition ----------------------------------------------------------------------------------------------

  private String write() {
    ExpositionText t = new ExpositionText(ExpositionText.Style.PROMETHEUS_CPP);
    t.counter("nv_inference_request_success", "Number of successful inference requests, all batch sizes",
        perModel(m -> m.success));
    List<Series> failures = new ArrayList<>();
    for (ModelState m : models) {
      for (int r = 0; r < REASONS.length; r++) {
        failures.add(new Series(ExpositionText.labels("model", m.model.name(), "reason", REASONS[r], "version",
            m.model.version()), m.failures[r], 0));
      }
    }
    t.counter("nv_inference_request_failure", "Number of failed inference requests, all batch sizes", failures);
    t.counter("nv_inference_count", "Number of inferences performed (does not include cached requests)",
        perModel(m -> m.inferences));
    t.counter("nv_inference_exec_count", "Number of model executions performed (does not include cached requests)",
        perModel(m -> m.executions));
    t.counter("nv_inference_request_duration_us", "Cumulative inference request duration in microseconds"
        + " (includes cached requests)", perModel(m -> m.requestUs));
    t.counter("nv_inference_queue_duration_us", "Cumulative inference queuing duration in microseconds (includes"
        + " cached requests)", perModel(m -> m.queueUs));
    t.counter("nv_inference_compute_input_duration_us", "Cumulative compute input duration in microseconds (does"
        + " not include cached requests)", perModel(m -> m.inputUs));
    t.counter("nv_inference_compute_infer_duration_us", "Cumulative compute inference duration in microseconds"
        + " (does not include cached requests)", perModel(m -> m.inferUs));
    t.counter("nv_inference_compute_output_duration_us", "Cumulative inference compute output duration in"
        + " microseconds (does not include cached requests)", perModel(m -> m.outputUs));
    t.counter("nv_energy_consumption", "GPU energy consumption in joules since the Triton Server started",
        perGpu(g -> g.energyJoules));
    t.gauge("nv_inference_pending_request_count", "Instantaneous number of pending requests awaiting execution"
        + " per-model.", perModel(m -> m.pending));
    t.gauge("nv_model_load_duration_secs", "Model load time in seconds", perModel(m -> m.loadSeconds));
    if (config.firstResponseHistogram) {
      List<HistogramSeries> h = new ArrayList<>();
      for (ModelState m : models) {
        h.add(new HistogramSeries(m.labels, m.firstResponse.snapshot(), 0));
      }
      t.histogram("nv_inference_first_response_histogram_ms", "Duration from request to first response in"
          + " milliseconds", h);
    }
    t.gauge("nv_gpu_utilization", "GPU utilization rate [0.0 - 1.0)", perGpu(g -> g.utilization));
    t.gauge("nv_gpu_memory_total_bytes", "GPU total memory, in bytes", perGpu(g -> g.gpu.memoryTotalBytes()));
    t.gauge("nv_gpu_memory_used_bytes", "GPU used memory, in bytes", perGpu(g -> g.memoryUsed));
    t.gauge("nv_gpu_power_usage", "GPU power usage in watts", perGpu(g -> Math.round(g.power * 100) / 100.0));
    t.gauge("nv_gpu_power_limit", "GPU power management limit in watts", perGpu(g -> g.gpu.powerLimitWatts()));
    SortedMap<String, String> none = ExpositionText.labels();
    t.gauge("nv_cpu_utilization", "CPU utilization rate [0.0 - 1.0]", List.of(new Series(none, cpuUtilization,
        0)));
    t.gauge("nv_cpu_memory_total_bytes", "CPU total memory (RAM), in bytes", List.of(new Series(none,
        CPU_MEMORY_TOTAL, 0)));
    t.gauge("nv_cpu_memory_used_bytes", "CPU used memory (RAM), in bytes", List.of(new Series(none, cpuMemoryUsed,
        0)));
    t.gauge("nv_pinned_memory_pool_total_bytes", "Pinned memory pool total memory size, in bytes",
        List.of(new Series(none, 268_435_456, 0)));
    t.gauge("nv_pinned_memory_pool_used_bytes", "Pinned memory pool used memory size, in bytes",
        List.of(new Series(none, pinnedUsed, 0)));
    if (config.summaries) {
      // the compute summaries' help texts really say "Cumulative" (Triton reuses the counters' texts)
      summary(t, "nv_inference_request_summary_us", "Summary of inference request duration in microseconds"
          + " (includes cached requests)", 1, m -> m.requestUs);
      summary(t, "nv_inference_queue_summary_us", "Summary of inference queuing duration in microseconds"
          + " (includes cached requests)", 2, m -> m.queueUs);
      summary(t, "nv_inference_compute_input_summary_us", "Cumulative compute input duration in microseconds"
          + " (does not include cached requests)", 3, m -> m.inputUs);
      summary(t, "nv_inference_compute_infer_summary_us", "Cumulative compute inference duration in"
          + " microseconds (does not include cached requests)", 4, m -> m.inferUs);
      summary(t, "nv_inference_compute_output_summary_us", "Cumulative inference compute output duration in"
          + " microseconds (does not include cached requests)", 5, m -> m.outputUs);
    }
    return t.text();
  }

  private void summary(ExpositionText t, String name, String help, int column,
      java.util.function.ToLongFunction<ModelState> sum) {
    t.header(name, help, "summary");
    for (ModelState m : models) {
      double[] values = new double[m.window.size()];
      int n = 0;
      for (double[] o : m.window) {
        values[n++] = o[column];
      }
      Sampling.sorted(values, n);
      double[] q = new double[QUANTILES.length];
      for (int i = 0; i < q.length; i++) {
        q[i] = Sampling.quantile(values, n, QUANTILES[i]);
      }
      t.summary(name, m.labels, m.success, sum.applyAsLong(m), QUANTILES, q);
    }
  }

  private List<Series> perModel(java.util.function.ToDoubleFunction<ModelState> f) {
    List<Series> out = new ArrayList<>();
    for (ModelState m : models) {
      out.add(new Series(m.labels, f.applyAsDouble(m), 0));
    }
    return out;
  }

  private List<Series> perGpu(java.util.function.ToDoubleFunction<GpuState> f) {
    List<Series> out = new ArrayList<>();
    for (GpuState g : gpus) {
      out.add(new Series(ExpositionText.labels("gpu_uuid", g.gpu.uuid()), f.applyAsDouble(g), 0));
    }
    return out;
  }

  private static final class ModelState {
    final Model model;
    final SortedMap<String, String> labels;
    final double loadSeconds;
    final long[] failures = new long[REASONS.length];
    final Histogram firstResponse = new Histogram(100, 500, 2000, 5000);
    /** Recent observations for the summaries: time (s), request, queue, input, infer, output (µs). */
    final ArrayDeque<double[]> window = new ArrayDeque<>();
    long success;
    long inferences;
    long executions;
    long requestUs;
    long queueUs;
    long inputUs;
    long inferUs;
    long outputUs;
    int pending;

    ModelState(Model model, double loadSeconds) {
      this.model = model;
      this.labels = ExpositionText.labels("model", model.name(), "version", model.version());
      this.loadSeconds = Math.round(loadSeconds * 1000) / 1000.0;
    }
  }

  private static final class GpuState {
    final Gpu gpu;
    double utilization;
    double power;
    double energyJoules;
    long memoryUsed;

    GpuState(Gpu gpu) {
      this.gpu = gpu;
      this.power = 0.2 * gpu.powerLimitWatts();
      this.memoryUsed = (long) (gpu.memoryTotalBytes() * 0.35);
    }
  }

  /**
   * A served model.
   *
   * @param name the model name (label {@code model})
   * @param version the version (label {@code version})
   * @param weight its share of the traffic, relative to the other models' weights
   * @param computeSeconds the compute (infer) time of one request, in seconds
   * @param maxBatchSize the largest dynamic batch
   */
  public record Model(String name, String version, double weight, Distribution computeSeconds, int maxBatchSize) {
    /** Validates. */
    public Model {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name: must not be blank");
      }
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("version: must not be blank");
      }
      if (!(weight > 0) || !Double.isFinite(weight)) {
        throw new IllegalArgumentException("weight: must be positive, got " + weight);
      }
      Objects.requireNonNull(computeSeconds, "computeSeconds");
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize: must be at least 1, got " + maxBatchSize);
      }
    }
  }

  /**
   * A GPU.
   *
   * @param uuid the uuid (label {@code gpu_uuid}), for example {@code GPU-951eeeeb-d284-d263-688e-d98a5306389b}
   * @param memoryTotalBytes its memory
   * @param powerLimitWatts its power limit
   */
  public record Gpu(String uuid, long memoryTotalBytes, double powerLimitWatts) {
    /** Validates. */
    public Gpu {
      if (uuid == null || uuid.isBlank()) {
        throw new IllegalArgumentException("uuid: must not be blank");
      }
      if (memoryTotalBytes <= 0) {
        throw new IllegalArgumentException("memoryTotalBytes: must be positive, got " + memoryTotalBytes);
      }
      if (!(powerLimitWatts > 0) || !Double.isFinite(powerLimitWatts)) {
        throw new IllegalArgumentException("powerLimitWatts: must be positive, got " + powerLimitWatts);
      }
    }
  }

  /**
   * What the simulator serves. Build with {@link #builder()}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final String host;
    private final int port;
    private final List<Model> models;
    private final List<Gpu> gpus;
    private final int gpuCount;
    private final boolean firstResponseHistogram;
    private final boolean summaries;
    private final double failureRatio;
    private final LoadPattern pattern;
    private final long seed;

    private Config(Builder b) {
      host = b.host;
      port = b.port;
      models = List.copyOf(b.models.isEmpty() ? Builder.DEFAULT_MODELS : b.models);
      gpus = List.copyOf(b.gpus);
      gpuCount = b.gpuCount;
      firstResponseHistogram = b.firstResponseHistogram;
      summaries = b.summaries;
      failureRatio = b.failureRatio;
      pattern = b.pattern;
      seed = b.seed;
    }

    /**
     * A builder with the defaults: 127.0.0.1, a free port, models {@code resnet50} 1, {@code densenet_onnx} 1 and
     * {@code bert_base} 2, one 24 GiB 300 W GPU with a uuid from the seed, no histogram, no summaries, 1 % failures,
     * steady 10 requests/s, seed 0.
     *
     * @return a new builder
     */
    public static Builder builder() {
      return new Builder();
    }

    /** @return the load pattern (requests per second over all models) */
    public LoadPattern pattern() {
      return pattern;
    }

    /** @return the served models */
    public List<Model> models() {
      return models;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      static final List<Model> DEFAULT_MODELS = List.of(
          new Model("resnet50", "1", 0.5, Distribution.logNormal(0.004, 0.3), 8),
          new Model("densenet_onnx", "1", 0.3, Distribution.logNormal(0.006, 0.3), 8),
          new Model("bert_base", "2", 0.2, Distribution.logNormal(0.012, 0.3), 4));
      private String host = "127.0.0.1";
      private int port;
      private final List<Model> models = new ArrayList<>();
      private final List<Gpu> gpus = new ArrayList<>();
      private int gpuCount = 1;
      private boolean firstResponseHistogram;
      private boolean summaries;
      private double failureRatio = 0.01;
      private LoadPattern pattern = LoadPattern.steady(10);
      private long seed;

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
       * Adds a model with a 5 ms compute time, batches up to 8, weight 1.
       *
       * @param name the model name
       * @param version its version
       * @return this builder
       */
      public Builder model(String name, String version) {
        return model(new Model(name, version, 1, Distribution.logNormal(0.005, 0.3), 8));
      }

      /**
       * Adds a model; the first call replaces the default models.
       *
       * @param model the model
       * @return this builder
       * @throws IllegalArgumentException when a model with the same name and version is already there
       */
      public Builder model(Model model) {
        Objects.requireNonNull(model, "model");
        for (Model m : models) {
          if (m.name().equals(model.name()) && m.version().equals(model.version())) {
            throw new IllegalArgumentException("model: " + model.name() + " version " + model.version()
                + " is already configured");
          }
        }
        models.add(model);
        return this;
      }

      /**
       * @param count GPUs with uuids drawn from the seed, 24 GiB and 300 W each, 0 to 64 (ignored when
       *     {@link #gpu(Gpu)} was called)
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder gpus(int count) {
        if (count < 0 || count > 64) {
          throw new IllegalArgumentException("gpus: must be 0 to 64, got " + count);
        }
        this.gpuCount = count;
        return this;
      }

      /**
       * Adds a GPU; once one is added, {@link #gpus(int)} is ignored.
       *
       * @param gpu the GPU
       * @return this builder
       */
      public Builder gpu(Gpu gpu) {
        gpus.add(Objects.requireNonNull(gpu, "gpu"));
        return this;
      }

      /**
       * @param on serve {@code nv_inference_first_response_histogram_ms} (Triton's {@code histogram_latencies=true})
       * @return this builder
       */
      public Builder firstResponseHistogram(boolean on) {
        this.firstResponseHistogram = on;
        return this;
      }

      /**
       * @param on serve the {@code nv_inference_*_summary_us} summaries (Triton's {@code summary_latencies=true})
       * @return this builder
       */
      public Builder summaries(boolean on) {
        this.summaries = on;
        return this;
      }

      /**
       * @param ratio the share of requests that fail, 0 to 1
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder failureRatio(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
          throw new IllegalArgumentException("failureRatio: must be 0 to 1, got " + ratio);
        }
        this.failureRatio = ratio;
        return this;
      }

      /**
       * @param pattern requests per second over all models
       * @return this builder
       */
      public Builder pattern(LoadPattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        return this;
      }

      /**
       * @param seed the seed of the traffic, timings and GPU uuids
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

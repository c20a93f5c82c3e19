package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.cli.simulate.ExpositionText.HistogramSeries;
import io.github.infermetrics.cli.simulate.ExpositionText.Series;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded vLLM V1 server on loopback: {@code /metrics} in Python prometheus_client's text format with the real
 * V1 families, {@code model_name}/{@code engine} labels and buckets, and an OpenAI-compatible
 * {@code POST /v1/completions} that really serves: it queues a request until one of its engine's slots is free,
 * waits a time to first token, streams tokens at the inter-token latency, and records what it measured, so KPIs
 * scraped from it agree with what its clients saw. {@link Config.Builder#names} serves the metrics as Ray Serve LLM
 * or NIM spells them instead ({@link VllmNames}).
 *
 * <pre>{@code
 * try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder()
 *         .modelName("meta-llama/Llama-3.1-8B-Instruct").engines(2).seed(7).build());
 *     LoadDriver load = LoadDriver.start(vllm.completionsUri(), LoadPattern.parse("steady:5"), 7)) {
 *   System.err.println("scrape " + vllm.metricsUri());
 *   Thread.sleep(60_000);
 * }
 * }</pre>
 *
 * <p>Also served: {@code GET /v1/models} and {@code GET /health}. Requests go to the engines in turn (data
 * parallel). Completions run on their own bounded pool (four threads per slot of every engine: the running ones
 * and a queue of waiting ones); one more is refused at once with 503, as an overloaded server behind a proxy is.
 * {@code /metrics} and the other endpoints have threads of their own, so they answer promptly whatever the load. A prompt's length in tokens is one token per 4 characters of a string prompt (the usual rule of thumb
 * for English) or the length of a token-id array. Timing is real wall time, so the simulator is for loopback
 * demos and tests, not for benchmarks. Thread-safe.
 *
 * @since 0.1.0
 */
public final class VllmSimulator implements AutoCloseable {
  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Threads for everything but completions: scrapes and health checks only, each answered at once. */
  private static final int HANDLER_THREADS = 4;
  private static final String[] FINISHED_REASONS = {"stop", "length", "abort", "error", "repetition"};
  private static final String[] WORDS = {" the", " model", " serves", " tokens", " quickly", " and", " a",
      " request", " waits", " in", " queue", " for", " its", " turn", " on", " GPU", " cache", " blocks", " stream",
      " latency", " is", " low", " when", " load", " stays", " under", " capacity", ".", ",", " then", " it",
      " ends"};

  private final Config config;
  private final HttpServer server;
  /** The server's own threads: /metrics, /health, /v1/models, and handing completions over to {@link #streams}. */
  private final ThreadPoolExecutor handlers;
  /** Completions, which hold their thread while they wait for a slot and stream; bounded, the rest get 503. */
  private final ThreadPoolExecutor streams;
  private final Engine[] engines;
  private final AtomicInteger nextEngine = new AtomicInteger();
  private final AtomicLong requestCounter = new AtomicLong();
  private final double startSeconds;
  private final URI base;

  private VllmSimulator(Config config) throws IOException {
    this.config = config;
    this.startSeconds = System.currentTimeMillis() / 1000.0;
    this.engines = new Engine[config.engines];
    for (int i = 0; i < engines.length; i++) {
      engines[i] = new Engine(String.valueOf(i), config, startSeconds);
    }
    server = LoopbackHttp.create(config.host, config.port);
    handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), SimulatorThreads.daemon("vllm-sim"));
    handlers.allowCoreThreadTimeOut(true);
    int maxStreams = Math.max(64, config.engines * config.maxRunningPerEngine * 4);
    streams = new ThreadPoolExecutor(0, maxStreams, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        SimulatorThreads.daemon("vllm-sim-stream"));
    server.setExecutor(handlers);
    server.createContext("/metrics", this::metrics);
    server.createContext("/v1/completions", this::acceptCompletion);
    server.createContext("/v1/models", this::models);
    server.createContext("/health", ex -> respond(ex, 200, "application/json", ""));
    server.createContext("/", ex -> respond(ex, 404, "application/json", "{\"detail\":\"Not Found\"}"));
    server.start();
    base = URI.create("http://" + hostForUri(config.host) + ":" + server.getAddress().getPort());
  }

  /**
   * Starts a simulator.
   *
   * @param config the configuration
   * @return the running simulator; {@link #close()} it
   * @throws IOException when the port cannot be bound (for example {@link java.net.BindException}: in use)
   */
  public static VllmSimulator start(Config config) throws IOException {
    return new VllmSimulator(Objects.requireNonNull(config, "config"));
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
   * The OpenAI-compatible completions endpoint.
   *
   * @return the URI
   */
  public URI completionsUri() {
    return base.resolve("/v1/completions");
  }

  /**
   * What its GPUs are doing, for {@link DcgmSimulator}: one GPU per data-parallel engine, as busy as the share of
   * the engine's request slots in use.
   *
   * @return the load, read live
   */
  public GpuLoad gpuLoad() {
    return () -> {
      double[] busy = new double[engines.length];
      for (int i = 0; i < engines.length; i++) {
        busy[i] = engines[i].running() / (double) config.maxRunningPerEngine;
      }
      return busy;
    };
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
   * Stops serving, within a second: requests in flight are cut off (and counted as aborted), waiting ones are
   * refused.
   */
  @Override
  public void close() {
    server.stop(0);
    streams.shutdownNow();
    handlers.shutdownNow();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      streams.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      handlers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- /metrics ------------------------------------------------------------------------------------------------

  private void metrics(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      respond(ex, 405, "application/json", "{\"detail\":\"Method Not Allowed\"}");
      return;
    }
    respond(ex, 200, METRICS_TYPE, exposition());
  }

  /** The current exposition. */
  String exposition() {
    List<Engine.View> views = new ArrayList<>();
    for (Engine e : engines) {
      views.add(e.view());
    }
    ExpositionText t = new ExpositionText(ExpositionText.Style.PYTHON_CLIENT, config.names::family);
    t.gauge("python_info", "Python platform information", List.of(new Series(ExpositionText.labels(
        "implementation", "CPython", "major", "3", "minor", "12", "patchlevel", "3", "version", "3.12.3"), 1, 0)));
    t.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
        List.of(new Series(ExpositionText.labels(), Math.floor(startSeconds * 100) / 100, 0)));
    t.gauge("vllm:num_requests_running", "Number of requests in model execution batches.",
        gauges(views, v -> v.running));
    t.gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.",
        gauges(views, v -> v.waiting));
    List<Series> sleep = new ArrayList<>();
    for (Engine.View v : views) {
      for (String state : new String[] {"awake", "weights_offloaded", "discard_all"}) {
        sleep.add(new Series(with(v.labels, "sleep_state", state), state.equals("awake") ? 1 : 0, 0));
      }
    }
    t.gauge("vllm:engine_sleep_state", "Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means"
        + " engine is awake; weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.",
        sleep);
    t.gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.",
        gauges(views, v -> v.kvCacheUsage));
    t.counter("vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
        counters(views, Count.PREFIX_QUERIES));
    t.counter("vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.",
        counters(views, Count.PREFIX_HITS));
    t.counter("vllm:external_prefix_cache_queries", "External prefix cache queries from KV connector"
        + " cross-instance cache sharing, in terms of number of queried tokens.", counters(views, Count.ZERO));
    t.counter("vllm:external_prefix_cache_hits", "External prefix cache hits from KV connector cross-instance"
        + " cache sharing, in terms of number of cached tokens.", counters(views, Count.ZERO));
    t.counter("vllm:mm_cache_queries", "Multi-modal cache queries, in terms of number of queried items.",
        counters(views, Count.ZERO));
    t.counter("vllm:mm_cache_hits", "Multi-modal cache hits, in terms of number of cached items.",
        counters(views, Count.ZERO));
    t.counter("vllm:num_preemptions", "Cumulative number of preemption from the engine.",
        counters(views, Count.ZERO));
    t.counter("vllm:prompt_tokens", "Number of prefill tokens processed.", counters(views, Count.PROMPT));
    List<Series> bySource = new ArrayList<>();
    for (Engine.View v : views) {
      bySource.add(new Series(with(v.labels, "source", "local_compute"), v.count(Count.PROMPT_COMPUTED),
          v.created));
      bySource.add(new Series(with(v.labels, "source", "local_cache_hit"), v.count(Count.PREFIX_HITS),
          v.created));
      bySource.add(new Series(with(v.labels, "source", "external_kv_transfer"), 0, v.created));
    }
    t.counter("vllm:prompt_tokens_by_source", "Number of prompt tokens by source.", bySource);
    t.counter("vllm:prompt_tokens_cached", "Number of cached prompt tokens (local + external).",
        counters(views, Count.PREFIX_HITS));
    t.counter("vllm:prompt_tokens_recomputed", "Number of cached tokens recomputed for forward pass.",
        counters(views, Count.ZERO));
    t.counter("vllm:generation_tokens", "Number of generation tokens processed.",
        counters(views, Count.GENERATION));
    List<Series> success = new ArrayList<>();
    for (Engine.View v : views) {
      for (int r = 0; r < FINISHED_REASONS.length; r++) {
        success.add(new Series(with(v.labels, "finished_reason", FINISHED_REASONS[r]), v.finished[r], v.created));
      }
    }
    t.counter("vllm:request_success", "Count of successfully processed requests.", success);
    if (config.names == VllmNames.NIM) {
      // NIM's own two counters beside request_finish_total (vLLM's request_success): finished and failed
      List<Series> ok = new ArrayList<>();
      List<Series> failed = new ArrayList<>();
      for (Engine.View v : views) {
        long good = 0;
        long bad = 0;
        for (int r = 0; r < FINISHED_REASONS.length; r++) {
          if (FINISHED_REASONS[r].equals("abort") || FINISHED_REASONS[r].equals("error")) {
            bad += v.finished[r];
          } else {
            good += v.finished[r];
          }
        }
        ok.add(new Series(v.labels, good, v.created));
        failed.add(new Series(v.labels, bad, v.created));
      }
      t.counter("request_success", "Count of successful requests.", ok);
      t.counter("request_failure", "Count of failed requests.", failed);
    }
    for (Hist h : Hist.values()) {
      List<HistogramSeries> series = new ArrayList<>();
      for (Engine.View v : views) {
        series.add(new HistogramSeries(v.labels, v.histograms.get(h), v.created));
      }
      t.histogram(h.family, h.help, series);
    }
    List<Series> info = new ArrayList<>();
    for (Engine.View v : views) {
      info.add(new Series(ExpositionText.labels("block_size", String.valueOf(config.blockSize), "cache_dtype",
          "auto", "enable_prefix_caching", "True", "engine", v.labels.get("engine"), "gpu_memory_utilization", "0.9",
          "num_cpu_blocks", "None", "num_gpu_blocks", String.valueOf(config.kvCacheBlocks), "sliding_window",
          "None"), 1, 0));
    }
    t.gauge("vllm:cache_config_info", "Information of the LLMEngine CacheConfig", info);
    return t.text();
  }

  private static List<Series> gauges(List<Engine.View> views, java.util.function.ToDoubleFunction<Engine.View> f) {
    List<Series> out = new ArrayList<>();
    for (Engine.View v : views) {
      out.add(new Series(v.labels, f.applyAsDouble(v), v.created));
    }
    return out;
  }

  private static List<Series> counters(List<Engine.View> views, Count c) {
    List<Series> out = new ArrayList<>();
    for (Engine.View v : views) {
      out.add(new Series(v.labels, v.count(c), v.created));
    }
    return out;
  }

  private static SortedMap<String, String> with(SortedMap<String, String> labels, String name, String value) {
    SortedMap<String, String> m = new java.util.TreeMap<>(labels);
    m.put(name, value);
    return m;
  }

  // ---- /v1/models ----------------------------------------------------------------------------------------------

  private void models(HttpExchange ex) throws IOException {
    JsonWriter j = new JsonWriter().beginObject().field("object", "list").name("data").beginArray().beginObject()
        .field("id", config.modelName).field("object", "model").field("created", (long) startSeconds)
        .field("owned_by", "vllm").field("root", config.modelName).name("parent").nullValue()
        .field("max_model_len", config.maxModelLen).endObject().endArray().endObject();
    respond(ex, 200, "application/json", j.text());
  }

  // ---- /v1/completions -----------------------------------------------------------------------------------------

  /** Hands a completion to the streams' pool, or refuses it at once when the pool is full. */
  private void acceptCompletion(HttpExchange ex) throws IOException {
    try {
      streams.execute(() -> {
        try {
          completions(ex);
        } catch (IOException | RuntimeException e) {
          ex.close(); // the client went away, or the server is closing
        }
      });
    } catch (RejectedExecutionException full) {
      try {
        respond(ex, 503, "application/json", error("The server is overloaded: " + streams.getMaximumPoolSize()
            + " requests are running or waiting; retry later.", 503));
      } finally {
        ex.close();
      }
    }
  }

  private void completions(HttpExchange ex) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "application/json", "{\"detail\":\"Method Not Allowed\"}");
        return;
      }
      CompletionRequest req;
      try {
        String body = new String(ex.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
        req = CompletionRequest.read(body, config);
      } catch (CompletionRequest.Rejected e) {
        respond(ex, e.status, "application/json", error(e.getMessage(), e.status));
        return;
      }
      serve(ex, req);
    } finally {
      ex.close();
    }
  }

  private void serve(HttpExchange ex, CompletionRequest req) throws IOException {
    Engine engine = engines[Math.floorMod(nextEngine.getAndIncrement(), engines.length)];
    long n = requestCounter.incrementAndGet();
    Random random = new Random(config.seed * 1_000_003L + n);
    String id = String.format(java.util.Locale.ROOT, "cmpl-%016x%016x", random.nextLong(), random.nextLong());
    long created = System.currentTimeMillis() / 1000;
    int wanted = Math.max(1, (int) Math.round(config.outputTokens.sample(random)));
    int target = Math.min(req.maxTokens, wanted);
    int cacheHits = engine.prefixHits(req.promptTokens, random);

    long arrival = System.nanoTime();
    try {
      engine.enqueue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 503, "application/json", error("The server is shutting down.", 503));
      return;
    }
    long scheduled = System.nanoTime();
    Engine.Request r = engine.schedule(req, cacheHits, arrival, scheduled);
    OutputStream out = null;
    StringBuilder fullText = new StringBuilder();
    long previous = 0;
    try {
      sleep(config.timeToFirstToken.sample(random));
      if (req.stream) {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        out = ex.getResponseBody();
      }
      for (int i = 0; i < target; i++) {
        if (i > 0) {
          sleep(config.interTokenLatency.sample(random));
        }
        long now = System.nanoTime();
        engine.token(r, now, i == 0 ? 0 : now - previous);
        previous = now;
        String word = WORDS[random.nextInt(WORDS.length)];
        fullText.append(word);
        if (out != null) {
          String finish = i == target - 1 ? (target == req.maxTokens ? "length" : "stop") : null;
          out.write(chunk(id, created, word, finish).getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      String reason = target == req.maxTokens ? "length" : "stop";
      if (out != null) {
        if (req.includeUsage) {
          out.write(usageChunk(id, created, req.promptTokens, target).getBytes(StandardCharsets.UTF_8));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      } else {
        respond(ex, 200, "application/json", completion(id, created, fullText.toString(), reason,
            req.promptTokens, target));
      }
      engine.finish(r, reason, System.nanoTime());
    } catch (IOException | InterruptedException e) {
      engine.finish(r, "abort", System.nanoTime());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(double seconds) throws InterruptedException {
    long nanos = (long) (seconds * 1e9);
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  private String chunk(String id, long created, String text, String finish) {
    JsonWriter j = new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().beginObject()
        .field("index", 0).field("text", text).name("logprobs").nullValue().field("finish_reason", finish)
        .name("stop_reason").nullValue().endObject().endArray().name("usage").nullValue().endObject();
    return "data: " + j.text() + "\n\n";
  }

  private String usageChunk(String id, long created, int prompt, int completion) {
    JsonWriter j = new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().endArray();
    usage(j, prompt, completion).endObject();
    return "data: " + j.text() + "\n\n";
  }

  private String completion(String id, long created, String text, String reason, int prompt, int completion) {
    JsonWriter j = new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().beginObject()
        .field("index", 0).field("text", text).name("logprobs").nullValue().field("finish_reason", reason)
        .name("stop_reason").nullValue().endObject().endArray();
    return usage(j, prompt, completion).endObject().text();
  }

  private static JsonWriter usage(JsonWriter j, int prompt, int completion) {
    return j.name("usage").beginObject().field("prompt_tokens", prompt).field("total_tokens", prompt + completion)
        .field("completion_tokens", completion).endObject();
  }

  static String error(String message, int status) {
    String type = status == 404 ? "NotFoundError" : status == 503 ? "ServiceUnavailableError" : "BadRequestError";
    return new JsonWriter().beginObject().field("object", "error").field("message", message).field("type", type)
        .name("param").nullValue().field("code", status).endObject().text();
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  static String hostForUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  // ---- engines -------------------------------------------------------------------------------------------------

  /** Counters of one engine (index into {@link Engine#counts}); ZERO is a family vLLM has that stays 0 here. */
  private enum Count {
    ZERO, PREFIX_QUERIES, PREFIX_HITS, PROMPT, PROMPT_COMPUTED, GENERATION
  }

  /** vLLM V1's histogram families, in its registration order, with its buckets. */
  private enum Hist {
    PROMPT_TOKENS("vllm:request_prompt_tokens", "Number of prefill tokens processed.", null),
    GENERATION_TOKENS("vllm:request_generation_tokens", "Number of generation tokens processed.", null),
    ITERATION_TOKENS("vllm:iteration_tokens_total", "Histogram of number of tokens per engine_step.",
        new double[] {1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384}),
    MAX_NUM_GENERATION_TOKENS("vllm:request_max_num_generation_tokens",
        "Histogram of maximum number of requested generation tokens.", null),
    PARAMS_N("vllm:request_params_n", "Histogram of the n request parameter.", new double[] {1, 2, 5, 10, 20}),
    PARAMS_MAX_TOKENS("vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.", null),
    TTFT("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        new double[] {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
            20.0, 40.0, 80.0, 160.0, 640.0, 2560.0}),
    ITL("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", Buckets.ITL),
    TPOT("vllm:request_time_per_output_token_seconds",
        "Histogram of time_per_output_token_seconds per request.", Buckets.ITL),
    E2E("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", Buckets.REQUEST),
    QUEUE("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.",
        Buckets.REQUEST),
    INFERENCE("vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.",
        Buckets.REQUEST),
    PREFILL("vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.",
        Buckets.REQUEST),
    DECODE("vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.",
        Buckets.REQUEST),
    PREFILL_KV_COMPUTED("vllm:request_prefill_kv_computed_tokens",
        "Histogram of new KV tokens computed during prefill (excluding cached tokens).", null);

    final String family;
    final String help;
    /** The buckets, or null for vLLM's 1-2-5 series up to max_model_len. */
    final double[] buckets;

    Hist(String family, String help, double[] buckets) {
      this.family = family;
      this.help = help;
      this.buckets = buckets;
    }
  }

  private static final class Buckets {
    static final double[] ITL = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
        10.0, 20.0, 40.0, 80.0};
    static final double[] REQUEST = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0,
        60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

    /** vLLM's {@code build_1_2_5_buckets(max)}: 1, 2, 5, 10, 20, 50, ... up to max. */
    static double[] oneTwoFive(int max) {
      List<Double> b = new ArrayList<>();
      for (long exponent = 1; ; exponent *= 10) {
        for (int m : new int[] {1, 2, 5}) {
          long v = m * exponent;
          if (v > max) {
            double[] out = new double[b.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = b.get(i);
            }
            return out;
          }
          b.add((double) v);
        }
      }
    }
  }

  /** One data-parallel engine: its slots, its queue and the metrics of what it served. */
  private static final class Engine {
    private final Semaphore slots;
    private final SortedMap<String, String> labels;
    private final double created;
    private final Config config;
    private final double[] counts = new double[Count.values().length];
    private final long[] finished = new long[FINISHED_REASONS.length];
    private final Map<Hist, Histogram> histograms = new EnumMap<>(Hist.class);
    private int waiting;
    private int running;
    private long kvTokens;

    Engine(String index, Config config, double startSeconds) {
      this.config = config;
      this.slots = new Semaphore(config.maxRunningPerEngine, true);
      this.labels = config.names.engineLabels(Integer.parseInt(index), config.modelName, config.seed);
      this.created = startSeconds + 0.001 * (Integer.parseInt(index) + 1);
      double[] oneTwoFive = Buckets.oneTwoFive(config.maxModelLen);
      for (Hist h : Hist.values()) {
        histograms.put(h, new Histogram(h.buckets == null ? oneTwoFive : h.buckets));
      }
    }

    /** A request being served; times in nanos. */
    static final class Request {
      final CompletionRequest req;
      final int cacheHits;
      final long arrival;
      final long scheduled;
      long firstToken;
      int generated;

      Request(CompletionRequest req, int cacheHits, long arrival, long scheduled) {
        this.req = req;
        this.cacheHits = cacheHits;
        this.arrival = arrival;
        this.scheduled = scheduled;
      }
    }

    /** Prefix-cache hits for a prompt: whole blocks, never the whole prompt (its last token is always computed). */
    int prefixHits(int promptTokens, Random random) {
      double share = Math.min(1, 2 * config.prefixCacheHitShare * random.nextDouble());
      int blocks = (int) (promptTokens * share) / config.blockSize;
      return Math.min(blocks * config.blockSize, Math.max(0, promptTokens - 1));
    }

    synchronized int running() {
      return running;
    }

    void enqueue() throws InterruptedException {
      synchronized (this) {
        waiting++;
      }
      try {
        slots.acquire();
      } finally {
        synchronized (this) {
          waiting--;
        }
      }
    }

    synchronized Request schedule(CompletionRequest req, int cacheHits, long arrival, long scheduled) {
      running++;
      kvTokens += req.promptTokens;
      return new Request(req, cacheHits, arrival, scheduled);
    }

    /** A token came out: the first ends the prefill step, the others are one decode step each. */
    synchronized void token(Request r, long now, long sincePrevious) {
      if (r.generated == 0) {
        r.firstToken = now;
        counts[Count.PROMPT.ordinal()] += r.req.promptTokens;
        counts[Count.PROMPT_COMPUTED.ordinal()] += r.req.promptTokens - r.cacheHits;
        counts[Count.PREFIX_QUERIES.ordinal()] += r.req.promptTokens;
        counts[Count.PREFIX_HITS.ordinal()] += r.cacheHits;
        histograms.get(Hist.TTFT).observe((now - r.arrival) / 1e9);
        histograms.get(Hist.ITERATION_TOKENS).observe(r.req.promptTokens - r.cacheHits);
      } else {
        histograms.get(Hist.ITL).observe(sincePrevious / 1e9);
        histograms.get(Hist.ITERATION_TOKENS).observe(1);
        kvTokens++;
      }
      r.generated++;
      counts[Count.GENERATION.ordinal()]++;
    }

    void finish(Request r, String reason, long now) {
      synchronized (this) {
        running--;
        kvTokens -= r.req.promptTokens + Math.max(0, r.generated - 1);
        for (int i = 0; i < FINISHED_REASONS.length; i++) {
          if (FINISHED_REASONS[i].equals(reason)) {
            finished[i]++;
          }
        }
        if (r.generated > 0) {
          histograms.get(Hist.PROMPT_TOKENS).observe(r.req.promptTokens);
          histograms.get(Hist.GENERATION_TOKENS).observe(r.generated);
          histograms.get(Hist.MAX_NUM_GENERATION_TOKENS).observe(r.req.maxTokens);
          histograms.get(Hist.PARAMS_N).observe(1);
          histograms.get(Hist.PARAMS_MAX_TOKENS).observe(r.req.maxTokens);
          histograms.get(Hist.E2E).observe((now - r.arrival) / 1e9);
          histograms.get(Hist.QUEUE).observe((r.scheduled - r.arrival) / 1e9);
          histograms.get(Hist.INFERENCE).observe((now - r.scheduled) / 1e9);
          histograms.get(Hist.PREFILL).observe((r.firstToken - r.scheduled) / 1e9);
          histograms.get(Hist.DECODE).observe((now - r.firstToken) / 1e9);
          if (r.generated > 1) {
            histograms.get(Hist.TPOT).observe((now - r.firstToken) / 1e9 / (r.generated - 1));
          }
          histograms.get(Hist.PREFILL_KV_COMPUTED).observe(r.req.promptTokens - r.cacheHits);
        }
      }
      slots.release();
    }

    synchronized View view() {
      Map<Hist, Histogram.Snapshot> h = new EnumMap<>(Hist.class);
      histograms.forEach((k, v) -> h.put(k, v.snapshot()));
      double capacity = (double) config.kvCacheBlocks * config.blockSize;
      // vLLM counts whole blocks: a request holding 17 tokens of 16-token blocks holds 2
      double usage = Math.min(1, Math.ceil(kvTokens / (double) config.blockSize) * config.blockSize / capacity);
      return new View(labels, created, running, waiting, usage, counts.clone(), finished.clone(), h);
    }

    /** A consistent copy of the engine's metrics for one exposition. */
    static final class View {
      final SortedMap<String, String> labels;
      final double created;
      final int running;
      final int waiting;
      final double kvCacheUsage;
      final double[] counts;
      final long[] finished;
      final Map<Hist, Histogram.Snapshot> histograms;

      View(SortedMap<String, String> labels, double created, int running, int waiting, double kvCacheUsage,
          double[] counts, long[] finished, Map<Hist, Histogram.Snapshot> histograms) {
        this.labels = labels;
        this.created = created;
        this.running = running;
        this.waiting = waiting;
        this.kvCacheUsage = kvCacheUsage;
        this.counts = counts;
        this.finished = finished;
        this.histograms = histograms;
      }

      double count(Count c) {
        return counts[c.ordinal()];
      }
    }
  }

  /** A parsed {@code POST /v1/completions} body. */
  static final class CompletionRequest {
    final int promptTokens;
    final int maxTokens;
    final boolean stream;
    final boolean includeUsage;

    private CompletionRequest(int promptTokens, int maxTokens, boolean stream, boolean includeUsage) {
      this.promptTokens = promptTokens;
      this.maxTokens = maxTokens;
      this.stream = stream;
      this.includeUsage = includeUsage;
    }

    /** A request the server refuses, with its HTTP status and a message naming the JSON path. */
    static final class Rejected extends Exception {
      private static final long serialVersionUID = 1L;
      final int status;

      Rejected(int status, String message) {
        super(message);
        this.status = status;
      }
    }

    static CompletionRequest read(String body, Config config) throws Rejected {
      Object doc;
      try {
        doc = JsonReader.read(body);
      } catch (IllegalArgumentException e) {
        throw new Rejected(400, e.getMessage());
      }
      if (!(doc instanceof Map)) {
        throw new Rejected(400, "$: expected a JSON object");
      }
      Map<?, ?> m = (Map<?, ?>) doc;
      Object model = m.get("model");
      if (model != null && !(model instanceof String)) {
        throw new Rejected(400, "$.model: expected a string");
      }
      if (model != null && !model.equals(config.modelName)) {
        throw new Rejected(404, "The model `" + model + "` does not exist.");
      }
      int prompt = promptTokens(m.get("prompt"));
      int maxTokens = 16;
      Object mt = m.get("max_tokens");
      if (mt != null) {
        if (!(mt instanceof Double) || (Double) mt != Math.rint((Double) mt) || (Double) mt < 1
            || (Double) mt > Integer.MAX_VALUE) {
          throw new Rejected(400, "$.max_tokens: expected an integer >= 1, got " + mt);
        }
        maxTokens = (int) (double) (Double) mt;
      }
      Object n = m.get("n");
      if (n != null && !Double.valueOf(1).equals(n)) {
        throw new Rejected(400, "$.n: the simulator serves n=1 only, got " + n);
      }
      Object stream = m.get("stream");
      if (stream != null && !(stream instanceof Boolean)) {
        throw new Rejected(400, "$.stream: expected true or false");
      }
      boolean includeUsage = false;
      Object options = m.get("stream_options");
      if (options instanceof Map) {
        Object iu = ((Map<?, ?>) options).get("include_usage");
        if (iu != null && !(iu instanceof Boolean)) {
          throw new Rejected(400, "$.stream_options.include_usage: expected true or false");
        }
        includeUsage = Boolean.TRUE.equals(iu);
      } else if (options != null) {
        throw new Rejected(400, "$.stream_options: expected an object");
      }
      if ((long) prompt + maxTokens > config.maxModelLen) {
        throw new Rejected(400, "This model's maximum context length is " + config.maxModelLen
            + " tokens. However, you requested " + ((long) prompt + maxTokens) + " tokens (" + prompt
            + " in the messages, " + maxTokens + " in the completion). Please reduce the length of the messages or"
            + " completion.");
      }
      return new CompletionRequest(prompt, maxTokens, Boolean.TRUE.equals(stream), includeUsage);
    }

    private static int promptTokens(Object prompt) throws Rejected {
      if (prompt instanceof String) {
        String s = (String) prompt;
        if (s.isEmpty()) {
          throw new Rejected(400, "$.prompt: must not be empty");
        }
        return (s.length() + 3) / 4;
      }
      if (prompt instanceof List && !((List<?>) prompt).isEmpty()) {
        List<?> ids = (List<?>) prompt;
        for (int i = 0; i < ids.size(); i++) {
          if (!(ids.get(i) instanceof Double)) {
            throw new Rejected(400, "$.prompt[" + i + "]: expected a token id; the simulator serves one prompt"
                + " per request");
          }
        }
        return ids.size();
      }
      throw new Rejected(400, "$.prompt: expected a string or an array of token ids");
    }
  }

  /**
   * What the simulator serves and how fast. Build with {@link #builder()}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final String host;
    private final int port;
    private final String modelName;
    private final int engines;
    private final long seed;
    private final Distribution timeToFirstToken;
    private final Distribution interTokenLatency;
    private final Distribution outputTokens;
    private final int maxRunningPerEngine;
    private final int kvCacheBlocks;
    private final int blockSize;
    private final int maxModelLen;
    private final double prefixCacheHitShare;
    private final VllmNames names;

    private Config(Builder b) {
      host = b.host;
      port = b.port;
      modelName = b.modelName;
      engines = b.engines;
      seed = b.seed;
      timeToFirstToken = b.timeToFirstToken;
      interTokenLatency = b.interTokenLatency;
      outputTokens = b.outputTokens;
      maxRunningPerEngine = b.maxRunningPerEngine;
      kvCacheBlocks = b.kvCacheBlocks;
      blockSize = b.blockSize;
      maxModelLen = b.maxModelLen;
      prefixCacheHitShare = b.prefixCacheHitShare;
      names = b.names;
    }

    /**
     * A builder with the defaults: 127.0.0.1, a free port, model {@code meta-llama/Llama-3.1-8B-Instruct}, one
     * engine, seed 0, TTFT log-normal (median 80 ms), ITL log-normal (median 20 ms), 16 to 256 output tokens,
     * 16 running requests per engine, 4096 KV blocks of 16 tokens, max_model_len 8192, 25 % of a prompt found in
     * the prefix cache on average.
     *
     * @return a new builder
     */
    public static Builder builder() {
      return new Builder();
    }

    /** @return the host the server binds */
    public String host() {
      return host;
    }

    /** @return the port asked for; 0 for a free one */
    public int port() {
      return port;
    }

    /** @return the served model name (label {@code model_name}) */
    public String modelName() {
      return modelName;
    }

    /** @return how the metrics are spelled: vLLM's own names, Ray Serve LLM's or NIM's */
    public VllmNames names() {
      return names;
    }

    /** @return the number of data-parallel engines (label {@code engine}) */
    public int engines() {
      return engines;
    }

    /** @return the seed */
    public long seed() {
      return seed;
    }

    /** @return the time from a request's scheduling to its first token, in seconds */
    public Distribution timeToFirstToken() {
      return timeToFirstToken;
    }

    /** @return the time between two tokens, in seconds */
    public Distribution interTokenLatency() {
      return interTokenLatency;
    }

    /** @return the number of tokens the model produces before it stops on its own */
    public Distribution outputTokens() {
      return outputTokens;
    }

    /** @return the requests an engine runs at once; more wait */
    public int maxRunningPerEngine() {
      return maxRunningPerEngine;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private String modelName = "meta-llama/Llama-3.1-8B-Instruct";
      private int engines = 1;
      private long seed;
      private Distribution timeToFirstToken = Distribution.logNormal(0.08, 0.3);
      private Distribution interTokenLatency = Distribution.logNormal(0.02, 0.2);
      private Distribution outputTokens = Distribution.uniform(16, 256);
      private int maxRunningPerEngine = 16;
      private int kvCacheBlocks = 4096;
      private int blockSize = 16;
      private int maxModelLen = 8192;
      private double prefixCacheHitShare = 0.25;
      private VllmNames names = VllmNames.VLLM;

      private Builder() {}

      /**
       * @param host the address to bind, for example {@code 127.0.0.1}
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
       * @param modelName the served model name, not blank
       * @return this builder
       * @throws IllegalArgumentException when blank
       */
      public Builder modelName(String modelName) {
        if (modelName == null || modelName.isBlank()) {
          throw new IllegalArgumentException("modelName: must not be blank");
        }
        this.modelName = modelName;
        return this;
      }

      /**
       * @param engines data-parallel engines, 1 to 64
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder engines(int engines) {
        if (engines < 1 || engines > 64) {
          throw new IllegalArgumentException("engines: must be 1 to 64, got " + engines);
        }
        this.engines = engines;
        return this;
      }

      /**
       * @param seed the seed of every random choice (lengths, latencies, cache hits, text)
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param d seconds from scheduling to the first token (the prefill)
       * @return this builder
       */
      public Builder timeToFirstToken(Distribution d) {
        this.timeToFirstToken = Objects.requireNonNull(d, "timeToFirstToken");
        return this;
      }

      /**
       * @param d seconds between two tokens
       * @return this builder
       */
      public Builder interTokenLatency(Distribution d) {
        this.interTokenLatency = Objects.requireNonNull(d, "interTokenLatency");
        return this;
      }

      /**
       * @param d tokens the model writes before it stops on its own ({@code finished_reason="stop"}); a request's
       *     {@code max_tokens} cuts it short ({@code "length"})
       * @return this builder
       */
      public Builder outputTokens(Distribution d) {
        this.outputTokens = Objects.requireNonNull(d, "outputTokens");
        return this;
      }

      /**
       * @param n requests one engine runs at once (vLLM's {@code max_num_seqs}), at least 1; others wait
       * @return this builder
       * @throws IllegalArgumentException when below 1
       */
      public Builder maxRunningPerEngine(int n) {
        if (n < 1 || n > 1024) {
          throw new IllegalArgumentException("maxRunningPerEngine: must be 1 to 1024, got " + n);
        }
        this.maxRunningPerEngine = n;
        return this;
      }

      /**
       * @param blocks KV-cache blocks per engine ({@code num_gpu_blocks}), at least 1
       * @return this builder
       * @throws IllegalArgumentException when below 1
       */
      public Builder kvCacheBlocks(int blocks) {
        if (blocks < 1) {
          throw new IllegalArgumentException("kvCacheBlocks: must be at least 1, got " + blocks);
        }
        this.kvCacheBlocks = blocks;
        return this;
      }

      /**
       * @param tokens longest prompt plus completion, at least 16
       * @return this builder
       * @throws IllegalArgumentException when below 16
       */
      public Builder maxModelLen(int tokens) {
        if (tokens < 16) {
          throw new IllegalArgumentException("maxModelLen: must be at least 16, got " + tokens);
        }
        this.maxModelLen = tokens;
        return this;
      }

      /**
       * @param share the average share of a prompt found in the prefix cache, 0 to 0.5
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder prefixCacheHitShare(double share) {
        if (!(share >= 0 && share <= 0.5)) {
          throw new IllegalArgumentException("prefixCacheHitShare: must be 0 to 0.5, got " + share);
        }
        this.prefixCacheHitShare = share;
        return this;
      }

      /**
       * @param names how to spell the metrics: {@link VllmNames#RAY} and {@link VllmNames#RAY_UNDERSCORE} serve
       *     them as Ray Serve LLM re-exports them (each engine a Ray replica), {@link VllmNames#NIM} as NIM does
       * @return this builder
       */
      public Builder names(VllmNames names) {
        this.names = java.util.Objects.requireNonNull(names, "names");
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

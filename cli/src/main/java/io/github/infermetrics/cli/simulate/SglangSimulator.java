package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.internal.text.FloatFormats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded SGLang server on loopback: {@code /metrics} as SGLang writes it with {@code --enable-metrics}
 * (prometheus_client in multiprocess mode: labels sorted, no {@code _created}; the tokenizer's request families
 * labelled {@code model_name}, {@code engine_type}, the schedulers' per rank with {@code tp_rank}, {@code pp_rank},
 * {@code moe_ep_rank} and, with data parallelism, {@code dp_rank}; SGLang's default buckets), and an
 * OpenAI-compatible {@code POST /v1/completions} that really serves: each data-parallel rank runs a continuous
 * batch (prefill batches, then decode steps of one token per running request), so queueing, latencies, KV-cache use
 * and the server's own throughput gauge follow the load.
 *
 * <pre>{@code
 * try (SglangSimulator sglang = SglangSimulator.start(SglangSimulator.Config.builder()
 *         .modelName("Qwen/Qwen2.5-7B-Instruct").dpRanks(2).seed(7).build());
 *     LoadDriver load = LoadDriver.start(sglang.completionsUri(), LoadPattern.parse("steady:5"), 7)) {
 *   System.err.println("scrape " + sglang.metricsUri());
 *   Thread.sleep(60_000);
 * }
 * }</pre>
 *
 * <p>Also served: {@code GET /v1/models}, {@code GET /get_model_info} and {@code GET /health}. Requests go to the
 * ranks in turn (SGLang's round-robin data-parallel controller). Like SGLang, a request family's series appears at
 * its first observation. Timing is real wall time: for loopback demos and tests, not benchmarks. Thread-safe.
 *
 * @since 0.1.0
 */
public final class SglangSimulator implements AutoCloseable {
  private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** SGLang logs its decode throughput every 40 decode steps ({@code --decode-log-interval}). */
  private static final int DECODE_LOG_INTERVAL = 40;
  private static final double[] TTFT_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100,
      200, 400};
  private static final double[] E2E_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100,
      200, 400, 600, 1200, 1800, 2400};
  private static final double[] ITL_BUCKETS = {0.002, 0.004, 0.006, 0.008, 0.010, 0.015, 0.020, 0.025, 0.030,
      0.035, 0.040, 0.060, 0.080, 0.100, 0.200, 0.400, 0.600, 0.800, 1.000, 2.000, 4.000, 6.000, 8.000};
  private static final double[] QUEUE_BUCKETS = {0.0, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70,
      80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000, 2500, 3000};

  private final Config config;
  private final HttpServer server;
  private final ThreadPoolExecutor handlers;
  private final Rank[] ranks;
  private final Tokenizer tokenizer = new Tokenizer();
  private final AtomicInteger nextRank = new AtomicInteger();
  private final AtomicLong requestCounter = new AtomicLong();
  private final double startSeconds;
  private final URI base;

  private SglangSimulator(Config config) throws IOException {
    this.config = config;
    this.startSeconds = System.currentTimeMillis() / 1000.0;
    this.ranks = new Rank[config.dpRanks];
    server = LoopbackHttp.create(config.host, config.port);
    try {
      for (int i = 0; i < ranks.length; i++) {
        ranks[i] = new Rank(i);
      }
      int threads = Math.max(64, config.dpRanks * config.maxRunningRequests * 4);
      handlers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          SimulatorThreads.daemon("sglang-sim"));
    } catch (RuntimeException e) {
      server.stop(0);
      closeRanks();
      throw e;
    }
    handlers.allowCoreThreadTimeOut(true);
    server.setExecutor(handlers);
    server.createContext("/metrics", this::metrics);
    server.createContext("/v1/completions", this::completions);
    server.createContext("/v1/models", this::models);
    server.createContext("/get_model_info", this::modelInfo);
    server.createContext("/health", ex -> respond(ex, 200, "text/plain; charset=utf-8", ""));
    server.createContext("/", ex -> respond(ex, 404, "application/json", "{\"detail\":\"Not Found\"}"));
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
  public static SglangSimulator start(Config config) throws IOException {
    return new SglangSimulator(Objects.requireNonNull(config, "config"));
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
   * The OpenAI-compatible completions endpoint, for {@link LoadDriver}.
   *
   * @return the URI
   */
  public URI completionsUri() {
    return base.resolve("/v1/completions");
  }

  /**
   * The configuration it runs with.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  /** Stops serving; requests in flight end (counted as aborted when their client is cut off). */
  @Override
  public void close() {
    server.stop(0);
    closeRanks();
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeRanks() {
    for (Rank r : ranks) {
      if (r != null) {
        r.engine.close();
      }
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
    List<Rank.View> views = new ArrayList<>();
    for (Rank r : ranks) {
      views.add(r.view());
    }
    Tokenizer.View t = tokenizer.view();
    ExpositionText out = new ExpositionText(ExpositionText.Style.PYTHON_CLIENT);
    gauge(out, "sglang:num_running_reqs", "The number of running requests.", views, v -> v.running);
    gauge(out, "sglang:num_used_tokens", "The number of used tokens.", views, v -> v.usedTokens);
    gauge(out, "sglang:token_usage", "The token usage.", views, v -> v.usedTokens / (double) config.maxTotalTokens);
    gauge(out, "sglang:gen_throughput", "The generation throughput (token/s).", views, v -> v.genThroughput);
    gauge(out, "sglang:num_queue_reqs", "The number of requests in the waiting queue.", views, v -> v.waiting);
    gauge(out, "sglang:num_grammar_queue_reqs", "The number of requests in the grammar waiting queue.", views,
        v -> 0);
    gauge(out, "sglang:cache_hit_rate", "The prefix cache hit rate.", views, v -> v.cacheHitRate);
    gauge(out, "sglang:max_total_num_tokens", "Maximum total number of tokens in the KV cache pool.", views,
        v -> config.maxTotalTokens);
    gauge(out, "sglang:spec_accept_length", "The average acceptance length of speculative decoding.", views,
        v -> 0);
    gauge(out, "sglang:spec_accept_rate", "The average acceptance rate of speculative decoding (`accepted tokens"
        + " / total draft tokens` in batch).", views, v -> 0);
    List<Map.Entry<SortedMap<String, String>, Histogram.Snapshot>> queue = new ArrayList<>();
    for (Rank.View v : views) {
      if (v.queueTime.count() > 0) {
        queue.add(Map.entry(v.labels, v.queueTime));
      }
    }
    histogram(out, "sglang:queue_time_seconds", "Histogram of queueing time in seconds.", queue);
    SortedMap<String, String> labels = tokenizerLabels();
    counter(out, "sglang:prompt_tokens_total", "Number of prefill tokens processed.", labels, t.promptTokens);
    counter(out, "sglang:generation_tokens_total", "Number of generation tokens processed.", labels,
        t.generationTokens);
    counter(out, "sglang:cached_tokens_total", "Number of cached prompt tokens.", labels, t.cachedTokens);
    counter(out, "sglang:num_requests_total", "Number of requests processed.", labels, t.requests);
    counter(out, "sglang:num_aborted_requests_total", "Number of requests aborted.", labels, t.aborted);
    histogram(out, "sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        single(labels, t.ttft));
    histogram(out, "sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
        single(labels, t.itl));
    histogram(out, "sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds",
        single(labels, t.e2e));
    return out.text();
  }

  private SortedMap<String, String> tokenizerLabels() {
    return ExpositionText.labels("engine_type", "unified", "model_name", config.modelName);
  }

  private static List<Map.Entry<SortedMap<String, String>, Histogram.Snapshot>> single(
      SortedMap<String, String> labels, Histogram.Snapshot h) {
    // SGLang creates a labelled series at its first observation
    return h.count() == 0 ? List.of() : List.of(Map.entry(labels, h));
  }

  private static void gauge(ExpositionText out, String name, String help, List<Rank.View> views,
      java.util.function.ToDoubleFunction<Rank.View> f) {
    out.header(name, help, "gauge");
    for (Rank.View v : views) {
      out.sample(name, v.labels, f.applyAsDouble(v));
    }
  }

  /** A counter as prometheus_client's multiprocess collector writes it: nothing before its first increment. */
  private static void counter(ExpositionText out, String name, String help, SortedMap<String, String> labels,
      double value) {
    if (value > 0) {
      out.header(name, help, "counter");
      out.sample(name, labels, value);
    }
  }

  /** A histogram as the multiprocess collector writes it: {@code _sum}, the buckets (labels sorted), {@code _count}. */
  private static void histogram(ExpositionText out, String name, String help,
      List<Map.Entry<SortedMap<String, String>, Histogram.Snapshot>> series) {
    if (series.isEmpty()) {
      return; // no series, no family: the multiprocess collector writes what its files hold
    }
    out.header(name, help, "histogram");
    for (Map.Entry<SortedMap<String, String>, Histogram.Snapshot> e : series) {
      Histogram.Snapshot h = e.getValue();
      out.sample(name + "_sum", e.getKey(), h.sum());
      for (int i = 0; i < h.cumulative().length; i++) {
        SortedMap<String, String> l = new TreeMap<>(e.getKey());
        l.put("le", i < h.bounds().length ? FloatFormats.pythonClient(h.bounds()[i]) : "+Inf");
        out.sample(name + "_bucket", l, h.cumulative()[i]);
      }
      out.sample(name + "_count", e.getKey(), h.count());
    }
  }

  // ---- /v1/models, /get_model_info -----------------------------------------------------------------------------

  private void models(HttpExchange ex) throws IOException {
    JsonWriter j = new JsonWriter().beginObject().field("object", "list").name("data").beginArray().beginObject()
        .field("id", config.modelName).field("object", "model").field("created", (long) startSeconds)
        .field("owned_by", "sglang").field("root", config.modelName).field("max_model_len", config.contextLength)
        .endObject().endArray().endObject();
    respond(ex, 200, "application/json", j.text());
  }

  private void modelInfo(HttpExchange ex) throws IOException {
    JsonWriter j = new JsonWriter().beginObject().field("model_path", config.modelName)
        .field("tokenizer_path", config.modelName).field("is_generation", true).endObject();
    respond(ex, 200, "application/json", j.text());
  }

  // ---- /v1/completions -----------------------------------------------------------------------------------------

  private void completions(HttpExchange ex) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "application/json", "{\"detail\":\"Method Not Allowed\"}");
        return;
      }
      RequestBody req;
      try {
        String body = new String(ex.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
        req = RequestBody.completion(body, config.modelName, config.contextLength, 16);
      } catch (RequestBody.Rejected e) {
        respond(ex, e.status, "application/json", VllmSimulator.error(e.getMessage(), e.status));
        return;
      }
      serve(ex, req);
    } finally {
      ex.close();
    }
  }

  private void serve(HttpExchange ex, RequestBody req) throws IOException {
    Rank rank = ranks[Math.floorMod(nextRank.getAndIncrement(), ranks.length)];
    long n = requestCounter.incrementAndGet();
    Random random = new Random(config.seed * 1_000_003L + n);
    String id = String.format(java.util.Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
    long created = System.currentTimeMillis() / 1000;
    int wanted = Math.max(1, (int) Math.round(config.outputTokens.sample(random)));
    double share = Math.min(1, 2 * config.prefixCacheHitShare * random.nextDouble());
    // SGLang's radix cache matches whole tokens, never the whole prompt: its last token is always computed
    int cached = Math.min((int) (req.promptTokens * share), Math.max(0, req.promptTokens - 1));
    BatchScheduler.Request r = new BatchScheduler.Request(req.promptTokens, req.maxTokens, wanted, System.nanoTime(),
        new Tracked(cached));
    rank.engine.submit(r);
    StringBuilder text = new StringBuilder();
    OutputStream out = null;
    try {
      if (req.stream) {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        out = ex.getResponseBody();
      }
      int sent = 0;
      long previous = 0;
      while (true) {
        BatchScheduler.Event e = r.next(config.requestTimeoutSeconds, TimeUnit.SECONDS);
        if (e == null) {
          throw new IOException("no token within " + config.requestTimeoutSeconds + " s");
        }
        if (e == BatchScheduler.Event.DONE) {
          break;
        }
        // the tokenizer's view, as SGLang measures it: when the token reaches the process that answers
        long now = System.nanoTime();
        if (sent == 0) {
          tokenizer.firstToken(now - r.arrival);
        } else {
          tokenizer.token(now - previous);
        }
        previous = now;
        String word = TokenText.next(random);
        text.append(word);
        sent++;
        if (out != null) {
          String finish = sent == r.target ? (r.stopped() ? "stop" : "length") : null;
          out.write(chunk(id, created, word, finish).getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      if (sent < r.target) {
        throw new IOException("the server is shutting down");
      }
      tokenizer.finished(r, sent, System.nanoTime());
      String reason = r.stopped() ? "stop" : "length";
      if (out != null) {
        if (req.includeUsage) {
          out.write(usageChunk(id, created, req.promptTokens, sent).getBytes(StandardCharsets.UTF_8));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
      } else {
        respond(ex, 200, "application/json", completion(id, created, text.toString(), reason, req.promptTokens,
            sent, ((Tracked) r.tag).cached));
      }
    } catch (IOException e) {
      // SGLang's tokenizer aborts a request whose client went away, and counts it
      r.cancelled = true;
      tokenizer.aborted();
    } catch (InterruptedException e) {
      r.cancelled = true;
      tokenizer.aborted();
      Thread.currentThread().interrupt();
    }
  }

  private String chunk(String id, long created, String text, String finish) {
    JsonWriter j = new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().beginObject()
        .field("index", 0).field("text", text).name("logprobs").nullValue().field("finish_reason", finish)
        .name("matched_stop").nullValue().endObject().endArray().name("usage").nullValue().endObject();
    return "data: " + j.text() + "\n\n";
  }

  private String usageChunk(String id, long created, int prompt, int completion) {
    JsonWriter j = new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().endArray()
        .name("usage").beginObject().field("prompt_tokens", prompt).field("total_tokens", prompt + completion)
        .field("completion_tokens", completion).endObject().endObject();
    return "data: " + j.text() + "\n\n";
  }

  private String completion(String id, long created, String text, String reason, int prompt, int completion,
      int cached) {
    return new JsonWriter().beginObject().field("id", id).field("object", "text_completion")
        .field("created", created).field("model", config.modelName).name("choices").beginArray().beginObject()
        .field("index", 0).field("text", text).name("logprobs").nullValue().field("finish_reason", reason)
        .name("matched_stop").nullValue().endObject().endArray().name("usage").beginObject()
        .field("prompt_tokens", prompt).field("total_tokens", prompt + completion)
        .field("completion_tokens", completion).name("prompt_tokens_details").beginObject()
        .field("cached_tokens", cached).endObject().endObject().endObject().text();
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

  // ---- the tokenizer's and the schedulers' metrics --------------------------------------------------------------

  /** What the simulator tracks of a request beyond the engine's fields. */
  private static final class Tracked {
    final int cached;

    Tracked(int cached) {
      this.cached = cached;
    }
  }

  /**
   * The tokenizer process's families: observed by the HTTP handlers as tokens reach them (SGLang's tokenizer
   * manager measures there), per token and per finished request.
   */
  private final class Tokenizer {
    private double promptTokens;
    private double generationTokens;
    private double cachedTokens;
    private double requests;
    private double aborted;
    private final Histogram ttft = new Histogram(TTFT_BUCKETS);
    private final Histogram itl = new Histogram(ITL_BUCKETS);
    private final Histogram e2e = new Histogram(E2E_BUCKETS);

    synchronized void firstToken(long sinceArrival) {
      ttft.observe(sinceArrival / 1e9);
    }

    synchronized void token(long sincePrevious) {
      itl.observe(sincePrevious / 1e9);
    }

    synchronized void finished(BatchScheduler.Request r, int generated, long now) {
      promptTokens += r.promptTokens;
      generationTokens += generated;
      cachedTokens += ((Tracked) r.tag).cached;
      requests++;
      e2e.observe((now - r.arrival) / 1e9);
    }

    synchronized void aborted() {
      aborted++;
    }

    synchronized View view() {
      return new View(promptTokens, generationTokens, cachedTokens, requests, aborted, ttft.snapshot(),
          itl.snapshot(), e2e.snapshot());
    }

    /** A consistent copy for one exposition. */
    private record View(double promptTokens, double generationTokens, double cachedTokens, double requests,
        double aborted, Histogram.Snapshot ttft, Histogram.Snapshot itl, Histogram.Snapshot e2e) {}
  }

  /** One data-parallel rank: its scheduler (a continuous batch) and its gauges. */
  private final class Rank implements BatchScheduler.Listener {
    final SortedMap<String, String> labels;
    final BatchScheduler engine;
    private final Histogram queueTime = new Histogram(QUEUE_BUCKETS);
    private double genThroughput;
    private double cacheHitRate;
    private int decodeSteps;
    private long tokensSinceLog;
    private long lastLog = System.nanoTime();

    Rank(int index) {
      labels = config.dpRanks > 1
          ? ExpositionText.labels("dp_rank", String.valueOf(index), "engine_type", "unified", "model_name",
              config.modelName, "moe_ep_rank", "0", "pp_rank", "0", "tp_rank", String.valueOf(index))
          : ExpositionText.labels("engine_type", "unified", "model_name", config.modelName, "moe_ep_rank", "0",
              "pp_rank", "0", "tp_rank", "0");
      engine = new BatchScheduler("sglang-sim-rank-" + index, config.maxRunningRequests, config.prefillTime,
          config.prefillSecondsPerToken, config.decodeStepTime, config.seed * 31 + index, this);
    }

    @Override
    public void prefill(List<BatchScheduler.Request> batch, long startNanos, long endNanos) {
      int prompt = 0;
      int hits = 0;
      synchronized (this) {
        for (BatchScheduler.Request r : batch) {
          queueTime.observe((r.scheduled - r.arrival) / 1e9);
          prompt += r.promptTokens;
          hits += ((Tracked) r.tag).cached;
        }
        // SGLang logs the hit rate of each prefill batch
        cacheHitRate = prompt == 0 ? 0 : hits / (double) prompt;
        tokensSinceLog += batch.size();
      }
    }

    @Override
    public void decode(List<BatchScheduler.Request> batch, long startNanos, long endNanos) {
      synchronized (this) {
        tokensSinceLog += batch.size();
        if (++decodeSteps % DECODE_LOG_INTERVAL == 0) {
          genThroughput = tokensSinceLog / ((endNanos - lastLog) / 1e9);
          tokensSinceLog = 0;
          lastLog = endNanos;
        }
      }
    }

    @Override
    public void finished(BatchScheduler.Request r, long nanos) {
      // the tokenizer counts it when the last token reaches it
    }

    @Override
    public void cancelled(BatchScheduler.Request r, boolean queued, long nanos) {
      // the tokenizer counted the abort when the client went away
    }

    View view() {
      int running = engine.running();
      int waiting = engine.waiting();
      long used = engine.kvTokens();
      synchronized (this) {
        return new View(labels, running, waiting, used, genThroughput, cacheHitRate, queueTime.snapshot());
      }
    }

    /** A consistent copy for one exposition. */
    private record View(SortedMap<String, String> labels, int running, int waiting, long usedTokens,
        double genThroughput, double cacheHitRate, Histogram.Snapshot queueTime) {}
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
    private final int dpRanks;
    private final long seed;
    private final Distribution prefillTime;
    private final double prefillSecondsPerToken;
    private final Distribution decodeStepTime;
    private final Distribution outputTokens;
    private final int maxRunningRequests;
    private final int maxTotalTokens;
    private final int contextLength;
    private final double prefixCacheHitShare;
    private final long requestTimeoutSeconds;

    private Config(Builder b) {
      host = b.host;
      port = b.port;
      modelName = b.modelName;
      dpRanks = b.dpRanks;
      seed = b.seed;
      prefillTime = b.prefillTime;
      prefillSecondsPerToken = b.prefillSecondsPerToken;
      decodeStepTime = b.decodeStepTime;
      outputTokens = b.outputTokens;
      maxRunningRequests = b.maxRunningRequests;
      maxTotalTokens = b.maxTotalTokens;
      contextLength = b.contextLength;
      prefixCacheHitShare = b.prefixCacheHitShare;
      requestTimeoutSeconds = 120;
    }

    /**
     * A builder with the defaults: 127.0.0.1, a free port, model {@code Qwen/Qwen2.5-7B-Instruct}, one
     * data-parallel rank, seed 0, prefill batches log-normal (median 40 ms) plus 50 µs per prompt token, decode
     * steps log-normal (median 20 ms), 16 to 256 output tokens, 32 running requests per rank, a KV pool of 65,536
     * tokens per rank, context length 8192, 25 % of a prompt found in the prefix cache on average.
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

    /** @return the data-parallel ranks (label {@code dp_rank} when more than one) */
    public int dpRanks() {
      return dpRanks;
    }

    /** @return the seed */
    public long seed() {
      return seed;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private String modelName = "Qwen/Qwen2.5-7B-Instruct";
      private int dpRanks = 1;
      private long seed;
      private Distribution prefillTime = Distribution.logNormal(0.04, 0.3);
      private double prefillSecondsPerToken = 0.00005;
      private Distribution decodeStepTime = Distribution.logNormal(0.02, 0.15);
      private Distribution outputTokens = Distribution.uniform(16, 256);
      private int maxRunningRequests = 32;
      private int maxTotalTokens = 65536;
      private int contextLength = 8192;
      private double prefixCacheHitShare = 0.25;

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
       * @param n data-parallel ranks, 1 to 16 (SGLang's {@code --dp-size}, with DP attention)
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder dpRanks(int n) {
        if (n < 1 || n > 16) {
          throw new IllegalArgumentException("dpRanks: must be 1 to 16, got " + n);
        }
        this.dpRanks = n;
        return this;
      }

      /**
       * @param seed the seed of every random choice (lengths, step times, cache hits, text)
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param d seconds a prefill batch takes before its prompt tokens
       * @param secondsPerPromptToken seconds it takes per prompt token of the batch, not negative
       * @return this builder
       */
      public Builder prefillTime(Distribution d, double secondsPerPromptToken) {
        if (!(secondsPerPromptToken >= 0) || Double.isInfinite(secondsPerPromptToken)) {
          throw new IllegalArgumentException("secondsPerPromptToken: invalid value " + secondsPerPromptToken);
        }
        this.prefillTime = Objects.requireNonNull(d, "prefillTime");
        this.prefillSecondsPerToken = secondsPerPromptToken;
        return this;
      }

      /**
       * @param d seconds of one decode step (one token for every running request)
       * @return this builder
       */
      public Builder decodeStepTime(Distribution d) {
        this.decodeStepTime = Objects.requireNonNull(d, "decodeStepTime");
        return this;
      }

      /**
       * @param d tokens the model writes before it stops on its own; a request's {@code max_tokens} cuts it short
       * @return this builder
       */
      public Builder outputTokens(Distribution d) {
        this.outputTokens = Objects.requireNonNull(d, "outputTokens");
        return this;
      }

      /**
       * @param n requests one rank runs at once (SGLang's {@code --max-running-requests}), 1 to 1024
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder maxRunningRequests(int n) {
        if (n < 1 || n > 1024) {
          throw new IllegalArgumentException("maxRunningRequests: must be 1 to 1024, got " + n);
        }
        this.maxRunningRequests = n;
        return this;
      }

      /**
       * @param tokens the KV-cache pool of one rank ({@code max_total_num_tokens}), at least 1024
       * @return this builder
       * @throws IllegalArgumentException when below 1024
       */
      public Builder maxTotalTokens(int tokens) {
        if (tokens < 1024) {
          throw new IllegalArgumentException("maxTotalTokens: must be at least 1024, got " + tokens);
        }
        this.maxTotalTokens = tokens;
        return this;
      }

      /**
       * @param tokens longest prompt plus completion, at least 16
       * @return this builder
       * @throws IllegalArgumentException when below 16
       */
      public Builder contextLength(int tokens) {
        if (tokens < 16) {
          throw new IllegalArgumentException("contextLength: must be at least 16, got " + tokens);
        }
        this.contextLength = tokens;
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

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

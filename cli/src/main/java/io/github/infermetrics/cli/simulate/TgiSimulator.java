package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.internal.text.FloatFormats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded HuggingFace text-generation-inference (TGI 3) server on loopback: {@code /metrics} as TGI's router
 * writes it with the Rust {@code metrics-exporter-prometheus} (counters without {@code _total}, integers without a
 * decimal point, a blank line after each family, a series only once it has been touched, TGI's buckets:
 * {@code 0.0001 x 1.5^k} seconds, token counts in hundredths of the limits), and the generation endpoints that really
 * serve: TGI's {@code POST /generate} and {@code /generate_stream}, and its OpenAI-compatible Messages API
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}. One continuous batch runs them (prefill
 * batches, then decode steps of one token per running request), so the queue, the batch, the durations and the
 * batch metrics per {@code method} follow the load.
 *
 * <pre>{@code
 * try (TgiSimulator tgi = TgiSimulator.start(TgiSimulator.Config.builder().seed(7).build());
 *     LoadDriver load = LoadDriver.start(tgi.completionsUri(), LoadPattern.parse("steady:5"), 7)) {
 *   System.err.println("scrape " + tgi.metricsUri());
 *   Thread.sleep(60_000);
 * }
 * }</pre>
 *
 * <p>Also served: {@code GET /info}, {@code GET /v1/models} and {@code GET /health}. A request is validated (its
 * time drawn), refused with 429 and counted {@code err="overloaded"} above {@code max_concurrent_requests}, refused
 * with 422 and counted {@code err="validation"} when invalid, counted {@code err="dropped"} when its client goes away
 * while it waits. The batch bookkeeping times (detokenizing, filtering) are drawn, not slept. Timing is real wall
 * time: for loopback demos and tests, not benchmarks. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TgiSimulator implements AutoCloseable {
  private static final String METRICS_TYPE = "text/plain; charset=utf-8";
  private static final String VERSION = "3.3.4";
  private static final String[] METHODS = {"prefill", "decode"};
  private static final double[] DURATION_BUCKETS = durationBuckets();
  // the batch bookkeeping around a forward pass, drawn per batch
  private static final Distribution DETOKENIZE_SECONDS = Distribution.logNormal(0.00012, 0.4);
  private static final Distribution FILTER_SECONDS = Distribution.logNormal(0.0002, 0.4);

  private final Config config;
  private final HttpServer server;
  private final ThreadPoolExecutor handlers;
  private final Semaphore concurrency;
  private final Router router;
  private final BatchScheduler engine;
  private final AtomicLong requestCounter = new AtomicLong();
  private final double startSeconds;
  private final URI base;

  private TgiSimulator(Config config) throws IOException {
    this.config = config;
    this.startSeconds = System.currentTimeMillis() / 1000.0;
    this.concurrency = new Semaphore(config.maxConcurrentRequests);
    this.router = new Router();
    server = LoopbackHttp.create(config.host, config.port);
    engine = new BatchScheduler("tgi-sim-batch", config.maxBatchSize, config.prefillTime,
        config.prefillSecondsPerToken, config.decodeStepTime, config.seed * 31 + 1, router);
    int threads = Math.max(64, config.maxConcurrentRequests + 16);
    handlers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        SimulatorThreads.daemon("tgi-sim"));
    handlers.allowCoreThreadTimeOut(true);
    server.setExecutor(handlers);
    server.createContext("/metrics", this::metrics);
    server.createContext("/generate", ex -> generate(ex, Api.GENERATE));
    server.createContext("/generate_stream", ex -> generate(ex, Api.GENERATE_STREAM));
    server.createContext("/v1/completions", ex -> generate(ex, Api.COMPLETIONS));
    server.createContext("/v1/chat/completions", ex -> generate(ex, Api.CHAT));
    server.createContext("/info", this::info);
    server.createContext("/v1/models", this::models);
    server.createContext("/health", ex -> respond(ex, 200, "application/json", ""));
    server.createContext("/", ex -> respond(ex, 404, "application/json", ""));
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
  public static TgiSimulator start(Config config) throws IOException {
    return new TgiSimulator(Objects.requireNonNull(config, "config"));
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
   * The Messages API (OpenAI chat completions) endpoint.
   *
   * @return the URI
   */
  public URI chatCompletionsUri() {
    return base.resolve("/v1/chat/completions");
  }

  /**
   * TGI's own generation endpoint ({@code /generate}; {@code /generate_stream} beside it).
   *
   * @return the URI
   */
  public URI generateUri() {
    return base.resolve("/generate");
  }

  /**
   * The configuration it runs with.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  /** Stops serving; requests in flight end. */
  @Override
  public void close() {
    server.stop(0);
    engine.close();
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- /metrics ------------------------------------------------------------------------------------------------

  private void metrics(HttpExchange ex) throws IOException {
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      respond(ex, 405, "application/json", "");
      return;
    }
    respond(ex, 200, METRICS_TYPE, exposition());
  }

  /** The current exposition. */
  String exposition() {
    long waiting = engine.waiting();
    long running = engine.running();
    long reserved = engine.reservedTokens();
    return router.exposition(waiting, running, reserved);
  }

  // ---- /info, /v1/models ---------------------------------------------------------------------------------------

  private void info(HttpExchange ex) throws IOException {
    JsonWriter j = new JsonWriter().beginObject().field("model_id", config.modelId).name("model_sha").nullValue()
        .field("model_pipeline_tag", "text-generation").field("max_concurrent_requests",
            config.maxConcurrentRequests).field("max_best_of", 2).field("max_stop_sequences", 4)
        .field("max_input_tokens", config.maxInputTokens).field("max_total_tokens", config.maxTotalTokens)
        .field("validation_workers", 2).field("max_client_batch_size", 4).field("router", "text-generation-router")
        .field("version", VERSION).name("sha").nullValue().name("docker_label").nullValue().endObject();
    respond(ex, 200, "application/json", j.text());
  }

  private void models(HttpExchange ex) throws IOException {
    JsonWriter j = new JsonWriter().beginObject().field("object", "list").name("data").beginArray().beginObject()
        .field("id", config.modelId).field("object", "model").field("created", (long) startSeconds)
        .field("owned_by", config.modelId).endObject().endArray().endObject();
    respond(ex, 200, "application/json", j.text());
  }

  // ---- generation ----------------------------------------------------------------------------------------------

  /** The generation APIs, which differ in their request and response bodies only. */
  private enum Api {
    GENERATE, GENERATE_STREAM, COMPLETIONS, CHAT
  }

  private void generate(HttpExchange ex, Api api) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "application/json", "");
        return;
      }
      long start = System.nanoTime();
      router.received();
      if (!concurrency.tryAcquire()) {
        router.failed("overloaded");
        respond(ex, 429, "application/json", error("Model is overloaded", "overloaded"));
        return;
      }
      boolean held = true;
      try {
        long n = requestCounter.incrementAndGet();
        Random random = new Random(config.seed * 1_000_003L + n);
        RequestBody req;
        try {
          String body = new String(ex.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
          req = switch (api) {
            case GENERATE, GENERATE_STREAM -> RequestBody.generate(body, config.maxTotalTokens, 100,
                api == Api.GENERATE_STREAM);
            case COMPLETIONS -> RequestBody.completion(body, null, config.maxTotalTokens, 100);
            case CHAT -> RequestBody.chat(body, null, config.maxTotalTokens, 100);
          };
          if (req.promptTokens > config.maxInputTokens) {
            throw new RequestBody.Rejected(422, "Input validation error: `inputs` must have less than "
                + config.maxInputTokens + " tokens. Given: " + req.promptTokens);
          }
        } catch (RequestBody.Rejected e) {
          router.failed("validation");
          // TGI's handler gives its permit back when it returns, before the response is written: a client that
          // sends its next request on reading the 422 finds the slot free
          concurrency.release();
          held = false;
          respond(ex, 422, "application/json", error(e.getMessage(), "validation"));
          return;
        }
        sleep(config.validationTime.sample(random));
        double validation = (System.nanoTime() - start) / 1e9;
        int wanted = Math.max(1, (int) Math.round(config.outputTokens.sample(random)));
        BatchScheduler.Request r = new BatchScheduler.Request(req.promptTokens, req.maxTokens, wanted,
            System.nanoTime(), new Tracked(start, validation));
        engine.submit(r);
        answer(ex, api, req, r, random);
      } finally {
        if (held) {
          concurrency.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  /** Streams or returns the request's tokens as they come; a client that goes away cancels it. */
  private void answer(HttpExchange ex, Api api, RequestBody req, BatchScheduler.Request r, Random random)
      throws InterruptedException {
    long created = System.currentTimeMillis() / 1000;
    StringBuilder text = new StringBuilder();
    OutputStream out = null;
    try {
      if (req.stream) {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        out = ex.getResponseBody();
      }
      int sent = 0;
      while (true) {
        BatchScheduler.Event e = r.next(config.requestTimeoutSeconds, TimeUnit.SECONDS);
        if (e == null) {
          throw new IOException("no token within " + config.requestTimeoutSeconds + " s");
        }
        if (e == BatchScheduler.Event.DONE) {
          break;
        }
        String word = TokenText.next(random);
        text.append(word);
        sent++;
        if (out != null) {
          boolean last = sent == r.target;
          out.write(("data:" + chunk(api, sent, word, last ? text.toString() : null, last ? finish(api, r) : null,
              req.promptTokens, created, random) + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      if (sent < r.target) {
        throw new IOException("the server is shutting down");
      }
      if (out != null) {
        if (api == Api.COMPLETIONS || api == Api.CHAT) {
          out.write("data:[DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
        out.close();
      } else {
        respond(ex, 200, "application/json", whole(api, text.toString(), finish(api, r), req.promptTokens, sent,
            created));
      }
    } catch (IOException e) {
      r.cancelled = true;
    }
  }

  private static String finish(Api api, BatchScheduler.Request r) {
    if (api == Api.GENERATE || api == Api.GENERATE_STREAM) {
      return r.stopped() ? "eos_token" : "length";
    }
    return r.stopped() ? "stop" : "length";
  }

  private String chunk(Api api, int index, String token, String generated, String finish, int prompt, long created,
      Random random) {
    JsonWriter j = new JsonWriter().beginObject();
    switch (api) {
      case CHAT:
        j.field("object", "chat.completion.chunk").field("id", "").field("created", created)
            .field("model", config.modelId).field("system_fingerprint", VERSION + "-native").name("choices")
            .beginArray().beginObject().field("index", 0).name("delta").beginObject().field("role", "assistant")
            .field("content", token).endObject().name("logprobs").nullValue().field("finish_reason", finish)
            .endObject().endArray().name("usage").nullValue();
        break;
      case COMPLETIONS:
        j.field("id", "").field("object", "text_completion").field("created", created)
            .field("model", config.modelId).field("system_fingerprint", VERSION + "-native").name("choices")
            .beginArray().beginObject().field("index", 0).field("text", token).name("logprobs").nullValue()
            .field("finish_reason", finish).endObject().endArray();
        break;
      default:
        j.field("index", index).name("token").beginObject().field("id", 1000 + random.nextInt(30000))
            .field("text", token).field("logprob", -random.nextDouble()).field("special", false).endObject()
            .field("generated_text", generated);
        if (finish == null) {
          j.name("details").nullValue();
        } else {
          j.name("details").beginObject().field("finish_reason", finish).field("generated_tokens", index)
              .name("seed").nullValue().field("input_length", prompt).endObject();
        }
    }
    return j.endObject().text();
  }

  private String whole(Api api, String text, String finish, int prompt, int completion, long created) {
    JsonWriter j = new JsonWriter();
    switch (api) {
      case CHAT:
        j.beginObject().field("object", "chat.completion").field("id", "").field("created", created)
            .field("model", config.modelId).field("system_fingerprint", VERSION + "-native").name("choices")
            .beginArray().beginObject().field("index", 0).name("message").beginObject().field("role", "assistant")
            .field("content", text).endObject().name("logprobs").nullValue().field("finish_reason", finish)
            .endObject().endArray();
        return usage(j, prompt, completion).endObject().text();
      case COMPLETIONS:
        j.beginObject().field("id", "").field("object", "text_completion").field("created", created)
            .field("model", config.modelId).field("system_fingerprint", VERSION + "-native").name("choices")
            .beginArray().beginObject().field("index", 0).field("text", text).name("logprobs").nullValue()
            .field("finish_reason", finish).endObject().endArray();
        return usage(j, prompt, completion).endObject().text();
      default:
        return j.beginObject().field("generated_text", text).endObject().text();
    }
  }

  private static JsonWriter usage(JsonWriter j, int prompt, int completion) {
    return j.name("usage").beginObject().field("prompt_tokens", prompt).field("completion_tokens", completion)
        .field("total_tokens", prompt + completion).endObject();
  }

  private static String error(String message, String type) {
    return new JsonWriter().beginObject().field("error", message).field("error_type", type).endObject().text();
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

  private static void sleep(double seconds) throws InterruptedException {
    long nanos = (long) (seconds * 1e9);
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  /** TGI's duration buckets: 0.0001 multiplied by 1.5, 35 times, as the router computes them. */
  private static double[] durationBuckets() {
    double[] out = new double[35];
    double v = 0.0001;
    for (int i = 0; i < out.length; i++) {
      v *= 1.5;
      out[i] = v;
    }
    return out;
  }

  /** {@code n} buckets of {@code limit / n}, {@code 2 limit / n}, ... as the router computes them. */
  private static double[] linearBuckets(double limit, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = limit / n * (i + 1);
    }
    return out;
  }

  // ---- the router's metrics ------------------------------------------------------------------------------------

  /** What the simulator tracks of a request beyond the engine's fields. */
  private static final class Tracked {
    final long start;
    final double validationSeconds;

    Tracked(long start, double validationSeconds) {
      this.start = start;
      this.validationSeconds = validationSeconds;
    }
  }

  /** The router's metrics, as the Rust {@code metrics} crate keeps them: a series exists once touched. */
  private final class Router implements BatchScheduler.Listener {
    private final Random random = new Random(config.seed * 17 + 3);
    private long received;
    private long succeeded;
    private final Map<String, Long> failures = new LinkedHashMap<>();
    private final Map<String, long[]> batches = new LinkedHashMap<>(); // method: {count, success}
    private final Histogram duration = new Histogram(DURATION_BUCKETS);
    private final Histogram queue = new Histogram(DURATION_BUCKETS);
    private final Histogram validation = new Histogram(DURATION_BUCKETS);
    private final Histogram inference = new Histogram(DURATION_BUCKETS);
    private final Histogram timePerToken = new Histogram(DURATION_BUCKETS);
    private final Histogram inputLength = new Histogram(linearBuckets(config.maxInputTokens, 100));
    private final Histogram generated = new Histogram(linearBuckets(config.maxTotalTokens, 100));
    private final Histogram maxNewTokens = new Histogram(linearBuckets(config.maxTotalTokens, 100));
    private final Histogram nextSize = new Histogram(linearBuckets(config.maxBatchSize, config.maxBatchSize));
    private final Map<String, Histogram[]> batchTimes = new LinkedHashMap<>(); // forward, decode, inference, filter

    synchronized void received() {
      received++;
    }

    synchronized void failed(String err) {
      failures.merge(err, 1L, Long::sum);
    }

    private void batch(String method, double forwardSeconds) {
      long[] c = batches.computeIfAbsent(method, k -> new long[2]);
      c[0]++;
      c[1]++;
      Histogram[] h = batchTimes.computeIfAbsent(method, k -> new Histogram[] {new Histogram(DURATION_BUCKETS),
          new Histogram(DURATION_BUCKETS), new Histogram(DURATION_BUCKETS), new Histogram(DURATION_BUCKETS)});
      double detokenize = DETOKENIZE_SECONDS.sample(random);
      double filter = FILTER_SECONDS.sample(random);
      h[0].observe(forwardSeconds);
      h[1].observe(detokenize);
      h[2].observe(forwardSeconds + detokenize + filter);
      h[3].observe(filter);
    }

    @Override
    public synchronized void prefill(List<BatchScheduler.Request> batch, long startNanos, long endNanos) {
      nextSize.observe(batch.size());
      batch("prefill", (endNanos - startNanos) / 1e9);
    }

    @Override
    public synchronized void decode(List<BatchScheduler.Request> batch, long startNanos, long endNanos) {
      batch("decode", (endNanos - startNanos) / 1e9);
    }

    @Override
    public synchronized void finished(BatchScheduler.Request r, long nanos) {
      Tracked t = (Tracked) r.tag;
      double inferenceSeconds = (nanos - r.scheduled) / 1e9;
      succeeded++;
      duration.observe((nanos - t.start) / 1e9);
      validation.observe(t.validationSeconds);
      queue.observe((r.scheduled - r.arrival) / 1e9);
      inference.observe(inferenceSeconds);
      timePerToken.observe(inferenceSeconds / r.generated);
      inputLength.observe(r.promptTokens);
      generated.observe(r.generated);
      maxNewTokens.observe(r.maxTokens);
    }

    @Override
    public synchronized void cancelled(BatchScheduler.Request r, boolean queued, long nanos) {
      if (queued) {
        failures.merge("dropped", 1L, Long::sum); // TGI drops a waiting request whose client went away
      }
    }

    synchronized String exposition(long waiting, long running, long reserved) {
      StringBuilder out = new StringBuilder(64 * 1024);
      if (succeeded > 0) {
        counter(out, "tgi_request_success", "Number of successful requests", "", succeeded);
      }
      if (received > 0) {
        counter(out, "tgi_request_count", "Total number of requests", "", received);
      }
      if (!failures.isEmpty()) {
        out.append("# TYPE tgi_request_failure counter\n");
        failures.forEach((err, n) -> out.append("tgi_request_failure{err=\"").append(err).append("\"} ").append(n)
            .append('\n'));
        out.append('\n');
      }
      if (!batches.isEmpty()) {
        perMethodCounter(out, "tgi_batch_inference_success", "Number of successful inference calls per method"
            + " (prefill or decode)", 1);
        perMethodCounter(out, "tgi_batch_inference_count", "Inference calls per method (prefill or decode)", 0);
      }
      gauge(out, "tgi_queue_size", "Current queue size", waiting);
      gauge(out, "tgi_batch_current_max_tokens", "Maximum tokens for the current batch", reserved);
      gauge(out, "tgi_batch_current_size", "Current batch size", running);
      gauge(out, "tgi_batch_max_total_tokens", null, config.maxBatchTotalTokens);
      histogram(out, "tgi_request_input_length", "Input token length per request", "", inputLength);
      histogram(out, "tgi_request_max_new_tokens", "Maximum new tokens per request", "", maxNewTokens);
      histogram(out, "tgi_request_inference_duration", "Request inference duration", "", inference);
      perMethodHistogram(out, "tgi_batch_forward_duration", "Batch forward duration per method (prefill or decode)",
          0);
      histogram(out, "tgi_request_duration", "Request duration", "", duration);
      histogram(out, "tgi_request_validation_duration", "Request validation duration", "", validation);
      histogram(out, "tgi_request_queue_duration", "Request queue duration", "", queue);
      perMethodHistogram(out, "tgi_batch_filter_duration", "Time spent filtering batches and sending generated tokens"
          + " per method (prefill or decode)", 3);
      perMethodHistogram(out, "tgi_batch_inference_duration", "Batch inference duration", 2);
      histogram(out, "tgi_request_mean_time_per_token_duration", "Mean time per token per request", "",
          timePerToken);
      histogram(out, "tgi_request_generated_tokens", "Generated tokens per request", "", generated);
      perMethodHistogram(out, "tgi_batch_decode_duration", "Time spent decoding a batch per method (prefill or"
          + " decode)", 1);
      histogram(out, "tgi_batch_next_size", "Batch size of the next batch", "", nextSize);
      return out.toString();
    }

    private void perMethodCounter(StringBuilder out, String name, String help, int index) {
      out.append("# HELP ").append(name).append(' ').append(help).append('\n');
      out.append("# TYPE ").append(name).append(" counter\n");
      for (String method : METHODS) {
        long[] c = batches.get(method);
        if (c != null) {
          out.append(name).append("{method=\"").append(method).append("\"} ").append(c[index]).append('\n');
        }
      }
      out.append('\n');
    }

    private void perMethodHistogram(StringBuilder out, String name, String help, int index) {
      List<Map.Entry<String, Histogram.Snapshot>> series = new ArrayList<>();
      for (String method : METHODS) {
        Histogram[] h = batchTimes.get(method);
        if (h != null) {
          series.add(Map.entry("method=\"" + method + "\"", h[index].snapshot()));
        }
      }
      if (!series.isEmpty()) {
        header(out, name, help, "histogram");
        for (Map.Entry<String, Histogram.Snapshot> e : series) {
          samples(out, name, e.getKey(), e.getValue());
        }
        out.append('\n');
      }
    }
  }

  private static void counter(StringBuilder out, String name, String help, String labels, long value) {
    header(out, name, help, "counter");
    out.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ').append(value).append("\n\n");
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    header(out, name, help, "gauge");
    out.append(name).append(' ').append(rust(value)).append("\n\n");
  }

  private static void histogram(StringBuilder out, String name, String help, String labels, Histogram h) {
    Histogram.Snapshot s = h.snapshot();
    if (s.count() == 0) {
      return; // not touched yet: the exporter has no such series
    }
    header(out, name, help, "histogram");
    samples(out, name, labels, s);
    out.append('\n');
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    if (help != null) {
      out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    }
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Buckets ({@code le} after the series' labels), then {@code _sum} and {@code _count}. */
  private static void samples(StringBuilder out, String name, String labels, Histogram.Snapshot s) {
    String prefix = labels.isEmpty() ? "{" : "{" + labels + ",";
    for (int i = 0; i < s.cumulative().length; i++) {
      out.append(name).append("_bucket").append(prefix).append("le=\"")
          .append(i < s.bounds().length ? rust(s.bounds()[i]) : "+Inf").append("\"} ").append(s.cumulative()[i])
          .append('\n');
    }
    String series = labels.isEmpty() ? "" : "{" + labels + "}";
    out.append(name).append("_sum").append(series).append(' ').append(rust(s.sum())).append('\n');
    out.append(name).append("_count").append(series).append(' ').append(s.count()).append('\n');
  }

  /** Rust's {@code Display} of an f64: the shortest digits that read back, never an exponent, no {@code .0}. */
  static String rust(double v) {
    return FloatFormats.plain(v);
  }

  /**
   * What the simulator serves and how fast. Build with {@link #builder()}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final String host;
    private final int port;
    private final String modelId;
    private final long seed;
    private final Distribution validationTime;
    private final Distribution prefillTime;
    private final double prefillSecondsPerToken;
    private final Distribution decodeStepTime;
    private final Distribution outputTokens;
    private final int maxBatchSize;
    private final int maxConcurrentRequests;
    private final int maxInputTokens;
    private final int maxTotalTokens;
    private final int maxBatchTotalTokens;
    private final long requestTimeoutSeconds;

    private Config(Builder b) {
      host = b.host;
      port = b.port;
      modelId = b.modelId;
      seed = b.seed;
      validationTime = b.validationTime;
      prefillTime = b.prefillTime;
      prefillSecondsPerToken = b.prefillSecondsPerToken;
      decodeStepTime = b.decodeStepTime;
      outputTokens = b.outputTokens;
      maxBatchSize = b.maxBatchSize;
      maxConcurrentRequests = b.maxConcurrentRequests;
      maxInputTokens = b.maxInputTokens;
      maxTotalTokens = b.maxTotalTokens;
      maxBatchTotalTokens = b.maxBatchTotalTokens;
      requestTimeoutSeconds = 120;
    }

    /**
     * A builder with the defaults: 127.0.0.1, a free port, model {@code mistralai/Mistral-7B-Instruct-v0.3}, seed
     * 0, validation log-normal (median 0.3 ms), prefill batches log-normal (median 50 ms) plus 50 µs per prompt
     * token, decode steps log-normal (median 25 ms), 16 to 256 output tokens, 32 requests in the batch, 128
     * concurrent requests, 4095 input and 4096 total tokens per request, a token budget of 65,536.
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

    /** @return the model id ({@code /info}); TGI's metrics do not name it */
    public String modelId() {
      return modelId;
    }

    /** @return the seed */
    public long seed() {
      return seed;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private String modelId = "mistralai/Mistral-7B-Instruct-v0.3";
      private long seed;
      private Distribution validationTime = Distribution.logNormal(0.0003, 0.3);
      private Distribution prefillTime = Distribution.logNormal(0.05, 0.3);
      private double prefillSecondsPerToken = 0.00005;
      private Distribution decodeStepTime = Distribution.logNormal(0.025, 0.15);
      private Distribution outputTokens = Distribution.uniform(16, 256);
      private int maxBatchSize = 32;
      private int maxConcurrentRequests = 128;
      private int maxInputTokens = 4095;
      private int maxTotalTokens = 4096;
      private int maxBatchTotalTokens = 65536;

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
       * @param modelId the model id, not blank
       * @return this builder
       * @throws IllegalArgumentException when blank
       */
      public Builder modelId(String modelId) {
        if (modelId == null || modelId.isBlank()) {
          throw new IllegalArgumentException("modelId: must not be blank");
        }
        this.modelId = modelId;
        return this;
      }

      /**
       * @param seed the seed of every random choice (lengths, times, text)
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param d seconds of validating and tokenizing a request
       * @return this builder
       */
      public Builder validationTime(Distribution d) {
        this.validationTime = Objects.requireNonNull(d, "validationTime");
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
       * @param d seconds of one decode step (one token for every request in the batch)
       * @return this builder
       */
      public Builder decodeStepTime(Distribution d) {
        this.decodeStepTime = Objects.requireNonNull(d, "decodeStepTime");
        return this;
      }

      /**
       * @param d tokens the model writes before it stops on its own; {@code max_new_tokens} cuts it short
       * @return this builder
       */
      public Builder outputTokens(Distribution d) {
        this.outputTokens = Objects.requireNonNull(d, "outputTokens");
        return this;
      }

      /**
       * @param n requests in the running batch at most ({@code --max-batch-size}), 1 to 1024
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder maxBatchSize(int n) {
        if (n < 1 || n > 1024) {
          throw new IllegalArgumentException("maxBatchSize: must be 1 to 1024, got " + n);
        }
        this.maxBatchSize = n;
        return this;
      }

      /**
       * @param n requests in flight at most before 429 ({@code --max-concurrent-requests}), 1 to 4096
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder maxConcurrentRequests(int n) {
        if (n < 1 || n > 4096) {
          throw new IllegalArgumentException("maxConcurrentRequests: must be 1 to 4096, got " + n);
        }
        this.maxConcurrentRequests = n;
        return this;
      }

      /**
       * @param inputTokens most prompt tokens ({@code --max-input-tokens}), at least 1
       * @param totalTokens most prompt plus new tokens ({@code --max-total-tokens}), above {@code inputTokens}
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder maxTokens(int inputTokens, int totalTokens) {
        if (inputTokens < 1 || totalTokens <= inputTokens) {
          throw new IllegalArgumentException("maxTokens: need 1 <= input < total, got " + inputTokens + " and "
              + totalTokens);
        }
        this.maxInputTokens = inputTokens;
        this.maxTotalTokens = totalTokens;
        return this;
      }

      /**
       * @param tokens the token budget of all batches ({@code --max-batch-total-tokens}), at least 1
       * @return this builder
       * @throws IllegalArgumentException when below 1
       */
      public Builder maxBatchTotalTokens(int tokens) {
        if (tokens < 1) {
          throw new IllegalArgumentException("maxBatchTotalTokens: must be at least 1, got " + tokens);
        }
        this.maxBatchTotalTokens = tokens;
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

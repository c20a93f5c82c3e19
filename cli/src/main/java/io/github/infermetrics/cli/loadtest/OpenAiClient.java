package io.github.infermetrics.cli.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An OpenAI-compatible client on the JDK's HTTP client that timestamps every chunk of a streamed answer:
 * {@code POST /v1/completions} or {@code /v1/chat/completions}, with {@code stream: true} and
 * {@code stream_options: {include_usage: true}} (the server's token counts, when it gives them), or without
 * streaming. Requests are asynchronous: the clock is read as each line of the event stream is decoded, on the
 * client's own threads, so a thousand requests in flight need no thousand threads. Thread-safe.
 */
final class OpenAiClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Error bodies are read to this many bytes: enough for a message, not a denial of service. */
  private static final int ERROR_BODY_LIMIT = 4096;

  /** The OpenAI API used. */
  enum Api {
    /** {@code /v1/completions}: {@code prompt}, answers in {@code choices[0].text}. */
    COMPLETIONS,
    /** {@code /v1/chat/completions}: one user message, answers in {@code choices[0].delta.content}. */
    CHAT;

    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final HttpClient http;
  private final URI endpoint;
  private final Api api;
  private final String model;
  private final boolean stream;
  private final boolean ignoreEos;
  private final Map<String, String> headers;
  private final Duration requestTimeout;
  private final long originNanos;

  /**
   * A client.
   *
   * @param endpoint the completions or chat completions URL
   * @param api which of the two it is
   * @param model the {@code model} of every request
   * @param stream whether to stream
   * @param ignoreEos whether to send vLLM's {@code ignore_eos}, so that every answer is {@code max_tokens} long
   * @param headers extra headers (an {@code Authorization}, say)
   * @param requestTimeout the most one request may take; then it is cut off
   * @param originNanos the run's start on {@link System#nanoTime()}, which records are relative to
   */
  OpenAiClient(URI endpoint, Api api, String model, boolean stream, boolean ignoreEos, Map<String, String> headers,
      Duration requestTimeout, long originNanos) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.api = Objects.requireNonNull(api, "api");
    this.model = Objects.requireNonNull(model, "model");
    this.stream = stream;
    this.ignoreEos = ignoreEos;
    this.headers = new LinkedHashMap<>(headers);
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.originNanos = originNanos;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "loadtest-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "loadtest-request-timeout");
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true); // a request that ended drops its timeout at once, not minutes later
    this.timer = t;
    // HTTP/1.1 as vLLM, SGLang and TGI speak it; an h2c upgrade attempt would only add a round trip
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * The first model a server lists at {@code GET /v1/models}, for runs that do not name one.
   *
   * @param models the models URL
   * @param headers request headers
   * @return the model's id
   * @throws IOException with a message for people when the server does not answer with a model
   * @throws InterruptedException when interrupted
   */
  static String firstModel(URI models, Map<String, String> headers) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(models).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(b::header);
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException("GET " + models + ": " + describe(e), e);
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + models + ": HTTP " + r.statusCode() + message(r.body().getBytes(
          StandardCharsets.UTF_8)));
    }
    try {
      JsonNode id = JSON.readTree(r.body()).path("data").path(0).path("id");
      if (id.isTextual() && !id.asText().isEmpty()) {
        return id.asText();
      }
    } catch (JsonProcessingException e) {
      // said below
    }
    throw new IOException("GET " + models + ": no model in the answer (expected {\"data\": [{\"id\": ...}]})");
  }

  /**
   * Sends a request; {@code done} gets its record once, on a client thread, however it ends.
   *
   * @param prompt the prompt
   * @param id the request's number
   * @param step the step's number
   * @param warmup whether it is a warm-up request
   * @param dueMicros when it was due, from the run's start
   * @param done gets the record
   * @return the request in flight, to cut it off
   */
  InFlight send(Prompt prompt, int id, int step, boolean warmup, long dueMicros, Consumer<RequestRecord> done) {
    InFlight f = new InFlight(prompt, id, step, warmup, dueMicros, done);
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(prompt)));
    headers.forEach(b::header);
    HttpResponse.BodyHandler<Void> handler = info -> {
      f.status(info.statusCode());
      if (info.statusCode() != 200) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
          f.refused(info.statusCode(), bytes);
          return null;
        });
      }
      if (stream) {
        return HttpResponse.BodySubscribers.fromLineSubscriber(f, s -> null, StandardCharsets.UTF_8, null);
      }
      return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
        f.wholeBody(bytes, System.nanoTime());
        return null;
      });
    };
    f.sent(System.nanoTime());
    CompletableFuture<HttpResponse<Void>> future = http.sendAsync(b.build(), handler);
    f.future = future;
    f.timeout = timer.schedule(() -> f.cutOff("no answer within the request timeout of " + requestTimeout
        .toMillis() / 1000.0 + " s (--request-timeout)", "timeout"), requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    if (f.finished()) {
      f.timeout.cancel(false); // it ended before its timeout was set
    }
    future.whenComplete((r, e) -> f.ended(e));
    return f;
  }

  private byte[] body(Prompt prompt) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", model);
    if (api == Api.CHAT) {
      o.putArray("messages").addObject().put("role", "user").put("content", prompt.text());
      o.put("max_completion_tokens", prompt.maxTokens());
    } else {
      o.put("prompt", prompt.text());
      o.put("max_tokens", prompt.maxTokens());
    }
    o.put("temperature", 0);
    o.put("stream", stream);
    if (stream) {
      o.putObject("stream_options").put("include_usage", true);
    }
    if (ignoreEos) {
      o.put("ignore_eos", true);
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request body that cannot be written", e);
    }
  }

  /** Stops the client's threads; requests in flight are the caller's to cut off first. */
  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdownNow();
  }

  /** An exception for people: {@code connection refused}, {@code timeout}, the message otherwise. */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t.getCause() instanceof ConnectException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ConnectException) {
      return "cannot connect" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }
    if (t instanceof HttpTimeoutException) {
      return "timeout: " + t.getMessage();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static String kind(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
      return "cannot connect";
    }
    if (t instanceof HttpTimeoutException) {
      return "timeout";
    }
    return "connection error";
  }

  /** The message of an OpenAI or FastAPI error body, for a one-line error: {@code : The model ... does not exist}. */
  static String message(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
    String m = null;
    try {
      JsonNode n = JSON.readTree(text);
      JsonNode candidate = n.path("error").isObject() ? n.path("error").path("message")
          : n.path("message").isMissingNode() ? n.path("detail") : n.path("message");
      if (candidate.isTextual()) {
        m = candidate.asText();
      } else if (n.path("error").isTextual()) {
        m = n.path("error").asText();
      }
    } catch (JsonProcessingException e) {
      m = text.isBlank() ? null : text;
    }
    if (m == null) {
      return "";
    }
    m = m.replaceAll("\\s+", " ").strip();
    return ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
  }

  /**
   * One request in flight: the event stream's lines arrive here, as does the end of the exchange, a refusal, or a
   * cut-off; whichever ends it first makes its record, the rest is ignored.
   */
  final class InFlight implements Flow.Subscriber<String> {
    private final Prompt prompt;
    private final int id;
    private final int step;
    private final boolean warmup;
    private final long dueMicros;
    private final Consumer<RequestRecord> done;
    volatile CompletableFuture<HttpResponse<Void>> future;
    volatile ScheduledFuture<?> timeout;
    private long sentNanos;
    private long[] tokens = new long[64];
    private int chunks;
    private int usagePrompt = -1;
    private int usageCompletion = -1;
    private boolean doneSeen;
    private boolean finishSeen;
    private String streamError;
    private long endNanos = -1;
    private int status;
    private String error;
    private String errorKind;
    private boolean finished;
    private Flow.Subscription subscription;
    private boolean cut;

    private InFlight(Prompt prompt, int id, int step, boolean warmup, long dueMicros, Consumer<RequestRecord> done) {
      this.prompt = prompt;
      this.id = id;
      this.step = step;
      this.warmup = warmup;
      this.dueMicros = dueMicros;
      this.done = done;
    }

    synchronized boolean finished() {
      return finished;
    }

    synchronized void sent(long nanos) {
      sentNanos = nanos;
    }

    synchronized void status(int code) {
      status = code;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      synchronized (this) {
        subscription = s;
        if (cut) {
          s.cancel();
          return;
        }
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      long now = System.nanoTime();
      if (!line.startsWith("data:")) {
        return; // blank separators, comments, event: and id: fields
      }
      String payload = line.substring(5).strip();
      synchronized (this) {
        if (finished) {
          return;
        }
        if (payload.equals("[DONE]")) {
          doneSeen = true;
          return;
        }
        JsonNode n;
        try {
          n = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
          streamError = "a data line of the event stream is not JSON: " + shorten(payload);
          return;
        }
        if (n.has("error")) {
          // vLLM and SGLang report an error that happens mid-stream as an event
          streamError = "error event in the stream" + message(payload.getBytes(StandardCharsets.UTF_8));
          return;
        }
        JsonNode choice = n.path("choices").path(0);
        if (hasOutput(choice)) {
          if (chunks == tokens.length) {
            tokens = Arrays.copyOf(tokens, chunks * 2);
          }
          tokens[chunks++] = now;
        }
        if (choice.path("finish_reason").isTextual()) {
          finishSeen = true;
        }
        usage(n.path("usage"));
      }
    }

    private boolean hasOutput(JsonNode choice) {
      if (api == Api.CHAT) {
        JsonNode delta = choice.path("delta");
        return nonEmpty(delta.path("content")) || nonEmpty(delta.path("reasoning_content"))
            || nonEmpty(delta.path("reasoning"));
      }
      return nonEmpty(choice.path("text"));
    }

    private void usage(JsonNode u) {
      if (u.path("completion_tokens").canConvertToInt()) {
        usageCompletion = u.path("completion_tokens").asInt();
        usagePrompt = u.path("prompt_tokens").canConvertToInt() ? u.path("prompt_tokens").asInt() : -1;
      }
    }

    @Override
    public void onError(Throwable t) {
      // the exchange's future fails as well and says it
    }

    @Override
    public void onComplete() {
      long now = System.nanoTime();
      synchronized (this) {
        endNanos = now;
      }
    }

    /** A non-streamed answer, read whole. */
    synchronized void wholeBody(byte[] body, long now) {
      endNanos = now;
      try {
        JsonNode n = JSON.readTree(body);
        JsonNode choice = n.path("choices").path(0);
        JsonNode text = api == Api.CHAT ? choice.path("message").path("content") : choice.path("text");
        if (n.has("error") || !text.isTextual()) {
          streamError = "the answer has no " + (api == Api.CHAT ? "choices[0].message.content"
              : "choices[0].text") + message(body);
          return;
        }
        finishSeen = true;
        usage(n.path("usage"));
        if (usageCompletion < 0) {
          usageCompletion = text.asText().isEmpty() ? 0 : Prompt.estimateTokens(text.asText());
          usagePrompt = -2; // estimated, not the server's: see record()
        }
      } catch (IOException e) {
        streamError = "the answer is not JSON: " + shorten(new String(body, 0, Math.min(body.length, 200),
            StandardCharsets.UTF_8));
      }
    }

    synchronized void refused(int code, byte[] body) {
      if (error == null) {
        error = "HTTP " + code + message(body);
        errorKind = "HTTP " + code;
      }
    }

    /** The exchange ended: normally (then the answer decides), or with an exception. */
    void ended(Throwable e) {
      RequestRecord r;
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        if (e != null && error == null) {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof CancellationException) {
            error = "cancelled";
            errorKind = "cancelled";
          } else {
            error = describe(cause);
            errorKind = kind(cause);
          }
        }
        if (error == null && streamError != null) {
          error = streamError;
          errorKind = "bad answer";
        }
        if (error == null && stream && !doneSeen && !finishSeen) {
          error = "the event stream ended before [DONE]";
          errorKind = "bad answer";
        }
        if (error == null && stream && chunks == 0) {
          error = "the answer has no output"
              + (status == 200 ? "" : " (HTTP " + status + ")");
          errorKind = "bad answer";
        }
        r = record(error == null ? RequestRecord.Status.OK : RequestRecord.Status.FAILED);
      }
      finish(r);
    }

    /**
     * Ends the request now, unless it has ended: its record says why, and it counts as failed.
     *
     * @param why for people
     * @param kind to count by
     */
    void cutOff(String why, String kind) {
      RequestRecord r;
      Flow.Subscription s;
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        cut = true;
        error = why;
        errorKind = kind;
        s = subscription;
        r = record(RequestRecord.Status.CUT_OFF);
      }
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
      finish(r);
    }

    private void finish(RequestRecord r) {
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      done.accept(r);
    }

    /** The record; called once, holding the lock. */
    private RequestRecord record(RequestRecord.Status st) {
      boolean ok = st == RequestRecord.Status.OK;
      int[] micros = new int[chunks];
      for (int i = 0; i < chunks; i++) {
        micros[i] = (int) Math.min(Integer.MAX_VALUE, (tokens[i] - sentNanos) / 1000);
      }
      long ttft = chunks > 0 ? micros[0] : -1;
      long e2e = ok ? (endNanos >= 0 ? endNanos - sentNanos : System.nanoTime() - sentNanos) / 1000 : -1;
      RequestRecord.TokensFrom from;
      int promptTokens;
      int outputTokens;
      if (usageCompletion >= 0 && usagePrompt != -2) {
        from = RequestRecord.TokensFrom.USAGE;
        outputTokens = usageCompletion;
        promptTokens = usagePrompt >= 0 ? usagePrompt : prompt.promptTokens();
      } else if (usagePrompt == -2) {
        from = RequestRecord.TokensFrom.ESTIMATE;
        outputTokens = usageCompletion;
        promptTokens = prompt.promptTokens();
      } else {
        from = RequestRecord.TokensFrom.CHUNKS;
        outputTokens = chunks;
        promptTokens = prompt.promptTokens();
      }
      return new RequestRecord(id, step, warmup, st, dueMicros, (sentNanos - originNanos) / 1000, ttft, e2e, micros,
          promptTokens, outputTokens, from, ok ? null : error, ok ? null : errorKind);
    }
  }

  private static boolean nonEmpty(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty();
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 120 ? one.substring(0, 120) + "..." : one;
  }
}

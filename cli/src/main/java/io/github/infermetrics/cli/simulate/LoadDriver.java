package io.github.infermetrics.cli.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends OpenAI completion requests ({@code stream: true}) to an endpoint at the rate of a {@link LoadPattern}, with
 * Poisson arrivals drawn from a seed, and measures what a client sees: time to first token and latency.
 *
 * <pre>{@code
 * try (LoadDriver load = LoadDriver.start(vllm.completionsUri(), LoadPattern.parse("ramp:1-20/60s"), 42)) {
 *   Thread.sleep(10_000);
 *   LoadDriver.Stats s = load.stats();
 *   System.out.println(s.succeeded() + " ok, mean TTFT " + s.meanTimeToFirstTokenSeconds());
 * }
 * }</pre>
 *
 * <p>Requests run on a bounded pool ({@link Config.Builder#maxInFlight(int)}); an arrival that finds every worker
 * busy is dropped and counted, so a slow server slows nothing else down. Thread-safe.
 *
 * @since 0.1.0
 */
public final class LoadDriver implements AutoCloseable {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  private final Config config;
  private final Random random;
  private final ThreadPoolExecutor workers;
  private final Thread arrivals;
  private final Set<HttpURLConnection> active = ConcurrentHashMap.newKeySet();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final DoubleAdder ttftSum = new DoubleAdder();
  private final DoubleAdder latencySum = new DoubleAdder();
  private final AtomicLong tokens = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private volatile boolean closed;

  private LoadDriver(Config config) {
    this.config = config;
    this.random = new Random(config.seed);
    workers = new ThreadPoolExecutor(config.maxInFlight, config.maxInFlight, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), SimulatorThreads.daemon("load-driver"), (task, pool) -> dropped.incrementAndGet());
    workers.allowCoreThreadTimeOut(true);
    arrivals = SimulatorThreads.daemon("load-driver-arrivals").newThread(this::arrive);
    arrivals.start();
  }

  /**
   * Starts sending with the default request shape (32 to 512 prompt tokens, up to 128 output tokens).
   *
   * @param completionsUri for example {@code http://127.0.0.1:8000/v1/completions}
   * @param pattern the request rate over time
   * @param seed the seed of arrivals and prompts
   * @return the running driver; {@link #close()} it
   */
  public static LoadDriver start(URI completionsUri, LoadPattern pattern, long seed) {
    return start(Config.builder(completionsUri).pattern(pattern).seed(seed).build());
  }

  /**
   * Starts sending.
   *
   * @param config the configuration
   * @return the running driver; {@link #close()} it
   */
  public static LoadDriver start(Config config) {
    return new LoadDriver(Objects.requireNonNull(config, "config"));
  }

  /**
   * What was sent so far and how it went.
   *
   * @return the counts and client-side means
   */
  public Stats stats() {
    long ok = succeeded.get();
    return new Stats(sent.get(), ok, failed.get(), dropped.get(), tokens.get(),
        ok == 0 ? OptionalDouble.empty() : OptionalDouble.of(ttftSum.sum() / ok),
        ok == 0 ? OptionalDouble.empty() : OptionalDouble.of(latencySum.sum() / ok));
  }

  /**
   * Stops sending, gives requests in flight {@link Config.Builder#closeGrace(Duration)} to finish, then cuts the
   * rest off (counted as failed).
   */
  @Override
  public void close() {
    closed = true;
    arrivals.interrupt();
    try {
      arrivals.join(1000);
      workers.shutdown();
      if (!workers.awaitTermination(config.closeGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        cutOff();
        workers.shutdownNow();
        workers.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      cutOff();
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Disconnects every request in flight, all at once: a disconnect waits for the read in progress on its connection
   * to return (the next token), so one after the other they took seconds.
   */
  private void cutOff() {
    ThreadFactory threads = SimulatorThreads.daemon("load-driver-close");
    for (HttpURLConnection c : active) {
      threads.newThread(c::disconnect).start();
    }
  }

  private void arrive() {
    long next = System.nanoTime();
    while (!closed) {
      double rate = config.pattern.rateAt(Duration.ofNanos(next - startNanos));
      // memoryless: a gap longer than the step is the same as no arrival in the step, then a fresh draw at the
      // step's rate, so rate changes are followed within 250 ms
      double gap = rate <= 0 ? Double.POSITIVE_INFINITY : -Math.log(1 - random.nextDouble()) / rate;
      boolean arrival = gap <= 0.25;
      next += (long) ((arrival ? gap : 0.25) * 1e9);
      for (long wait; (wait = next - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(wait);
        if (closed || Thread.currentThread().isInterrupted()) {
          return;
        }
      }
      if (arrival) {
        int prompt = Math.max(1, (int) Math.round(config.promptTokens.sample(random)));
        String body = body(prompt, config.maxTokens, random);
        if (!closed) {
          workers.execute(() -> send(body));
        }
      }
    }
  }

  private String body(int promptTokens, int maxTokens, Random r) {
    // 4 characters per token, the rule of thumb the simulator counts with
    StringBuilder prompt = new StringBuilder(promptTokens * 4);
    for (int i = 0; i < promptTokens; i++) {
      prompt.append(LETTERS.charAt(r.nextInt(26))).append(LETTERS.charAt(r.nextInt(26)))
          .append(LETTERS.charAt(r.nextInt(26))).append(' ');
    }
    JsonWriter j = new JsonWriter().beginObject();
    if (config.model != null) {
      j.field("model", config.model);
    }
    return j.field("prompt", prompt.toString()).field("max_tokens", maxTokens).field("stream", true).endObject()
        .text();
  }

  private void send(String body) {
    sent.incrementAndGet();
    long start = System.nanoTime();
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) config.completionsUri.toURL().openConnection();
      active.add(c);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout.toMillis()));
      c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout.toMillis()));
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Accept", "text/event-stream");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      if (c.getResponseCode() != 200) {
        failed.incrementAndGet();
        drain(c.getErrorStream());
        return;
      }
      long first = 0;
      long chunks = 0;
      boolean done = false;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          // SSE allows one space after the colon or none: vLLM and SGLang write "data: {", TGI (axum) "data:{"
          String data = line.startsWith("data: ") ? line.substring(6) : line.startsWith("data:") ? line.substring(5)
              : null;
          if ("[DONE]".equals(data)) {
            done = true;
          } else if (data != null && data.startsWith("{")) {
            if (first == 0) {
              first = System.nanoTime();
            }
            chunks++;
          }
        }
      }
      if (done && first != 0) {
        long end = System.nanoTime();
        ttftSum.add((first - start) / 1e9);
        latencySum.add((end - start) / 1e9);
        tokens.addAndGet(chunks);
        succeeded.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
    } finally {
      if (c != null) {
        active.remove(c);
      }
    }
  }

  private static void drain(InputStream in) throws IOException {
    if (in != null) {
      try (in) {
        in.readAllBytes();
      }
    }
  }

  /**
   * Counts and client-side means of a driver's requests so far.
   *
   * @param sent requests started
   * @param succeeded requests completed (HTTP 200 and {@code data: [DONE]})
   * @param failed requests that failed
   * @param dropped arrivals not sent because every worker was busy
   * @param tokensReceived token chunks received by the completed requests
   * @param meanTimeToFirstTokenSeconds mean time from sending to the first chunk, over completed requests; empty
   *     when none completed
   * @param meanLatencySeconds mean time from sending to the end of the stream; empty when none completed
   */
  public record Stats(long sent, long succeeded, long failed, long dropped, long tokensReceived,
      OptionalDouble meanTimeToFirstTokenSeconds, OptionalDouble meanLatencySeconds) {}

  /**
   * What to send, how fast and how long to wait. Build with {@link #builder(URI)}.
   *
   * @since 0.1.0
   */
  public static final class Config {
    private final URI completionsUri;
    private final LoadPattern pattern;
    private final long seed;
    private final String model;
    private final Distribution promptTokens;
    private final int maxTokens;
    private final int maxInFlight;
    private final Duration timeout;
    private final Duration closeGrace;

    private Config(Builder b) {
      completionsUri = b.completionsUri;
      pattern = b.pattern;
      seed = b.seed;
      model = b.model;
      promptTokens = b.promptTokens;
      maxTokens = b.maxTokens;
      maxInFlight = b.maxInFlight;
      timeout = b.timeout;
      closeGrace = b.closeGrace;
    }

    /**
     * A builder with the defaults: steady 5 requests/s, seed 0, no {@code model} field (the server's only model),
     * 32 to 512 prompt tokens, {@code max_tokens} 128, 256 requests in flight, 60 s timeout, 2 s grace on close.
     *
     * @param completionsUri the completions endpoint (http)
     * @return a new builder
     * @throws IllegalArgumentException when the URI is not http
     */
    public static Builder builder(URI completionsUri) {
      return new Builder(completionsUri);
    }

    /** @return the load pattern */
    public LoadPattern pattern() {
      return pattern;
    }

    /** Builds a {@link Config}. Not thread-safe. */
    public static final class Builder {
      private final URI completionsUri;
      private LoadPattern pattern = LoadPattern.steady(5);
      private long seed;
      private String model;
      private Distribution promptTokens = Distribution.uniform(32, 512);
      private int maxTokens = 128;
      private int maxInFlight = 256;
      private Duration timeout = Duration.ofSeconds(60);
      private Duration closeGrace = Duration.ofSeconds(2);

      private Builder(URI completionsUri) {
        Objects.requireNonNull(completionsUri, "completionsUri");
        if (!"http".equalsIgnoreCase(completionsUri.getScheme()) || completionsUri.getHost() == null) {
          throw new IllegalArgumentException("completionsUri: expected an http URL, got " + completionsUri);
        }
        this.completionsUri = completionsUri;
      }

      /**
       * @param pattern the request rate over time
       * @return this builder
       */
      public Builder pattern(LoadPattern pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        return this;
      }

      /**
       * @param seed the seed of arrivals and prompts
       * @return this builder
       */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /**
       * @param model the {@code model} field to send, or null to leave it out
       * @return this builder
       */
      public Builder model(String model) {
        this.model = model;
        return this;
      }

      /**
       * @param d prompt lengths in tokens
       * @return this builder
       */
      public Builder promptTokens(Distribution d) {
        this.promptTokens = Objects.requireNonNull(d, "promptTokens");
        return this;
      }

      /**
       * @param maxTokens the {@code max_tokens} of every request, at least 1
       * @return this builder
       * @throws IllegalArgumentException when below 1
       */
      public Builder maxTokens(int maxTokens) {
        if (maxTokens < 1) {
          throw new IllegalArgumentException("maxTokens: must be at least 1, got " + maxTokens);
        }
        this.maxTokens = maxTokens;
        return this;
      }

      /**
       * @param n requests in flight at most, 1 to 4096; arrivals beyond are dropped and counted
       * @return this builder
       * @throws IllegalArgumentException when out of range
       */
      public Builder maxInFlight(int n) {
        if (n < 1 || n > 4096) {
          throw new IllegalArgumentException("maxInFlight: must be 1 to 4096, got " + n);
        }
        this.maxInFlight = n;
        return this;
      }

      /**
       * @param timeout connect and read timeout of a request, positive
       * @return this builder
       * @throws IllegalArgumentException when not positive
       */
      public Builder timeout(Duration timeout) {
        PatternText.checkPositive("timeout", timeout);
        this.timeout = timeout;
        return this;
      }

      /**
       * @param grace how long {@link LoadDriver#close()} lets requests in flight finish, not negative
       * @return this builder
       * @throws IllegalArgumentException when negative
       */
      public Builder closeGrace(Duration grace) {
        if (grace == null || grace.isNegative()) {
          throw new IllegalArgumentException("closeGrace: must not be negative, got " + grace);
        }
        this.closeGrace = grace;
        return this;
      }

      /** @return the configuration */
      public Config build() {
        return new Config(this);
      }
    }
  }
}

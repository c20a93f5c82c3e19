package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a load test runs, as the command line says it. Built with {@link #builder(URI)}; every setter checks its
 * value and {@link Builder#build()} checks how they go together, with messages that name the option. Immutable.
 */
public final class LoadTestSettings {
  final URI serverUrl;
  final ServerUrls urls;
  final OpenAiClient.Api api;
  final String model;
  final boolean stream;
  final boolean ignoreEos;
  final Map<String, String> headers;
  final Duration requestTimeout;
  final LoadMode mode;
  final List<Double> loads;
  final Duration stepDuration;
  final Duration warmup;
  final Duration stepTimeLimit;
  final Duration timeLimit;
  final int maxOutstanding;
  final int stopAfterFailingSteps;
  final TokenLengths inputTokens;
  final TokenLengths outputTokens;
  final boolean outputTokensGiven;
  final Path promptsFile;
  final Path shareGptFile;
  final int maxPrompts;
  final long seed;
  final List<Slo> slos;
  final double goodputTarget;
  final double pricePerHour;
  final int accelerators;
  final String instanceType;
  final String label;
  final URI metrics;
  final List<PipelineTarget> watch;
  final Duration scrapeInterval;
  final String namespace;
  final String region;
  final Path out;
  final List<KpiConsumer> outputs;
  final PrintWriter progress;

  private LoadTestSettings(Builder b) {
    serverUrl = b.serverUrl;
    urls = b.urls;
    api = b.api;
    model = b.model;
    stream = b.stream;
    ignoreEos = b.ignoreEos;
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    requestTimeout = b.requestTimeout;
    mode = b.mode;
    loads = List.copyOf(b.loads);
    stepDuration = b.stepDuration;
    warmup = b.warmup;
    stepTimeLimit = b.stepTimeLimit != null ? b.stepTimeLimit : b.warmup.plus(b.stepDuration).plusSeconds(60);
    timeLimit = b.timeLimit;
    maxOutstanding = b.maxOutstanding;
    stopAfterFailingSteps = b.stopAfterFailingSteps;
    inputTokens = b.inputTokens;
    outputTokens = b.outputTokens;
    outputTokensGiven = b.outputTokensGiven;
    promptsFile = b.promptsFile;
    shareGptFile = b.shareGptFile;
    maxPrompts = b.maxPrompts;
    seed = b.seed;
    slos = List.copyOf(b.slos);
    goodputTarget = b.goodputTarget;
    pricePerHour = b.pricePerHour;
    accelerators = b.accelerators;
    instanceType = b.instanceType;
    label = b.label != null ? b.label : b.out.toAbsolutePath().normalize().getFileName().toString();
    metrics = b.noMetrics ? null : b.metrics != null ? b.metrics : urls.metrics();
    watch = List.copyOf(b.watch);
    scrapeInterval = b.scrapeInterval;
    namespace = b.namespace;
    region = b.region;
    out = b.out;
    outputs = List.copyOf(b.outputs);
    progress = b.progress;
  }

  /**
   * Starts settings for a server.
   *
   * @param server its root ({@code http://host:8000}), API root ({@code .../v1}) or endpoint
   * @return a builder with the defaults
   * @throws IllegalArgumentException when the URL cannot be a server's
   */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /**
   * Where the report goes.
   *
   * @return the directory
   */
  public Path out() {
    return out;
  }

  /**
   * The endpoint requests go to.
   *
   * @return the URL
   */
  public URI endpoint() {
    return urls.endpoint(api);
  }

  /** Builds {@link LoadTestSettings}; not thread-safe. */
  public static final class Builder {
    private final URI serverUrl;
    private final ServerUrls urls;
    private OpenAiClient.Api api;
    private String model;
    private boolean stream = true;
    private boolean ignoreEos;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration requestTimeout = Duration.ofMinutes(5);
    private LoadMode mode;
    private List<Double> loads = List.of();
    private Duration stepDuration = Duration.ofSeconds(60);
    private Duration warmup = Duration.ofSeconds(10);
    private Duration stepTimeLimit;
    private Duration timeLimit;
    private int maxOutstanding = 1000;
    private int stopAfterFailingSteps;
    private TokenLengths inputTokens = new TokenLengths(512, 512);
    private TokenLengths outputTokens = new TokenLengths(128, 128);
    private boolean outputTokensGiven;
    private Path promptsFile;
    private Path shareGptFile;
    private int maxPrompts = 10_000;
    private long seed;
    private List<Slo> slos = Slo.parseAll("ttft=500ms,itl=50ms,e2e=20s");
    private double goodputTarget = 0.95;
    private double pricePerHour = Double.NaN;
    private int accelerators;
    private String instanceType;
    private String label;
    private URI metrics;
    private boolean noMetrics;
    private final List<PipelineTarget> watch = new ArrayList<>();
    private Duration scrapeInterval = Duration.ofSeconds(5);
    private String namespace = "infermetrics";
    private String region = "us-east-1";
    private Path out;
    private final List<KpiConsumer> outputs = new ArrayList<>();
    private PrintWriter progress = new PrintWriter(java.io.Writer.nullWriter());

    private Builder(URI server) {
      this.serverUrl = Objects.requireNonNull(server, "server");
      this.urls = ServerUrls.of(server);
      this.api = urls.named().orElse(OpenAiClient.Api.COMPLETIONS);
    }

    /**
     * The API: {@code completions} (default) or {@code chat}.
     *
     * @param name the API's name
     * @return this
     * @throws IllegalArgumentException when unknown, or the URL names the other one
     */
    public Builder api(String name) {
      OpenAiClient.Api a;
      try {
        a = OpenAiClient.Api.valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--api: completions or chat, got '" + name + "'");
      }
      if (urls.named().isPresent() && urls.named().get() != a) {
        throw new IllegalArgumentException("--api " + a.text() + ", but the URL " + serverUrl + " is the "
            + urls.named().get().text() + " endpoint");
      }
      this.api = a;
      return this;
    }

    /**
     * The model; default: the first the server lists at {@code /v1/models}.
     *
     * @param name the model
     * @return this
     */
    public Builder model(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("--model: empty");
      }
      this.model = name;
      return this;
    }

    /**
     * Whether to stream (default yes). Without streaming there is no TTFT or ITL.
     *
     * @param on whether to
     * @return this
     */
    public Builder stream(boolean on) {
      this.stream = on;
      return this;
    }

    /**
     * Whether to send {@code ignore_eos} (vLLM), so every answer has the output tokens asked for.
     *
     * @param on whether to
     * @return this
     */
    public Builder ignoreEos(boolean on) {
      this.ignoreEos = on;
      return this;
    }

    /**
     * An extra request header.
     *
     * @param name its name
     * @param value its value
     * @return this
     */
    public Builder header(String name, String value) {
      if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c > '~')) {
        throw new IllegalArgumentException("--header: not a header name: '" + name + "'");
      }
      headers.put(name, value);
      return this;
    }

    /**
     * The most one request may take.
     *
     * @param d the time
     * @return this
     */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /**
     * Poisson rates, one per step.
     *
     * @param sweep for example {@code 1,2,4,8} or {@code 1..16x2}
     * @return this
     */
    public Builder rates(String sweep) {
      this.loads = LoadLevels.parse("--rate", sweep, false);
      this.mode = LoadMode.RATE;
      return this;
    }

    /**
     * Concurrencies, one per step.
     *
     * @param sweep for example {@code 1..64x2}
     * @return this
     */
    public Builder concurrencies(String sweep) {
      this.loads = LoadLevels.parse("--concurrency", sweep, true);
      this.mode = LoadMode.CONCURRENCY;
      return this;
    }

    /**
     * The measured time of each step (default 60 s).
     *
     * @param d the time
     * @return this
     */
    public Builder stepDuration(Duration d) {
      this.stepDuration = d;
      return this;
    }

    /**
     * The warm-up at the start of each step (default 10 s), whose requests are not in its statistics.
     *
     * @param d the time, zero for none
     * @return this
     */
    public Builder warmup(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("--warmup: must not be negative");
      }
      this.warmup = d;
      return this;
    }

    /**
     * The most a step may take, its warm-up and drain included (default: warm-up + duration + 60 s).
     *
     * @param d the time
     * @return this
     */
    public Builder stepTimeLimit(Duration d) {
      this.stepTimeLimit = d;
      return this;
    }

    /**
     * The most the whole run may take; then it stops and reports what it measured.
     *
     * @param d the time
     * @return this
     */
    public Builder timeLimit(Duration d) {
      this.timeLimit = d;
      return this;
    }

    /**
     * The most requests in flight at once (default 1000).
     *
     * @param n at least 1
     * @return this
     */
    public Builder maxOutstanding(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("--max-outstanding: at least 1, got " + n);
      }
      this.maxOutstanding = n;
      return this;
    }

    /**
     * Stop the sweep after this many steps in a row fail the SLO (default 0: run every step).
     *
     * @param n 0 or more
     * @return this
     */
    public Builder stopAfterFailingSteps(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("--stop-after-failing: 0 or more, got " + n);
      }
      this.stopAfterFailingSteps = n;
      return this;
    }

    /**
     * Synthetic prompt lengths (default 512).
     *
     * @param spec {@code N} or {@code MIN..MAX}
     * @return this
     */
    public Builder inputTokens(String spec) {
      this.inputTokens = TokenLengths.parse("--input-tokens", spec);
      return this;
    }

    /**
     * Output lengths asked for (default 128).
     *
     * @param spec {@code N} or {@code MIN..MAX}
     * @return this
     */
    public Builder outputTokens(String spec) {
      this.outputTokens = TokenLengths.parse("--output-tokens", spec);
      this.outputTokensGiven = true;
      return this;
    }

    /**
     * Prompts from a JSONL file.
     *
     * @param file the file
     * @return this
     */
    public Builder prompts(Path file) {
      this.promptsFile = file;
      return this;
    }

    /**
     * Prompts from a ShareGPT file.
     *
     * @param file the file
     * @return this
     */
    public Builder shareGpt(Path file) {
      this.shareGptFile = file;
      return this;
    }

    /**
     * The most prompts kept from a file (default 10000).
     *
     * @param n at least 1
     * @return this
     */
    public Builder maxPrompts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("--max-prompts: at least 1, got " + n);
      }
      this.maxPrompts = n;
      return this;
    }

    /**
     * The seed of prompts, lengths and arrivals (default 0).
     *
     * @param n the seed
     * @return this
     */
    public Builder seed(long n) {
      this.seed = n;
      return this;
    }

    /**
     * The objectives (default {@code ttft=500ms,itl=50ms,e2e=20s}), in {@link Slo}'s grammar.
     *
     * @param spec for example {@code ttft=500ms,itl=50ms}
     * @return this
     */
    public Builder slo(String spec) {
      List<Slo> parsed;
      try {
        parsed = Slo.parseAll(spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--slo: " + e.getMessage());
      }
      for (Slo s : parsed) {
        if (s.kpi() == Kpi.QUEUE_TIME) {
          throw new IllegalArgumentException("--slo: a client cannot see queue time (" + s.name() + "); use ttft,"
              + " itl (tpot) or e2e");
        }
      }
      this.slos = parsed;
      return this;
    }

    /**
     * The goodput a step must reach to meet the SLO (default 0.95).
     *
     * @param ratio more than 0, at most 1
     * @return this
     */
    public Builder goodputTarget(double ratio) {
      if (!(ratio > 0 && ratio <= 1)) {
        throw new IllegalArgumentException("--goodput-target: a share above 0 and at most 1, got " + ratio);
      }
      this.goodputTarget = ratio;
      return this;
    }

    /**
     * The instance's price, for the cost per million output tokens.
     *
     * @param usd dollars an hour, more than 0
     * @return this
     */
    public Builder pricePerHour(double usd) {
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new IllegalArgumentException("--price-per-hour: dollars an hour, more than 0, got " + usd);
      }
      this.pricePerHour = usd;
      return this;
    }

    /**
     * The accelerators serving the model, when the metrics do not show them.
     *
     * @param n at least 1
     * @return this
     */
    public Builder accelerators(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("--accelerators: at least 1, got " + n);
      }
      this.accelerators = n;
      return this;
    }

    /**
     * The instance type, for the report and {@code compare}.
     *
     * @param type for example {@code g6e.xlarge}
     * @return this
     */
    public Builder instanceType(String type) {
      this.instanceType = type;
      return this;
    }

    /**
     * The run's name in reports (default: the output directory's name).
     *
     * @param name the name
     * @return this
     */
    public Builder label(String name) {
      this.label = name;
      return this;
    }

    /**
     * The server's metrics (default: its root's {@code /metrics}).
     *
     * @param url the endpoint
     * @return this
     */
    public Builder metrics(URI url) {
      this.metrics = url;
      return this;
    }

    /**
     * Watch no server metrics: the report has the client's side only.
     *
     * @return this
     */
    public Builder noMetrics() {
      this.noMetrics = true;
      return this;
    }

    /**
     * Another target to watch (a dcgm-exporter, neuron-monitor).
     *
     * @param target the target
     * @return this
     */
    public Builder watch(PipelineTarget target) {
      watch.add(target);
      return this;
    }

    /**
     * How often targets are scraped during the run (default 5 s).
     *
     * @param d the interval
     * @return this
     */
    public Builder scrapeInterval(Duration d) {
      if (d.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("--scrape-interval: at least 100ms, got " + d.toMillis() + "ms");
      }
      this.scrapeInterval = d;
      return this;
    }

    /**
     * The CloudWatch namespace of the dashboard (and of EMF, which the caller writes).
     *
     * @param ns the namespace
     * @return this
     */
    public Builder namespace(String ns) {
      this.namespace = ns;
      return this;
    }

    /**
     * The region of the dashboard's widgets.
     *
     * @param r the region
     * @return this
     */
    public Builder region(String r) {
      this.region = r;
      return this;
    }

    /**
     * Where the report goes.
     *
     * @param dir the directory (made when missing)
     * @return this
     */
    public Builder out(Path dir) {
      this.out = dir;
      return this;
    }

    /**
     * A consumer of the server's KPI windows during the run (EMF, remote write).
     *
     * @param consumer the consumer
     * @return this
     */
    public Builder output(KpiConsumer consumer) {
      outputs.add(consumer);
      return this;
    }

    /**
     * Where progress lines go (default: nowhere).
     *
     * @param w the writer
     * @return this
     */
    public Builder progress(PrintWriter w) {
      this.progress = w;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the options that do not go together
     */
    public LoadTestSettings build() {
      if (mode == null) {
        throw new IllegalArgumentException("give the loads: --rate 1,2,4,8 (requests per second) or"
            + " --concurrency 1..64x2 (requests in flight)");
      }
      if (out == null) {
        throw new IllegalArgumentException("no --out directory");
      }
      if (promptsFile != null && shareGptFile != null) {
        throw new IllegalArgumentException("--prompts and --sharegpt: give one");
      }
      if (!stream) {
        for (Slo s : slos) {
          if (s.kpi() != Kpi.END_TO_END_LATENCY) {
            throw new IllegalArgumentException("--slo " + s.name() + " needs streaming, which --no-stream turns off;"
                + " without it only e2e can be checked");
          }
        }
      }
      Duration step = warmup.plus(stepDuration);
      if (stepTimeLimit != null && stepTimeLimit.compareTo(step) <= 0) {
        throw new IllegalArgumentException("--step-time-limit " + stepTimeLimit.toMillis() + "ms leaves no time"
            + " after the warm-up and the step's duration (" + step.toMillis() + "ms)");
      }
      if (mode == LoadMode.CONCURRENCY && loads.get(loads.size() - 1) > maxOutstanding) {
        throw new IllegalArgumentException("--concurrency " + Figures.load(loads.get(loads.size() - 1))
            + " is more than --max-outstanding " + maxOutstanding);
      }
      return new LoadTestSettings(this);
    }
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.cli.loadtest.LoadTest;
import io.github.infermetrics.cli.loadtest.LoadTestException;
import io.github.infermetrics.cli.loadtest.LoadTestSettings;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.pipeline.TargetWindow;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics loadtest URL --rate LIST | --concurrency LIST [...]}: drives an OpenAI-compatible model server
 * with a sweep of loads, watches its metrics (and its accelerators') meanwhile, and writes a report that says the
 * highest load meeting the SLO, where the limit comes from and what a million output tokens cost.
 */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    subcommands = LoadtestCompareCommand.class,
    description = {
        "Drive an OpenAI-compatible model server (vLLM, SGLang, TGI, Triton's OpenAI frontend, ...) with a sweep of"
            + " loads, watch its /metrics and its accelerators' while it runs, and size the instance: per step the"
            + " client's TTFT, TPOT/ITL and E2E percentiles, throughput and goodput beside the server's KPIs (its"
            + " TTFT histogram, queue, KV cache, batch, accelerator use), then the verdict: the highest load that"
            + " meets the SLO, where the limit comes from, tokens/s per accelerator and, with --price-per-hour, the"
            + " cost of a million output tokens.",
        "URL is the server's root (http://host:8000), its /v1, or an endpoint (.../v1/chat/completions). Each step"
            + " runs a warm-up (not measured), then its duration, then waits for its requests (up to"
            + " --step-time-limit). Output in --out DIR: report.json, requests.csv, steps.csv, report.html (one"
            + " file, opens offline) and dashboard.json (a CloudWatch dashboard body for --namespace).",
        "OPENAI_API_KEY, when set, is sent as Authorization: Bearer. Ctrl-C stops the run and writes what it"
            + " measured.",
        "Exit 0 when the run ends (whatever the verdict; also on Ctrl-C and --time-limit, with a partial report);"
            + " 1 when the server has no model or refuses a first request, no request succeeded, a watched target"
            + " never answered, a prompt file is not one, or EMF events or remote-write samples were lost; 2 on usage"
            + " errors and files that cannot be opened or created."},
    footer = {"", "Examples:",
        "  infermetrics loadtest --demo --out demo-run",
        "  infermetrics loadtest http://localhost:8000 --rate 1,2,4,8 --out run1",
        "  infermetrics loadtest http://10.0.0.7:8000 --concurrency 1..64x2 --step-duration 2m \\",
        "      --slo ttft=500ms,itl=50ms,e2e=20s --goodput-target 0.95 --price-per-hour 1.861 \\",
        "      --instance-type g6e.xlarge --watch dcgm@http://10.0.0.7:9400/metrics --out run-g6e",
        "  infermetrics loadtest http://localhost:8000/v1/chat/completions --sharegpt sharegpt.json \\",
        "      --rate 0.5..8x2 --out chat-run",
        "  infermetrics loadtest http://localhost:8000 --rate 2,4,8 --emf tcp://127.0.0.1:25888 \\",
        "      --namespace LoadTest --out run2",
        "  infermetrics loadtest compare run-g6e/ run-inf2/"})
final class LoadtestCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "URL", arity = "0..1", description = "The server, for example http://localhost:8000.")
  String url;

  @Option(names = "--demo", description = "Test a vLLM simulator on loopback (with a simulated trn1.2xlarge's"
      + " neuron-monitor as its accelerator) instead of a URL; without loads, --rate 1,2,4,8 of 10s steps.")
  boolean demo;

  @Option(names = "--api", paramLabel = "API", description = "completions (default) or chat.")
  String api;

  @Option(names = "--model", paramLabel = "NAME", description = "The model (default: the first the server lists at"
      + " /v1/models).")
  String model;

  @Option(names = "--no-stream", description = "Send non-streaming requests: no TTFT or ITL, only E2E.")
  boolean noStream;

  @Option(names = "--ignore-eos", description = "Ask for exactly the output tokens (vLLM's ignore_eos).")
  boolean ignoreEos;

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An extra request header (repeatable).")
  Map<String, String> headers;

  @Option(names = "--rate", paramLabel = "LIST", description = "Poisson arrival rates in requests/s, one step each:"
      + " 1,2,4,8 or 1..16x2 (doubling) or 2..10+2.")
  String rates;

  @Option(names = "--concurrency", paramLabel = "LIST", description = "Requests kept in flight, one step each:"
      + " 1,4,16 or 1..64x2 or 4..32+4.")
  String concurrency;

  @Option(names = "--step-duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The measured time of each step (default: 60s; 10s with --demo).")
  Duration stepDuration;

  @Option(names = "--warmup", paramLabel = "DURATION", description = "The warm-up before each step's measurement,"
      + " excluded from it (default: 10s; 2s with --demo; 0 for none).")
  String warmup;

  @Option(names = "--step-time-limit", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The most a step may take, warm-up and drain included; requests still running are cut off"
          + " and count as failed (default: warm-up + duration + 60s).")
  Duration stepTimeLimit;

  @Option(names = "--time-limit", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The most the whole run may take; then it stops and reports what it measured.")
  Duration timeLimit;

  @Option(names = "--max-outstanding", paramLabel = "N", defaultValue = "1000", description = "The most requests"
      + " in flight; a request due beyond it is not sent and counts as failed (default: 1000).")
  int maxOutstanding;

  @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "The most one request may take (default: 5m).")
  Duration requestTimeout;

  @Option(names = "--stop-after-failing", paramLabel = "N", defaultValue = "0", description = "Stop the sweep"
      + " after N steps in a row miss the SLO (default: 0, run them all).")
  int stopAfterFailing;

  @Option(names = "--input-tokens", paramLabel = "N|MIN..MAX", description = "Synthetic prompt length in tokens"
      + " (default: 512).")
  String inputTokens;

  @Option(names = "--output-tokens", paramLabel = "N|MIN..MAX", description = "Output tokens asked for"
      + " (max_tokens; default: 128; for ShareGPT, each answer's length).")
  String outputTokens;

  @Option(names = "--prompts", paramLabel = "FILE", description = "Prompts from a JSONL file, one"
      + " {\"prompt\": \"...\", \"max_tokens\": 128} per line.")
  Path promptsFile;

  @Option(names = "--sharegpt", paramLabel = "FILE", description = "Prompts from a ShareGPT JSON file (the first"
      + " turn of each conversation, filtered as vllm bench serve does).")
  Path shareGptFile;

  @Option(names = "--max-prompts", paramLabel = "N", defaultValue = "10000", description = "The most prompts kept"
      + " from a file, sampled from --seed (default: 10000).")
  int maxPrompts;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "The seed of prompts, lengths and"
      + " arrivals (default: 0).")
  long seed;

  @Option(names = "--slo", paramLabel = "SPEC", description = "The objectives, as vllm bench serve --goodput"
      + " (default: ttft=500ms,itl=50ms,e2e=20s); itl (or tpot) is checked against each request's mean time per"
      + " output token.")
  String slo;

  @Option(names = "--goodput-target", paramLabel = "RATIO", defaultValue = "0.95", description = "The share of"
      + " requests that must meet every objective for a step to meet the SLO (default: 0.95).")
  double goodputTarget;

  @Option(names = "--price-per-hour", paramLabel = "USD", description = "The instance's price, for the cost per"
      + " million output tokens.")
  Double pricePerHour;

  @Option(names = "--accelerators", paramLabel = "N", description = "Accelerators serving the model (default:"
      + " counted from the watched metrics).")
  Integer accelerators;

  @Option(names = "--instance-type", paramLabel = "TYPE", description = "The instance type, for the report and"
      + " compare, for example g6e.xlarge.")
  String instanceType;

  @Option(names = "--label", paramLabel = "NAME", description = "The run's name (default: the --out directory's"
      + " name).")
  String label;

  @Option(names = "--metrics", paramLabel = "URL", description = "The server's metrics (default: URL's root with"
      + " /metrics).")
  String metrics;

  @Option(names = "--no-metrics", description = "Watch no server metrics: the report has the client's side only.")
  boolean noMetrics;

  @Option(names = "--watch", paramLabel = "TARGET", description = "Another target to watch, [SOURCE=][NAME@]URL,"
      + " for example dcgm@http://node:9400/metrics or neuron=trn1@http://node:8000/metrics (repeatable).")
  List<String> watch = new ArrayList<>();

  @Option(names = "--scrape-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the targets are scraped during the run (default: 5s; 2s with --demo).")
  Duration scrapeInterval;

  @Option(names = "--emf", paramLabel = "SINK", description = "Also write the server's KPIs as CloudWatch EMF"
      + " while it runs: stdout, a FILE, tcp://HOST:PORT or udp://HOST:PORT.")
  String emf;

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "infermetrics",
      description = "The CloudWatch namespace of EMF and of dashboard.json (default: infermetrics).")
  String namespace;

  @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
      description = "The region of dashboard.json's widgets (default: us-east-1).")
  String region;

  @Option(names = "--dimension", paramLabel = "K=V", description = "An extra EMF dimension and remote-write label"
      + " (repeatable), for example run=g6e.")
  Map<String, String> dimensions;

  @Option(names = "--remote-write", paramLabel = "URL", description = "Also send the server's KPIs with Prometheus"
      + " remote write while it runs.")
  String remoteWrite;

  @Option(names = "--remote-write-header", paramLabel = "NAME=VALUE", description = "An extra remote-write header"
      + " (repeatable).")
  Map<String, String> remoteWriteHeaders;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default: loadtest-DATE-TIME;"
      + " made when missing; it must not hold a report already).")
  Path out;

  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;

  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int exitCode;
  private EmfOutput emfOut;
  private RemoteWriteOutput remoteOut;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (demo && url != null) {
      throw usage("--demo tests its own simulated server: give no URL");
    }
    if (!demo && url == null) {
      throw usage("no URL: give the server, for example http://localhost:8000, or --demo");
    }
    if (rates != null && concurrency != null) {
      throw usage("--rate and --concurrency: give one");
    }
    if (noMetrics && metrics != null) {
      throw usage("--metrics and --no-metrics: give one");
    }
    Path dir = this.out != null ? this.out : Path.of("loadtest-" + LocalDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    for (Path file : new Path[] {promptsFile, shareGptFile}) {
      if (file != null) {
        try {
          FileProblem.open(file.toString()).close();
        } catch (IOException e) {
          err.println((file == promptsFile ? "--prompts " : "--sharegpt ") + file + ": "
              + FileProblem.reason(file.toString(), e));
          return FileProblem.EXIT_CODE;
        }
      }
    }
    if (Files.exists(dir.resolve("report.json"))) {
      err.println("--out " + dir + ": it holds a report already (report.json); give another directory or remove it");
      return FileProblem.EXIT_CODE;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("--out " + dir + ": " + FileProblem.reason(dir.toString(), e));
      return FileProblem.EXIT_CODE;
    }
    LoadtestDemo sims = null;
    try {
      if (demo) {
        double[] sweep = demoSweep();
        Duration each = (stepDuration != null ? stepDuration : Duration.ofSeconds(10)).plusSeconds(3);
        sims = LoadtestDemo.start(seed, sweep[0], sweep[1], each.multipliedBy((long) sweep[2]));
        watch.add(0, sims.neuronTarget());
        err.println("demo: a vLLM simulator at " + sims.server() + " serving " + LoadtestDemo.MODEL
            + " (8 requests at once), and a simulated trn1.2xlarge's neuron-monitor");
      }
      LoadTestSettings settings = settings(demo ? sims.server() : parseUrl(url), dir, err);
      LoadTest test = LoadTest.prepare(settings);
      return run(test, out, err);
    } catch (LoadTestException e) {
      err.println(e.getMessage());
      return e.exitCode();
    } catch (IOException e) {
      err.println("cannot start the demo's simulators: " + e.getMessage());
      return 1;
    } finally {
      closeOutputs(err);
      if (sims != null) {
        sims.close();
      }
      out.flush();
      err.flush();
      finished.countDown();
    }
  }

  /** The demo's first load, last load and number of steps. */
  private double[] demoSweep() {
    if (rates == null && concurrency == null) {
      rates = "1,2,4,8";
    }
    String list = rates != null ? rates : concurrency;
    String[] parts = list.split("[,.x+]+");
    double first = Double.NaN;
    double last = Double.NaN;
    try {
      first = Double.parseDouble(parts[0]);
      last = Double.parseDouble(parts[parts.length - 1]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // the settings say what is wrong with the list
    }
    return new double[] {Double.isNaN(first) ? 1 : first, Double.isNaN(last) ? 8 : Math.max(first, last),
        Math.max(1, list.split(",").length)};
  }

  private URI parseUrl(String text) {
    try {
      return HttpUrl.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage("URL: " + e.getMessage());
    }
  }

  private LoadTestSettings settings(URI server, Path dir, PrintWriter err) throws LoadTestException {
    LoadTestSettings.Builder b;
    try {
      b = LoadTestSettings.builder(server);
      if (api != null) {
        b.api(api);
      }
      if (model != null) {
        b.model(model);
      }
      b.stream(!noStream).ignoreEos(ignoreEos);
      String key = System.getenv("OPENAI_API_KEY");
      if (key != null && !key.isBlank() && (headers == null || headers.keySet().stream()
          .noneMatch(h -> h.equalsIgnoreCase("Authorization")))) {
        b.header("Authorization", "Bearer " + key.strip());
      }
      if (headers != null) {
        headers.forEach(b::header);
      }
      if (requestTimeout != null) {
        b.requestTimeout(requestTimeout);
      }
      if (rates != null) {
        b.rates(rates);
      } else if (concurrency != null) {
        b.concurrencies(concurrency);
      }
      b.stepDuration(stepDuration != null ? stepDuration : demo ? Duration.ofSeconds(10) : Duration.ofSeconds(60));
      b.warmup(warmup != null ? warmup(warmup) : demo ? Duration.ofSeconds(2) : Duration.ofSeconds(10));
      if (stepTimeLimit != null) {
        b.stepTimeLimit(stepTimeLimit);
      }
      if (timeLimit != null) {
        b.timeLimit(timeLimit);
      }
      b.maxOutstanding(maxOutstanding).stopAfterFailingSteps(stopAfterFailing);
      if (inputTokens != null) {
        b.inputTokens(inputTokens);
      }
      if (outputTokens != null) {
        b.outputTokens(outputTokens);
      }
      if (promptsFile != null) {
        b.prompts(promptsFile);
      }
      if (shareGptFile != null) {
        b.shareGpt(shareGptFile);
      }
      b.maxPrompts(maxPrompts).seed(seed);
      if (slo != null) {
        b.slo(slo);
      }
      b.goodputTarget(goodputTarget);
      if (pricePerHour != null) {
        b.pricePerHour(pricePerHour);
      }
      if (accelerators != null) {
        b.accelerators(accelerators);
      }
      b.instanceType(instanceType).label(label);
      if (noMetrics) {
        b.noMetrics();
      } else if (metrics != null) {
        try {
          b.metrics(HttpUrl.parse(metrics));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--metrics: " + e.getMessage());
        }
      }
      Duration every = scrapeInterval != null ? scrapeInterval : demo ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
      b.scrapeInterval(every);
      Duration timeout = every.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
          : every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
      KpiSources installed = KpiSources.installed();
      for (String w : watch) {
        try {
          b.watch(WatchTarget.parse(w, installed).toPipelineTarget(timeout));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--watch: " + e.getMessage());
        }
      }
      b.namespace(namespace).region(region).out(dir).progress(err);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    outputs(b, err);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** --warmup takes 0 (no warm-up) besides the duration grammar. */
  private Duration warmup(String text) {
    if (text.strip().matches("0+(\\.0*)?(ms|s|m|h)?")) {
      return Duration.ZERO;
    }
    try {
      return new DurationConverter().convert(text);
    } catch (CommandLine.TypeConversionException e) {
      throw new IllegalArgumentException("--warmup: " + e.getMessage());
    }
  }

  /** EMF and remote write of the pipeline's windows, as watch writes them. */
  private void outputs(LoadTestSettings.Builder b, PrintWriter err) throws LoadTestException {
    if (remoteWrite == null && remoteWriteHeaders != null) {
      throw usage("--remote-write-header needs --remote-write URL");
    }
    if (emf != null) {
      try {
        emfOut = new EmfOutput(emf, namespace, dimensions);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      } catch (java.io.UncheckedIOException e) {
        throw new LoadTestException(FileProblem.EXIT_CODE, "--emf " + emf + ": " + FileProblem.reason(emf,
            e.getCause()));
      }
    }
    if (remoteWrite != null) {
      try {
        remoteOut = new RemoteWriteOutput(remoteWrite, remoteWriteHeaders, null, null, dimensions);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      } catch (AwsSetup.Missing e) {
        throw new LoadTestException(2, e.getMessage());
      }
    }
    if (emfOut != null || remoteOut != null) {
      b.output(this::accept);
    }
  }

  private void accept(TargetWindow window) {
    for (KpiSet set : window.kpiSets()) {
      if (emfOut != null) {
        emfOut.write(set);
      }
      if (remoteOut != null) {
        remoteOut.write(set);
      }
    }
  }

  /** Closes EMF and remote write (once each), prints their summaries and tells whether anything was lost. */
  private boolean closeOutputs(PrintWriter err) {
    boolean lost = false;
    if (emfOut != null) {
      emfOut.close();
      err.println(emfOut.summary());
      lost = emfOut.lost() > 0;
      emfOut = null;
    }
    if (remoteOut != null) {
      remoteOut.close();
      err.println(remoteOut.summary());
      lost |= remoteOut.lost() > 0;
      remoteOut = null;
    }
    return lost;
  }

  private int run(LoadTest test, PrintWriter out, PrintWriter err) throws LoadTestException {
    Thread main = Thread.currentThread();
    // Ctrl-C interrupts the run, which cuts off its requests and writes what it measured; then exit with its code
    SignalExit hook = SignalExit.install("infermetrics-loadtest-stop", () -> {
      main.interrupt();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return exitCode;
    });
    try {
      LoadTest.Result r = test.run();
      out.print(r.summary());
      out.flush();
      r.problems().forEach(p -> err.println("loadtest: " + p));
      boolean lost = closeOutputs(err);
      exitCode = r.failed() || lost ? 1 : 0;
      return exitCode;
    } catch (RuntimeException e) {
      err.println("loadtest failed: " + e);
      if (verbose) {
        e.printStackTrace(err);
      }
      exitCode = 1;
      return 1;
    } finally {
      hook.close();
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

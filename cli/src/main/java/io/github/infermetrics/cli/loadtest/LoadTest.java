package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.cloudwatch.dashboard.CloudWatchDashboard;
import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.scrape.ScrapeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs a load test: finds the model, sends one request to see that the server answers, watches the server, runs
 * the steps, and writes the report ({@code report.json}, {@code requests.csv}, {@code steps.csv},
 * {@code report.html}, {@code dashboard.json}). Interrupted (Ctrl-C), it cuts off the requests in flight and writes
 * what it measured.
 *
 * <pre>{@code
 * LoadTestSettings s = LoadTestSettings.builder(URI.create("http://localhost:8000")).rates("1,2,4,8")
 *     .out(Path.of("run1")).build();
 * LoadTest.Result r = LoadTest.prepare(s).run();
 * System.out.println(r.summary());
 * }</pre>
 */
public final class LoadTest {
  private final LoadTestSettings settings;
  private final PromptSource prompts;

  private LoadTest(LoadTestSettings settings, PromptSource prompts) {
    this.settings = settings;
    this.prompts = prompts;
  }

  /**
   * Reads the prompts.
   *
   * @param settings the settings
   * @return the test, ready to run
   * @throws LoadTestException (exit 1) when a prompt file cannot be read or is not one
   */
  public static LoadTest prepare(LoadTestSettings settings) throws LoadTestException {
    PromptSource p;
    try {
      if (settings.promptsFile != null) {
        p = PromptFiles.jsonl(settings.promptsFile, settings.outputTokens, settings.maxPrompts, settings.seed);
      } else if (settings.shareGptFile != null) {
        p = PromptFiles.shareGpt(settings.shareGptFile, settings.outputTokensGiven ? settings.outputTokens : null,
            settings.maxPrompts, settings.seed);
      } else {
        p = PromptSource.synthetic(settings.inputTokens, settings.outputTokens, settings.seed);
      }
    } catch (PromptFiles.BadFile e) {
      throw new LoadTestException(1, e.getMessage());
    } catch (IOException e) {
      Path f = settings.promptsFile != null ? settings.promptsFile : settings.shareGptFile;
      throw new LoadTestException(1, f + ": cannot be read: " + e.getMessage());
    }
    return new LoadTest(settings, p);
  }

  /**
   * What a run gave.
   */
  public static final class Result {
    private final LoadTestReport report;
    private final List<String> problems;
    private final boolean failed;

    private Result(LoadTestReport report, List<String> problems, boolean failed) {
      this.report = report;
      this.problems = List.copyOf(problems);
      this.failed = failed;
    }

    /**
     * The verdict and where the report is, for standard output.
     *
     * @return lines
     */
    public String summary() {
      return Summaries.text(report);
    }

    /**
     * What went wrong with the run itself (no request succeeded, a watched target never answered), one line each.
     *
     * @return the lines, empty when none
     */
    public List<String> problems() {
      return problems;
    }

    /**
     * Whether the command should exit 1: no request succeeded, or a watched target never answered.
     *
     * @return true when it failed
     */
    public boolean failed() {
      return failed;
    }

    /**
     * Why the run ended.
     *
     * @return {@code completed}, {@code interrupted}, {@code time_limit} or {@code failing_steps}
     */
    public String stopped() {
      return report.stopped();
    }
  }

  /**
   * Runs the test and writes the report.
   *
   * @return what it gave
   * @throws LoadTestException (exit 1) when the server has no model or refuses a first request, or the report
   *     cannot be written
   */
  public Result run() throws LoadTestException {
    LoadTestSettings s = settings;
    PrintWriter progress = s.progress;
    long origin = System.nanoTime();
    Instant started = Instant.now();
    long deadline = s.timeLimit == null ? Long.MAX_VALUE : origin + s.timeLimit.toNanos();
    List<String> notes = new ArrayList<>();
    String model = s.model;
    if (model == null) {
      try {
        model = OpenAiClient.firstModel(s.urls.models(), s.headers);
      } catch (IOException e) {
        throw new LoadTestException(1, "cannot find the model to test: " + e.getMessage() + "; give --model");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoadTestException(1, "stopped before the test started");
      }
    }
    try (OpenAiClient client = new OpenAiClient(s.endpoint(), s.api, model, s.stream, s.ignoreEos, s.headers,
        s.requestTimeout, origin)) {
      progress.println("loadtest: POST " + s.endpoint() + ", model " + model + (s.stream ? ", streaming" : "")
          + "; " + s.mode.text() + " " + s.loads.stream().map(Figures::load).collect(Collectors.joining(", "))
          + " " + (s.mode == LoadMode.RATE ? "req/s" : "in flight") + ", " + Figures.duration(seconds(
          s.stepDuration)) + " steps after a " + Figures.duration(seconds(s.warmup)) + " warm-up; SLO "
          + s.slos.stream().map(Slo::name).collect(Collectors.joining(", ")) + " met by >= "
          + Figures.percent(s.goodputTarget) + " of requests");
      progress.println("prompts: " + prompts.describe());
      progress.flush();
      preflight(client, s, notes);
      return measure(client, model, origin, started, deadline, notes);
    }
  }

  /** One request before the steps: a server that refuses it would fail every step. */
  private void preflight(OpenAiClient client, LoadTestSettings s, List<String> notes) throws LoadTestException {
    Prompt p = prompts.next();
    Prompt small = new Prompt(p.text(), p.promptTokens(), Math.min(4, p.maxTokens()), p.origin());
    CompletableFuture<RequestRecord> done = new CompletableFuture<>();
    OpenAiClient.InFlight f = client.send(small, 0, 0, true, 0, done::complete);
    RequestRecord r;
    try {
      r = done.get(Math.min(s.requestTimeout.toMillis(), 120_000), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cutOff("interrupted", "cut off");
      Thread.currentThread().interrupt();
      throw new LoadTestException(1, "stopped before the first step");
    } catch (ExecutionException | TimeoutException e) {
      f.cutOff("no answer", "timeout");
      throw new LoadTestException(1, "the server did not answer a first request to " + s.endpoint() + " within "
          + Figures.duration(Math.min(s.requestTimeout.toMillis(), 120_000) / 1e3));
    }
    if (!r.ok()) {
      throw new LoadTestException(1, "the server refused a first request to " + s.endpoint() + ": " + r.error());
    }
    if (s.stream && r.tokensFrom() != RequestRecord.TokensFrom.USAGE) {
      notes.add("The server does not send usage in its stream (stream_options.include_usage): output tokens are"
          + " the chunks with text, prompt tokens an estimate of 4 characters a token.");
    }
  }

  private Result measure(OpenAiClient client, String model, long origin, Instant started, long deadline,
      List<String> notes) throws LoadTestException {
    LoadTestSettings s = settings;
    PrintWriter progress = s.progress;
    List<PipelineTarget> targets = new ArrayList<>();
    String server = null;
    if (s.metrics != null) {
      Duration timeout = s.scrapeInterval.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
          : s.scrapeInterval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : s.scrapeInterval;
      PipelineTarget t = PipelineTarget.builder(s.metrics).name("server").timeout(timeout).build();
      targets.add(t);
      server = t.name();
    }
    for (PipelineTarget w : s.watch) {
      if (w.name().equals("server")) {
        throw new LoadTestException(2, "--watch: the name 'server' is the model server's metrics; name the target"
            + " another way (NAME@URL)");
      }
      targets.add(w);
    }
    KpiSources installed = KpiSources.installed();
    List<StepResult> steps = new ArrayList<>();
    List<RequestRecord> requests = new ArrayList<>();
    String stopped = "completed";
    List<ServerSample> timeline;
    List<ServerWatch.TargetReport> targetReports;
    try (ServerWatch watch = new ServerWatch(targets, server, installed, s.slos, s.scrapeInterval, s.outputs, model,
        started)) {
      Optional<Map<String, ScrapeResult>> first = await(watch.mark());
      if (first.isEmpty()) {
        stopped = "interrupted";
      } else {
        for (ServerWatch.TargetReport t : watch.targets()) {
          progress.println((t.server() ? "server metrics: " : "watching: ") + t.name() + " " + t.url() + " "
              + (t.everUp() ? "(" + (t.sources().isEmpty() ? "no known source" : String.join(", ", t.sources()))
              + ")" : "down: " + t.problem()));
        }
        if (targets.isEmpty()) {
          progress.println("server metrics: not watched (--no-metrics): the report has the client's side only");
        }
        progress.flush();
        watch.start();
        StepRunner runner = new StepRunner(client, prompts, new Random(s.seed), new StepRunner.Limits(s.warmup,
            s.stepDuration, s.stepTimeLimit, s.maxOutstanding), origin, new AtomicInteger());
        int failingInARow = 0;
        for (int i = 0; i < s.loads.size(); i++) {
          if (System.nanoTime() >= deadline) {
            stopped = "time_limit";
            break;
          }
          AtomicReference<CompletableFuture<Map<String, ScrapeResult>>> startMark = new AtomicReference<>();
          StepRunner.StepRun run = runner.run(i + 1, s.mode, s.loads.get(i), deadline,
              () -> startMark.set(watch.mark()));
          boolean interrupted = Thread.interrupted();
          Optional<Map<String, ScrapeResult>> atStart = interrupted ? Optional.empty() : await(startMark.get());
          Optional<Map<String, ScrapeResult>> atEnd = atStart.isEmpty() ? Optional.empty() : await(watch.mark());
          interrupted |= Thread.interrupted() || (!targets.isEmpty() && atEnd.isEmpty());
          ServerStats serverStats = targets.isEmpty() ? ServerStats.none(List.of("server metrics not watched"))
              : atEnd.isPresent() ? watch.step(atStart.get(), atEnd.get(), run.measureStartMicros() / 1e6,
              run.measureEndMicros() / 1e6) : ServerStats.none(List.of("stopped before the step's end"));
          StepResult step = StepResult.of(run, ClientStats.of(run, s.slos), serverStats, s.goodputTarget);
          steps.add(step);
          requests.addAll(run.records());
          progress.println(Summaries.stepLine(step, s.loads.size()));
          progress.flush();
          if (interrupted || run.stop() == StepRunner.Stop.INTERRUPTED) {
            stopped = "interrupted";
            break;
          }
          if (run.stop() == StepRunner.Stop.TIME_LIMIT) {
            stopped = "time_limit";
            break;
          }
          failingInARow = step.meetsSlo() ? 0 : failingInARow + 1;
          if (s.stopAfterFailingSteps > 0 && failingInARow >= s.stopAfterFailingSteps && i < s.loads.size() - 1) {
            stopped = "failing_steps";
            notes.add("The sweep stopped after " + failingInARow + " failing step(s) in a row"
                + " (--stop-after-failing " + s.stopAfterFailingSteps + ").");
            break;
          }
        }
      }
      timeline = watch.timeline();
      targetReports = watch.targets();
    }
    Thread.interrupted(); // an interrupt is handled by now: the report must still be written
    Verdict verdict = Verdict.of(steps, s.slos, s.goodputTarget, s.accelerators, s.pricePerHour);
    List<String> problems = new ArrayList<>();
    notes(steps, verdict, targetReports, notes, problems, stopped);
    LoadTestReport report = new LoadTestReport(s, model, prompts.describe(), started, Instant.now(), stopped, steps,
        timeline, targetReports, verdict, notes, version());
    write(report, requests);
    boolean anyOk = requests.stream().anyMatch(RequestRecord::ok);
    if (!anyOk && !steps.isEmpty()) {
      problems.add("no request succeeded: " + requests.stream().filter(r -> r.error() != null).map(
          RequestRecord::error).findFirst().orElse("none was sent"));
    }
    return new Result(report, problems, !problems.isEmpty());
  }

  /** Waits for the step-boundary scrapes; empty when interrupted. */
  private static Optional<Map<String, ScrapeResult>> await(CompletableFuture<Map<String, ScrapeResult>> f) {
    if (f == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(f.get(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("step scrapes failed unexpectedly", e);
    }
  }

  private void notes(List<StepResult> steps, Verdict verdict, List<ServerWatch.TargetReport> targets,
      List<String> notes, List<String> problems, String stopped) {
    LoadTestSettings s = settings;
    if (stopped.equals("interrupted")) {
      notes.add(0, "The run was stopped (Ctrl-C): the report has what was measured until then; the last step is"
          + " partial.");
    } else if (stopped.equals("time_limit")) {
      notes.add(0, "The run reached its time limit (--time-limit " + Figures.duration(seconds(s.timeLimit))
          + "): the report has what was measured until then.");
    }
    for (ServerWatch.TargetReport t : targets) {
      if (!t.everUp()) {
        String line = (t.server() ? "the server's metrics at " : "the watched target " + t.name() + " at ")
            + t.url() + " never answered" + (t.problem() == null ? "" : " (" + t.problem() + ")")
            + (t.server() ? "; the report has the client's side only (--no-metrics not to watch them)" : "");
        problems.add(line);
        notes.add(Character.toUpperCase(line.charAt(0)) + line.substring(1) + ".");
      }
    }
    for (StepResult st : steps) {
      if (st.ttftGap().large()) {
        notes.add("Step " + st.index() + ": the client's mean TTFT (" + Figures.duration(st.ttftGap().clientMean())
            + ") is " + Figures.duration(st.ttftGap().gap()) + " above the server's (" + Figures.duration(st.ttftGap()
            .serverMean()) + "): the server's TTFT misses part of the path (a proxy, the API server's queue, a"
            + " disaggregated prefill: vllm#22454); judge the SLO by the client's.");
      }
      int cut = 0;
      for (RequestRecord r : st.run().records()) {
        if (r.status() == RequestRecord.Status.CUT_OFF && !r.warmup()) {
          cut++;
        }
      }
      if (cut > 0 && st.complete()) {
        notes.add("Step " + st.index() + ": " + cut + " measured requests were cut off by the step's time limit"
            + " (--step-time-limit); they count as failed.");
      }
    }
    if (verdict.step() > 0) {
      for (StepResult st : steps) {
        if (st.index() > verdict.firstFailing() && verdict.firstFailing() > 0 && st.meetsSlo()) {
          notes.add("Step " + st.index() + " meets the SLO again after step " + verdict.firstFailing() + " failed;"
              + " the verdict does not count on it (a noisy step: run longer steps).");
        }
      }
    }
    if (Double.isNaN(verdict.accelerators()) && verdict.step() > 0) {
      notes.add("No accelerator was seen in the metrics: watch a dcgm-exporter or neuron-monitor (--watch), or"
          + " give --accelerators, for tokens per second per accelerator.");
    }
  }

  private void write(LoadTestReport report, List<RequestRecord> requests) throws LoadTestException {
    Path out = settings.out;
    try {
      Files.createDirectories(out);
      ReportJson.write(report, out.resolve("report.json"));
      ReportCsv.requests(report, requests, out.resolve("requests.csv"));
      ReportCsv.steps(report, out.resolve("steps.csv"));
      ReportHtml.write(report, out.resolve("report.html"));
      Optional<String> dashboard = dashboard(report);
      if (dashboard.isPresent()) {
        Files.writeString(out.resolve("dashboard.json"), dashboard.get(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new LoadTestException(1, "cannot write the report to " + out + ": " + e.getMessage());
    }
  }

  /** A CloudWatch dashboard of the KPIs of every source the run saw, over the EMF namespace. */
  static Optional<String> dashboard(LoadTestReport report) {
    KpiSources installed = KpiSources.installed();
    Set<Kpi> kpis = new LinkedHashSet<>();
    List<String> titles = new ArrayList<>();
    for (ServerWatch.TargetReport t : report.targets()) {
      for (String name : t.sources()) {
        Optional<SourceDashboard> d = installed.find(name).flatMap(KpiSource::dashboard);
        if (d.isPresent() && !titles.contains(d.get().title())) {
          titles.add(d.get().title());
          kpis.addAll(d.get().kpis());
        }
      }
    }
    if (kpis.isEmpty()) {
      return Optional.empty();
    }
    kpis.add(Kpi.SLO_GOODPUT);
    kpis.add(Kpi.SATURATION);
    SourceDashboard merged = SourceDashboard.builder("Load test " + report.settings().label + " ("
        + String.join(", ", titles) + ")").kpis(kpis.toArray(new Kpi[0])).build();
    return Optional.of(CloudWatchDashboard.builder(merged).namespace(report.settings().namespace)
        .region(report.settings().region).build().body());
  }

  /** The version the build wrote next to the command's classes. */
  static String version() {
    try (InputStream in = LoadTest.class.getResourceAsStream("/io/github/infermetrics/cli/version.txt")) {
      if (in != null) {
        String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return "unknown";
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}

package io.github.infermetrics.cli.loadtest;

import static io.github.infermetrics.cli.loadtest.SvgChart.esc;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.Slo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code report.html}: one self-contained page (styles inline, charts as inline SVG, no script, no font, no
 * request of any kind; its Content-Security-Policy forbids them, so it opens the same offline, from a mail or an
 * S3 bucket). The verdict first, then the steps, the charts and what to know.
 */
final class ReportHtml {
  /** Distributions are drawn with at most this many points per step. */
  private static final int CDF_POINTS = 200;

  private ReportHtml() {}

  static void write(LoadTestReport r, Path file) throws IOException {
    Files.writeString(file, page(r), StandardCharsets.UTF_8);
  }

  static String page(LoadTestReport r) {
    LoadTestSettings s = r.settings();
    Verdict v = r.verdict();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
            + " img-src data:\">\n")
        .append("<link rel=\"icon\" href=\"data:,\">\n")
        .append("<title>Load test ").append(esc(s.label)).append(": ").append(esc(r.model())).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    h.append("<header><h1>Load test <span class=\"label\">").append(esc(s.label)).append("</span></h1><p>")
        .append(esc(r.model())).append(" at ").append(esc(s.endpoint().toString()));
    if (s.instanceType != null) {
      h.append(" on ").append(esc(s.instanceType));
    }
    h.append("<br>").append(esc(r.started().toString())).append(", ")
        .append(esc(Figures.duration(Duration.between(r.started(), r.ended()).toNanos() / 1e9))).append("; ")
        .append(esc(s.mode.text())).append(" sweep of ").append(r.steps().size()).append(" step")
        .append(r.steps().size() == 1 ? "" : "s").append(", ").append(esc(r.workload()));
    if (!r.complete()) {
      h.append("<br><strong class=\"partial\">Partial run (").append(esc(r.stopped().replace('_', ' ')))
          .append("): the report has what was measured.</strong>");
    }
    h.append("</p></header>\n");

    h.append("<section class=\"verdict ").append(v.step() > 0 ? "ok" : "fail").append("\" id=\"verdict\">")
        .append("<h2>Verdict</h2><p class=\"summary\">").append(esc(v.summary())).append("</p>");
    if (!v.signals().isEmpty()) {
      h.append("<ul class=\"signals\">");
      for (String sig : v.signals()) {
        h.append("<li>").append(esc(sig)).append("</li>");
      }
      h.append("</ul>");
    }
    h.append("<dl class=\"figures\">");
    figure(h, "Highest load meeting the SLO", v.step() == 0 ? "none" : s.mode.describe(r.steps().get(v.step() - 1)
        .load()));
    figure(h, "Requests/s there", Figures.round(v.requestsPerSecond(), 3));
    figure(h, "Output tokens/s there", Figures.round(v.outputTokensPerSecond(), 4));
    figure(h, "Per accelerator", Figures.round(v.outputTokensPerSecondPerAccelerator(), 4)
        + (Double.isNaN(v.accelerators()) ? "" : " (" + Figures.load(v.accelerators()) + ")"));
    figure(h, "Cost per million output tokens", Figures.usd(v.usdPerMillionOutputTokens())
        + (Double.isNaN(v.pricePerHour()) ? "" : " at " + Figures.usd(v.pricePerHour()) + "/h"));
    figure(h, "Limit", Verdict.limitText(v.limit()));
    figure(h, "SLO", String.join(", ", s.slos.stream().map(Slo::name).toList()) + ", goodput >= "
        + Figures.percent(s.goodputTarget));
    h.append("</dl></section>\n");

    steps(h, r);
    charts(h, r);

    h.append("<section id=\"notes\"><h2>What to know</h2><ul>");
    for (String n : r.notes()) {
      h.append("<li>").append(esc(n)).append("</li>");
    }
    h.append("<li>Each step starts with a warm-up of ").append(esc(Figures.duration(LoadTest.seconds(s.warmup))))
        .append(" whose requests are not in its statistics; the measured time is ")
        .append(esc(Figures.duration(LoadTest.seconds(s.stepDuration)))).append(".</li>")
        .append("<li>Goodput is the share of a step's measured requests (failed and unsent ones included) that"
            + " succeeded and met every objective; an itl objective is checked against each request's TPOT"
            + " (E2E − TTFT over its output tokens after the first), as vllm bench serve does.</li>")
        .append("<li>Percentiles interpolate between closest ranks (numpy's default); the server's are PromQL's"
            + " histogram_quantile over its buckets, and its means are exact.</li>")
        .append("<li>The data: report.json (schema infermetrics-loadtest-report/1), requests.csv (every request,"
            + " every inter-token gap), steps.csv.</li>");
    h.append("</ul></section>\n");

    h.append("<section id=\"targets\"><h2>Watched</h2><table><thead><tr><th>Target</th><th>URL</th>"
        + "<th>Sources</th><th>Windows</th><th>State</th></tr></thead><tbody>");
    if (r.targets().isEmpty()) {
      h.append("<tr><td colspan=\"5\">no server metrics (--no-metrics)</td></tr>");
    }
    for (ServerWatch.TargetReport t : r.targets()) {
      h.append("<tr><td>").append(esc(t.name())).append("</td><td>").append(esc(t.url())).append("</td><td>")
          .append(esc(String.join(", ", t.sources()))).append("</td><td>").append(t.windows()).append("</td><td>")
          .append(t.everUp() ? "up" : "never up").append(t.problem() == null ? "" : ": " + esc(t.problem()))
          .append("</td></tr>");
    }
    h.append("</tbody></table></section>\n");
    h.append("<footer>infermetrics ").append(esc(r.version())).append(" loadtest, ").append(esc(r.ended()
        .toString())).append("</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void figure(StringBuilder h, String name, String value) {
    h.append("<div><dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd></div>");
  }

  private static void steps(StringBuilder h, LoadTestReport r) {
    h.append("<section id=\"steps\"><h2>Steps</h2><div class=\"scroll\"><table class=\"steps\"><thead><tr>")
        .append("<th>Step</th><th>Load</th><th>Requests</th><th>Failed</th><th>Req/s</th><th>Out tok/s</th>")
        .append("<th>TTFT p50 / p99</th><th>TPOT p50 / p99</th><th>E2E p50 / p99</th><th>Goodput</th>")
        .append("<th title=\"the server's TTFT p50\">Srv TTFT</th><th>Queue max</th><th>KV max</th>")
        .append("<th title=\"accelerator utilisation, mean\">Accel</th>")
        .append("</tr></thead><tbody>");
    for (StepResult st : r.steps()) {
      ClientStats c = st.client();
      ServerStats sv = st.server();
      String cls = st.index() == r.verdict().step() ? "verdict" : st.meetsSlo() ? "pass" : "fail";
      h.append("<tr class=\"").append(cls).append("\"><td>").append(st.index()).append(st.complete() ? ""
          : " (partial)").append("</td><td>").append(esc(Figures.load(st.load()) + (st.run().mode() == LoadMode.RATE ? " req/s" : " in flight")))
          .append("</td><td>")
          .append(c.due()).append("</td><td>").append(c.due() - c.succeeded()).append("</td><td>")
          .append(Figures.round(c.achievedRate(), 3)).append("</td><td>")
          .append(Figures.round(c.outputTokensPerSecond(), 4)).append("</td><td>")
          .append(esc(pair(c.ttft()))).append("</td><td>").append(esc(pair(c.tpot()))).append("</td><td>")
          .append(esc(pair(c.e2e()))).append("</td><td>").append(esc(Figures.percent(c.goodput())))
          .append(st.meetsSlo() ? " ✓" : " ✗").append("</td><td>").append(esc(Figures.duration(sv.ttft().p50())))
          .append("</td><td>").append(Figures.round(sv.gauge(ServerSample.Gauge.QUEUE_DEPTH).max(), 3))
          .append("</td><td>").append(esc(Figures.percent(sv.gauge(ServerSample.Gauge.KV_CACHE_USAGE).max())))
          .append("</td><td>").append(esc(Figures.percent(sv.gauge(ServerSample.Gauge.ACCELERATOR_UTILIZATION)
              .mean()))).append("</td></tr>");
    }
    h.append("</tbody></table></div></section>\n");
  }

  private static String pair(Summary s) {
    return Figures.duration(s.p50()) + " / " + Figures.duration(s.p99());
  }

  private static void charts(StringBuilder h, LoadTestReport r) {
    LoadTestSettings s = r.settings();
    List<StepResult> steps = r.steps();
    double[] loads = steps.stream().mapToDouble(StepResult::load).toArray();
    boolean log = loads.length > 1 && loads[0] > 0 && loads[loads.length - 1] / loads[0] >= 8;
    String loadAxis = s.mode == LoadMode.RATE ? "offered rate (requests/s)" : "concurrency (requests in flight)";
    String why = steps.isEmpty() ? "no step ran" : "no successful request";
    h.append("<section id=\"charts\"><h2>Charts</h2><div class=\"grid\">");

    SvgChart ttft = byLoad("ttft-vs-load", loadAxis, "TTFT (ms)", loads, log);
    for (String stat : new String[] {"p50", "p90", "p95", "p99"}) {
      ttft.line("client " + stat, loads, of(steps, st -> st.client().ttft().get(stat) * 1e3), "ms");
    }
    ttft.rule(objective(s, Kpi.TIME_TO_FIRST_TOKEN) * 1e3, "objective " + name(s, Kpi.TIME_TO_FIRST_TOKEN));
    chart(h, "Time to first token against load", ttft.whenEmpty(why), "The client's TTFT percentiles per step."
        + " A knee where they leave the objective is where requests start to queue.");

    SvgChart itl = byLoad("itl-vs-load", loadAxis, "time per token (ms)", loads, log);
    for (String stat : new String[] {"p50", "p90", "p99"}) {
      itl.line("TPOT " + stat, loads, of(steps, st -> st.client().tpot().get(stat) * 1e3), "ms");
    }
    itl.line("ITL p50", loads, of(steps, st -> st.client().itl().p50() * 1e3), "ms");
    itl.line("ITL p99", loads, of(steps, st -> st.client().itl().p99() * 1e3), "ms");
    itl.rule(objective(s, Kpi.INTER_TOKEN_LATENCY) * 1e3, "objective " + name(s, Kpi.INTER_TOKEN_LATENCY));
    chart(h, "Inter-token latency against load", itl.whenEmpty(why), "TPOT: each request's mean time per token"
        + " after the first (what the itl objective checks); ITL: every gap between chunks, pooled.");

    SvgChart e2e = byLoad("e2e-vs-load", loadAxis, "end-to-end latency (s)", loads, log);
    for (String stat : new String[] {"p50", "p90", "p99"}) {
      e2e.line("E2E " + stat, loads, of(steps, st -> st.client().e2e().get(stat)), "s");
    }
    e2e.rule(objective(s, Kpi.END_TO_END_LATENCY), "objective " + name(s, Kpi.END_TO_END_LATENCY));
    chart(h, "End-to-end latency against load", e2e.whenEmpty(why), "From sending a request to the end of its"
        + " answer.");

    SvgChart rps = byLoad("throughput-vs-load", loadAxis, "requests/s", loads, log);
    rps.line("achieved", loads, of(steps, st -> st.client().achievedRate()), "req/s");
    if (s.mode == LoadMode.RATE) {
      rps.line("offered", loads, of(steps, st -> st.client().offeredRate()), "req/s");
    }
    rps.line("sent", loads, of(steps, st -> st.client().sentRate()), "req/s");
    chart(h, "Throughput against load", rps.whenEmpty(why), "Achieved: successful requests that ended in each"
        + " step's measured time, per second; sent: requests sent (a Poisson draw around the offered rate). Where"
        + " achieved stays below sent, the server has stopped keeping up.");

    SvgChart tps = byLoad("tokens-vs-load", loadAxis, "output tokens/s", loads, log);
    tps.line("client", loads, of(steps, st -> st.client().outputTokensPerSecond()), "tok/s");
    tps.line("server", loads, of(steps, st -> st.server().generationTokensPerSecond()), "tok/s");
    chart(h, "Output tokens/s against load", tps.whenEmpty(why), "The client counts its successful requests'"
        + " tokens; the server its generation counter over the step.");

    SvgChart goodput = byLoad("goodput-vs-load", loadAxis, "goodput (%)", loads, log);
    goodput.line("goodput", loads, of(steps, st -> st.client().goodput() * 100), "%");
    for (Map.Entry<String, Double> e : firstPerSlo(steps).entrySet()) {
      goodput.line(e.getKey(), loads, of(steps, st -> st.client().perSlo().getOrDefault(e.getKey(), Double.NaN)
          * 100), "%");
    }
    goodput.rule(s.goodputTarget * 100, "target " + Figures.percent(s.goodputTarget));
    chart(h, "Goodput against load", goodput.whenEmpty(steps.isEmpty() ? "no step ran" : "no measured request"),
        "The share of requests that met every objective, and each objective alone. A step meets the SLO above"
            + " the target line.");

    SvgChart gap = byLoad("client-vs-server-ttft", loadAxis, "TTFT (ms)", loads, log);
    gap.line("client mean", loads, of(steps, st -> st.client().ttft().mean() * 1e3), "ms");
    gap.line("server mean", loads, of(steps, st -> st.server().ttft().mean() * 1e3), "ms");
    gap.line("client p50", loads, of(steps, st -> st.client().ttft().p50() * 1e3), "ms");
    gap.line("server p50", loads, of(steps, st -> st.server().ttft().p50() * 1e3), "ms");
    chart(h, "Client against server TTFT", gap.whenEmpty("no TTFT from the server's metrics"), "They should"
        + " differ by the network; a large gap means the server's metric misses part of the path (vllm#22454)."
        + " The server's p50 is interpolated in its histogram buckets; its mean is exact.");

    SvgChart ttftCdf = new SvgChart("ttft-distribution", "TTFT (ms)", "requests at or below (%)");
    boolean ttftLog = distribution(ttftCdf, steps, st -> st.run().records().stream().filter(q -> !q.warmup()
        && q.ok()).mapToDouble(q -> q.ttftSeconds() * 1e3).filter(d -> !Double.isNaN(d)).toArray());
    ttftCdf.logX(ttftLog);
    chart(h, "TTFT distribution per step", ttftCdf.whenEmpty(why), "The cumulative share of each step's"
        + " successful requests by TTFT.");

    SvgChart itlCdf = new SvgChart("itl-distribution", "gap between tokens (ms)", "gaps at or below (%)");
    boolean itlLog = distribution(itlCdf, steps, st -> st.run().records().stream().filter(q -> !q.warmup()
        && q.ok()).flatMapToLong(q -> Arrays.stream(q.gapMicros())).mapToDouble(g -> g / 1e3).toArray());
    itlCdf.logX(itlLog);
    chart(h, "ITL distribution per step", itlCdf.whenEmpty(why), "The cumulative share of the gaps between"
        + " chunks with output, per step.");

    List<ServerSample> tl = r.timeline();
    String none = r.targets().isEmpty() ? "server metrics not watched" : "no window from the server's metrics";
    SvgChart kv = overTime("kv-over-time", "share (%)", r);
    series(kv, tl, ServerSample.Gauge.KV_CACHE_USAGE, "KV cache", 100, "%");
    series(kv, tl, ServerSample.Gauge.SATURATION, "saturation", 100, "%");
    chart(h, "KV cache and saturation over time", kv.whenEmpty(none), "The server's KV-cache use and its"
        + " saturation (the largest of queue pressure, KV cache and accelerator use); shaded: each step's"
        + " measured time.");

    SvgChart queue = overTime("queue-over-time", "requests", r);
    series(queue, tl, ServerSample.Gauge.QUEUE_DEPTH, "waiting", 1, "");
    series(queue, tl, ServerSample.Gauge.BATCH_SIZE, "running (batch)", 1, "");
    chart(h, "Queue and batch over time", queue.whenEmpty(none), "Requests waiting and running. A queue that"
        + " grows through a step is a load the server cannot sustain.");

    SvgChart accel = overTime("accelerator-over-time", "share (%)", r);
    series(accel, tl, ServerSample.Gauge.ACCELERATOR_UTILIZATION, "utilisation", 100, "%");
    List<double[]> memory = new ArrayList<>();
    for (ServerSample x : tl) {
      double used = x.get(ServerSample.Gauge.ACCELERATOR_MEMORY_USED);
      double total = x.get(ServerSample.Gauge.ACCELERATOR_MEMORY_TOTAL);
      if (!Double.isNaN(used) && total > 0) {
        memory.add(new double[] {x.seconds(), used / total * 100});
      }
    }
    accel.curve("memory used", memory.stream().mapToDouble(p -> p[0]).toArray(),
        memory.stream().mapToDouble(p -> p[1]).toArray(), "%");
    chart(h, "Accelerator utilisation over time", accel.whenEmpty(r.targets().isEmpty() ? none
        : "no accelerator metrics: watch a dcgm-exporter or neuron-monitor with --watch"), "The accelerators'"
        + " busy share (the mean over devices) and memory in use.");

    SvgChart tokens = overTime("server-tokens-over-time", "tokens/s", r);
    series(tokens, tl, ServerSample.Gauge.GENERATION_TOKEN_RATE, "output", 1, "tok/s");
    series(tokens, tl, ServerSample.Gauge.PROMPT_TOKEN_RATE, "prompt", 1, "tok/s");
    chart(h, "Server tokens/s over time", tokens.whenEmpty(none), "The server's own token counters per scrape"
        + " window.");
    h.append("</div></section>\n");
  }

  private static SvgChart byLoad(String id, String xLabel, String yLabel, double[] loads, boolean log) {
    return new SvgChart(id, xLabel, yLabel).xTicks(loads).logX(log);
  }

  private static SvgChart overTime(String id, String yLabel, LoadTestReport r) {
    SvgChart c = new SvgChart(id, "time since the start (s)", yLabel);
    for (StepResult st : r.steps()) {
      c.band(st.run().measureStartMicros() / 1e6, st.run().measureEndMicros() / 1e6, String.valueOf(st.index()));
    }
    return c;
  }

  /** One curve per target that has the gauge. */
  private static void series(SvgChart c, List<ServerSample> timeline, ServerSample.Gauge g, String name,
      double scale, String unit) {
    Map<String, List<double[]>> byTarget = new LinkedHashMap<>();
    for (ServerSample x : timeline) {
      double v = x.get(g);
      if (!Double.isNaN(v)) {
        byTarget.computeIfAbsent(x.target(), k -> new ArrayList<>()).add(new double[] {x.seconds(), v * scale});
      }
    }
    for (Map.Entry<String, List<double[]>> e : byTarget.entrySet()) {
      List<double[]> pts = e.getValue();
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      c.line(byTarget.size() == 1 ? name : name + " (" + e.getKey() + ")", pts.stream().mapToDouble(p -> p[0])
          .toArray(), pts.stream().mapToDouble(p -> p[1]).toArray(), unit);
    }
  }

  /** A cumulative distribution per step; true when the values spread wide enough for a log axis. */
  private static boolean distribution(SvgChart c, List<StepResult> steps,
      java.util.function.Function<StepResult, double[]> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (StepResult st : steps) {
      double[] v = values.apply(st);
      Arrays.sort(v);
      if (v.length == 0) {
        continue;
      }
      int n = Math.min(v.length, CDF_POINTS);
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        int idx = n == v.length ? i : (int) Math.round((double) i * (v.length - 1) / (n - 1));
        x[i] = v[idx];
        y[i] = (idx + 1) * 100.0 / v.length;
      }
      lo = Math.min(lo, v[0]);
      hi = Math.max(hi, v[v.length - 1]);
      c.curve("step " + st.index() + " (" + Figures.load(st.load()) + ")", x, y, "%");
    }
    return lo > 0 && hi / lo > 20;
  }

  private static Map<String, Double> firstPerSlo(List<StepResult> steps) {
    return steps.isEmpty() ? Map.of() : steps.get(0).client().perSlo();
  }

  private static double[] of(List<StepResult> steps, ToDoubleFunction<StepResult> f) {
    return steps.stream().mapToDouble(f).toArray();
  }

  private static double objective(LoadTestSettings s, Kpi kpi) {
    for (Slo o : s.slos) {
      if (o.kpi() == kpi) {
        return o.seconds();
      }
    }
    return Double.NaN;
  }

  private static String name(LoadTestSettings s, Kpi kpi) {
    for (Slo o : s.slos) {
      if (o.kpi() == kpi) {
        return o.name();
      }
    }
    return "";
  }

  private static void chart(StringBuilder h, String title, SvgChart c, String caption) {
    h.append("<figure><h3>").append(esc(title)).append("</h3>").append(c.svg()).append("<figcaption>")
        .append(esc(caption)).append("</figcaption></figure>");
  }

  private static final String STYLE = String.join("\n",
      ":root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--ok:#1a7f37;--fail:#cf222e;--bg:#fff}",
      "*{box-sizing:border-box}",
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:var(--fg);"
          + "background:var(--bg);margin:0 auto;max-width:1280px;padding:24px}",
      "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:14px;margin:0 0 6px}",
      "header p{color:var(--muted);margin:0}.label{font-family:ui-monospace,monospace}",
      ".partial{color:var(--fail)}",
      ".verdict{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:6px;padding:12px 16px;"
          + "margin-top:18px}",
      ".verdict.fail{border-left-color:var(--fail)}.verdict h2{margin-top:0}.summary{font-size:15px}",
      ".signals{margin:6px 0;color:var(--muted)}",
      ".figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px;margin:10px 0 0}",
      ".figures div{background:#f6f8fa;border-radius:6px;padding:6px 10px}",
      ".figures dt{color:var(--muted);font-size:12px}.figures dd{margin:0;font-size:16px;font-weight:600}",
      "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}",
      "th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:right;white-space:nowrap}",
      "table.steps{font-size:12.5px}table.steps td,table.steps th{padding:3px 5px}",
      "th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}",
      "#targets td,#targets th{text-align:left;white-space:normal}",
      "tr.fail td{color:var(--fail)}tr.verdict td{background:#dafbe1;font-weight:600}",
      ".scroll{overflow-x:auto}",
      ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:20px}",
      "figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:10px}",
      "figcaption{color:var(--muted);font-size:12px;margin-top:4px}",
      "svg.chart{width:100%;height:auto;display:block}svg text{font-size:11px;fill:var(--fg)}",
      "line.grid{stroke:#eaeef2}.axis{stroke:#57606a}.tickmark{stroke:#57606a}",
      "text.tick{fill:var(--muted)}text.axis-label{fill:var(--muted)}",
      "path.line{stroke-width:2}.band{fill:#f2f4f7}text.band-label{fill:#8c959f;font-size:10px}",
      ".rule{stroke:#cf222e;stroke-dasharray:5 4}text.rule-label{fill:#cf222e}",
      "svg.empty text{fill:var(--muted);font-size:13px}",
      "footer{color:var(--muted);font-size:12px;margin-top:28px}");
}

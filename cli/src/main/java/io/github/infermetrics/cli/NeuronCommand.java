package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.neuron.ContainerInsightsMapping;
import io.github.infermetrics.neuron.NeuronKpis;
import io.github.infermetrics.neuron.NeuronPrometheusExporter;
import io.github.infermetrics.neuron.NeuronReport;
import io.github.infermetrics.neuron.NeuronReportException;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infermetrics neuron [--input FILE|-] [--port N] [--emf SINK] [--json]}: reads neuron-monitor's JSON reports
 * (one per line) and serves them as neuron-monitor-prometheus.py would, writes them as EMF, and/or prints their
 * KPIs. A drop-in for {@code neuron-monitor | neuron-monitor-prometheus.py --port 8000}:
 *
 * <pre>
 * neuron-monitor | java -jar infermetrics.jar neuron --port 8000
 * </pre>
 */
@Command(
    name = "neuron",
    mixinStandardHelpOptions = true,
    description = {
        "Read neuron-monitor JSON reports (one per line) and serve them on /metrics exactly as"
            + " neuron-monitor-prometheus.py does (--port), write their KPIs and Container Insights metrics as EMF"
            + " (--emf), and/or print their KPIs (--json, or tables when neither --port nor --emf is given).",
        "A bad line is reported (FILE:LINE:COL: $.json.path: reason) and skipped; the stream goes on.",
        "With --port, the last report keeps being served after the input ends, until the process is stopped.",
        "Without --input, it reads standard input (and says so on a terminal).",
        "Exit 0 on success, 1 when a line was bad or the input is not neuron-monitor JSON, 2 on usage errors and a"
            + " FILE that cannot be opened (--input, --emf). Ctrl-C and SIGTERM end it as the end of the input"
            + " does: 0, or 1 when a line was bad."},
    footer = {"", "Examples:",
        "  neuron-monitor | infermetrics neuron --port 8000",
        "  infermetrics neuron --input report.ndjson --json",
        "  neuron-monitor | infermetrics neuron --emf tcp://127.0.0.1:25888 --namespace Neuron"})
final class NeuronCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", defaultValue = "-", paramLabel = "FILE|-",
      description = "Where the reports come from (default: standard input).")
  String input;

  @Option(names = "--port", paramLabel = "N", description = "Serve GET /metrics on this port (0 picks a free one).")
  Integer port;

  @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
      description = "The address --port listens on (default: all interfaces, as the Python exporter does).")
  String bind;

  @Option(names = "--emf", paramLabel = "SINK",
      description = "Write each report's KPIs as CloudWatch EMF: stdout, a FILE (appended), tcp://HOST:PORT or"
          + " udp://HOST:PORT (the CloudWatch agent, port 25888).")
  String emf;

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "infermetrics",
      description = "The CloudWatch namespace of the EMF KPIs (default: infermetrics).")
  String namespace;

  @Option(names = "--dimension", paramLabel = "K=V", description = "An extra dimension on every EMF metric"
      + " (repeatable).")
  java.util.Map<String, String> dimensions;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "With --emf, also write the Container"
      + " Insights neuron metrics (node_neuroncore_utilization, ...) in the ContainerInsights namespace, with this"
      + " ClusterName.")
  String clusterName;

  @Option(names = "--node-name", paramLabel = "NAME", description = "The NodeName dimension of the Container"
      + " Insights metrics (default: none; InstanceId is always there).")
  String nodeName;

  @Option(names = "--json", description = "Print each report's KPIs as one JSON object per line.")
  boolean json;

  @Option(names = "--max-line-bytes", defaultValue = "" + NeuronReportReader.DEFAULT_MAX_LINE_BYTES,
      paramLabel = "BYTES", description = "The longest report line read; a longer one is reported and skipped.")
  int maxLineBytes;

  /** Stops a --port run that is serving after its input ended; for tests (Ctrl-C does it otherwise). */
  volatile Thread servingThread;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port != null && (port < 0 || port > 65535)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535: " + port);
    }
    if (maxLineBytes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-line-bytes must be positive");
    }
    String name = FileProblem.name(input);
    if (clusterName != null && emf == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-name needs --emf");
    }
    InputStream in;
    try {
      in = FileProblem.open(input);
    } catch (IOException e) {
      err.println(name + ": " + FileProblem.reason(input, e));
      return FileProblem.EXIT_CODE;
    }
    if (emf != null) {
      try {
        emfOut = new EmfOutput(emf, namespace, dimensions);
      } catch (IllegalArgumentException e) {
        FileProblem.closeQuietly(in);
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } catch (UncheckedIOException e) {
        FileProblem.closeQuietly(in);
        err.println("--emf " + emf + ": " + FileProblem.reason(emf, e.getCause()));
        return FileProblem.EXIT_CODE;
      }
      if (clusterName != null) {
        ContainerInsightsMapping.Builder b = ContainerInsightsMapping.builder().clusterName(clusterName);
        if (nodeName != null) {
          b.nodeName(nodeName);
        }
        containerInsights = b.build();
      }
    }
    NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
    try {
      if (port != null) {
        endpoint = exporter.serve(new InetSocketAddress(InetAddress.getByName(bind), port));
        err.println("serving http://" + hostForUrl(endpoint.address()) + ":" + endpoint.port() + "/metrics");
        err.flush();
      }
    } catch (IOException e) {
      err.println("cannot serve on " + bind + ":" + port + ": " + e.getMessage());
      FileProblem.closeQuietly(in);
      closeEmf(err);
      return 1;
    }
    // Ctrl-C or SIGTERM ends the run as the end of the input does: 0, or 1 when a line was bad
    SignalExit onSignal = SignalExit.install("infermetrics-neuron-stop", () -> stop(out, err));
    try {
      if (input.equals("-") && System.console() != null) {
        err.println("reading neuron-monitor reports from standard input (pipe neuron-monitor into it, or give"
            + " --input FILE; Ctrl-C stops)");
        err.flush();
      }
      try (InputStream stream = new BufferedInputStream(in, FIRST_LINE_BYTES)) {
        String notReports = notReports(stream);
        if (notReports != null) {
          err.println(name + ": " + notReports);
          return 1;
        }
        NeuronReportReader reader = NeuronReportReader.builder().maxLineBytes(maxLineBytes)
            .onError(e -> {
              badLines.incrementAndGet();
              err.println(name + ":" + location(e) + ": " + shortPath(e.jsonPath()) + ": " + readable(e.reason()));
              err.flush();
            })
            .build(stream);
        long reports = 0;
        for (NeuronReport report : reader) {
          if (!hasMetricGroup(report)) {
            err.println(name + ":" + reader.lines() + ":1: $: no metric group (neuron_runtime_data[].report or"
                + " system_data), so no period and nothing to report; skipped");
            err.flush();
            badLines.incrementAndGet();
            continue;
          }
          reports++;
          exporter.update(report);
          print(report, out);
        }
        long bad = badLines.get();
        if (reports == 0 && bad > 0) {
          err.println(name + ": no neuron-monitor report read (" + bad + " bad line" + (bad == 1 ? "" : "s") + ")");
        }
      } catch (IOException | UncheckedIOException e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        err.println(name + ": cannot read: " + cause.getMessage());
        return 1;
      }
      if (endpoint != null) {
        serveUntilStopped();
      }
      return badLines.get() > 0 ? 1 : 0;
    } finally {
      onSignal.close();
      if (endpoint != null) {
        endpoint.close();
      }
      closeEmf(err);
    }
  }

  /** The stop action of Ctrl-C and SIGTERM: what the end of the input does, then the exit code. */
  private int stop(PrintWriter out, PrintWriter err) {
    NeuronPrometheusExporter.Endpoint e = endpoint;
    if (e != null) {
      e.close();
    }
    out.flush();
    closeEmf(err);
    err.flush();
    return badLines.get() > 0 ? 1 : 0;
  }

  /** How much of the input is looked at before reading reports: enough for a first line of any real report. */
  private static final int FIRST_LINE_BYTES = 64 * 1024;

  /**
   * Why the input is not neuron-monitor's output (one JSON report per line), from its first line, or null when it
   * may be: a Prometheus exposition or other text would otherwise give one error per line, and a pretty-printed
   * report one error per line of it.
   */
  static String notReports(InputStream in) throws IOException {
    // byte by byte up to the first line's end: a live neuron-monitor writes one line per period, so reading
    // further would wait for the next ones
    in.mark(FIRST_LINE_BYTES);
    byte[] head = new byte[FIRST_LINE_BYTES];
    int n = 0;
    boolean content = false;
    for (int b; n < head.length && (b = in.read()) >= 0; ) {
      head[n++] = (byte) b;
      content |= b != ' ' && b != '\t' && b != '\r' && b != '\n';
      if (content && b == '\n') {
        break;
      }
    }
    in.reset();
    int i = 0;
    int line = 1;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
      line += head[i] == '\n' ? 1 : 0;
      i++;
    }
    if (n - i >= 3 && (head[i] & 0xff) == 0xef && (head[i + 1] & 0xff) == 0xbb && (head[i + 2] & 0xff) == 0xbf) {
      i += 3; // a UTF-8 byte order mark, which the reader skips too
    }
    if (i == n) {
      return null; // empty, or blank so far
    }
    int eol = i;
    while (eol < n && head[eol] != '\n') {
      eol++;
    }
    String first = new String(head, i, eol - i, StandardCharsets.UTF_8).strip();
    if (head[i] != '{') {
      boolean exposition = first.startsWith("# HELP ") || first.startsWith("# TYPE ")
          || first.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*)? .*");
      String shown = (first.length() > 40 ? first.substring(0, 40) + "..." : first).replaceAll("\\p{Cntrl}", "?");
      return "this is not neuron-monitor JSON (one JSON report per line): line " + line + " starts with '" + shown
          + "'"
          + (exposition ? "; it looks like a Prometheus exposition (check it with 'infermetrics parse')" : "");
    }
    if (first.equals("{") && eol < n) {
      return "this is a JSON document spread over several lines; neuron-monitor writes one report per line (join it"
          + " with: jq -c . FILE)";
    }
    return null;
  }

  /** A report with no metric group has no period and nothing to measure: {@code {}} is not a report. */
  private static boolean hasMetricGroup(NeuronReport report) {
    for (NeuronReport.Runtime r : report.runtimes()) {
      NeuronReport.RuntimeReport g = r.report();
      if (g.neuroncoreCounters().isPresent() || g.executionStats().isPresent() || g.memoryUsed().isPresent()
          || g.vcpuUsage().isPresent()) {
        return true;
      }
    }
    NeuronReport.SystemData s = report.system();
    return s.vcpuUsage().isPresent() || s.memoryInfo().isPresent() || s.hwCounters().isPresent();
  }

  /** Jackson's location, which its messages carry as "[Source: REDACTED ...; line: 1, column: 5]", as a column. */
  private static final java.util.regex.Pattern JACKSON_LOCATION =
      java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: \\d+, column: (\\d+)\\]");

  static String readable(String reason) {
    return JACKSON_LOCATION.matcher(reason).replaceAll("column $1");
  }

  /** A JSON path short enough for one line (a 1,000-deep nesting would print 3,000 characters). */
  static String shortPath(String path) {
    return path.length() <= 80 ? path : path.substring(0, 60) + "..." + path.substring(path.length() - 17);
  }

  private volatile EmfOutput emfOut;
  private ContainerInsightsMapping containerInsights;
  private volatile NeuronPrometheusExporter.Endpoint endpoint;
  /** Lines reported as bad so far (the reader's errors and reports with nothing in them). */
  private final AtomicLong badLines = new AtomicLong();

  /** Closes the EMF output once (the end of the input and a signal may both ask) and says what it did. */
  private synchronized void closeEmf(PrintWriter err) {
    if (emfOut != null) {
      emfOut.close();
      err.println(emfOut.summary());
      err.flush();
      emfOut = null;
    }
  }

  private void print(NeuronReport report, PrintWriter out) {
    EmfOutput emfOut = this.emfOut; // a signal may close it meanwhile: later writes are dropped and counted
    if (emfOut == null && !json && port != null) {
      return; // serving only: the exporter has the report, and no KPI is wanted here
    }
    Instant now = Instant.now();
    NeuronKpis kpis = NeuronKpis.of(report);
    KpiSet set = kpis.toKpiSet("", now);
    if (emfOut != null) {
      emfOut.write(set);
      if (containerInsights != null) {
        emfOut.write(containerInsights.map(report), now.toEpochMilli());
      }
    }
    if (!json && (port != null || emfOut != null)) {
      return; // serving or writing EMF: that is the output
    }
    if (json) {
      out.print(KpiReportWriter.json(set, kpis.tables()));
    } else {
      KpiReportWriter.text(set, kpis.tables(), out, KpiReportWriter.terminalWidth());
      out.println();
    }
    out.flush();
  }

  private void serveUntilStopped() {
    servingThread = Thread.currentThread();
    try {
      // the JVM's shutdown (Ctrl-C, SIGTERM) ends this; tests interrupt the thread
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(60_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String location(NeuronReportException e) {
    return e.line() + ":" + Math.max(1, e.column());
  }

  private static String hostForUrl(InetSocketAddress address) {
    String host = address.getAddress().isAnyLocalAddress() ? "0.0.0.0" : address.getAddress().getHostAddress();
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.neuron.ContainerInsightsMapping;
import io.github.infermetrics.neuron.NeuronKpis;
import io.github.infermetrics.neuron.NeuronPrometheusExporter;
import io.github.infermetrics.neuron.NeuronReport;
import io.github.infermetrics.neuron.NeuronReportException;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.concurrent.Callable;
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
        "Exit 0 on success, 1 when a line was bad, 2 on usage errors or unreadable input."},
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
    String name = input.equals("-") ? "<stdin>" : input;
    if (clusterName != null && emf == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-name needs --emf");
    }
    if (emf != null) {
      try {
        emfOut = new EmfOutput(emf, namespace, dimensions);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } catch (UncheckedIOException e) {
        err.println("cannot open --emf " + emf + ": " + e.getCause().getMessage());
        return 1;
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
    NeuronPrometheusExporter.Endpoint endpoint = null;
    try {
      if (port != null) {
        endpoint = exporter.serve(new InetSocketAddress(InetAddress.getByName(bind), port));
        err.println("serving http://" + hostForUrl(endpoint.address()) + ":" + endpoint.port() + "/metrics");
        err.flush();
      }
    } catch (IOException e) {
      err.println("cannot serve on " + bind + ":" + port + ": " + e.getMessage());
      closeEmf(err);
      return 1;
    }
    try {
      long bad;
      try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Paths.get(input))) {
        NeuronReportReader reader = NeuronReportReader.builder().maxLineBytes(maxLineBytes)
            .onError(e -> {
              err.println(name + ":" + location(e) + ": " + e.jsonPath() + ": " + e.reason());
              err.flush();
            })
            .build(in);
        for (NeuronReport report : reader) {
          exporter.update(report);
          print(report, out);
        }
        bad = reader.errors();
      } catch (NoSuchFileException e) {
        err.println(name + ": no such file");
        return 2;
      } catch (IOException | UncheckedIOException e) {
        err.println(name + ": cannot read: " + e.getMessage());
        return 2;
      }
      if (endpoint != null) {
        serveUntilStopped();
      }
      return bad > 0 ? 1 : 0;
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
      closeEmf(err);
    }
  }

  private EmfOutput emfOut;
  private ContainerInsightsMapping containerInsights;

  private void closeEmf(PrintWriter err) {
    if (emfOut != null) {
      emfOut.close();
      err.println(emfOut.summary());
      err.flush();
    }
  }

  private void print(NeuronReport report, PrintWriter out) {
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

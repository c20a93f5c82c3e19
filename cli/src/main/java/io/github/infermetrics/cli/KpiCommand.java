package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.series.SeriesChange;
import io.github.infermetrics.core.series.SnapshotComparison;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics kpi [--source S] --window SECONDS PREV CURR [--json]}: what happened between two captured
 * expositions taken SECONDS apart. With {@code --source generic} (the default), every series: counters get
 * {@code increase} and {@code rate}; histograms {@code count_rate}, {@code mean} and quantiles 0.5, 0.9, 0.95, 0.99;
 * summaries their quantiles; gauges their {@code value}. With an installed source's name, or {@code auto} to detect
 * every source present, that source's typed serving KPIs as tables.
 */
@Command(
    name = "kpi",
    mixinStandardHelpOptions = true,
    description = {
        "Compare two captured expositions taken --window apart. --source generic (default): every series' counter"
            + " increases and rates, histogram count rates, means and quantiles (as PromQL computes them), summary"
            + " quantiles, gauge values. --source NAME (see 'infermetrics sources': triton, vllm, neuron, ...): that"
            + " source's serving KPIs per model, GPU or NeuronCore; --source auto detects every source whose"
            + " families are present (generic when none is), for example triton and vllm for Triton's vLLM backend.",
        "PREV and CURR must be captures of the same server: two captures with no series in common are refused, and"
            + " a restart between them (process_start_time_seconds or a _created time changed) is warned about.",
        "Exit 0 on success, 1 when an input is invalid (FILE:LINE:COL: message) or the captures do not belong"
            + " together, 2 on usage errors and a FILE that cannot be opened."},
    footer = {"", "Examples:",
        "  infermetrics kpi --window 15s before.prom after.prom",
        "  infermetrics kpi --source vllm --window 1m --json before.prom after.prom",
        "  curl -s http://localhost:8002/metrics > before.prom; sleep 15; curl -s http://localhost:8002/metrics"
            + " | infermetrics kpi --source auto --window 15 before.prom -"})
final class KpiCommand implements Callable<Integer> {
  private static final String GENERIC = "generic";
  private static final String AUTO = "auto";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--window", required = true, paramLabel = "DURATION", converter = DurationConverter.InSeconds.class,
      description = "Time between the two captures, the rate window: 15s, 1m, 500ms, or a number of seconds.")
  double window;

  @Option(names = "--source", defaultValue = "generic", paramLabel = "SOURCE",
      description = "generic (default), auto, or an installed source's name (infermetrics sources).")
  String source;

  @Option(names = "--json", description = "Print JSON: {\"window_seconds\": S, \"series\": [...]} for generic,"
      + " {\"source\": ..., \"window_seconds\": S, \"tables\": {...}, \"kpis\": [...]} for a source (one line per"
      + " source when several are detected).")
  boolean json;

  @Option(names = "--limit", paramLabel = "NAME=N",
      description = "Set one of the parser's limits (repeatable): " + LimitOption.PARSER_NAMES + ".")
  java.util.Map<String, String> limit;

  @Parameters(index = "0", paramLabel = "PREV", description = "The earlier exposition file, or -.")
  String previous;

  @Parameters(index = "1", paramLabel = "CURR", description = "The later exposition file, or -.")
  String current;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    KpiSources installed = KpiSources.installed();
    String chosenName = source.toLowerCase(java.util.Locale.ROOT);
    if (!chosenName.equals(GENERIC) && !chosenName.equals(AUTO) && installed.find(chosenName).isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--source: no source named '" + source
          + "'; use generic, auto or one of: " + String.join(", ", installed.names()));
    }
    if (!(window > 0) || Double.isInfinite(window)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--window must be a positive number of seconds: "
          + window);
    }
    if (previous.equals("-") && current.equals("-")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "only one of PREV and CURR can be -");
    }
    SnapshotReader reader = new SnapshotReader(io.github.infermetrics.core.exposition.ExpositionParser.builder()
        .limits(LimitOption.apply(limit, io.github.infermetrics.core.exposition.ParserLimits.builder(), spec))
        .build());
    MetricSnapshot prev;
    MetricSnapshot curr;
    String reading = previous;
    try {
      prev = read(reader, previous);
      reading = current;
      curr = read(reader, current);
    } catch (ExpositionParseException e) {
      err.println(name(reading) + ":" + e.line() + ":" + e.column() + ": " + LimitOption.reason(e));
      return 1;
    } catch (FileSystemException e) {
      err.println(name(reading) + ": " + FileProblem.reason(reading, e));
      return FileProblem.EXIT_CODE;
    } catch (IOException | UncheckedIOException e) {
      err.println(name(reading) + ": cannot read: " + e.getMessage());
      return 1;
    }
    CaptureCheck check = CaptureCheck.of(prev, curr);
    for (String warning : check.warnings()) {
      err.println(name(previous) + ", " + name(current) + ": warning: " + warning);
    }
    if (check.refusal().isPresent()) {
      err.println(name(previous) + ", " + name(current) + ": " + check.refusal().get());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    List<KpiSource> chosen = chosenName.equals(AUTO) ? installed.detect(curr)
        : chosenName.equals(GENERIC) ? List.of() : List.of(installed.require(chosenName));
    if (!chosen.isEmpty()) {
      java.time.Duration w = MeasuredWindow.duration(window);
      java.time.Instant at = java.time.Instant.now();
      List<KpiWindow> windows = new ArrayList<>();
      for (KpiSource s : chosen) {
        try {
          windows.add(s.between(prev, curr, w));
        } catch (IllegalArgumentException e) {
          err.println(name(current) + ": " + e.getMessage() + " (--source " + s.name() + ")");
          return 1;
        }
      }
      for (int i = 0; i < windows.size(); i++) {
        KpiWindow k = windows.get(i);
        if (json) {
          out.print(KpiReportWriter.json(k.toKpiSet("", at), k.tables()));
        } else {
          if (i > 0) {
            out.println();
          }
          KpiReportWriter.text(k.toKpiSet("", at), k.tables(), out, KpiReportWriter.terminalWidth());
        }
      }
      out.flush();
      return 0;
    }
    SnapshotComparison comparison = SnapshotComparison.compare(prev, curr, window);
    if (json) {
      out.print(json(comparison));
    } else {
      text(comparison, out);
    }
    out.flush();
    return 0;
  }

  private static String name(String file) {
    return file.equals("-") ? "<stdin>" : file;
  }

  private static MetricSnapshot read(SnapshotReader reader, String file) throws IOException {
    // read whole: format detection looks at the end of the input
    try (InputStream in = FileProblem.open(file)) {
      return reader.read(in.readAllBytes());
    }
  }

  static String json(SnapshotComparison c) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("{\"window_seconds\":").append(number(c.windowSeconds())).append(",\"series\":[");
    boolean first = true;
    for (SeriesChange s : c.series()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"name\":");
      JsonString.appendGo(sb, s.name());
      sb.append(",\"labels\":");
      Prom2JsonWriter.labels(sb, s.labels());
      sb.append(",\"type\":\"").append(s.typeName()).append('"');
      if (s.status() != SeriesChange.Status.CONTINUING) {
        sb.append(",\"status\":\"").append(s.status().name().toLowerCase(java.util.Locale.ROOT)).append('"');
      }
      if (s.reset()) {
        sb.append(",\"reset\":true");
      }
      field(sb, "increase", s.increase());
      field(sb, "rate", s.rate());
      field(sb, "value", s.value());
      field(sb, "count_rate", s.countRate());
      field(sb, "mean", s.mean());
      if (!s.quantiles().isEmpty()) {
        sb.append(",\"quantiles\":{");
        boolean firstQ = true;
        for (Map.Entry<Double, Double> q : s.quantiles().entrySet()) {
          if (!firstQ) {
            sb.append(',');
          }
          firstQ = false;
          sb.append('"').append(FloatFormats.go(q.getKey())).append("\":").append(number(q.getValue()));
        }
        sb.append('}');
      }
      sb.append('}');
    }
    return sb.append("]}\n").toString();
  }

  private static void field(StringBuilder sb, String name, OptionalDouble v) {
    if (v.isPresent()) {
      sb.append(",\"").append(name).append("\":").append(number(v.getAsDouble()));
    }
  }

  /** A JSON number in Go's shortest form; NaN and infinities, which JSON lacks, as Prometheus's strings. */
  static String number(double v) {
    String s = FloatFormats.go(v);
    return Double.isFinite(v) ? s : "\"" + s + "\"";
  }

  private static void text(SnapshotComparison c, PrintWriter out) {
    out.println("window: " + FloatFormats.go(c.windowSeconds()) + " s, " + c.series().size() + " series");
    for (SeriesChange s : c.series()) {
      StringBuilder line = new StringBuilder();
      line.append(s.name()).append(s.labels().isEmpty() ? "" : s.labels().toString()).append(' ').append(s.typeName());
      if (s.status() != SeriesChange.Status.CONTINUING) {
        line.append(" (").append(s.status().name().toLowerCase(java.util.Locale.ROOT)).append(')');
      }
      if (s.reset()) {
        line.append(" (reset)");
      }
      append(line, "increase", s.increase());
      append(line, "rate", s.rate());
      append(line, "value", s.value());
      append(line, "count_rate", s.countRate());
      append(line, "mean", s.mean());
      for (Map.Entry<Double, Double> q : s.quantiles().entrySet()) {
        line.append(" p").append(FloatFormats.go(q.getKey() * 100)).append('=')
            .append(FloatFormats.go(q.getValue()));
      }
      out.println(line);
    }
  }

  private static void append(StringBuilder line, String name, OptionalDouble v) {
    if (v.isPresent()) {
      line.append(' ').append(name).append('=').append(FloatFormats.go(v.getAsDouble()));
    }
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics parse [--format auto|text|openmetrics] [--strict] [--json] FILE|-}: validates an
 * exposition, and with {@code --json} prints it in prom2json's JSON shape.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
        "Check a Prometheus text (0.0.4) or OpenMetrics 1.0 exposition; with --json, print it as prom2json does.",
        "Exit 0 when valid, 1 with FILE:LINE:COL: message on stderr when not, 2 on usage errors."})
final class ParseCommand implements Callable<Integer> {

  /** The formats {@code --format} accepts. */
  enum Format {
    auto(null),
    text(ExpositionFormat.PROMETHEUS_TEXT),
    openmetrics(ExpositionFormat.OPENMETRICS);

    final ExpositionFormat format;

    Format(ExpositionFormat format) {
      this.format = format;
    }
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--format", paramLabel = "auto|text|openmetrics", defaultValue = "auto",
      description = "Exposition format; auto picks OpenMetrics when the input ends with '# EOF'. Default: auto.")
  Format format;

  @Option(names = "--strict", description = "Apply every rule of the format (the OpenMetrics specification, or"
      + " what Prometheus's reference text parser rejects), not only the scrape rules.")
  boolean strict;

  @Option(names = "--json", description = "Print the families as prom2json does (sorted by name).")
  boolean json;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "The exposition file, or - for standard input.")
  String file;

  @Override
  public Integer call() {
    ExpositionParser parser = ExpositionParser.builder().format(format.format).strict(strict).build();
    SnapshotReader reader = new SnapshotReader(parser);
    boolean stdin = file.equals("-");
    String name = stdin ? "<stdin>" : file;
    MetricSnapshot snapshot;
    try (InputStream in = stdin ? System.in : Files.newInputStream(Paths.get(file))) {
      if (format.format == null && !stdin) {
        // detection looks at the end of the input: read the file whole
        snapshot = reader.read(in.readAllBytes());
      } else {
        snapshot = reader.read(in, format.format);
      }
    } catch (ExpositionParseException e) {
      spec.commandLine().getErr().println(name + ":" + e.line() + ":" + e.column() + ": " + e.reason());
      if (!e.excerpt().isEmpty()) {
        spec.commandLine().getErr().println("  " + e.excerpt());
      }
      return 1;
    } catch (NoSuchFileException e) {
      spec.commandLine().getErr().println(name + ": no such file");
      return 2;
    } catch (IOException | UncheckedIOException e) {
      spec.commandLine().getErr().println(name + ": cannot read: " + e.getMessage());
      return 2;
    }
    if (json) {
      spec.commandLine().getOut().print(Prom2JsonWriter.write(snapshot));
    } else {
      spec.commandLine().getOut().println(name + ": valid " + describe(snapshot.format()) + " exposition"
          + (strict ? " (strict)" : "") + ": " + snapshot.families().size() + " families, "
          + snapshot.sampleCount() + " samples");
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static String describe(ExpositionFormat f) {
    return f == ExpositionFormat.OPENMETRICS ? "OpenMetrics 1.0" : "Prometheus text 0.0.4";
  }

}

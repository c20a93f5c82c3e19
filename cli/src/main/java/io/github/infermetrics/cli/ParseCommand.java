package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics parse [--format auto|text|openmetrics] [--strict] [--json] FILE|-}: validates an
 * exposition, and with {@code --json} prints it in prom2json's JSON shape. Without {@code --json} it streams, so
 * memory stays bounded whatever the size of the file.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
        "Check a Prometheus text (0.0.4) or OpenMetrics 1.0 exposition; with --json, print it as prom2json does.",
        "The check streams through the input in bounded memory, with no limit on the number of samples (as"
            + " Prometheus's default sample_limit); --json holds the whole exposition in memory.",
        "A limit that stops the input (a line, a name, a label value, the file's size, ...) is named in the"
            + " error; --limit NAME=N raises or lowers it.",
        "Exit 0 when valid, 1 with FILE:LINE:COL: message on stderr when not, 2 on usage errors and a FILE that"
            + " cannot be opened."},
    footer = {"", "Examples:",
        "  infermetrics parse metrics.txt",
        "  infermetrics parse --strict --format openmetrics scrape.om",
        "  curl -s http://localhost:8000/metrics | infermetrics parse -",
        "  infermetrics parse --json metrics.txt > families.json",
        "  infermetrics parse --limit maxInputBytes=8589934592 --limit maxLineLength=16777216 huge.prom"})
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

  /** How much of a file's beginning the parser's format detection looks at (its FormatDetector). */
  private static final int DETECTION_BYTES = 64 * 1024;
  private static final byte[] EOF_LINE = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

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

  @Option(names = "--limit", paramLabel = "NAME=N",
      description = "Set one of the parser's limits (repeatable): maxLineLength (default 1048576 bytes),"
          + " maxLabelsPerSeries (256), maxNameLength (1024 bytes), maxLabelValueLength (65536 bytes),"
          + " maxInputBytes (1073741824), maxFamilies (100000), maxHelpBytes (8388608),"
          + " maxExemplarLabelCodePoints (128), maxSeries (none here).")
  java.util.Map<String, String> limit;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "The exposition file, or - for standard input.")
  String file;

  /**
   * The parser's limits: a file to check is not a scrape, so no sample limit (as Prometheus's default
   * sample_limit) unless --limit sets one.
   */
  private ParserLimits limits() {
    return LimitOption.apply(limit, ParserLimits.builder().maxSeries(Long.MAX_VALUE), spec);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String name = FileProblem.name(file);
    ExpositionParser parser = ExpositionParser.builder().format(format.format).strict(strict).limits(limits())
        .build();
    InputStream in;
    ExpositionFormat chosen = format.format;
    try {
      in = FileProblem.open(file);
    } catch (IOException e) {
      err.println(name + ": " + FileProblem.reason(file, e));
      return FileProblem.EXIT_CODE;
    }
    if (chosen == null && !file.equals("-")) {
      try {
        chosen = detect(parser, Path.of(file));
      } catch (IOException e) {
        err.println(name + ": cannot read: " + e.getMessage());
        FileProblem.closeQuietly(in);
        return 1;
      }
    }
    String summary;
    try (in) {
      if (json) {
        MetricSnapshot snapshot = new SnapshotReader(parser).read(in, chosen);
        spec.commandLine().getOut().print(Prom2JsonWriter.write(snapshot));
        spec.commandLine().getOut().flush();
        return 0;
      }
      parser.reset(in, chosen);
      while (parser.next() != ExpositionEvent.END) {
        // validation only: the events themselves are not needed
      }
      summary = name + ": valid " + describe(parser.format()) + " exposition" + (strict ? " (strict)" : "") + ": "
          + parser.familyCount() + " families, " + parser.sampleCount() + " samples";
    } catch (ExpositionParseException e) {
      err.println(name + ":" + e.line() + ":" + e.column() + ": " + LimitOption.reason(e));
      if (!e.excerpt().isEmpty()) {
        err.println("  " + e.excerpt());
      }
      return 1;
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
      err.println(name + ": cannot read: " + cause.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(summary);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * A file's format as the parser detects it when it holds the file whole: from the beginning, and from a final
   * {@code # EOF}. Streamed, the parser would only see the beginning; so it is shown the beginning, cut at a line
   * end, with the file's {@code # EOF} if the file ends with one.
   */
  private static ExpositionFormat detect(ExpositionParser parser, Path path) throws IOException {
    byte[] head;
    boolean whole;
    boolean endsWithEof;
    try (SeekableByteChannel ch = Files.newByteChannel(path)) {
      long size = ch.size();
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, DETECTION_BYTES));
      while (b.hasRemaining() && ch.read(b) > 0) {
        // fill
      }
      head = Arrays.copyOf(b.array(), b.position());
      whole = head.length == size;
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, 16));
      ch.position(size - tail.capacity());
      while (tail.hasRemaining() && ch.read(tail) > 0) {
        // fill
      }
      String end = new String(tail.array(), 0, tail.position(), StandardCharsets.US_ASCII).stripTrailing();
      endsWithEof = end.equals("# EOF") || end.endsWith("\n# EOF");
    }
    byte[] probe = head;
    if (!whole) {
      int cut = head.length;
      while (cut > 0 && head[cut - 1] != '\n') {
        cut--;
      }
      // a '# EOF' line that happens to end the beginning is a comment in the middle, not the file's end
      String last = new String(head, Math.max(0, cut - 8), cut - Math.max(0, cut - 8), StandardCharsets.US_ASCII);
      if (last.endsWith("\n# EOF\n") || last.endsWith("\n# EOF\r\n")) {
        cut -= last.endsWith("\r\n") ? 7 : 6;
      }
      probe = Arrays.copyOf(head, cut + (endsWithEof ? EOF_LINE.length : 0));
      if (endsWithEof) {
        System.arraycopy(EOF_LINE, 0, probe, cut, EOF_LINE.length);
      }
    }
    parser.reset(probe);
    try {
      parser.next();
    } catch (ExpositionParseException e) {
      // the format is decided before the first line is read; errors are for the real parse to report
    }
    return parser.format();
  }

  private static String describe(ExpositionFormat f) {
    return f == ExpositionFormat.OPENMETRICS ? "OpenMetrics 1.0" : "Prometheus text 0.0.4";
  }
}

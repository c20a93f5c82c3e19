package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import picocli.CommandLine;

/**
 * {@code --limit NAME=N} of the commands that read an exposition: every {@link ParserLimits} setting, and for a
 * scrape the target's own ({@code bodySizeLimit}, {@code sampleLimit}, {@code maxRedirects}). A limit that stops
 * the input is named in its error by the library's setting; {@link #flagFor} turns that name into this flag, which
 * is what a command-line user can reach.
 */
final class LimitOption {
  /** The parser's settings, in the order {@code --help} lists them: {@link ParserLimits#SETTINGS}, as a constant. */
  static final String PARSER_NAMES = "maxLineLength, maxLabelsPerSeries, maxNameLength, maxLabelValueLength,"
      + " maxSeries, maxExemplarLabelCodePoints, maxInputBytes, maxFamilies, maxHelpBytes";

  private LimitOption() {}

  /**
   * Applies the given parser limits.
   *
   * @param given NAME=N as picocli parsed them, or null
   * @param parser the parser's limits to set
   * @param spec the command, for usage errors (exit 2) naming the flag
   * @return the parser's limits
   */
  static ParserLimits apply(Map<String, String> given, ParserLimits.Builder parser,
      CommandLine.Model.CommandSpec spec) {
    read(given, ParserLimits.SETTINGS, parser::set, spec);
    return parser.build();
  }

  /**
   * What {@code --limit} sets on a scrape target: any of {@link ScrapeTarget#LIMITS}, the parser's limits and the
   * target's own. Checked once, here, on a target of no consequence, so that a bad value is a usage error before
   * anything is scraped; the result then sets the same on every target given to it.
   *
   * @param given NAME=N as picocli parsed them, or null
   * @param spec the command, for usage errors
   * @return sets the limits on a target's builder
   */
  static Consumer<ScrapeTarget.Builder> scrape(Map<String, String> given, CommandLine.Model.CommandSpec spec) {
    Map<String, Long> limits = new LinkedHashMap<>();
    ScrapeTarget.Builder check = ScrapeTarget.builder(URI.create("http://127.0.0.1/"));
    read(given, ScrapeTarget.LIMITS, (name, n) -> {
      check.limit(name, n);
      limits.put(name, n);
    }, spec);
    return s -> limits.forEach(s::limit);
  }

  /** Sets each NAME=N given with {@code set}, NAME one of {@code names}; a bad one is a usage error naming it. */
  private static void read(Map<String, String> given, List<String> names, ObjLongConsumer<String> set,
      CommandLine.Model.CommandSpec spec) {
    if (given == null) {
      return;
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey().strip();
      if (!names.contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + name + ": no such limit ("
            + String.join(", ", names) + ")");
      }
      long n;
      try {
        n = Long.parseLong(e.getValue().strip().replace("_", ""));
      } catch (NumberFormatException x) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + name + ": not a whole number: '"
            + e.getValue() + "'");
      }
      try {
        set.accept(name, n);
      } catch (IllegalArgumentException x) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + name + ": " + x.getMessage());
      }
    }
  }

  /**
   * The flag that sets a library setting named in an error.
   *
   * @param setting {@code ParserLimits.maxLineLength}, {@code maxLineLength}, {@code ScrapeTarget.sampleLimit}, ...
   * @return for example {@code --limit maxLineLength=N}; {@code --timeout DURATION} for the scrape timeout
   */
  static String flagFor(String setting) {
    String name = setting.substring(setting.indexOf('.') + 1);
    return name.equals("timeout") ? "--timeout DURATION" : "--limit " + name + "=N";
  }

  /**
   * A parse error's reason as a command-line user reads it: a limit's {@code (raise ParserLimits.X)} becomes the
   * flag that raises it.
   *
   * @param e the error
   * @return the reason
   */
  static String reason(io.github.infermetrics.core.exposition.ExpositionParseException e) {
    return e.limit() == null ? e.reason()
        : e.reason().replace("(raise ParserLimits." + e.limit() + ")", "(raise it: " + flagFor(e.limit()) + ")");
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
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
   * Applies the given limits.
   *
   * @param given NAME=N as picocli parsed them, or null
   * @param parser the parser's limits to set
   * @param others settings beyond the parser's, by name (a scrape target's)
   * @param spec the command, for usage errors (exit 2) naming the flag
   * @return the parser's limits
   */
  static ParserLimits apply(Map<String, String> given, ParserLimits.Builder parser, Map<String, LongConsumer> others,
      CommandLine.Model.CommandSpec spec) {
    if (given == null) {
      return parser.build();
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey().strip();
      LongConsumer set = others.containsKey(name) ? others.get(name)
          : ParserLimits.SETTINGS.contains(name) ? n -> parser.set(name, n) : null;
      if (set == null) {
        List<String> names = new ArrayList<>(ParserLimits.SETTINGS);
        names.addAll(others.keySet());
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
        set.accept(n);
      } catch (IllegalArgumentException x) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + name + ": " + x.getMessage());
      }
    }
    return parser.build();
  }

  /**
   * What {@code --limit} sets on a scrape target: the parser's limits and the target's own. Checked once, here,
   * on a target of no consequence, so that a bad value is a usage error before anything is scraped; the result
   * then sets the same on every target given to it.
   *
   * @param given NAME=N as picocli parsed them, or null
   * @param spec the command, for usage errors
   * @return sets the limits on a target's builder
   */
  static Consumer<ScrapeTarget.Builder> scrape(Map<String, String> given, CommandLine.Model.CommandSpec spec) {
    if (given == null) {
      return s -> { };
    }
    Map<String, Long> own = new LinkedHashMap<>();
    Map<String, LongConsumer> checked = new LinkedHashMap<>();
    targetSetters(ScrapeTarget.builder(URI.create("http://127.0.0.1/"))).forEach((name, set) -> checked.put(name,
        n -> {
          set.accept(n);
          own.put(name, n);
        }));
    ParserLimits parser = apply(given, ParserLimits.builder(), checked, spec);
    return s -> {
      s.parserLimits(parser);
      Map<String, LongConsumer> setters = targetSetters(s);
      own.forEach((name, n) -> setters.get(name).accept(n));
    };
  }

  /** The scrape target's own limits, by name. */
  private static Map<String, LongConsumer> targetSetters(ScrapeTarget.Builder b) {
    Map<String, LongConsumer> own = new LinkedHashMap<>();
    for (String name : ScrapeTarget.LIMITS) {
      if (!ParserLimits.SETTINGS.contains(name)) {
        own.put(name, n -> b.limit(name, n));
      }
    }
    return own;
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

package io.github.infermetrics.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code infermetrics} command.
 *
 * <pre>
 * java -jar cli/target/infermetrics.jar parse --json metrics.txt
 * </pre>
 *
 * <p>Exit codes, the same in every command: 0 success; 1 a target or an input failed (an invalid exposition, a
 * target down, events lost, memory exhausted); 2 the command line cannot be acted on (a usage error, or a file it
 * names that cannot be opened or created).
 */
@Command(
    name = "infermetrics",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Read AI inference metrics (Triton, vLLM, neuron-monitor, ...: see 'infermetrics sources') and turn"
        + " them into serving KPIs.",
        "Exit codes of every command: 0 success, 1 a target or input failed, 2 usage errors (a FILE that cannot be"
            + " opened included)."},
    footer = {"", "Examples:",
        "  infermetrics watch --demo",
        "  infermetrics parse metrics.txt",
        "  infermetrics watch --help"},
    subcommands = {ParseCommand.class, ScrapeCommand.class, KpiCommand.class, WatchCommand.class, SourcesCommand.class,
        NeuronCommand.class, SimulateCommand.class, QueryCommand.class, DashboardCommand.class,
        LoadtestCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // the library's warnings (a discovery's file gone, a sink's endpoint refusing) as one line each, not the JDK's
    // two-line "date class method / LEVEL: message"
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
    }
    PrintWriter err = new PrintWriter(System.err, true);
    // an OutOfMemoryError on another thread (a scraper, a server handler) ends the command the same way
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (e instanceof OutOfMemoryError oom) {
        err.println(outOfMemory(oom));
        err.flush();
        Runtime.getRuntime().halt(1);
      }
      err.println("Exception in thread \"" + thread.getName() + "\" " + e);
      e.printStackTrace(err);
    });
    System.exit(run(args, new PrintWriter(System.out, true), err));
  }

  /** Runs the command with the given streams and returns the exit code; for tests. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // descriptions use the terminal's width (80 when it is unknown); examples are never wrapped, see below
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler(Main::usageError);
    configure(cl);
    int code;
    try {
      code = cl.execute(args);
    } catch (OutOfMemoryError e) {
      // the command's data is unreachable once the stack has unwound, so there is memory to say this again
      err.println(outOfMemory(e));
      code = 1;
    }
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * A usage error: the message and a one-line hint, not the whole help (which would scroll the message away).
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(message(e));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** picocli's message, except for a NAME=VALUE option given without '=', which it words for programmers. */
  private static String message(CommandLine.ParameterException e) {
    CommandLine.Model.ArgSpec arg = e.getArgSpec();
    String value = e.getValue();
    if (arg instanceof CommandLine.Model.OptionSpec option && option.typeInfo().isMap() && value != null
        && value.indexOf('=') < 0) {
      return option.longestName() + ": expected " + option.paramLabel() + ", got '" + value + "'";
    }
    return e.getMessage();
  }

  /**
   * For every command: the version, and the footer (its examples) printed line by line as written: wrapped at the
   * help width, a URL or a command line breaks where a user copying it cannot see.
   */
  private static void configure(CommandLine cl) {
    cl.getCommandSpec().versionProvider(new Version());
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
      StringBuilder sb = new StringBuilder();
      for (String line : help.commandSpec().usageMessage().footer()) {
        sb.append(line).append(System.lineSeparator());
      }
      return sb.toString();
    });
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) {
      configure(sub);
    }
  }

  /** The one line printed when the heap is exhausted: what ran out and what to raise. */
  static String outOfMemory(OutOfMemoryError e) {
    long max = Runtime.getRuntime().maxMemory();
    String heap = max == Long.MAX_VALUE ? "" : "; the maximum heap is " + max / (1024 * 1024) + " MiB";
    return "infermetrics: out of memory (" + (e.getMessage() == null ? "Java heap" : e.getMessage()) + heap
        + "): give Java more with -Xmx, for example java -Xmx2g -jar infermetrics.jar ..., or JAVA_OPTS=-Xmx2g"
        + " with bin/infermetrics";
  }

  /** The version the build wrote into {@code version.txt}, so classes and the jar say the same. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"infermetrics " + version(),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
              + System.getProperty("os.name").toLowerCase(Locale.ROOT) + ")"};
    }

    static String version() {
      try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
        if (in != null) {
          String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
          if (!v.isEmpty() && !v.startsWith("${")) {
            return v;
          }
        }
      } catch (IOException e) {
        // fall through to the manifest
      }
      String v = Main.class.getPackage().getImplementationVersion();
      return v == null ? "(version unknown: built without Maven's resource filtering)" : v;
    }
  }
}

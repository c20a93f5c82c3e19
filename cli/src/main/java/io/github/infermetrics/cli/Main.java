package io.github.infermetrics.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code infermetrics} command.
 *
 * <pre>
 * java -jar cli/target/infermetrics.jar parse --json metrics.txt
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 the input is invalid (or the work failed), 2 usage error or unreadable input.
 */
@Command(
    name = "infermetrics",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Read AI inference metrics (Triton, vLLM, neuron-monitor, ...: see 'infermetrics sources') and"
        + " turn them into serving KPIs.",
    subcommands = {ParseCommand.class, ScrapeCommand.class, KpiCommand.class, WatchCommand.class, SourcesCommand.class,
        NeuronCommand.class, SimulateCommand.class, QueryCommand.class, DashboardCommand.class,
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
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command with the given streams and returns the exit code; for tests. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'infermetrics help'");
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"infermetrics " + (v == null ? "development build" : v)};
    }
  }
}

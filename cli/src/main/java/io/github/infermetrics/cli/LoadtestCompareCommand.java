package io.github.infermetrics.cli;

import io.github.infermetrics.cli.loadtest.LoadTestException;
import io.github.infermetrics.cli.loadtest.RunComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code infermetrics loadtest compare RUN...}: load test runs side by side, the cheapest meeting its SLO marked. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
        "Put load test runs side by side (one per instance type, say): each run's highest load meeting its SLO, its"
            + " limit, output tokens/s, per accelerator, and the cost of a million output tokens, with the cheapest"
            + " run that meets its SLO marked. RUN is a loadtest --out directory or its report.json.",
        "Exit 0 on success, 1 when a RUN is not a loadtest report, 2 when one cannot be opened."},
    footer = {"", "Examples:",
        "  infermetrics loadtest compare run-g6e/ run-inf2/ run-p5/",
        "  infermetrics loadtest compare --json run-*/ > comparison.json"})
final class LoadtestCompareCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of the table.")
  boolean json;

  @Parameters(paramLabel = "RUN", arity = "1..*", description = "A loadtest --out directory, or its report.json.")
  List<Path> runs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path p : runs) {
      String file = Files.isDirectory(p) ? p.resolve("report.json").toString() : p.toString();
      try {
        FileProblem.open(file).close();
      } catch (IOException e) {
        err.println(file + ": " + FileProblem.reason(file, e));
        return FileProblem.EXIT_CODE;
      }
    }
    try {
      RunComparison c = RunComparison.read(runs);
      out.print(json ? c.json() : c.table());
      out.flush();
      return 0;
    } catch (LoadTestException e) {
      err.println(e.getMessage());
      return e.exitCode();
    } catch (IOException e) {
      err.println("cannot read a run: " + e.getMessage());
      return 1;
    }
  }
}

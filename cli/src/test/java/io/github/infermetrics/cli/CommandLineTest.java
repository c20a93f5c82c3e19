package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command shares: help with examples that can be pasted, usage errors, the version, exit codes. */
class CommandLineTest {
  @TempDir
  Path dir;

  private static Map<String, CommandLine> commands() {
    return new CommandLine(new Main()).getSubcommands();
  }

  @Test
  void everyCommandsHelpHasExamplesPrintedExactlyAsWritten() {
    List<String> all = new ArrayList<>(commands().keySet());
    all.remove("help");
    assertThat(all).contains("parse", "scrape", "kpi", "watch", "neuron", "simulate", "query", "dashboard");
    for (String name : all) {
      CliRun r = CliRun.of(name, "--help");
      assertThat(r.code()).isZero();
      String[] footer = commands().get(name).getCommandSpec().usageMessage().footer();
      assertThat(footer).as(name).contains("Examples:");
      // each line as written, however long: a wrapped command line cannot be pasted
      for (String line : footer) {
        assertThat(r.out()).as(name).contains(line + System.lineSeparator());
      }
    }
  }

  @Test
  void everyExampleIsACommandLineTheCommandAccepts() {
    for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
      String[] footer = c.getValue().getCommandSpec().usageMessage().footer();
      int examples = 0;
      StringBuilder joined = new StringBuilder();
      for (String line : footer) {
        joined.append(line.strip());
        if (line.endsWith("\\")) {
          joined.setLength(joined.length() - 1); // a shell line continuation
          continue;
        }
        String example = joined.toString();
        joined.setLength(0);
        int at = example.lastIndexOf("infermetrics " + c.getKey());
        if (at < 0) {
          continue;
        }
        examples++;
        List<String> args = words(example.substring(at + "infermetrics ".length()));
        // parsing checks option names, arities and converted values (durations, enums, ports), without running
        CommandLine fresh = new CommandLine(new Main());
        fresh.setCaseInsensitiveEnumValuesAllowed(true);
        try {
          fresh.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
          throw new AssertionError("example of " + c.getKey() + " does not parse: " + example + ": "
              + e.getMessage(), e);
        }
      }
      if (!c.getKey().equals("help")) {
        assertThat(examples).as("examples of %s", c.getKey()).isPositive();
      }
    }
  }

  /** Shell words of one command: quotes removed, stopping at a pipe, a redirection or a command separator. */
  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < command.length(); i++) {
      char ch = command.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          w.append(ch);
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        any = true;
      } else if (ch == ' ') {
        if (w.length() > 0 || any) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else if (ch == '|' || ch == '>' || ch == ';' || ch == '&') {
        break;
      } else {
        w.append(ch);
      }
    }
    if (w.length() > 0) {
      words.add(w.toString());
    }
    return words;
  }

  @Test
  void aUsageErrorIsItsMessageAndAHintNotTheWholeHelp() {
    CliRun r = CliRun.of("watch", "--interval", "soon", "http://127.0.0.1:1/metrics");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Invalid value for option '--interval': not a duration: 'soon' (for example 10s,"
        + " 500ms, 2m or 15 (seconds))\ntry 'infermetrics watch --help'\n");
    assertThat(CliRun.of("parse").err()).isEqualTo("Missing required parameter: 'FILE|-'\n"
        + "try 'infermetrics parse --help'\n");
    assertThat(CliRun.of().err()).isEqualTo("missing command\ntry 'infermetrics --help'\n");
    // picocli's suggestions stay
    assertThat(CliRun.of("parse", "--jsn", "x").err()).contains("Unknown option: '--jsn'")
        .contains("--json").endsWith("try 'infermetrics parse --help'\n");
  }

  @Test
  void aNameValueOptionWithoutEqualsSaysWhatItExpected() {
    CliRun r = CliRun.of("scrape", "--header", "nohdr", "http://127.0.0.1:1/metrics");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--header: expected NAME=VALUE, got 'nohdr'\ntry 'infermetrics scrape --help'\n");
    assertThat(CliRun.of("watch", "--dimension", "prod", "http://127.0.0.1:1/metrics").err())
        .startsWith("--dimension: expected K=V, got 'prod'\n");
  }

  @Test
  void versionIsTheProjectsVersion() {
    CliRun r = CliRun.of("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("infermetrics \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava \\S+ \\(.*\\)\n");
    assertThat(CliRun.of("kpi", "--version").out()).isEqualTo(r.out());
  }

  @Test
  void aFileThatCannotBeOpenedIsAUsageErrorInEveryCommand() {
    String missing = dir.resolve("missing.prom").toString();
    String inMissingDir = dir.resolve("no-such-dir").resolve("x.emf").toString();
    CliRun parse = CliRun.of("parse", missing);
    assertThat(parse.code()).isEqualTo(2);
    assertThat(parse.err()).isEqualTo(missing + ": no such file\n");
    CliRun kpi = CliRun.of("kpi", "--window", "10s", missing, missing);
    assertThat(kpi.code()).isEqualTo(2);
    assertThat(kpi.err()).isEqualTo(missing + ": no such file\n");
    CliRun neuron = CliRun.of("neuron", "--input", missing);
    assertThat(neuron.code()).isEqualTo(2);
    assertThat(neuron.err()).isEqualTo(missing + ": no such file\n");
    CliRun directory = CliRun.of("parse", dir.toString());
    assertThat(directory.code()).isEqualTo(2);
    assertThat(directory.err()).isEqualTo(dir + ": is a directory\n");
    CliRun watchEmf = CliRun.of("watch", "--once", "--emf", inMissingDir, "http://127.0.0.1:1/metrics");
    assertThat(watchEmf.code()).isEqualTo(2);
    assertThat(watchEmf.err()).isEqualTo("--emf " + inMissingDir + ": no such directory: " + dir.resolve("no-such-dir")
        + "\n");
    CliRun neuronEmf = CliRun.of("neuron", "--emf", inMissingDir, "--input", missing);
    assertThat(neuronEmf.code()).isEqualTo(2);
    CliRun ca = CliRun.of("scrape", "--ca-file", missing, "http://127.0.0.1:1/metrics");
    assertThat(ca.code()).isEqualTo(2);
    assertThat(ca.err()).startsWith("--ca-file " + missing + ": no such file\n");
  }

  @Test
  void outOfMemoryIsOneLineNamingWhatToRaise() {
    String line = Main.outOfMemory(new OutOfMemoryError("Java heap space"));
    assertThat(line).startsWith("infermetrics: out of memory (Java heap space; the maximum heap is ")
        .contains("-Xmx").doesNotContain("\n");
    // a command that runs out of memory: ExecutableJarIT, with a real process and a small heap
  }

  @Test
  void helpSaysWhereExitCodesAreTheSame() {
    assertThat(CliRun.of("--help").out().replaceAll("\\s+", " ")).contains("Exit codes of every command: 0 success, 1 a target or input"
        + " failed, 2 usage errors");
  }
}

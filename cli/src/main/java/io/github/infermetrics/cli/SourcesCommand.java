package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code infermetrics sources}: the installed KPI sources, one a line: the name, then what it recognises. They come
 * from {@link java.util.ServiceLoader} registrations, so a source of your own on the class path is listed (and
 * usable in {@code kpi --source}, {@code watch} and {@code dashboard}) like the built-in ones.
 */
@Command(
    name = "sources",
    mixinStandardHelpOptions = true,
    description = {
        "List the installed KPI sources, one a line: the name (for --source, SOURCE=URL targets and dashboards),"
            + " then what it recognises in a scrape. Sources are found on the class path through"
            + " java.util.ServiceLoader (META-INF/services/io.github.infermetrics.core.kpi.KpiSource), so your own"
            + " source jar, added to the class path, is listed and used like the built-in ones.",
        "Exit 0 on success, 1 when a registered source could not be loaded."},
    footer = {"", "Examples:",
        "  infermetrics sources",
        "  java -cp my-source.jar:cli/target/infermetrics.jar io.github.infermetrics.cli.Main sources"})
final class SourcesCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    KpiSources installed = KpiSources.installed();
    int width = 0;
    for (KpiSource s : installed.all()) {
      width = Math.max(width, s.name().length());
    }
    for (KpiSource s : installed.all()) {
      out.println(s.name() + " ".repeat(width - s.name().length() + 2) + s.description());
    }
    for (String problem : installed.problems()) {
      err.println("sources: " + problem);
    }
    out.flush();
    return installed.problems().isEmpty() ? 0 : 1;
  }
}

package io.github.infermetrics.cli;

import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import io.github.infermetrics.core.scrape.TrustStore;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics scrape URL [--format auto|text|openmetrics] [--json] [--timeout DURATION]} (and
 * {@code --header}, {@code --ca-file}): one scrape, the
 * way Prometheus scrapes (its {@code Accept} header, gzip, bounded body), printed as prom2json JSON or a summary.
 */
@Command(
    name = "scrape",
    mixinStandardHelpOptions = true,
    description = {
        "Scrape a metrics endpoint once, as Prometheus does, and print its families (--json: as prom2json) or a"
            + " summary.",
        "URL without a scheme is http: 127.0.0.1:9400/metrics is http://127.0.0.1:9400/metrics.",
        "Exit 0 when the target is up and its body valid, 1 when it is down or the body is invalid, 2 on usage"
            + " errors (a --ca-file that cannot be read included)."},
    footer = {"", "Examples:",
        "  infermetrics scrape http://localhost:8002/metrics",
        "  infermetrics scrape --json 10.0.0.7:8000/metrics > families.json",
        "  infermetrics scrape --timeout 2s --header 'Authorization=Bearer TOKEN' https://vllm.example.com/metrics",
        "  infermetrics scrape --ca-file ca.crt https://triton-0.internal:8002/metrics",
        "  infermetrics scrape --limit sampleLimit=5000000 --limit bodySizeLimit=268435456 http://big-exporter:9100/metrics"})
final class ScrapeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The endpoint, for example http://localhost:8002/metrics"
      + " (http:// when no scheme is given).")
  String url;

  @Option(names = "--format", paramLabel = "auto|text|openmetrics", defaultValue = "auto",
      description = "Read the body in this format whatever its Content-Type says. Default: auto (the"
          + " Content-Type, else detected).")
  ParseCommand.Format format;

  @Option(names = "--json", description = "Print the families as prom2json does (sorted by name).")
  boolean json;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Total time for the scrape, body included (10s, 500ms, 2m). Default: 10s.")
  Duration timeout;

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An extra request header (repeatable).")
  Map<String, String> headers;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Trust the CA certificates in this PEM file for https (e.g. a private CA's ca.crt).")
  java.nio.file.Path caFile;

  @Option(names = "--limit", paramLabel = "NAME=N",
      description = "Set one of the scrape's limits (repeatable): bodySizeLimit (default 67108864 bytes, after"
          + " decompression), sampleLimit (1000000), maxRedirects (5), or a parser limit: "
          + LimitOption.PARSER_NAMES + ".")
  java.util.Map<String, String> limit;

  @Override
  public Integer call() {
    ScrapeTarget target;
    URI uri;
    try {
      uri = HttpUrl.parse(url);
      ScrapeTarget.Builder b = ScrapeTarget.builder(uri).timeout(timeout).format(format.format);
      LimitOption.scrape(limit, spec).accept(b);
      if (headers != null) {
        headers.forEach(b::header);
      }
      if (caFile != null) {
        b.sslContext(TrustStore.fromPem(caFile));
      }
      target = b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (java.io.IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file " + caFile + ": "
          + FileProblem.reason(caFile.toString(), e));
    } catch (java.security.GeneralSecurityException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file " + caFile + ": " + e.getMessage());
    }
    ScrapeResult r;
    try (Scraper scraper = Scraper.create()) {
      r = scraper.scrape(target);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!r.up()) {
      err.println(uri + ": down after " + millis(r.duration()) + " ms"
          + (r.status() != 0 ? ", HTTP " + r.status() : "") + ": " + r.error().kind() + ": " + r.error().message()
          + (r.error().limit() == null ? "" : " (set it with " + LimitOption.flagFor(r.error().limit()) + ")"));
      return 1;
    }
    MetricSnapshot s = r.snapshot();
    if (json) {
      out.print(Prom2JsonWriter.write(s));
    } else {
      out.println(uri + ": up, HTTP " + r.status() + ", " + (r.contentType() == null ? "no Content-Type"
          : r.contentType()) + ", read as " + (s.format() == null ? "?" : s.format().name().toLowerCase(
              java.util.Locale.ROOT)) + ", " + r.bytes() + " bytes, " + s.families().size() + " families, "
          + s.sampleCount() + " samples, " + millis(r.duration()) + " ms");
      for (MetricFamily f : s.families()) {
        out.println("  " + f.name() + " " + f.type().name().toLowerCase(java.util.Locale.ROOT) + " "
            + f.points().size() + " series");
      }
    }
    out.flush();
    return 0;
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}

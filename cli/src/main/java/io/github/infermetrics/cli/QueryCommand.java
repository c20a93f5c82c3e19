package io.github.infermetrics.cli;

import io.github.infermetrics.cloudwatch.insights.CatalogueEntry;
import io.github.infermetrics.cloudwatch.insights.CatalogueParameters;
import io.github.infermetrics.cloudwatch.insights.CatalogueQuery;
import io.github.infermetrics.cloudwatch.insights.ContainerInsightsQueries;
import io.github.infermetrics.cloudwatch.insights.InsightsQueryException;
import io.github.infermetrics.cloudwatch.insights.InsightsRunner;
import io.github.infermetrics.cloudwatch.insights.QueryRequest;
import io.github.infermetrics.cloudwatch.insights.QueryResult;
import io.github.infermetrics.cloudwatch.insights.ResultRow;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * {@code infermetrics query --list | --catalogue NAME --cluster C [--namespace N] [--pod REGEX] [--threshold X]
 * [--run [--since 1h]]}: the Container Insights Logs Insights catalogue. Prints the entries, or one query's text
 * (log groups named from the cluster), or runs it with StartQuery and GetQueryResults and prints the rows.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
        "CloudWatch Logs Insights queries for Container Insights. --list prints the catalogue, one entry a line (name,"
            + " then what it answers). --catalogue NAME prints that query for --cluster (log groups"
            + " /aws/containerinsights/CLUSTER/application or /performance); with --run it runs the query over the"
            + " last --since and prints the rows (tab-separated, with a header) and the statistics.",
        "--run uses the AWS default credentials and region (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION,"
            + " ~/.aws/credentials and ~/.aws/config with AWS_PROFILE, an instance or task role); --region and"
            + " --endpoint-url override them.",
        "Exit 0 on success, 1 when the query fails or does not complete, 2 on usage errors and when no AWS"
            + " credentials or region are found."},
    footer = {"", "Examples:",
        "  infermetrics query --list",
        "  infermetrics query --catalogue nodes-over-cpu --cluster inference --threshold 90",
        "  infermetrics query --catalogue pod-neuron --cluster inference --namespace serving --pod '^vllm-' --run"
            + " --since 3h"})
final class QueryCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--list", description = "Print the catalogue: one entry a line, name first.")
  boolean list;

  @Option(names = "--catalogue", paramLabel = "NAME", description = "The catalogue entry to print or run.")
  String catalogue;

  @Option(names = "--cluster", paramLabel = "NAME", description = "The EKS cluster (names the log groups).")
  String cluster;

  @Option(names = "--namespace", paramLabel = "NS", description = "Only pods of this Kubernetes namespace.")
  String namespace;

  @Option(names = "--pod", paramLabel = "REGEX", description = "Only pods whose name matches this regex.")
  String pod;

  @Option(names = "--threshold", paramLabel = "PERCENT",
      description = "The threshold of the queries that have one, 0 to 100 (default: 80).")
  Double threshold;

  @Option(names = "--run", description = "Run the query and print its rows.")
  boolean run;

  @Option(names = "--since", defaultValue = "1h", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "With --run: how far back (default: 1h; 30m, 6h, PT2H).")
  Duration since;

  @Option(names = "--timeout", defaultValue = "15m", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "With --run: stop the query when it has not finished after this long (default: 15m).")
  Duration timeout;

  @Option(names = "--region", paramLabel = "REGION", description = "With --run: the AWS region.")
  String region;

  @Option(names = "--endpoint-url", paramLabel = "URL",
      description = "With --run: the CloudWatch Logs endpoint (for a local or private endpoint).")
  String endpointUrl;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (list == (catalogue != null)) {
      throw usage("give either --list or --catalogue NAME");
    }
    if (list) {
      if (run || cluster != null) {
        throw usage("--list takes no other option");
      }
      int width = ContainerInsightsQueries.entries().stream().mapToInt(e -> e.name().length()).max().orElse(0);
      for (CatalogueEntry e : ContainerInsightsQueries.entries()) {
        out.println(String.format(Locale.ROOT, "%-" + width + "s  %s", e.name(), e.description()));
      }
      out.flush();
      return 0;
    }
    if (cluster == null) {
      throw usage("--catalogue needs --cluster NAME");
    }
    CatalogueQuery query;
    try {
      CatalogueParameters p = new CatalogueParameters(cluster, Optional.ofNullable(namespace),
          Optional.ofNullable(pod), threshold == null ? CatalogueParameters.DEFAULT_THRESHOLD : threshold);
      query = ContainerInsightsQueries.entry(catalogue).query(p);
    } catch (IllegalArgumentException e) {
      throw usage(asOption(e.getMessage()));
    }
    if (!run) {
      out.println("# log groups: " + String.join(", ", query.logGroupNames()));
      out.println(query.query().text());
      out.flush();
      return 0;
    }
    return run(query, out);
  }

  private int run(CatalogueQuery query, PrintWriter out) {
    PrintWriter err = spec.commandLine().getErr();
    CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    try {
      b.region(AwsSetup.region(region));
      b.credentialsProvider(AwsSetup.credentials());
    } catch (AwsSetup.Missing e) {
      err.println("query: " + e.getMessage());
      return 2;
    }
    if (endpointUrl != null) {
      try {
        URI uri = new URI(endpointUrl);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw usage("--endpoint-url must be an absolute http(s) URL: " + endpointUrl);
        }
        b.endpointOverride(uri);
      } catch (URISyntaxException e) {
        throw usage("--endpoint-url is not a URL: " + endpointUrl);
      }
    }
    CloudWatchLogsClient client;
    try {
      client = b.build();
    } catch (SdkException e) {
      err.println("query: cannot create a CloudWatch Logs client: " + e.getMessage());
      return 2;
    }
    Instant now = Instant.now();
    QueryRequest request = QueryRequest.builder(query.query()).logGroupNames(query.logGroupNames())
        .last(since, now).build();
    try (client; InsightsRunner runner = InsightsRunner.builder(client).timeout(timeout).build()) {
      QueryResult r = runner.run(request);
      print(r, out);
      if (!r.isComplete()) {
        err.println("query " + r.queryId() + ": " + r.status().name().toLowerCase(Locale.ROOT));
        return 1;
      }
      return 0;
    } catch (InsightsQueryException | SdkException e) {
      err.println("query: " + e.getMessage());
      return 1;
    }
  }

  static void print(QueryResult r, PrintWriter out) {
    Set<String> columns = new LinkedHashSet<>();
    for (ResultRow row : r.rows()) {
      columns.addAll(row.fields().keySet());
    }
    columns.remove(ResultRow.PTR);
    if (!columns.isEmpty()) {
      out.println(String.join("\t", columns));
      for (ResultRow row : r.rows()) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String c : columns) {
          if (!first) {
            sb.append('\t');
          }
          first = false;
          // a value with a tab or line break would break the table
          sb.append(row.get(c).orElse("").replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
        }
        out.println(sb);
      }
    }
    var s = r.statistics();
    out.println(String.format(Locale.ROOT, "# %s: %d rows; %.0f records matched, %.0f scanned, %.0f bytes scanned",
        r.status().name().toLowerCase(Locale.ROOT), r.rows().size(), s.recordsMatched(), s.recordsScanned(),
        s.bytesScanned()));
    out.flush();
  }

  /** CatalogueParameters names its components; the user typed options. */
  private static String asOption(String message) {
    for (String[] component : new String[][] {{"cluster:", "--cluster:"}, {"namespace:", "--namespace:"},
        {"podPattern:", "--pod:"}, {"threshold:", "--threshold:"}}) {
      if (message.startsWith(component[0])) {
        return component[1] + message.substring(component[0].length());
      }
    }
    return message;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

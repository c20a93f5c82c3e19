package io.github.infermetrics.cli;

import io.github.infermetrics.cloudwatch.dashboard.CloudWatchDashboard;
import io.github.infermetrics.cloudwatch.dashboard.GrafanaDashboard;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infermetrics dashboard --source NAME --target cloudwatch|grafana [--namespace NS] [--cluster NAME]
 * [--region R]}: prints a CloudWatch dashboard body or a Grafana dashboard for an installed source's KPIs, from the
 * panels the source declares.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
        "Print a dashboard for a source's serving KPIs. --target cloudwatch: a PutDashboard body with metric widgets"
            + " over the EMF --namespace, plus Container Insights widgets with --cluster. --target grafana: a Grafana"
            + " dashboard for Prometheus with the source's current metric names and fallbacks for older ones.",
        "Exit 0 on success, 2 on usage errors."},
    footer = {"", "Examples:",
        "  infermetrics dashboard --source vllm --target grafana > vllm.json",
        "  aws cloudwatch put-dashboard --dashboard-name vllm --dashboard-body \\",
        "    \"$(infermetrics dashboard --source vllm --target cloudwatch --cluster inference --region us-west-2)\""})
final class DashboardCommand implements Callable<Integer> {
  /** Where the dashboard goes. */
  enum Target { CLOUDWATCH, GRAFANA }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "SOURCE",
      description = "An installed source's name (infermetrics sources), for example vllm.")
  String source;

  @Option(names = "--target", required = true, paramLabel = "TARGET", description = "cloudwatch or grafana.")
  Target target;

  @Option(names = "--namespace", paramLabel = "NS",
      description = "cloudwatch: the EMF namespace of the KPIs (default: infermetrics).")
  String namespace;

  @Option(names = "--cluster", paramLabel = "NAME",
      description = "cloudwatch: add Container Insights log-query widgets for this EKS cluster.")
  String cluster;

  @Option(names = "--region", paramLabel = "REGION", description = "cloudwatch: the widgets' region (default:"
      + " us-east-1).")
  String region;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    KpiSources installed = KpiSources.installed();
    KpiSource chosen = installed.find(source).orElseThrow(() -> new CommandLine.ParameterException(
        spec.commandLine(), "--source: no source named '" + source + "'; one of: " + String.join(", ",
        installed.names())));
    try {
      if (target == Target.GRAFANA) {
        if (namespace != null || cluster != null || region != null) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--namespace, --cluster and --region apply to --target cloudwatch only");
        }
        out.print(GrafanaDashboard.of(chosen).json());
      } else {
        CloudWatchDashboard.Builder b = CloudWatchDashboard.builder(chosen);
        if (namespace != null) {
          b.namespace(namespace);
        }
        if (cluster != null) {
          b.cluster(cluster);
        }
        if (region != null) {
          b.region(region);
        }
        out.print(b.build().body());
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    out.flush();
    return 0;
  }
}

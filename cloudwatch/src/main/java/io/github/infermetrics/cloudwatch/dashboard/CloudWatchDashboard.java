package io.github.infermetrics.cloudwatch.dashboard;

import io.github.infermetrics.cloudwatch.dashboard.internal.JsonWriter;
import io.github.infermetrics.cloudwatch.insights.CatalogueParameters;
import io.github.infermetrics.cloudwatch.insights.CatalogueQuery;
import io.github.infermetrics.cloudwatch.insights.ContainerInsightsQueries;
import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CloudWatch dashboard body ({@code PutDashboard}'s {@code DashboardBody}) for one source's KPIs: a text widget
 * that says what the dashboard shows, one metric widget per KPI over the EMF namespace (latencies with their mean
 * and percentiles), and, with a cluster, log-query widgets from the {@link ContainerInsightsQueries Container
 * Insights catalogue} and the Container Insights charts the source declares ({@link SourceDashboard}; the
 * NeuronCore metrics for neuron). Metric widgets use
 * {@code SEARCH} expressions on the namespace and metric name, so they show every model, engine and device without
 * naming their dimension values. The body stays within the documented limits (500 widgets, 500 metrics per widget,
 * 2,500 per dashboard, a 24-unit grid); {@link #body()} checks them.
 *
 * <pre>{@code
 * String body = CloudWatchDashboard.builder(KpiSources.installed().require("vllm"))
 *     .namespace("infermetrics").region("us-west-2").cluster("inference")
 *     .build().body();
 * // aws cloudwatch put-dashboard --dashboard-name vllm --dashboard-body "$body"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class CloudWatchDashboard {
  /** Most widgets on a dashboard. */
  public static final int MAX_WIDGETS = 500;
  /** Most metrics in one widget. */
  public static final int MAX_METRICS_PER_WIDGET = 500;
  /** Most metrics on a dashboard. */
  public static final int MAX_METRICS = 2500;
  /** The grid's width. */
  public static final int GRID_WIDTH = 24;
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9 ._/#:-]{1,255}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]");
  private static final List<String> LOG_QUERIES = List.of("pod-resources-summary", "nodes-over-cpu",
      "serving-pod-errors");

  /** A widget before layout. */
  private record Widget(String type, int width, int height, int metrics, java.util.function.Consumer<JsonWriter> p) {}

  private final SourceDashboard source;
  private final String namespace;
  private final String region;
  private final int period;
  private final Optional<String> cluster;
  private final List<Widget> widgets;

  private CloudWatchDashboard(Builder b) {
    this.source = b.source;
    this.namespace = b.namespace;
    this.region = b.region;
    this.period = b.period;
    this.cluster = b.cluster;
    this.widgets = widgets();
    check();
  }

  /**
   * A builder for one source's dashboard.
   *
   * @param source the source
   * @return the builder
   */
  public static Builder builder(KpiSource source) {
    return new Builder(source.dashboard().orElseThrow(() -> new IllegalArgumentException(
        "source " + source.name() + " declares no dashboard")));
  }

  /**
   * Starts a dashboard from a declaration.
   *
   * @param source what the dashboard shows
   * @return a builder
   */
  public static Builder builder(SourceDashboard source) {
    return new Builder(Objects.requireNonNull(source, "source"));
  }

  /**
   * How many widgets the dashboard has.
   *
   * @return the count
   */
  public int widgetCount() {
    return widgets.size();
  }

  /**
   * How many metric entries (metrics and expressions) all widgets have together.
   *
   * @return the count
   */
  public int metricCount() {
    return widgets.stream().mapToInt(Widget::metrics).sum();
  }

  /**
   * The dashboard body JSON: {@code start}, {@code periodOverride} and the widgets, laid out on the 24-unit grid.
   *
   * @return the JSON text
   */
  public String body() {
    JsonWriter w = new JsonWriter();
    w.beginObject().member("start", "-PT3H").member("periodOverride", "inherit").name("widgets").beginArray();
    int x = 0;
    int y = 0;
    int rowHeight = 0;
    for (Widget widget : widgets) {
      if (x + widget.width() > GRID_WIDTH) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      w.beginObject().member("type", widget.type()).member("x", x).member("y", y).member("width", widget.width())
          .member("height", widget.height()).name("properties").beginObject();
      widget.p().accept(w);
      w.endObject().endObject();
      x += widget.width();
      rowHeight = Math.max(rowHeight, widget.height());
    }
    return w.endArray().endObject().toString();
  }

  @Override
  public String toString() {
    return body();
  }

  private List<Widget> widgets() {
    List<Widget> out = new ArrayList<>();
    out.add(new Widget("text", GRID_WIDTH, 2, 0, w -> w.member("markdown", "# " + source.title()
        + " serving KPIs\nKPIs written by infermetrics to the `" + namespace + "` namespace (EMF), "
        + period + " s periods" + cluster.map(c -> "; Container Insights of cluster `" + c + "`").orElse("")
        + ".")));
    for (Kpi kpi : source.kpis()) {
      List<KpiStatistic> stats = List.copyOf(kpi.statistics());
      String stat = statFor(kpi);
      out.add(new Widget("metric", 12, 6, stats.size(), w -> {
        w.name("metrics").beginArray();
        int i = 1;
        for (KpiStatistic s : stats) {
          String metric = kpi.metricName(s);
          w.beginArray().beginObject()
              .member("expression", "SEARCH('Namespace=\"" + namespace + "\" MetricName=\"" + metric + "\"', '"
                  + stat + "', " + period + ")")
              .member("id", "e" + i++)
              .member("label", s == KpiStatistic.VALUE ? "" : s.name().toLowerCase(java.util.Locale.ROOT))
              .endObject().endArray();
        }
        w.endArray();
        w.member("view", "timeSeries").member("stacked", false).member("region", region)
            .member("title", kpi.description() + " (" + kpi.unit().baseUnit() + ")").member("period", period);
        w.name("yAxis").beginObject().name("left").beginObject().member("min", 0).endObject().endObject();
      }));
    }
    cluster.ifPresent(c -> {
      CatalogueParameters params = CatalogueParameters.of(c);
      for (SourceDashboard.MetricChart chart : source.containerInsights()) {
        List<String> names = chart.metricNames();
        out.add(new Widget("metric", GRID_WIDTH, 6, names.size(), w -> {
          w.name("metrics").beginArray();
          for (int i = 0; i < names.size(); i++) {
            w.beginArray().beginObject().member("expression", "SEARCH('Namespace=\"" + chart.namespace()
                + "\" MetricName=\"" + names.get(i) + "\" ClusterName=\"" + c + "\"', 'Average', "
                + Math.max(period, 60) + ")")
                .member("id", "n" + (i + 1)).member("label", "").endObject().endArray();
          }
          w.endArray().member("view", "timeSeries").member("stacked", false).member("region", region)
              .member("title", chart.title());
        }));
      }
      List<String> names = new ArrayList<>(LOG_QUERIES);
      names.addAll(source.insightsQueries());
      for (String name : names) {
        var entry = ContainerInsightsQueries.entry(name);
        CatalogueQuery q = entry.query(params);
        out.add(new Widget("log", GRID_WIDTH, 6, 0, w -> w.member("query", q.widgetText())
            .member("queryLanguage", "CWLI").member("region", region).member("title", entry.description())
            .member("view", "table")));
      }
    });
    return List.copyOf(out);
  }

  private static String statFor(Kpi kpi) {
    // rates and ratios are averages over the period; memory and power the peak
    return kpi.unit() == KpiUnit.BYTES || kpi.unit() == KpiUnit.WATTS ? "Maximum" : "Average";
  }

  private void check() {
    if (widgets.size() > MAX_WIDGETS) {
      throw new IllegalStateException("widgets: " + widgets.size() + ", more than " + MAX_WIDGETS);
    }
    for (Widget w : widgets) {
      if (w.metrics() > MAX_METRICS_PER_WIDGET) {
        throw new IllegalStateException("metrics: a widget has " + w.metrics() + ", more than "
            + MAX_METRICS_PER_WIDGET);
      }
    }
    int metrics = metricCount();
    if (metrics > MAX_METRICS) {
      throw new IllegalStateException("metrics: " + metrics + ", more than " + MAX_METRICS);
    }
  }

  /** Builds a {@link CloudWatchDashboard}; not thread-safe. */
  public static final class Builder {
    private final SourceDashboard source;
    private String namespace = "infermetrics";
    private String region = "us-east-1";
    private int period = 60;
    private Optional<String> cluster = Optional.empty();

    private Builder(SourceDashboard source) {
      this.source = source;
    }

    /**
     * The CloudWatch namespace the KPIs are written to (default {@code infermetrics}).
     *
     * @param namespace letters, digits, spaces and {@code . _ / # : -}, up to 255
     * @return this
     */
    public Builder namespace(String namespace) {
      if (namespace == null || !NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
        throw new IllegalArgumentException("namespace: not a custom CloudWatch namespace: '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * The region of the widgets' metrics and logs (default {@code us-east-1}).
     *
     * @param region for example {@code us-west-2}
     * @return this
     */
    public Builder region(String region) {
      if (region == null || !REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("region: not an AWS region: '" + region + "'");
      }
      this.region = region;
      return this;
    }

    /**
     * The period of the metric widgets in seconds (default 60).
     *
     * @param seconds 1, 5, 10, 30 or a multiple of 60
     * @return this
     */
    public Builder period(int seconds) {
      boolean ok = seconds == 1 || seconds == 5 || seconds == 10 || seconds == 30 || seconds > 0 && seconds % 60 == 0;
      if (!ok) {
        throw new IllegalArgumentException("period: 1, 5, 10, 30 or a multiple of 60 seconds, was " + seconds);
      }
      this.period = seconds;
      return this;
    }

    /**
     * An EKS cluster with Container Insights: adds its log-query widgets (and NeuronCore metrics for Neuron).
     *
     * @param cluster the cluster name
     * @return this
     */
    public Builder cluster(String cluster) {
      CatalogueParameters.of(cluster);
      this.cluster = Optional.of(cluster);
      return this;
    }

    /**
     * Builds the dashboard.
     *
     * @return the dashboard
     */
    public CloudWatchDashboard build() {
      return new CloudWatchDashboard(this);
    }
  }
}

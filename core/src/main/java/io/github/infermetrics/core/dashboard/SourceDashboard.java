package io.github.infermetrics.core.dashboard;

import io.github.infermetrics.core.kpi.Kpi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a dashboard of one {@link io.github.infermetrics.core.kpi.KpiSource} shows, declared by the source and
 * rendered by the cloudwatch module (Grafana JSON for Prometheus, CloudWatch dashboard bodies), which knows no
 * source's metric names itself.
 *
 * <ul>
 *   <li>{@link #panels()}: Grafana time series of the source's own metrics, in PromQL with fallbacks for the
 *       names of older releases ({@code cache_usage_ratio or cache_usage_perc / 100}). Queries may use
 *       Grafana's {@code $__rate_interval} and the dashboard's {@link #variable()}.
 *   <li>{@link #kpis()}: the core KPIs the source computes, charted in CloudWatch from the EMF that infermetrics
 *       writes (their names are the vocabulary's, so they need no declaration beyond the list).
 *   <li>{@link #containerInsights()}: charts of CloudWatch Container Insights metrics the CloudWatch agent writes
 *       for this kind of accelerator, and {@link #insightsQueries()}: names of Logs Insights catalogue queries
 *       that apply.
 * </ul>
 *
 * <pre>{@code
 * SourceDashboard d = SourceDashboard.builder("My server")
 *     .kpis(Kpi.TIME_TO_FIRST_TOKEN, Kpi.KV_CACHE_USAGE)
 *     .variable("model", "Model", "label_values(my_requests_running, model)")
 *     .panel("Cache usage", "percentunit",
 *         SourceDashboard.query("my_cache_usage_ratio or my_cache_usage_perc / 100", "{{model}}"))
 *     .build();
 * }</pre>
 *
 * @param title the product's name, for example {@code vLLM}
 * @param kpis the core KPIs to chart from EMF, in order
 * @param variable a template variable to filter by (the model), if any
 * @param panels the Prometheus panels, in order
 * @param containerInsights Container Insights charts, in order
 * @param insightsQueries names of Logs Insights catalogue queries that apply to this source
 */
public record SourceDashboard(String title, List<Kpi> kpis, Optional<Variable> variable, List<Panel> panels,
    List<MetricChart> containerInsights, List<String> insightsQueries) {
  /**
   * Validates and copies.
   *
   * @param title not blank
   * @param kpis the KPIs
   * @param variable the variable
   * @param panels the panels
   * @param containerInsights the charts
   * @param insightsQueries the query names
   */
  public SourceDashboard {
    if (Objects.requireNonNull(title, "title").isBlank()) {
      throw new IllegalArgumentException("dashboard title must not be blank");
    }
    kpis = List.copyOf(kpis);
    Objects.requireNonNull(variable, "variable");
    panels = List.copyOf(panels);
    containerInsights = List.copyOf(containerInsights);
    insightsQueries = List.copyOf(insightsQueries);
  }

  /**
   * A template variable: a label whose values the viewer picks from.
   *
   * @param name the variable's (and label's) name, for example {@code model_name}
   * @param label what the picker says, for example {@code Model}
   * @param query the PromQL that lists the values, for example {@code label_values(my_requests_running,
   *     model)}
   */
  public record Variable(String name, String label, String query) {
    /**
     * Validates.
     *
     * @param name not blank
     * @param label not blank
     * @param query not blank
     */
    public Variable {
      requireText(name, "variable name");
      requireText(label, "variable label");
      requireText(query, "variable query");
    }
  }

  /**
   * One time-series panel of PromQL queries.
   *
   * @param title the panel's title
   * @param unit the unit as Grafana names it ({@code s}, {@code ms}, {@code percentunit}, {@code bytes},
   *     {@code watt}, {@code reqps}, {@code short})
   * @param queries the queries, one line each
   */
  public record Panel(String title, String unit, List<Query> queries) {
    /**
     * Validates and copies.
     *
     * @param title not blank
     * @param unit not blank
     * @param queries at least one
     */
    public Panel {
      requireText(title, "panel title");
      requireText(unit, "panel unit");
      queries = List.copyOf(queries);
      if (queries.isEmpty()) {
        throw new IllegalArgumentException("panel " + title + " has no query");
      }
    }
  }

  /**
   * One PromQL query of a panel.
   *
   * @param promql the expression
   * @param legend the legend, Grafana style ({@code {{model_name}}})
   */
  public record Query(String promql, String legend) {
    /**
     * Validates.
     *
     * @param promql not blank
     * @param legend the legend, may be empty
     */
    public Query {
      requireText(promql, "query");
      Objects.requireNonNull(legend, "legend");
    }
  }

  /**
   * A chart of metrics another producer writes to CloudWatch (Container Insights).
   *
   * @param title the chart's title
   * @param namespace the CloudWatch namespace, for example {@code ContainerInsights}
   * @param metricNames the metric names
   */
  public record MetricChart(String title, String namespace, List<String> metricNames) {
    /**
     * Validates and copies.
     *
     * @param title not blank
     * @param namespace not blank
     * @param metricNames at least one
     */
    public MetricChart {
      requireText(title, "chart title");
      requireText(namespace, "chart namespace");
      metricNames = List.copyOf(metricNames);
      if (metricNames.isEmpty()) {
        throw new IllegalArgumentException("chart " + title + " has no metric");
      }
    }
  }

  /**
   * A query of a panel.
   *
   * @param promql the expression
   * @param legend the legend
   * @return the query
   */
  public static Query query(String promql, String legend) {
    return new Query(promql, legend);
  }

  /**
   * Every PromQL expression, in panel order (and the variable's last), for checks against a real Prometheus.
   *
   * @return the expressions
   */
  public List<String> expressions() {
    List<String> out = new ArrayList<>();
    for (Panel p : panels) {
      for (Query q : p.queries()) {
        out.add(q.promql());
      }
    }
    return out;
  }

  /**
   * Starts a dashboard.
   *
   * @param title the product's name
   * @return a builder
   */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  private static void requireText(String s, String what) {
    if (Objects.requireNonNull(s, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  /** Builds a {@link SourceDashboard}; not thread-safe. */
  public static final class Builder {
    private final String title;
    private final List<Kpi> kpis = new ArrayList<>();
    private Optional<Variable> variable = Optional.empty();
    private final List<Panel> panels = new ArrayList<>();
    private final List<MetricChart> charts = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();

    private Builder(String title) {
      this.title = title;
    }

    /**
     * Adds core KPIs to chart from EMF.
     *
     * @param more the KPIs
     * @return this
     */
    public Builder kpis(Kpi... more) {
      kpis.addAll(List.of(more));
      return this;
    }

    /**
     * Sets the template variable.
     *
     * @param name the label
     * @param label what the picker says
     * @param query the PromQL listing the values
     * @return this
     */
    public Builder variable(String name, String label, String query) {
      variable = Optional.of(new Variable(name, label, query));
      return this;
    }

    /**
     * Adds a panel.
     *
     * @param panelTitle the title
     * @param unit the Grafana unit
     * @param panelQueries the queries
     * @return this
     */
    public Builder panel(String panelTitle, String unit, Query... panelQueries) {
      panels.add(new Panel(panelTitle, unit, List.of(panelQueries)));
      return this;
    }

    /**
     * Adds a Container Insights chart.
     *
     * @param chartTitle the title
     * @param metricNames the metric names in namespace {@code ContainerInsights}
     * @return this
     */
    public Builder containerInsights(String chartTitle, String... metricNames) {
      charts.add(new MetricChart(chartTitle, "ContainerInsights", List.of(metricNames)));
      return this;
    }

    /**
     * Adds Logs Insights catalogue queries that apply.
     *
     * @param names the catalogue names
     * @return this
     */
    public Builder insightsQueries(String... names) {
      queries.addAll(List.of(names));
      return this;
    }

    /**
     * Builds it.
     *
     * @return the dashboard
     */
    public SourceDashboard build() {
      return new SourceDashboard(title, kpis, variable, panels, charts, queries);
    }
  }
}

package io.github.infermetrics.cloudwatch.dashboard;

import io.github.infermetrics.cloudwatch.dashboard.internal.JsonWriter;
import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.KpiSource;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard (JSON model, schema version 39) for Prometheus that charts one source with the panels the
 * source declares ({@link KpiSource#dashboard()}): PromQL written against the current metric names that falls back
 * to the names of older releases with {@code or}, so one dashboard works across versions. ({@code or} drops the
 * metric name when it matches series, so the old series fill in only where the new ones are missing.) This class
 * knows no source's metric names.
 *
 * <pre>{@code
 * String json = GrafanaDashboard.of(KpiSources.installed().require("vllm")).json();   // import in Grafana
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class GrafanaDashboard {
  private final String id;
  private final SourceDashboard dashboard;

  private GrafanaDashboard(String id, SourceDashboard dashboard) {
    this.id = Objects.requireNonNull(id, "id");
    this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
  }

  /**
   * The dashboard of a source.
   *
   * @param source the source
   * @return the dashboard
   * @throws IllegalArgumentException when the source declares none
   */
  public static GrafanaDashboard of(KpiSource source) {
    return new GrafanaDashboard(source.name(), source.dashboard().orElseThrow(() -> new IllegalArgumentException(
        "source " + source.name() + " declares no dashboard")));
  }

  /**
   * A dashboard from a declaration.
   *
   * @param id the source's name, for the dashboard's uid and tags
   * @param dashboard what it shows
   * @return the dashboard
   */
  public static GrafanaDashboard of(String id, SourceDashboard dashboard) {
    return new GrafanaDashboard(id, dashboard);
  }

  /**
   * Every PromQL expression of the dashboard, in panel order.
   *
   * @return the expressions
   */
  public List<String> expressions() {
    return dashboard.expressions();
  }

  /**
   * The dashboard JSON, with a {@code datasource} variable of type prometheus (and the source's variable, such as
   * the model, when it declares one).
   *
   * @return the JSON text
   */
  public String json() {
    JsonWriter w = new JsonWriter();
    w.beginObject().member("title", dashboard.title() + " (infermetrics)").member("uid", "infermetrics-" + id)
        .member("schemaVersion", 39).member("editable", true).member("refresh", "30s");
    w.name("tags").beginArray().value("infermetrics").value(id).endArray();
    w.name("time").beginObject().member("from", "now-1h").member("to", "now").endObject();
    w.name("templating").beginObject().name("list").beginArray();
    w.beginObject().member("name", "datasource").member("label", "Prometheus").member("type", "datasource")
        .member("query", "prometheus").endObject();
    dashboard.variable().ifPresent(v -> variable(w, v));
    w.endArray().endObject();
    w.name("panels").beginArray();
    int id = 1;
    for (SourceDashboard.Panel p : dashboard.panels()) {
      int x = (id - 1) % 2 * 12;
      int y = (id - 1) / 2 * 8;
      w.beginObject().member("id", id).member("type", "timeseries").member("title", p.title());
      datasource(w);
      w.name("gridPos").beginObject().member("h", 8).member("w", 12).member("x", x).member("y", y).endObject();
      w.name("fieldConfig").beginObject().name("defaults").beginObject().member("unit", p.unit()).endObject()
          .name("overrides").beginArray().endArray().endObject();
      w.name("targets").beginArray();
      char ref = 'A';
      for (SourceDashboard.Query t : p.queries()) {
        w.beginObject().member("refId", String.valueOf(ref++)).member("expr", t.promql())
            .member("legendFormat", t.legend());
        datasource(w);
        w.endObject();
      }
      w.endArray().endObject();
      id++;
    }
    return w.endArray().endObject().toString();
  }

  @Override
  public String toString() {
    return json();
  }

  private static void datasource(JsonWriter w) {
    w.name("datasource").beginObject().member("type", "prometheus").member("uid", "${datasource}").endObject();
  }

  private static void variable(JsonWriter w, SourceDashboard.Variable v) {
    w.beginObject().member("name", v.name()).member("label", v.label()).member("type", "query");
    datasource(w);
    w.member("query", v.query()).member("refresh", 2).member("multi", true).member("includeAll", true)
        .member("allValue", ".*");
    w.name("current").beginObject().member("text", "All").member("value", "$__all").endObject();
    w.endObject();
  }
}

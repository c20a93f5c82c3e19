package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.Saturation;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code /api/kpis/{target}/{model}}: one row of the {@code watch} table as a flat JSON object, for autoscalers that
 * read one number by a path (KEDA's {@code metrics-api} scaler, GJSON): {@code {"target", "model", "source",
 * "state", "at", "window_seconds", KPI: value..., "slo_goodput": {LATENCY: value}}}. A KPI's key is its id for
 * single values ({@code saturation}, {@code queue_depth}, {@code kv_cache_usage}, {@code request_rate}) and id plus
 * statistic for latencies ({@code time_to_first_token_p95}), in the KPI's unit (seconds, 0–1 ratios, per second); a
 * value the window could not give is absent. {@code accelerator_utilization} is the target's. Goodput is keyed by
 * the objective's latency ({@code ttft}, {@code itl}, {@code e2e}, {@code queue}), each given once in {@code --slo}.
 *
 * <p>The model is written as in the table: {@code NAME}, {@code NAME:VERSION} for Triton, {@code NAMESPACE/NAME}
 * with Triton's model namespacing; a name alone finds a Triton model with one version. {@code -} is the target's
 * values that have no model (neuron-monitor's).
 */
final class ModelRow {
  /** An answer: the HTTP status and its JSON body. */
  record Answer(int status, String json) {}

  private ModelRow() {}

  /** The row's values, from the first source that has each. */
  private static final class Row {
    final String source;
    final Labels model;
    final Map<String, Double> values = new LinkedHashMap<>();
    final Map<String, Double> goodput = new LinkedHashMap<>();

    Row(String source, Labels model) {
      this.source = source;
      this.model = model;
    }
  }

  /**
   * Finds one row.
   *
   * @param statuses every target's state
   * @param target the target's name
   * @param model the model as in the table, or {@code -}
   * @return 200 and the row; 404 for an unknown target or model; 503 for a target without a current window
   */
  static Answer find(List<TargetStatus> statuses, String target, String model) {
    TargetStatus s = statuses.stream().filter(t -> t.name().equals(target)).findFirst().orElse(null);
    if (s == null) {
      List<String> names = statuses.stream().map(TargetStatus::name).toList();
      return error(404, "no target named '" + target + "'; targets: " + list(names));
    }
    if (s.state() == TargetStatus.State.DOWN || s.state() == TargetStatus.State.UNRECOGNIZED) {
      return error(503, "target " + target + " is " + s.state().name().toLowerCase(Locale.ROOT) + ": "
          + s.reason().orElse(""));
    }
    if (s.last().isEmpty()) {
      return error(503, "target " + target + " has no KPI window yet: it needs a second scrape");
    }
    TargetWindow w = s.last().get();
    Map<String, Row> rows = rows(w);
    Row row = rows.get(model);
    if (row == null) {
      List<Row> named = rows.values().stream().filter(r -> model.equals(r.model.get(KpiDimension.MODEL))).toList();
      if (named.size() == 1) {
        row = named.get(0);
      } else if (named.size() > 1) {
        List<String> keys = new ArrayList<>();
        rows.forEach((k, r) -> {
          if (named.contains(r)) {
            keys.add(k);
          }
        });
        return error(404, "model '" + model + "' of target " + target + " has several versions: ask for one of "
            + list(keys));
      } else {
        return error(404, "no model '" + model + "' on target " + target + "; models: " + list(rows.keySet()));
      }
    }
    StringBuilder sb = new StringBuilder(1024);
    sb.append("{\"target\":");
    JsonString.appendGo(sb, target);
    sb.append(",\"model\":");
    JsonString.appendGo(sb, row.model.get(KpiDimension.MODEL) == null ? "-" : row.model.get(KpiDimension.MODEL));
    for (String key : List.of(KpiDimension.MODEL_VERSION, KpiDimension.NAMESPACE)) {
      if (row.model.get(key) != null) {
        sb.append(",\"").append(key).append("\":");
        JsonString.appendGo(sb, row.model.get(key));
      }
    }
    sb.append(",\"source\":");
    JsonString.appendGo(sb, row.source);
    sb.append(",\"state\":\"").append(s.state().name().toLowerCase(Locale.ROOT)).append('"');
    sb.append(",\"at\":\"").append(w.at()).append("\",\"window_seconds\":")
        .append(KpiCommand.number(w.window().toNanos() / 1e9));
    row.values.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(KpiCommand.number(v)));
    OptionalDouble accelerator = Saturation.accelerator(w.kpiSets());
    if (accelerator.isPresent() && !row.values.containsKey(Kpi.ACCELERATOR_UTILIZATION.id())) {
      sb.append(",\"").append(Kpi.ACCELERATOR_UTILIZATION.id()).append("\":")
          .append(KpiCommand.number(accelerator.getAsDouble()));
    }
    if (!row.goodput.isEmpty()) {
      sb.append(",\"slo_goodput\":{");
      int n = 0;
      for (Map.Entry<String, Double> e : row.goodput.entrySet()) {
        sb.append(n++ > 0 ? "," : "");
        JsonString.appendGo(sb, e.getKey());
        sb.append(':').append(KpiCommand.number(e.getValue()));
      }
      sb.append('}');
    }
    return new Answer(200, sb.append("}\n").toString());
  }

  /** The window's rows by the table's model key; "-" for values without a model. */
  private static Map<String, Row> rows(TargetWindow w) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (SourceWindow sw : w.sources()) {
      KpiSet set = sw.kpis();
      Map<String, Row> mine = new LinkedHashMap<>();
      for (KpiValue v : set.values()) {
        Labels d = v.dimensions();
        String slo = d.get(KpiDimension.SLO);
        Labels model = slo == null ? d : d.without(KpiDimension.SLO);
        if (!(model.isEmpty() || KpiHistory.isModelLevel(model))) {
          continue;
        }
        String key = key(model);
        Row row = mine.computeIfAbsent(key, k -> new Row(sw.source(), model));
        if (v.kpi() == Kpi.SLO_GOODPUT) {
          if (slo != null) {
            int le = slo.indexOf("<=");
            row.goodput.putIfAbsent(le > 0 ? slo.substring(0, le) : slo, v.value());
          }
        } else {
          row.values.putIfAbsent(v.statistic() == KpiStatistic.VALUE ? v.kpi().id()
              : v.kpi().id() + "_" + v.statistic().suffix(), v.value());
        }
      }
      // a model that two sources report (Triton and its vLLM backend): the first source's values, then the others'
      mine.forEach((k, r) -> rows.merge(k, r, (a, b) -> {
        b.values.forEach(a.values::putIfAbsent);
        b.goodput.forEach(a.goodput::putIfAbsent);
        return a;
      }));
    }
    return rows;
  }

  /** The table's model key: [namespace/]model[:version], or "-". */
  private static String key(Labels model) {
    String name = model.get(KpiDimension.MODEL);
    if (name == null) {
      return "-";
    }
    String version = model.get(KpiDimension.MODEL_VERSION);
    String namespace = model.get(KpiDimension.NAMESPACE);
    return (namespace == null ? "" : namespace + "/") + name + (version == null ? "" : ":" + version);
  }

  private static String list(java.util.Collection<String> names) {
    List<String> l = new ArrayList<>(names);
    return l.isEmpty() ? "none" : l.size() <= 10 ? String.join(", ", l)
        : String.join(", ", l.subList(0, 10)) + " and " + (l.size() - 10) + " more";
  }

  /** A one-line JSON error: {@code {"error": "..."}}. */
  static Answer error(int status, String message) {
    StringBuilder sb = new StringBuilder("{\"error\":");
    JsonString.appendGo(sb, message);
    return new Answer(status, sb.append("}\n").toString());
  }
}

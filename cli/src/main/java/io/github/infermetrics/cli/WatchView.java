package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code watch} table: one row per target and model with the KPIs every source shares, whatever the source.
 * Rows come from each target's {@code KpiSet}: values split by model (and version), not by engine, device, runtime or
 * reason; the accelerator column is the target's (its overall value, else the mean over its devices).
 */
final class WatchView {
  /** One column: a KPI statistic, shown in a unit people read. */
  private enum Column {
    REQUESTS("REQ/S", Kpi.REQUEST_RATE, KpiStatistic.VALUE, 1),
    ERRORS("ERR %", Kpi.ERROR_RATIO, KpiStatistic.VALUE, 100),
    TTFT("TTFT p95 ms", Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, 1000),
    LATENCY("LAT p95 ms", Kpi.END_TO_END_LATENCY, KpiStatistic.P95, 1000),
    // Triton without summaries has only a mean latency: shown, marked, where the p95 is missing
    LATENCY_MEAN("", Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, 1000),
    QUEUE("QUEUE ms", Kpi.QUEUE_TIME, KpiStatistic.MEAN, 1000),
    TOKENS("TOK/S", Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, 1),
    KV_CACHE("KV %", Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, 100),
    ACCELERATOR("ACCEL %", Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, 100);

    final String header;
    final Kpi kpi;
    final KpiStatistic statistic;
    final double scale;

    Column(String header, Kpi kpi, KpiStatistic statistic, double scale) {
      this.header = header;
      this.kpi = kpi;
      this.statistic = statistic;
      this.scale = scale;
    }
  }

  private WatchView() {}

  /** The rows of the table, header first: TARGET, SOURCE, MODEL, then the KPI columns. */
  static List<String[]> rows(List<WatchState.Status> statuses) {
    List<String[]> rows = new ArrayList<>();
    Column[] columns = Column.values();
    int shown = columns.length - 1;
    String[] header = new String[3 + shown];
    header[0] = "TARGET";
    header[1] = "SOURCE";
    header[2] = "MODEL";
    for (int i = 0, j = 0; i < columns.length; i++) {
      if (columns[i] != Column.LATENCY_MEAN) {
        header[3 + j++] = columns[i].header;
      }
    }
    rows.add(header);
    for (WatchState.Status s : statuses) {
      String source = s.source() == SourceKpis.Source.AUTO ? "?" : s.source().toString();
      if (!s.up()) {
        rows.add(new String[] {s.target().name(), source, "down: " + s.down()});
        continue;
      }
      if (s.report() == null) {
        rows.add(new String[] {s.target().name(), source, "(waiting for a second scrape)"});
        continue;
      }
      Map<String, double[]> byModel = new LinkedHashMap<>();
      double deviceSum = 0;
      int devices = 0;
      OptionalDouble overall = OptionalDouble.empty();
      for (KpiValue v : s.report().kpis().values()) {
        Labels d = v.dimensions();
        if (v.kpi() == Kpi.ACCELERATOR_UTILIZATION) {
          if (d.isEmpty()) {
            overall = OptionalDouble.of(v.value());
          } else if (d.size() == 1 && d.get(KpiDimension.DEVICE) != null) {
            deviceSum += v.value();
            devices++;
          }
          continue;
        }
        String model = modelKey(d);
        if (model == null) {
          continue;
        }
        for (int i = 0; i < columns.length; i++) {
          if (columns[i].kpi == v.kpi() && columns[i].statistic == v.statistic()) {
            byModel.computeIfAbsent(model, k -> empty(columns.length))[i] = v.value();
          }
        }
      }
      double accel = overall.orElse(devices > 0 ? deviceSum / devices : Double.NaN);
      if (byModel.isEmpty()) {
        byModel.put("", empty(columns.length));
      }
      for (Map.Entry<String, double[]> e : byModel.entrySet()) {
        String[] row = new String[3 + shown];
        row[0] = s.target().name();
        row[1] = source;
        row[2] = e.getKey().isEmpty() ? "-" : e.getKey();
        double[] values = e.getValue();
        values[Column.ACCELERATOR.ordinal()] = accel;
        for (int i = 0, j = 0; i < columns.length; i++) {
          if (columns[i] == Column.LATENCY_MEAN) {
            continue;
          }
          String cell = Double.isNaN(values[i]) ? "-" : KpiReportWriter.cell(values[i] * columns[i].scale);
          int mean = Column.LATENCY_MEAN.ordinal();
          if (columns[i] == Column.LATENCY && Double.isNaN(values[i]) && !Double.isNaN(values[mean])) {
            cell = "mean " + KpiReportWriter.cell(values[mean] * columns[mean].scale);
          }
          row[3 + j++] = cell;
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** model[:version] for per-model values, "" for whole-target values, null for finer splits. */
  private static String modelKey(Labels d) {
    if (d.get(KpiDimension.ENGINE) != null || d.get(KpiDimension.DEVICE) != null || d.get(KpiDimension.REASON) != null
        || d.get(KpiDimension.RUNTIME) != null) {
      return null;
    }
    String model = d.get(KpiDimension.MODEL);
    if (model == null) {
      return "";
    }
    String version = d.get(KpiDimension.MODEL_VERSION);
    String namespace = d.get(KpiDimension.NAMESPACE);
    return (namespace == null ? "" : namespace + "/") + model + (version == null ? "" : ":" + version);
  }

  private static double[] empty(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }

  /** Aligned text: names left, numbers right; a short row (down, waiting) runs on after its third cell. */
  static String text(List<String[]> rows) {
    int width = rows.get(0).length;
    int[] widths = new int[width];
    for (String[] r : rows) {
      if (r.length == width) {
        for (int i = 0; i < width; i++) {
          widths[i] = Math.max(widths[i], r[i].length());
        }
      } else {
        for (int i = 0; i < Math.min(2, r.length); i++) {
          widths[i] = Math.max(widths[i], r[i].length());
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        boolean last = i == r.length - 1;
        if (i < 3 || r.length != width) {
          line.append(r[i]);
          if (!last) {
            line.append(" ".repeat(Math.max(0, widths[i] - r[i].length())));
          }
        } else {
          line.append(" ".repeat(widths[i] - r[i].length())).append(r[i]);
        }
      }
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * One JSON object for one moment: {@code {"at":..., "targets":[{"target", "url", "source", "up", "error" | "kpis"}]}}
   * where {@code kpis} is the object {@code kpi --json} prints, or null before the second scrape.
   */
  static String json(Instant at, List<WatchState.Status> statuses) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("{\"at\":\"").append(at).append("\",\"targets\":[");
    for (int i = 0; i < statuses.size(); i++) {
      WatchState.Status s = statuses.get(i);
      sb.append(i > 0 ? ",{\"target\":" : "{\"target\":");
      GoFormat.appendJsonString(sb, s.target().name());
      sb.append(",\"url\":");
      GoFormat.appendJsonString(sb, s.target().uri().toString());
      sb.append(",\"source\":");
      GoFormat.appendJsonString(sb, s.source().toString());
      sb.append(",\"up\":").append(s.up());
      if (!s.up()) {
        sb.append(",\"error\":");
        GoFormat.appendJsonString(sb, s.down());
      } else if (s.report() == null) {
        sb.append(",\"kpis\":null");
      } else {
        sb.append(",\"kpis\":");
        KpiReportWriter.appendJson(sb, s.report().kpis(), s.report().tables());
      }
      sb.append('}');
    }
    return sb.append("]}\n").toString();
  }
}

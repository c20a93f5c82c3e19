package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code watch} table: one row per target, source and model with the KPIs every source shares. Rows come from
 * each source's {@code KpiSet}: values split by model (and version), not by engine, device, runtime or reason; the
 * accelerator column is the target's (its overall value, else the mean over its devices). Each column has one
 * precision and says its unit; durations carry theirs ({@code 95.0 ms}); a value that is only a bound shows it
 * ({@code ≤100 ms}). Column widths only grow from frame to frame, so a live table does not jump.
 */
final class WatchView {
  /** How a column shows its values. */
  private enum Style { RATE, PERCENT, DURATION }

  /** One column: a KPI statistic, shown in a unit people read. */
  private enum Column {
    REQUESTS("REQ/S", Kpi.REQUEST_RATE, KpiStatistic.VALUE, Style.RATE),
    ERRORS("ERR %", Kpi.ERROR_RATIO, KpiStatistic.VALUE, Style.PERCENT),
    TTFT("TTFT p95", Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Style.DURATION),
    LATENCY("E2E p95", Kpi.END_TO_END_LATENCY, KpiStatistic.P95, Style.DURATION),
    // Triton without summaries has only a mean latency: shown, marked as a mean, where the p95 is missing
    LATENCY_MEAN("", Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, Style.DURATION),
    QUEUE("QUEUE mean", Kpi.QUEUE_TIME, KpiStatistic.MEAN, Style.DURATION),
    WAITING("WAITING", Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, Style.RATE),
    TOKENS("TOK/S", Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, Style.RATE),
    KV_CACHE("KV %", Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Style.PERCENT),
    ACCELERATOR("ACCEL %", Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, Style.PERCENT);

    final String header;
    final Kpi kpi;
    final KpiStatistic statistic;
    final Style style;

    Column(String header, Kpi kpi, KpiStatistic statistic, Style style) {
      this.header = header;
      this.kpi = kpi;
      this.statistic = statistic;
      this.style = style;
    }
  }

  private static final Column[] COLUMNS = Column.values();
  private static final int SHOWN = COLUMNS.length - 1; // LATENCY_MEAN only fills in LATENCY

  /** Widths of the last frames: they grow and never shrink. */
  private int[] widths = new int[0];

  /** The rows of the table, header first: TARGET, SOURCE, MODEL, then the KPI columns. */
  static List<String[]> rows(List<TargetStatus> statuses) {
    return rows(statuses, Map.of());
  }

  /**
   * The rows, with the GPUs joined to each model server ({@link AcceleratorJoin}): a target's latest joined window
   * gives its accelerator column when its own sources have none.
   */
  static List<String[]> rows(List<TargetStatus> statuses, Map<String, TargetWindow> joined) {
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[3 + SHOWN];
    header[0] = "TARGET";
    header[1] = "SOURCE";
    header[2] = "MODEL";
    for (int i = 0, j = 0; i < COLUMNS.length; i++) {
      if (COLUMNS[i] != Column.LATENCY_MEAN) {
        header[3 + j++] = COLUMNS[i].header;
      }
    }
    rows.add(header);
    for (TargetStatus s : statuses) {
      String sources = s.sources().isEmpty() ? "?" : String.join("+", s.sources());
      switch (s.state()) {
        case DOWN -> {
          rows.add(new String[] {s.name(), sources, "down: " + s.reason().orElse("")});
          continue;
        }
        case UNRECOGNIZED -> {
          rows.add(new String[] {s.name(), "?", s.reason().orElse("up, no known source")});
          continue;
        }
        default -> {
          // UP, or WAITING with an older window to show
        }
      }
      if (s.last().isEmpty()) {
        rows.add(new String[] {s.name(), sources, "(waiting for a second scrape)"});
        continue;
      }
      TargetWindow w = s.last().get();
      Cell accel = accelerator(w);
      TargetWindow gpus = joined.get(s.name());
      if (accel == null && gpus != null) {
        accel = joinedAccelerator(gpus);
      }
      for (SourceWindow sw : w.sources()) {
        Map<String, Cell[]> byModel = new LinkedHashMap<>();
        for (KpiValue v : sw.kpis().values()) {
          if (v.kpi() == Kpi.ACCELERATOR_UTILIZATION) {
            continue;
          }
          String model = modelKey(v.dimensions());
          if (model == null) {
            continue;
          }
          for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i].kpi == v.kpi() && COLUMNS[i].statistic == v.statistic()) {
              byModel.computeIfAbsent(model, k -> new Cell[COLUMNS.length])[i] = new Cell(v.value(), v.bound());
            }
          }
        }
        if (byModel.isEmpty()) {
          byModel.put("", new Cell[COLUMNS.length]);
        }
        for (Map.Entry<String, Cell[]> e : byModel.entrySet()) {
          Cell[] values = e.getValue();
          values[Column.ACCELERATOR.ordinal()] = accel;
          String[] row = new String[3 + SHOWN];
          row[0] = s.name();
          row[1] = sw.source();
          row[2] = e.getKey().isEmpty() ? "-" : e.getKey();
          for (int i = 0, j = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i] == Column.LATENCY_MEAN) {
              continue;
            }
            String cell = format(COLUMNS[i], values[i]);
            Cell mean = values[Column.LATENCY_MEAN.ordinal()];
            if (COLUMNS[i] == Column.LATENCY && values[i] == null && mean != null) {
              cell = "mean " + format(Column.LATENCY_MEAN, mean);
            }
            row[3 + j++] = cell;
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** A value and, for a quantile that is only a bound, its bound. */
  private record Cell(double value, Optional<Bound> bound) {}

  /** The target's accelerator use: an overall value of any source, else the mean over its devices. */
  private static Cell accelerator(TargetWindow w) {
    double deviceSum = 0;
    int devices = 0;
    for (SourceWindow sw : w.sources()) {
      for (KpiValue v : sw.kpis().values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE)) {
        Labels d = v.dimensions();
        if (d.isEmpty()) {
          return new Cell(v.value(), Optional.empty());
        }
        if (d.size() == 1 && d.get(KpiDimension.DEVICE) != null) {
          deviceSum += v.value();
          devices++;
        }
      }
    }
    return devices == 0 ? null : new Cell(deviceSum / devices, Optional.empty());
  }

  /** The pod's GPU use from a joined window. */
  private static Cell joinedAccelerator(TargetWindow w) {
    for (SourceWindow sw : w.sources()) {
      for (KpiValue v : sw.kpis().values(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE)) {
        return new Cell(v.value(), Optional.empty());
      }
    }
    return null;
  }

  private static String format(Column c, Cell cell) {
    if (cell == null) {
      return "-";
    }
    if (cell.bound().isPresent()) {
      return Cells.sign(cell.bound().get()) + format(c, new Cell(cell.bound().get().limit(), Optional.empty()));
    }
    return switch (c.style) {
      case RATE -> Cells.oneDecimal(cell.value());
      case PERCENT -> Cells.percent(cell.value());
      case DURATION -> Cells.duration(cell.value());
    };
  }

  /**
   * model[:version] for per-model values, application/deployment for a deployment's values without a model, ""
   * for whole-target values, null for finer splits (engines, devices, routes, ...).
   */
  private static String modelKey(Labels d) {
    if (d.get(KpiDimension.ENGINE) != null || d.get(KpiDimension.DEVICE) != null || d.get(KpiDimension.REASON) != null
        || d.get(KpiDimension.RUNTIME) != null || d.get(KpiDimension.SLO) != null
        || d.get(KpiDimension.ROUTE) != null) {
      return null;
    }
    String model = d.get(KpiDimension.MODEL);
    if (model == null) {
      String deployment = d.get(KpiDimension.DEPLOYMENT);
      if (deployment != null) {
        String app = d.get(KpiDimension.APPLICATION);
        return app == null ? deployment : app + "/" + deployment;
      }
      return "";
    }
    String version = d.get(KpiDimension.MODEL_VERSION);
    String namespace = d.get(KpiDimension.NAMESPACE);
    return (namespace == null ? "" : namespace + "/") + model + (version == null ? "" : ":" + version);
  }

  /**
   * Aligned text: names left, numbers right; a short row (down, waiting) runs on after its third cell. The widths
   * never shrink below those of earlier frames of this view.
   */
  String text(List<String[]> rows) {
    int width = rows.get(0).length;
    if (widths.length != width) {
      widths = new int[width];
    }
    for (String[] r : rows) {
      int n = r.length == width ? width : Math.min(2, r.length);
      for (int i = 0; i < n; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
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
   * One JSON object for one moment: {@code {"at":..., "targets":[{"target", "url", "state", "up", "sources",
   * "source", "error" | "kpis", "windows"}]}}. {@code kpis} is the object {@code kpi --json} prints for the target's
   * first source (null before its second scrape), {@code windows} one such object per source.
   */
  static String json(Instant at, List<TargetStatus> statuses) {
    return json(at, statuses, Map.of());
  }

  /** The JSON, with each target's latest joined GPU window among its {@code windows}. */
  static String json(Instant at, List<TargetStatus> statuses, Map<String, TargetWindow> joined) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("{\"at\":\"").append(at).append("\",\"targets\":[");
    for (int i = 0; i < statuses.size(); i++) {
      TargetStatus s = statuses.get(i);
      sb.append(i > 0 ? ",{\"target\":" : "{\"target\":");
      JsonString.appendGo(sb, s.name());
      sb.append(",\"url\":");
      JsonString.appendGo(sb, s.target().uri().toString());
      s.target().pod().ifPresent(p -> {
        sb.append(",\"pod\":");
        JsonString.appendGo(sb, p);
      });
      sb.append(",\"state\":\"").append(s.state().name().toLowerCase(java.util.Locale.ROOT)).append('"');
      sb.append(",\"up\":").append(s.up());
      sb.append(",\"sources\":[");
      for (int j = 0; j < s.sources().size(); j++) {
        sb.append(j > 0 ? "," : "");
        JsonString.appendGo(sb, s.sources().get(j));
      }
      sb.append("],\"source\":");
      JsonString.appendGo(sb, s.sources().isEmpty() ? "?" : s.sources().get(0));
      if (s.reason().isPresent()) {
        sb.append(",\"error\":");
        JsonString.appendGo(sb, s.reason().get());
      }
      Optional<TargetWindow> w = s.up() ? s.last() : Optional.empty();
      if (w.isEmpty() || w.get().sources().isEmpty()) {
        sb.append(",\"kpis\":null,\"windows\":[]");
      } else {
        List<SourceWindow> windows = new ArrayList<>(w.get().sources());
        TargetWindow gpus = joined.get(s.name());
        if (gpus != null) {
          windows.addAll(gpus.sources());
        }
        sb.append(",\"kpis\":");
        KpiReportWriter.appendJson(sb, windows.get(0).kpis(), windows.get(0).window().tables());
        sb.append(",\"windows\":[");
        for (int j = 0; j < windows.size(); j++) {
          sb.append(j > 0 ? "," : "");
          KpiReportWriter.appendJson(sb, windows.get(j).kpis(), windows.get(j).window().tables());
        }
        sb.append(']');
      }
      sb.append('}');
    }
    return sb.append("]}\n").toString();
  }
}

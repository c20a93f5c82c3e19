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
import java.util.Arrays;
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
  private static final int LATENCY = Column.LATENCY.ordinal();
  private static final int LATENCY_MEAN = Column.LATENCY_MEAN.ordinal();
  private static final int ACCELERATOR = Column.ACCELERATOR.ordinal();

  /** Widths of the last frames: they grow and never shrink. */
  private int[] widths = new int[0];
  /** The cells of the frame being drawn, and the frame's text: kept from frame to frame, as is their size. */
  private final Table table = new Table();
  private final StringBuilder frame = new StringBuilder(4096);
  private final char[] chunk = new char[8192];

  /** The rows of the table, header first: TARGET, SOURCE, MODEL, then the KPI columns. */
  static List<String[]> rows(List<TargetStatus> statuses) {
    return rows(statuses, Map.of());
  }

  /**
   * The rows, with the GPUs joined to each model server ({@link AcceleratorJoin}): a target's latest joined window
   * gives its accelerator column when its own sources have none.
   */
  static List<String[]> rows(List<TargetStatus> statuses, Map<String, TargetWindow> joined) {
    Table t = new Table();
    t.fill(statuses, joined);
    return t.rows();
  }

  /**
   * Draws the table of one moment into this view's buffer, as {@link #text} of its {@link #rows}: every cell is
   * appended once into one buffer, its width read from there, and the frame written into another, both kept for
   * the next frame, so that a large fleet's table every interval is not thousands of strings.
   *
   * @return the frame's text, valid until the next frame
   */
  CharSequence draw(List<TargetStatus> statuses, Map<String, TargetWindow> joined) {
    table.clear();
    table.fill(statuses, joined);
    return render();
  }

  /** Writes the frame last drawn, through a reused array rather than as a new String. */
  void write(java.io.PrintWriter out) {
    for (int at = 0; at < frame.length(); at += chunk.length) {
      int end = Math.min(frame.length(), at + chunk.length);
      frame.getChars(at, end, chunk, 0);
      out.write(chunk, 0, end - at);
    }
  }

  /**
   * Aligned text: names left, numbers right; a short row (down, waiting) runs on after its third cell. The widths
   * never shrink below those of earlier frames of this view.
   */
  String text(List<String[]> rows) {
    table.clear();
    for (String[] r : rows) {
      for (String cell : r) {
        table.cells.append(cell);
        table.endCell();
      }
      table.endRow();
    }
    return render().toString();
  }

  private StringBuilder render() {
    Table t = table;
    int width = t.cellsOf(0);
    if (widths.length != width) {
      widths = new int[width];
    }
    for (int r = 0; r < t.rowCount; r++) {
      int first = t.firstCell(r);
      int cells = t.cellsOf(r);
      int n = cells == width ? width : Math.min(2, cells);
      for (int i = 0; i < n; i++) {
        widths[i] = Math.max(widths[i], t.length(first + i));
      }
    }
    StringBuilder sb = frame;
    sb.setLength(0);
    for (int r = 0; r < t.rowCount; r++) {
      int first = t.firstCell(r);
      int cells = t.cellsOf(r);
      for (int i = 0; i < cells; i++) {
        if (i > 0) {
          sb.append("  ");
        }
        int start = t.start(first + i);
        int length = t.length(first + i);
        if (i < 3 || cells != width) {
          sb.append(t.cells, start, start + length);
          if (i != cells - 1) {
            pad(sb, widths[i] - length);
          }
        } else {
          pad(sb, widths[i] - length);
          sb.append(t.cells, start, start + length);
        }
      }
      sb.append('\n');
    }
    return sb;
  }

  private static void pad(StringBuilder sb, int spaces) {
    for (int i = 0; i < spaces; i++) {
      sb.append(' ');
    }
  }

  /**
   * The cells of one frame, end to end in one buffer, and the values of the models of the source being laid out:
   * all reused from frame to frame.
   */
  private static final class Table {
    final StringBuilder cells = new StringBuilder(4096);
    /** Where each cell ends in {@code cells}. */
    private int[] ends = new int[256];
    private int cellCount;
    /** Where each row's cells end in {@code ends}. */
    private int[] rowEnds = new int[32];
    int rowCount;

    // the models of one source: each one's key in keys, and its values by column (a KpiValue, or none)
    private final StringBuilder keys = new StringBuilder(64);
    private int[] keyEnds = new int[4];
    private KpiValue[] values = new KpiValue[4 * COLUMNS.length];
    private int models;
    // the target's accelerator use, when it has one
    private boolean hasAccelerator;
    private double accelerator;

    void clear() {
      cells.setLength(0);
      cellCount = 0;
      rowCount = 0;
    }

    void endCell() {
      if (cellCount == ends.length) {
        ends = Arrays.copyOf(ends, cellCount * 2);
      }
      ends[cellCount++] = cells.length();
    }

    private void cell(String text) {
      cells.append(text);
      endCell();
    }

    void endRow() {
      if (rowCount == rowEnds.length) {
        rowEnds = Arrays.copyOf(rowEnds, rowCount * 2);
      }
      rowEnds[rowCount++] = cellCount;
    }

    int firstCell(int row) {
      return row == 0 ? 0 : rowEnds[row - 1];
    }

    int cellsOf(int row) {
      return rowEnds[row] - firstCell(row);
    }

    int start(int cell) {
      return cell == 0 ? 0 : ends[cell - 1];
    }

    int length(int cell) {
      return ends[cell] - start(cell);
    }

    List<String[]> rows() {
      List<String[]> rows = new ArrayList<>(rowCount);
      for (int r = 0; r < rowCount; r++) {
        String[] row = new String[cellsOf(r)];
        for (int i = 0; i < row.length; i++) {
          int c = firstCell(r) + i;
          row[i] = cells.substring(start(c), ends[c]);
        }
        rows.add(row);
      }
      return rows;
    }

    void fill(List<TargetStatus> statuses, Map<String, TargetWindow> joined) {
      cell("TARGET");
      cell("SOURCE");
      cell("MODEL");
      for (Column c : COLUMNS) {
        if (c != Column.LATENCY_MEAN) {
          cell(c.header);
        }
      }
      endRow();
      // indexed loops here and below: an iterator per list is most of what a frame would allocate otherwise
      for (int t = 0; t < statuses.size(); t++) {
        TargetStatus s = statuses.get(t);
        switch (s.state()) {
          case DOWN -> {
            cell(s.name());
            sources(s);
            cells.append("down: ").append(s.reason().orElse(""));
            endCell();
            endRow();
            continue;
          }
          case UNRECOGNIZED -> {
            cell(s.name());
            cell("?");
            cell(s.reason().orElse("up, no known source"));
            endRow();
            continue;
          }
          default -> {
            // UP, or WAITING with an older window to show
          }
        }
        if (s.last().isEmpty()) {
          cell(s.name());
          sources(s);
          cell("(waiting for a second scrape)");
          endRow();
          continue;
        }
        TargetWindow w = s.last().get();
        accelerator(w);
        TargetWindow gpus = joined.get(s.name());
        if (!hasAccelerator && gpus != null) {
          joinedAccelerator(gpus);
        }
        for (int k = 0; k < w.sources().size(); k++) {
          SourceWindow sw = w.sources().get(k);
          models(sw);
          for (int m = 0; m < models; m++) {
            cell(s.name());
            cell(sw.source());
            int keyStart = m == 0 ? 0 : keyEnds[m - 1];
            if (keyStart == keyEnds[m]) {
              cells.append('-');
            } else {
              cells.append(keys, keyStart, keyEnds[m]);
            }
            endCell();
            int at = m * COLUMNS.length;
            for (int i = 0; i < COLUMNS.length; i++) {
              if (i == LATENCY_MEAN) {
                continue;
              }
              if (i == ACCELERATOR) {
                if (hasAccelerator) {
                  Cells.appendOneDecimal(cells, accelerator * 100);
                } else {
                  cells.append('-');
                }
              } else if (i == LATENCY && values[at + i] == null && values[at + LATENCY_MEAN] != null) {
                format(COLUMNS[i], values[at + LATENCY_MEAN], cells.append("mean "));
              } else {
                format(COLUMNS[i], values[at + i], cells);
              }
              endCell();
            }
            endRow();
          }
        }
      }
    }

    /** The target's sources, {@code a+b}, as a cell. */
    private void sources(TargetStatus s) {
      List<String> sources = s.sources();
      if (sources.isEmpty()) {
        cells.append('?');
      }
      for (int i = 0; i < sources.size(); i++) {
        if (i > 0) {
          cells.append('+');
        }
        cells.append(sources.get(i));
      }
      endCell();
    }

    /**
     * The models of one source, in the order their first value comes, each with its values by column: values
     * split by model (and version), not by engine, device, runtime or reason. One model without a name when there
     * is none.
     */
    private void models(SourceWindow sw) {
      keys.setLength(0);
      models = 0;
      List<KpiValue> all = sw.kpis().values();
      for (int k = 0; k < all.size(); k++) {
        KpiValue v = all.get(k);
        if (v.kpi() == Kpi.ACCELERATOR_UTILIZATION) {
          continue;
        }
        int column = -1;
        for (int i = 0; i < COLUMNS.length; i++) {
          if (COLUMNS[i].kpi == v.kpi() && COLUMNS[i].statistic == v.statistic()) {
            column = i;
          }
        }
        if (column < 0) {
          continue;
        }
        int keyStart = keys.length();
        if (!appendModelKey(keys, v.dimensions())) {
          continue;
        }
        int model = find(keyStart);
        if (model >= 0) {
          keys.setLength(keyStart);
        } else {
          model = add();
        }
        values[model * COLUMNS.length + column] = v;
      }
      if (models == 0) {
        add();
      }
    }

    /** The model whose key equals the one appended at {@code keyStart}, or -1. */
    private int find(int keyStart) {
      int length = keys.length() - keyStart;
      for (int m = 0, start = 0; m < models; start = keyEnds[m++]) {
        if (keyEnds[m] - start != length) {
          continue;
        }
        int i = 0;
        while (i < length && keys.charAt(start + i) == keys.charAt(keyStart + i)) {
          i++;
        }
        if (i == length) {
          return m;
        }
      }
      return -1;
    }

    /** A model whose key ends where the keys end now, without values. */
    private int add() {
      if (models == keyEnds.length) {
        keyEnds = Arrays.copyOf(keyEnds, models * 2);
        values = Arrays.copyOf(values, models * 2 * COLUMNS.length);
      }
      keyEnds[models] = keys.length();
      Arrays.fill(values, models * COLUMNS.length, (models + 1) * COLUMNS.length, null);
      return models++;
    }

    /** The target's accelerator use: an overall value of any source, else the mean over its devices. */
    private void accelerator(TargetWindow w) {
      double deviceSum = 0;
      int devices = 0;
      for (int i = 0; i < w.sources().size(); i++) {
        List<KpiValue> all = w.sources().get(i).kpis().values(); // not values(kpi, statistic): a new list
        for (int k = 0; k < all.size(); k++) {
          KpiValue v = all.get(k);
          if (v.kpi() != Kpi.ACCELERATOR_UTILIZATION || v.statistic() != KpiStatistic.VALUE) {
            continue;
          }
          Labels d = v.dimensions();
          if (d.isEmpty()) {
            hasAccelerator = true;
            accelerator = v.value();
            return;
          }
          if (d.size() == 1 && d.get(KpiDimension.DEVICE) != null) {
            deviceSum += v.value();
            devices++;
          }
        }
      }
      hasAccelerator = devices > 0;
      accelerator = devices == 0 ? 0 : deviceSum / devices;
    }

    /** The pod's GPU use from a joined window. */
    private void joinedAccelerator(TargetWindow w) {
      for (int i = 0; i < w.sources().size(); i++) {
        List<KpiValue> all = w.sources().get(i).kpis().values();
        for (int k = 0; k < all.size(); k++) {
          KpiValue v = all.get(k);
          if (v.kpi() != Kpi.ACCELERATOR_UTILIZATION || v.statistic() != KpiStatistic.VALUE) {
            continue;
          }
          hasAccelerator = true;
          accelerator = v.value();
          return;
        }
      }
    }
  }

  /** A value as its column shows it, appended; {@code -} for none, a bound's limit with its sign. */
  private static void format(Column c, KpiValue v, StringBuilder sb) {
    if (v == null) {
      sb.append('-');
      return;
    }
    Bound bound = v.bound().orElse(null);
    double value = v.value();
    if (bound != null) {
      sb.append(Cells.sign(bound));
      value = bound.limit();
    }
    switch (c.style) {
      case RATE -> Cells.appendOneDecimal(sb, value);
      case PERCENT -> Cells.appendOneDecimal(sb, value * 100);
      case DURATION -> Cells.appendDuration(sb, value);
      default -> throw new IllegalStateException(c.style.name());
    }
  }

  /**
   * Appends model[:version] for per-model values, application/deployment for a deployment's values without a
   * model, nothing for whole-target values; false, with nothing appended, for finer splits (engines, devices,
   * routes, ...).
   */
  private static boolean appendModelKey(StringBuilder sb, Labels d) {
    if (d.get(KpiDimension.ENGINE) != null || d.get(KpiDimension.DEVICE) != null || d.get(KpiDimension.REASON) != null
        || d.get(KpiDimension.RUNTIME) != null || d.get(KpiDimension.SLO) != null
        || d.get(KpiDimension.ROUTE) != null) {
      return false;
    }
    String model = d.get(KpiDimension.MODEL);
    if (model == null) {
      String deployment = d.get(KpiDimension.DEPLOYMENT);
      if (deployment != null) {
        String app = d.get(KpiDimension.APPLICATION);
        if (app != null) {
          sb.append(app).append('/');
        }
        sb.append(deployment);
      }
      return true;
    }
    String version = d.get(KpiDimension.MODEL_VERSION);
    String namespace = d.get(KpiDimension.NAMESPACE);
    if (namespace != null) {
      sb.append(namespace).append('/');
    }
    sb.append(model);
    if (version != null) {
      sb.append(':').append(version);
    }
    return true;
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

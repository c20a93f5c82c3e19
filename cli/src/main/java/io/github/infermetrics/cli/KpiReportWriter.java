package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.internal.text.JsonString;
import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Prints a source's KPIs — its {@link KpiTable tables} and its {@link KpiSet} — as aligned text tables for people or
 * as one JSON object for tools. It knows no source: Triton, vLLM and Neuron all come through the same two shapes.
 */
final class KpiReportWriter {
  private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

  private KpiReportWriter() {}

  /**
   * The JSON form: {@code {"source":..., "window_seconds":..., "tables":{NAME:[{key labels..., column: value|null,
   * "bounds":{column:{"bound":"upper"|"lower","limit":...}}}]}, "kpis":[{"name":..., "dimensions":{...},
   * "value":..., "bound":..., "limit":...}], "dropped":[...]}}. Absent values are {@code null}, so every row of a
   * table has every column; {@code bounds}, {@code bound}/{@code limit} and {@code dropped} appear only when there
   * is something to say: a value that is only a bound (a quantile in a histogram's first or last bucket), and
   * values left out because the server's number was not finite.
   */
  static String json(KpiSet kpis, List<KpiTable> tables) {
    StringBuilder sb = new StringBuilder(4096);
    return appendJson(sb, kpis, tables).append('\n').toString();
  }

  /** Appends the JSON object of {@link #json}, without a line end. */
  static StringBuilder appendJson(StringBuilder sb, KpiSet kpis, List<KpiTable> tables) {
    sb.append("{\"source\":");
    JsonString.appendGo(sb, kpis.source());
    if (!kpis.target().isEmpty()) {
      sb.append(",\"target\":");
      JsonString.appendGo(sb, kpis.target());
    }
    sb.append(",\"window_seconds\":").append(KpiCommand.number(kpis.window().toNanos() / 1e9));
    sb.append(",\"tables\":{");
    for (int t = 0; t < tables.size(); t++) {
      KpiTable table = tables.get(t);
      if (t > 0) {
        sb.append(',');
      }
      JsonString.appendGo(sb, table.name());
      sb.append(":[");
      for (int r = 0; r < table.rows().size(); r++) {
        KpiTable.Row row = table.rows().get(r);
        sb.append(r > 0 ? ",{" : "{");
        boolean first = true;
        for (String key : table.keys()) {
          String v = row.key().get(key);
          if (v != null) {
            sb.append(first ? "" : ",");
            first = false;
            JsonString.appendGo(sb, key);
            sb.append(':');
            JsonString.appendGo(sb, v);
          }
        }
        for (int c = 0; c < table.columns().size(); c++) {
          sb.append(first ? "" : ",");
          first = false;
          JsonString.appendGo(sb, table.columns().get(c).name());
          OptionalDouble v = row.values().get(c);
          sb.append(':').append(v.isPresent() ? KpiCommand.number(v.getAsDouble()) : "null");
        }
        if (!row.bounds().isEmpty()) {
          sb.append(first ? "" : ",").append("\"bounds\":{");
          boolean firstBound = true;
          for (int c = 0; c < table.columns().size(); c++) {
            Bound b = row.bounds().get(c);
            if (b != null) {
              sb.append(firstBound ? "" : ",");
              firstBound = false;
              JsonString.appendGo(sb, table.columns().get(c).name());
              sb.append(":{\"bound\":\"").append(b.side().id()).append("\",\"limit\":")
                  .append(KpiCommand.number(b.limit())).append('}');
            }
          }
          sb.append('}');
        }
        sb.append('}');
      }
      sb.append(']');
    }
    sb.append("},\"kpis\":[");
    for (int i = 0; i < kpis.values().size(); i++) {
      KpiValue v = kpis.values().get(i);
      sb.append(i > 0 ? ",{\"name\":" : "{\"name\":");
      JsonString.appendGo(sb, v.metricName());
      sb.append(",\"dimensions\":");
      Prom2JsonWriter.labels(sb, v.dimensions());
      sb.append(",\"value\":").append(KpiCommand.number(v.value()));
      v.bound().ifPresent(b -> sb.append(",\"bound\":\"").append(b.side().id()).append("\",\"limit\":")
          .append(KpiCommand.number(b.limit())));
      sb.append('}');
    }
    sb.append(']');
    if (!kpis.dropped().isEmpty()) {
      sb.append(",\"dropped\":[");
      for (int i = 0; i < kpis.dropped().size(); i++) {
        sb.append(i > 0 ? "," : "");
        JsonString.appendGo(sb, kpis.dropped().get(i));
      }
      sb.append(']');
    }
    return sb.append('}');
  }

  /**
   * The text form: a heading line, then each table with aligned columns; absent values print as {@code -}, values
   * in the unit that suits them ({@code 95.0 ms}, {@code 7.6%}, {@code 1.50 GiB}), bounds with their sign
   * ({@code ≤100 ms}). A table wider than {@code width} characters is cut into blocks of columns, each repeating
   * the key columns. Values dropped as not finite are listed last.
   */
  static void text(KpiSet kpis, List<KpiTable> tables, PrintWriter out, int width) {
    out.println("source: " + kpis.source() + (kpis.target().isEmpty() ? "" : " (" + kpis.target() + ")")
        + ", window: " + FloatFormats.go(kpis.window().toNanos() / 1e9) + " s");
    for (KpiTable table : tables) {
      out.println();
      out.println(table.name() + (table.rows().isEmpty() ? ": none" : ""));
      if (!table.rows().isEmpty()) {
        table(table, out, width);
      }
    }
    if (!kpis.dropped().isEmpty()) {
      out.println();
      out.println("dropped (not finite): " + String.join(", ", kpis.dropped()));
    }
  }

  /** The width to wrap tables at: the terminal's {@code COLUMNS} when set, else 120. */
  static int terminalWidth() {
    try {
      int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120"));
      return Math.max(60, w);
    } catch (NumberFormatException e) {
      return 120;
    }
  }

  private static void table(KpiTable table, PrintWriter out, int maxWidth) {
    List<String[]> lines = new ArrayList<>();
    int width = table.keys().size() + table.columns().size();
    String[] header = new String[width];
    for (int k = 0; k < table.keys().size(); k++) {
      header[k] = table.keys().get(k).toUpperCase(java.util.Locale.ROOT);
    }
    for (int c = 0; c < table.columns().size(); c++) {
      header[table.keys().size() + c] = table.columns().get(c).header();
    }
    lines.add(header);
    for (KpiTable.Row row : table.rows()) {
      String[] cells = new String[width];
      Labels key = row.key();
      for (int k = 0; k < table.keys().size(); k++) {
        String v = key.get(table.keys().get(k));
        cells[k] = v == null ? "-" : v;
      }
      for (int c = 0; c < table.columns().size(); c++) {
        OptionalDouble v = row.values().get(c);
        KpiTable.Column column = table.columns().get(c);
        cells[table.keys().size() + c] = v.isPresent() ? Cells.value(v.getAsDouble(), column.unit(), row.bound(c))
            : "-";
      }
      lines.add(cells);
    }
    int[] widths = new int[width];
    for (String[] cells : lines) {
      for (int i = 0; i < width; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    int keys = table.keys().size();
    int keyWidth = 0;
    for (int i = 0; i < keys; i++) {
      keyWidth += widths[i] + 2;
    }
    // blocks of columns that fit, each after the key columns; at least one column a block
    int from = keys;
    boolean firstBlock = true;
    while (from < width || firstBlock && from == width) {
      int to = from;
      int used = keyWidth;
      while (to < width && (to == from || used + widths[to] + 2 <= maxWidth)) {
        used += widths[to] + 2;
        to++;
      }
      if (!firstBlock) {
        out.println();
      }
      firstBlock = false;
      for (String[] cells : lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys; i++) {
          sb.append(i > 0 ? "  " : "").append(cells[i]);
          if (i < keys - 1 || to > from) {
            sb.append(" ".repeat(widths[i] - cells[i].length()));
          }
        }
        for (int i = from; i < to; i++) {
          // numbers right-aligned so their magnitudes line up
          sb.append(i > 0 ? "  " : "").append(" ".repeat(widths[i] - cells[i].length())).append(cells[i]);
        }
        out.println(sb.toString().stripTrailing());
      }
      if (to == from) {
        break;
      }
      from = to;
    }
  }

  /** Four significant digits (whole numbers from 1000 up), without exponent or trailing zeros. */
  static String cell(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(v);
    d = Math.abs(v) >= 1000 ? d.setScale(0, RoundingMode.HALF_EVEN) : d.round(FOUR_DIGITS);
    String s = d.stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }
}

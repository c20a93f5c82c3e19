package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.List;
import java.util.Optional;

/** One command of a query, as written between pipes. */
sealed interface Command {
  void appendTo(StringBuilder sb);

  /** The command's keyword, for error messages. */
  String keyword();

  static void list(StringBuilder sb, List<? extends Selection> items) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (items.get(i) instanceof Projection p) {
        p.appendTo(sb);
      } else {
        items.get(i).expression().appendTo(sb);
      }
    }
  }

  record Fields(List<Selection> items) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("fields ");
      list(sb, items);
    }

    @Override
    public String keyword() {
      return "fields";
    }
  }

  record Display(List<Expr> fields) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("display ");
      list(sb, fields);
    }

    @Override
    public String keyword() {
      return "display";
    }
  }

  record Filter(Expr condition) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("filter ");
      condition.appendTo(sb);
    }

    @Override
    public String keyword() {
      return "filter";
    }
  }

  record FilterIndex(Expr field, List<Expr> values) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("filterIndex ");
      field.appendTo(sb);
      if (values.size() == 1) {
        sb.append(" = ");
        values.get(0).appendTo(sb);
      } else {
        sb.append(" in [");
        list(sb, values);
        sb.append(']');
      }
    }

    @Override
    public String keyword() {
      return "filterIndex";
    }
  }

  record Stats(List<Selection> aggregations, List<Selection> groupBy) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("stats ");
      list(sb, aggregations);
      if (!groupBy.isEmpty()) {
        sb.append(" by ");
        list(sb, groupBy);
      }
    }

    @Override
    public String keyword() {
      return "stats";
    }
  }

  record Sort(List<SortKey> keys) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("sort ");
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        keys.get(i).appendTo(sb);
      }
    }

    @Override
    public String keyword() {
      return "sort";
    }
  }

  record Limit(int rows) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("limit ").append(rows);
    }

    @Override
    public String keyword() {
      return "limit";
    }
  }

  /** {@code parse [field] "glob" as a, b} or {@code parse [field] /regex/}. */
  record Parse(Optional<Expr> field, Expr pattern, List<String> aliases) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("parse ");
      field.ifPresent(f -> {
        f.appendTo(sb);
        sb.append(' ');
      });
      pattern.appendTo(sb);
      if (!aliases.isEmpty()) {
        sb.append(" as ");
        for (int i = 0; i < aliases.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          QueryText.appendFieldSegment(sb, aliases.get(i));
        }
      }
    }

    @Override
    public String keyword() {
      return "parse";
    }
  }

  record Dedup(List<Expr> fields) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("dedup ");
      list(sb, fields);
    }

    @Override
    public String keyword() {
      return "dedup";
    }
  }

  record Pattern(Expr source) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("pattern ");
      source.appendTo(sb);
    }

    @Override
    public String keyword() {
      return "pattern";
    }
  }

  record Diff(Optional<DiffPeriod> period) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("diff");
      period.ifPresent(p -> sb.append(' ').append(p.keyword()));
    }

    @Override
    public String keyword() {
      return "diff";
    }
  }

  record Anomaly() implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("anomaly");
    }

    @Override
    public String keyword() {
      return "anomaly";
    }
  }

  record Unnest(Expr list, String into) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("unnest ");
      list.appendTo(sb);
      sb.append(" into ");
      QueryText.appendFieldSegment(sb, into);
    }

    @Override
    public String keyword() {
      return "unnest";
    }
  }

  /** {@code lookup table key as logField, ... OUTPUT out, ...}. */
  record Lookup(String table, List<String> keys, List<Expr> logFields, List<String> outputs) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("lookup ").append(table).append(' ');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        QueryText.appendFieldSegment(sb, keys.get(i));
        sb.append(" as ");
        logFields.get(i).appendTo(sb);
      }
      if (!outputs.isEmpty()) {
        sb.append(" OUTPUT ");
        for (int i = 0; i < outputs.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          QueryText.appendFieldSegment(sb, outputs.get(i));
        }
      }
    }

    @Override
    public String keyword() {
      return "lookup";
    }
  }

  record Source(LogGroupSelection selection) implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      selection.appendTo(sb);
    }

    @Override
    public String keyword() {
      return "SOURCE";
    }
  }

  record AddTotals() implements Command {
    @Override
    public void appendTo(StringBuilder sb) {
      sb.append("addtotals");
    }

    @Override
    public String keyword() {
      return "addtotals";
    }
  }
}

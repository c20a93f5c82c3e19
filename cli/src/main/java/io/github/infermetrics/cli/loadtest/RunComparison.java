package io.github.infermetrics.cli.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Several runs side by side ({@code loadtest compare run1/ run2/ ...}): each run's verdict, throughput and cost, with
 * the cheapest per million output tokens among the runs that meet their SLO marked. Runs of different models,
 * objectives or prompts are compared all the same, with a warning: their numbers do not answer the same question.
 */
public final class RunComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Run> runs;
  private final int cheapest;
  private final List<String> warnings;

  /** One run's row. */
  private record Run(String path, String label, String instanceType, String model, String slo, String workload,
      boolean complete, String verdict, String limit, double requestsPerSecond, double outputTokensPerSecond,
      double accelerators, double perAccelerator, double pricePerHour, double usdPerMillion) {}

  private RunComparison(List<Run> runs, int cheapest, List<String> warnings) {
    this.runs = runs;
    this.cheapest = cheapest;
    this.warnings = warnings;
  }

  /**
   * Reads the runs.
   *
   * @param paths each a run's output directory or its {@code report.json}
   * @return the comparison
   * @throws LoadTestException (exit 1) when one is not a load test report
   * @throws IOException when one cannot be read
   */
  public static RunComparison read(List<Path> paths) throws LoadTestException, IOException {
    List<Run> runs = new ArrayList<>();
    for (Path p : paths) {
      Path file = Files.isDirectory(p) ? p.resolve("report.json") : p;
      JsonNode n;
      try {
        n = JSON.readTree(Files.readAllBytes(file));
      } catch (JsonProcessingException e) {
        throw new LoadTestException(1, file + ": not JSON (" + e.getOriginalMessage() + ")");
      }
      if (n == null || !n.path("schema").asText().startsWith("infermetrics-loadtest-report/")) {
        throw new LoadTestException(1, file + ": not a loadtest report (no \"schema\": \""
            + LoadTestReport.SCHEMA + "\")");
      }
      if (!n.path("schema").asText().equals(LoadTestReport.SCHEMA)) {
        throw new LoadTestException(1, file + ": schema " + n.path("schema").asText() + ", this version reads "
            + LoadTestReport.SCHEMA);
      }
      JsonNode run = n.path("run");
      JsonNode v = n.path("verdict");
      List<String> slos = new ArrayList<>();
      run.path("slo").forEach(o -> slos.add(o.path("name").asText()));
      String verdict = v.path("step").isNull() ? "none meets the SLO"
          : run.path("mode").asText() + " " + Figures.load(v.path("load").asDouble());
      runs.add(new Run(p.toString(), run.path("label").asText(), text(run.path("instance_type")),
          run.path("model").asText(), String.join(",", slos) + " @" + Figures.percent(run.path("goodput_target")
          .asDouble()), run.path("workload").path("description").asText(), run.path("complete").asBoolean(),
          verdict, v.path("limit").asText(), num(v.path("requests_per_s")), num(v.path("output_tokens_per_s")),
          num(v.path("accelerators")), num(v.path("output_tokens_per_s_per_accelerator")),
          num(v.path("price_per_hour")), num(v.path("usd_per_million_output_tokens"))));
    }
    int cheapest = -1;
    for (int i = 0; i < runs.size(); i++) {
      double c = runs.get(i).usdPerMillion;
      if (!Double.isNaN(c) && (cheapest < 0 || c < runs.get(cheapest).usdPerMillion)) {
        cheapest = i;
      }
    }
    List<String> warnings = new ArrayList<>();
    differ(warnings, runs.stream().map(Run::model).toList(), "models");
    differ(warnings, runs.stream().map(Run::slo).toList(), "objectives");
    differ(warnings, runs.stream().map(Run::workload).toList(), "prompts");
    for (Run r : runs) {
      if (!r.complete) {
        warnings.add(r.label + " was stopped before its end: its verdict may be lower than the server can do");
      }
    }
    if (cheapest < 0) {
      warnings.add(runs.stream().anyMatch(r -> !Double.isNaN(r.pricePerHour))
          ? "no run with a price meets its SLO: none is marked cheapest"
          : "no run has a price (loadtest --price-per-hour USD): none is marked cheapest");
    }
    return new RunComparison(runs, cheapest, warnings);
  }

  private static void differ(List<String> warnings, List<String> values, String what) {
    Set<String> distinct = new LinkedHashSet<>(values);
    if (distinct.size() > 1) {
      warnings.add("the runs have different " + what + " (" + String.join(" | ", distinct) + "): their numbers"
          + " do not answer the same question");
    }
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : "-";
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /**
   * The runs as a table, the cheapest marked, then the warnings.
   *
   * @return lines
   */
  public String table() {
    String[] head = {"RUN", "INSTANCE", "MODEL", "HIGHEST LOAD MEETING THE SLO", "LIMIT", "REQ/S", "OUT TOK/S",
        "ACCEL", "TOK/S/ACCEL", "$/H", "$/M OUT TOK", ""};
    List<String[]> rows = new ArrayList<>();
    rows.add(head);
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      rows.add(new String[] {r.label, r.instanceType, r.model, r.verdict, r.limit,
          Figures.round(r.requestsPerSecond, 3), Figures.round(r.outputTokensPerSecond, 4),
          Figures.round(r.accelerators, 3), Figures.round(r.perAccelerator, 4), Figures.usd(r.pricePerHour),
          Figures.usd(r.usdPerMillion), i == cheapest ? "<- cheapest meeting the SLO" : ""});
    }
    int[] width = new int[head.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(row[c]);
        if (c < row.length - 1) {
          line.append(" ".repeat(width[c] - row[c].length() + 2));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    for (String w : warnings) {
      sb.append("warning: ").append(w).append('\n');
    }
    return sb.toString();
  }

  /**
   * The runs as JSON: {@code {"runs": [...], "cheapest": LABEL or null, "warnings": [...]}}.
   *
   * @return the JSON text
   */
  public String json() {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode a = o.putArray("runs");
    for (Run r : runs) {
      ObjectNode n = a.addObject();
      n.put("path", r.path);
      n.put("label", r.label);
      n.put("instance_type", r.instanceType.equals("-") ? null : r.instanceType);
      n.put("model", r.model);
      n.put("slo", r.slo);
      n.put("complete", r.complete);
      n.put("verdict", r.verdict);
      n.put("limit", r.limit);
      put(n, "requests_per_s", r.requestsPerSecond);
      put(n, "output_tokens_per_s", r.outputTokensPerSecond);
      put(n, "accelerators", r.accelerators);
      put(n, "output_tokens_per_s_per_accelerator", r.perAccelerator);
      put(n, "price_per_hour", r.pricePerHour);
      put(n, "usd_per_million_output_tokens", r.usdPerMillion);
    }
    if (cheapest >= 0) {
      o.put("cheapest", runs.get(cheapest).label);
    } else {
      o.putNull("cheapest");
    }
    ArrayNode w = o.putArray("warnings");
    warnings.forEach(w::add);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(ObjectNode n, String name, double v) {
    if (Double.isNaN(v)) {
      n.putNull(name);
    } else {
      n.put(name, v);
    }
  }
}

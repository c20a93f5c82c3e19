package io.github.infermetrics.cli.loadtest;

import java.util.Map;

/** The run in lines for a terminal: one per step while it runs, the verdict at the end. */
final class Summaries {
  private Summaries() {}

  /**
   * A step's line.
   *
   * @param s the step
   * @param steps how many steps the run has
   * @return the line
   */
  static String stepLine(StepResult s, int steps) {
    ClientStats c = s.client();
    StringBuilder sb = new StringBuilder();
    sb.append("step ").append(s.index()).append('/').append(steps).append(' ')
        .append(s.run().mode().describe(s.load())).append(": ").append(c.due()).append(" requests");
    if (c.due() != c.succeeded()) {
      sb.append(" (").append(c.succeeded()).append(" ok");
      for (Map.Entry<String, Integer> e : c.errors().entrySet()) {
        sb.append(", ").append(e.getValue()).append(' ').append(e.getKey());
      }
      sb.append(')');
    }
    sb.append("; TTFT p50 ").append(Figures.duration(c.ttft().p50())).append(" p99 ")
        .append(Figures.duration(c.ttft().p99())).append(", TPOT p50 ").append(Figures.duration(c.tpot().p50()))
        .append(", E2E p50 ").append(Figures.duration(c.e2e().p50())).append("; ")
        .append(Figures.round(c.achievedRate(), 3)).append(" req/s, ")
        .append(Figures.round(c.outputTokensPerSecond(), 4)).append(" tok/s");
    ServerStats sv = s.server();
    if (sv.available()) {
      sb.append("; server TTFT p50 ").append(Figures.duration(sv.ttft().p50()));
      double kv = sv.gauge(ServerSample.Gauge.KV_CACHE_USAGE).max();
      if (!Double.isNaN(kv)) {
        sb.append(", KV ").append(Figures.percent(kv));
      }
      double queue = sv.gauge(ServerSample.Gauge.QUEUE_DEPTH).max();
      if (!Double.isNaN(queue)) {
        sb.append(", queue ").append(Figures.round(queue, 3));
      }
      double accel = sv.gauge(ServerSample.Gauge.ACCELERATOR_UTILIZATION).mean();
      if (!Double.isNaN(accel)) {
        sb.append(", accel ").append(Figures.percent(accel));
      }
    }
    sb.append("; goodput ").append(Figures.percent(c.goodput()))
        .append(s.meetsSlo() ? " - meets the SLO" : " - misses the SLO");
    if (!s.complete()) {
      sb.append(" (partial: the step was stopped)");
    }
    return sb.toString();
  }

  /**
   * The verdict, notes and files, for standard output.
   *
   * @param r the report
   * @return lines
   */
  static String text(LoadTestReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("Verdict: ").append(r.verdict().summary()).append('\n');
    for (String signal : r.verdict().signals()) {
      sb.append("  - ").append(signal).append('\n');
    }
    for (String note : r.notes()) {
      sb.append("Note: ").append(note).append('\n');
    }
    sb.append("Report: ").append(r.settings().out.resolve("report.html")).append(" (report.json, requests.csv,"
        + " steps.csv").append(LoadTest.dashboard(r).isPresent() ? ", dashboard.json" : "")
        .append(")\n");
    return sb.toString();
  }
}

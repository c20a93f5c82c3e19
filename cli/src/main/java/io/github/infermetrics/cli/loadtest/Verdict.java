package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.core.kpi.Slo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer of a run: the highest load that meets the SLO, where the limit comes from, and what the throughput
 * there costs.
 *
 * <ul>
 *   <li>A step meets the SLO when its goodput (the share of its measured requests that succeeded and met every
 *       objective) is at least the goodput target.
 *   <li>The verdict's step is the last step before the first one that does not meet the SLO (loads increase); a
 *       step above it that meets it again is noise and is said in the notes, not taken.
 *   <li>The limit is read at the first failing step, from the server's KPIs (and the client's when the server
 *       says nothing), the first of: {@code errors} (over 5 % of requests failed), {@code kv_cache} (its KV cache
 *       was 90 % full or more), {@code accelerator} (its accelerators were 90 % busy or more on average),
 *       {@code queue} (requests waited: a queue that grew, a server queue time of a quarter of the TTFT objective,
 *       requests not sent because the cap of requests in flight was reached, or — without server metrics — the
 *       client's TTFT doubled), {@code latency} (no queue, but decoding slowed: the TPOT grew by half), else
 *       {@code unknown}. When every step meets the SLO the limit is {@code not_reached}.
 * </ul>
 *
 * @param step the verdict's step number, or 0 when no step meets the SLO
 * @param firstFailing the first failing step's number, or 0 when every step meets it
 * @param limit errors, kv_cache, accelerator, queue, latency, unknown, not_reached, or no_steps
 * @param signals what was seen at the first failing step, one line each
 * @param failingObjective the objective met by the fewest requests at the first failing step, or null
 * @param requestsPerSecond the verdict step's achieved rate; NaN without one
 * @param outputTokensPerSecond its output tokens per second; NaN without one
 * @param accelerators the accelerators of the server (given, or counted from its metrics); NaN when unknown
 * @param outputTokensPerSecondPerAccelerator output tokens per second per accelerator; NaN when unknown
 * @param pricePerHour the instance's price, USD per hour; NaN when not given
 * @param usdPerMillionOutputTokens the cost of a million output tokens at the verdict step; NaN when unknown
 * @param summary the answer in a sentence or two
 */
record Verdict(int step, int firstFailing, String limit, List<String> signals, String failingObjective,
    double requestsPerSecond, double outputTokensPerSecond, double accelerators,
    double outputTokensPerSecondPerAccelerator, double pricePerHour, double usdPerMillionOutputTokens,
    String summary) {

  Verdict {
    signals = List.copyOf(signals);
  }

  /** Errors over this share of requests are the limit. */
  static final double ERROR_LIMIT = 0.05;
  /** A KV cache this full is the limit. */
  static final double KV_CACHE_LIMIT = 0.9;
  /** Accelerators this busy on average are the limit. */
  static final double ACCELERATOR_LIMIT = 0.9;

  /**
   * Reads a run's steps.
   *
   * @param steps the steps, loads increasing
   * @param slos the objectives
   * @param goodputTarget the goodput a step must reach
   * @param accelerators accelerators given by the user, or 0 to count them from the server's metrics
   * @param pricePerHour the price, or NaN
   * @return the verdict
   */
  static Verdict of(List<StepResult> steps, List<Slo> slos, double goodputTarget, int accelerators,
      double pricePerHour) {
    if (steps.isEmpty()) {
      return new Verdict(0, 0, "no_steps", List.of(), null, Double.NaN, Double.NaN, accelerators > 0 ? accelerators
          : Double.NaN, Double.NaN, pricePerHour, Double.NaN, "No step ran, so there is no verdict.");
    }
    StepResult best = null;
    StepResult failing = null;
    for (StepResult s : steps) {
      if (!s.meetsSlo()) {
        failing = s;
        break;
      }
      best = s;
    }
    double devices = accelerators > 0 ? accelerators : devices(best != null ? best : steps.get(0), steps);
    double rps = best == null ? Double.NaN : best.client().achievedRate();
    double tps = best == null ? Double.NaN : best.client().outputTokensPerSecond();
    double perAccelerator = devices > 0 ? tps / devices : Double.NaN;
    double usdPerMillion = pricePerHour > 0 && tps > 0 ? pricePerHour / (tps * 3600) * 1e6 : Double.NaN;
    String target = Figures.percent(goodputTarget);
    StringBuilder summary = new StringBuilder();
    List<String> signals = new ArrayList<>();
    String limit;
    String objective = null;
    if (best == null) {
      summary.append("No step meets the SLO: at ").append(steps.get(0).run().mode().describe(steps.get(0).load()))
          .append(" the goodput is ").append(Figures.percent(steps.get(0).client().goodput())).append(", under ")
          .append(target).append("; try lower loads.");
    } else {
      summary.append(best.run().mode().describe(best.load())).append(" is the highest load that meets the SLO")
          .append(" (goodput ").append(Figures.percent(best.client().goodput())).append(" >= ").append(target)
          .append("): ").append(Figures.round(rps, 3)).append(" req/s, ").append(Figures.round(tps, 4))
          .append(" output tokens/s");
      if (!Double.isNaN(perAccelerator)) {
        summary.append(" (").append(Figures.round(perAccelerator, 4)).append(" per accelerator, ")
            .append(Figures.load(devices)).append(devices == 1 ? " accelerator)" : " accelerators)");
      }
      if (!Double.isNaN(usdPerMillion)) {
        summary.append(", ").append(Figures.usd(usdPerMillion)).append(" per million output tokens at ")
            .append(Figures.usd(pricePerHour)).append("/h");
      }
      summary.append('.');
    }
    if (failing == null) {
      limit = "not_reached";
      summary.append(" Every load tried meets the SLO: the limit is above ")
          .append(steps.get(steps.size() - 1).run().mode().describe(steps.get(steps.size() - 1).load()))
          .append("; try higher loads.");
    } else {
      objective = worstObjective(failing, slos);
      limit = limit(failing, best, slos, signals);
      summary.append(" At ").append(failing.run().mode().describe(failing.load())).append(" the goodput falls to ")
          .append(Figures.percent(failing.client().goodput()));
      if (objective != null) {
        summary.append(" (").append(objective).append(" met by ")
            .append(Figures.percent(failing.client().perSlo().get(objective))).append(')');
      }
      summary.append(": the limit is ").append(limitText(limit))
          .append(signals.isEmpty() ? "." : "; " + signals.get(0) + ".");
    }
    return new Verdict(best == null ? 0 : best.index(), failing == null ? 0 : failing.index(), limit, signals,
        objective, rps, tps, devices, perAccelerator, pricePerHour, usdPerMillion, summary.toString());
  }

  /** The accelerators the server's metrics showed, at the verdict's step or else at any. */
  private static double devices(StepResult at, List<StepResult> steps) {
    double d = at.server().gauge(ServerSample.Gauge.DEVICES).max();
    if (!Double.isNaN(d)) {
      return d;
    }
    for (StepResult s : steps) {
      d = s.server().gauge(ServerSample.Gauge.DEVICES).max();
      if (!Double.isNaN(d)) {
        return d;
      }
    }
    return Double.NaN;
  }

  private static String worstObjective(StepResult s, List<Slo> slos) {
    String worst = null;
    double share = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Double> e : s.client().perSlo().entrySet()) {
      if (e.getValue() < share) {
        share = e.getValue();
        worst = e.getKey();
      }
    }
    return slos.isEmpty() ? null : worst;
  }

  private static String limit(StepResult f, StepResult best, List<Slo> slos, List<String> signals) {
    List<String> kinds = new ArrayList<>();
    ClientStats c = f.client();
    ServerStats s = f.server();
    int failed = c.failed();
    if (c.due() > 0 && failed / (double) c.due() > ERROR_LIMIT) {
      Map.Entry<String, Integer> top = null;
      for (Map.Entry<String, Integer> e : c.errors().entrySet()) {
        if (!e.getKey().equals("not sent") && top == null) {
          top = e;
        }
      }
      kinds.add("errors");
      signals.add(failed + " of " + c.due() + " requests failed" + (top == null ? "" : ", most often "
          + top.getKey() + " (" + top.getValue() + ")") + (c.firstError() == null ? "" : "; first: "
          + c.firstError()));
    }
    ServerStats.Spread kv = s.gauge(ServerSample.Gauge.KV_CACHE_USAGE);
    if (kv.max() >= KV_CACHE_LIMIT) {
      kinds.add("kv_cache");
      signals.add("the KV cache was " + Figures.percent(kv.max()) + " full at most (mean "
          + Figures.percent(kv.mean()) + ")");
    }
    ServerStats.Spread accel = s.gauge(ServerSample.Gauge.ACCELERATOR_UTILIZATION);
    if (accel.mean() >= ACCELERATOR_LIMIT) {
      kinds.add("accelerator");
      signals.add("the accelerators were " + Figures.percent(accel.mean()) + " busy on average");
    }
    ServerStats.Spread queue = s.gauge(ServerSample.Gauge.QUEUE_DEPTH);
    double ttftObjective = Double.NaN;
    for (Slo o : slos) {
      if (o.kpi() == io.github.infermetrics.core.kpi.Kpi.TIME_TO_FIRST_TOKEN) {
        ttftObjective = o.seconds();
      }
    }
    double queueTimeLimit = Double.isNaN(ttftObjective) ? 0.1 : ttftObjective / 4;
    List<String> queueSignals = new ArrayList<>();
    if (queue.mean() >= 1 && queue.slopePerSecond() > 0) {
      queueSignals.add("the server's queue grew to " + Figures.round(queue.max(), 3) + " waiting (mean "
          + Figures.round(queue.mean(), 3) + ")");
    }
    if (s.queueTime().mean() >= queueTimeLimit) {
      queueSignals.add("requests waited " + Figures.duration(s.queueTime().mean()) + " on average in the server's"
          + " queue (p50 " + Figures.duration(s.queueTime().p50()) + ")");
    }
    if (c.notSent() > 0) {
      queueSignals.add(c.notSent() + " requests were not sent: the cap of requests in flight was reached");
    }
    if (queueSignals.isEmpty() && !s.available() && best != null
        && c.ttft().p50() >= 2 * best.client().ttft().p50()) {
      queueSignals.add("the client's TTFT p50 went from " + Figures.duration(best.client().ttft().p50()) + " to "
          + Figures.duration(c.ttft().p50()) + " (no server metrics: a queue is inferred)");
    }
    if (!queueSignals.isEmpty()) {
      kinds.add("queue");
      signals.addAll(queueSignals);
    }
    if (best != null && c.tpot().p50() >= 1.5 * best.client().tpot().p50()) {
      kinds.add("latency");
      signals.add("decoding slowed: TPOT p50 went from " + Figures.duration(best.client().tpot().p50()) + " to "
          + Figures.duration(c.tpot().p50()));
    }
    return kinds.isEmpty() ? "unknown" : kinds.get(0);
  }

  /** A limit for people. */
  static String limitText(String limit) {
    return switch (limit) {
      case "errors" -> "errors: requests fail";
      case "kv_cache" -> "the KV cache, which is full";
      case "accelerator" -> "the accelerators, which are saturated";
      case "queue" -> "the queue: requests wait for a slot";
      case "latency" -> "decoding speed: no queue, but tokens come slower";
      case "not_reached" -> "not reached";
      case "no_steps" -> "none: no step ran";
      default -> "not clear from the metrics";
    };
  }
}

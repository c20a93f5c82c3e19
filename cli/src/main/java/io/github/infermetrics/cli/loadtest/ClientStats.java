package io.github.infermetrics.cli.loadtest;

import io.github.infermetrics.core.kpi.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the client measured in one step, over the requests due after its warm-up (the measured ones): counts, rates,
 * latency statistics and goodput.
 *
 * <ul>
 *   <li>Throughput is what the server delivered while the step's load was on: successful requests that ended in the
 *       measured time, warm-up ones included, per second of it; output tokens that arrived in it (a request's
 *       tokens spread evenly over its chunks, so usage counts of several tokens a chunk stay exact), per second;
 *       prompt tokens of the requests whose first token came in it. A short step's drain (its last requests ending
 *       after the arrivals stopped) thus neither inflates nor dilutes it, and at overload it is the server's
 *       capacity.
 *   <li>TTFT, TPOT and E2E are per successful request; ITL pools the gaps between all chunks with output of the
 *       successful requests.
 *   <li>Goodput is the share of measured requests, failed and not sent ones included, that succeeded and met every
 *       objective: TTFT and E2E as measured, and an {@code itl} (or {@code tpot}) objective against the request's
 *       TPOT, its mean time per output token after the first (as {@code vllm bench serve --goodput tpot:...});
 *       a request with one output token meets it.
 * </ul>
 *
 * @param due measured requests (every request due after the warm-up)
 * @param sent of those, the ones sent
 * @param succeeded the ones that succeeded
 * @param failed the ones that failed or were cut off
 * @param notSent the ones not sent (the cap of requests in flight was reached)
 * @param warmup requests of the warm-up, not in the statistics
 * @param errors failed, cut-off and not-sent requests by kind, most frequent first
 * @param firstError the first failure's message, or null
 * @param durationSeconds the measured time (the step's duration, shorter when it was stopped)
 * @param offeredRate the Poisson rate asked for; NaN for concurrency steps
 * @param sentRate requests sent per second of the measured time
 * @param achievedRate successful requests that ended in the measured time, per second
 * @param outputTokensPerSecond output tokens that arrived in the measured time, per second
 * @param promptTokensPerSecond prompt tokens of the requests whose first token came in the measured time, per second
 * @param ttft time to first token, seconds
 * @param tpot time per output token after the first, per request, seconds
 * @param itl gaps between chunks, pooled, seconds
 * @param e2e end-to-end latency, seconds
 * @param outputTokens output tokens per successful request
 * @param promptTokens prompt tokens per successful request
 * @param good requests that met every objective
 * @param goodput good over due; NaN without measured requests
 * @param perSlo the share of measured requests meeting each objective alone, by objective name
 */
record ClientStats(int due, int sent, int succeeded, int failed, int notSent, int warmup,
    Map<String, Integer> errors, String firstError, double durationSeconds, double offeredRate,
    double sentRate, double achievedRate, double outputTokensPerSecond, double promptTokensPerSecond, Summary ttft,
    Summary tpot, Summary itl, Summary e2e, Summary outputTokens, Summary promptTokens, int good, double goodput,
    Map<String, Double> perSlo) {

  ClientStats {
    errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    perSlo = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perSlo));
  }

  /**
   * The statistics of a step.
   *
   * @param run the step
   * @param slos the objectives
   * @return the statistics
   */
  static ClientStats of(StepRunner.StepRun run, List<Slo> slos) {
    List<RequestRecord> measured = new ArrayList<>();
    int warmup = 0;
    for (RequestRecord r : run.records()) {
      if (r.warmup()) {
        warmup++;
      } else {
        measured.add(r);
      }
    }
    int sent = 0;
    int ok = 0;
    int notSent = 0;
    int good = 0;
    Map<String, Integer> errors = new LinkedHashMap<>();
    String firstError = null;
    int[] meeting = new int[slos.size()];
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<Double> out = new ArrayList<>();
    List<Double> in = new ArrayList<>();
    List<Double> gaps = new ArrayList<>();
    for (RequestRecord r : measured) {
      if (r.status() != RequestRecord.Status.NOT_SENT) {
        sent++;
      } else {
        notSent++;
      }
      if (!r.ok()) {
        errors.merge(r.errorKind(), 1, Integer::sum);
        if (firstError == null) {
          firstError = r.error();
        }
        continue;
      }
      ok++;
      ttft.add(r.ttftSeconds());
      tpot.add(r.tpotSeconds());
      e2e.add(r.e2eSeconds());
      out.add((double) r.outputTokens());
      in.add((double) r.promptTokens());
      for (long g : r.gapMicros()) {
        gaps.add(g / 1e6);
      }
      boolean all = true;
      for (int i = 0; i < slos.size(); i++) {
        if (meets(r, slos.get(i))) {
          meeting[i]++;
        } else {
          all = false;
        }
      }
      if (all) {
        good++;
      }
    }
    Map<String, Integer> byCount = new LinkedHashMap<>();
    errors.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(e -> byCount.put(e.getKey(), e.getValue()));
    Map<String, Double> perSlo = new LinkedHashMap<>();
    for (int i = 0; i < slos.size(); i++) {
      perSlo.put(slos.get(i).name(), measured.isEmpty() ? Double.NaN : meeting[i] / (double) measured.size());
    }
    double duration = (run.measureEndMicros() - run.measureStartMicros()) / 1e6;
    boolean timed = duration > 0;
    double[] delivered = delivered(run);
    return new ClientStats(measured.size(), sent, ok, measured.size() - ok - notSent, notSent, warmup, byCount,
        firstError, duration, run.mode() == LoadMode.RATE ? run.load() : Double.NaN,
        timed ? sent / duration : Double.NaN, timed ? delivered[0] / duration : Double.NaN,
        timed ? delivered[1] / duration : Double.NaN, timed ? delivered[2] / duration : Double.NaN,
        Summary.of(array(ttft)),
        Summary.of(array(tpot)), Summary.of(array(gaps)), Summary.of(array(e2e)), Summary.of(array(out)),
        Summary.of(array(in)), good, measured.isEmpty() ? Double.NaN : good / (double) measured.size(), perSlo);
  }

  /**
   * What the server delivered in the measured time: successful requests that ended in it, output tokens that
   * arrived in it, prompt tokens of requests whose first token came in it. Every request of the step counts, warm-up
   * ones too: the server served them then.
   *
   * @return requests, output tokens, prompt tokens
   */
  static double[] delivered(StepRunner.StepRun run) {
    long from = run.measureStartMicros();
    long to = run.measureEndMicros();
    double requests = 0;
    double output = 0;
    double prompt = 0;
    for (RequestRecord r : run.records()) {
      if (!r.ok()) {
        continue;
      }
      long end = r.endMicros();
      if (end >= from && end < to) {
        requests++;
      }
      int[] chunks = r.tokenMicros();
      if (chunks.length == 0) {
        // not streamed: its tokens and its prompt count when it ended
        if (end >= from && end < to) {
          output += r.outputTokens();
          prompt += r.promptTokens();
        }
        continue;
      }
      int in = 0;
      for (int c : chunks) {
        long at = r.sentMicros() + c;
        if (at >= from && at < to) {
          in++;
        }
      }
      output += r.outputTokens() * (double) in / chunks.length;
      long first = r.sentMicros() + chunks[0];
      if (first >= from && first < to) {
        prompt += r.promptTokens();
      }
    }
    return new double[] {requests, output, prompt};
  }

  /**
   * Whether a request met an objective.
   *
   * @param r the request
   * @param slo the objective
   * @return false when it failed
   */
  static boolean meets(RequestRecord r, Slo slo) {
    if (!r.ok()) {
      return false;
    }
    return switch (slo.kpi()) {
      case TIME_TO_FIRST_TOKEN -> r.ttftSeconds() <= slo.seconds();
      case INTER_TOKEN_LATENCY -> Double.isNaN(r.tpotSeconds()) ? r.outputTokens() <= 1
          : r.tpotSeconds() <= slo.seconds();
      case END_TO_END_LATENCY -> r.e2eSeconds() <= slo.seconds();
      default -> throw new IllegalArgumentException("a client cannot check " + slo.name());
    };
  }

  /**
   * Whether a request met every objective.
   *
   * @param r the request
   * @param slos the objectives
   * @return true when it succeeded and met them all
   */
  static boolean meetsAll(RequestRecord r, List<Slo> slos) {
    if (!r.ok()) {
      return false;
    }
    for (Slo s : slos) {
      if (!meets(r, s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The share of requests that did not succeed.
   *
   * @return 0 to 1, or NaN
   */
  double errorRatio() {
    return due == 0 ? Double.NaN : (due - succeeded) / (double) due;
  }

  private static double[] array(List<Double> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }
}

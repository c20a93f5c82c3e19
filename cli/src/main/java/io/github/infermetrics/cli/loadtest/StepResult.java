package io.github.infermetrics.cli.loadtest;

import java.util.Objects;

/**
 * One step of a run: its load, the client's and the server's views, and whether it met the SLO.
 *
 * @param run the requests and times
 * @param client what the client measured
 * @param server what the server reported
 * @param meetsSlo whether its goodput reached the target
 * @param ttftGap the client's TTFT against the server's
 */
record StepResult(StepRunner.StepRun run, ClientStats client, ServerStats server, boolean meetsSlo,
    TtftGap ttftGap) {
  StepResult {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(ttftGap, "ttftGap");
  }

  /**
   * Joins the two views.
   *
   * @param run the step
   * @param client the client's statistics
   * @param server the server's
   * @param goodputTarget the goodput a step must reach
   * @return the result
   */
  static StepResult of(StepRunner.StepRun run, ClientStats client, ServerStats server, double goodputTarget) {
    boolean meets = client.due() > 0 && client.goodput() >= goodputTarget;
    return new StepResult(run, client, server, meets, TtftGap.of(run, server.ttft()));
  }

  int index() {
    return run.index();
  }

  double load() {
    return run.load();
  }

  /** Whether the step ran its course (not stopped by Ctrl-C or the run's time limit). */
  boolean complete() {
    return run.stop() == StepRunner.Stop.COMPLETED;
  }

  /** A step for people: {@code step 2 (rate 4 req/s)}. */
  String describe() {
    return "step " + index() + " (" + run.mode().describe(load()) + ")";
  }

  /**
   * The client's TTFT against the server's histogram. They should differ by the network and the HTTP server's
   * work; a large gap means the server's metric misses part of the path (vllm#22454: a disaggregated prefill, a
   * proxy or an API server's own queue), so the server's TTFT must not be trusted for the SLO. Both sides count the
   * same requests: the server's window holds the first tokens that came after the warm-up (warm-up requests still
   * queued then included), so the client's mean here is over the step's requests whose first token came after it,
   * not over the measured requests.
   *
   * @param clientMean the client's mean over those requests, seconds
   * @param serverMean the server's mean (exact, from its histogram's sum and count), seconds
   * @param gap client minus server, seconds
   * @param large whether the gap is more than 50 ms and more than a quarter of the client's mean
   */
  record TtftGap(double clientMean, double serverMean, double gap, boolean large) {
    /** Above both, a gap is reported as large. */
    static final double LARGE_SECONDS = 0.05;
    static final double LARGE_SHARE = 0.25;

    static TtftGap of(StepRunner.StepRun run, Summary server) {
      double sum = 0;
      int n = 0;
      for (RequestRecord r : run.records()) {
        if (r.ok() && r.ttftMicros() >= 0 && r.sentMicros() + r.ttftMicros() >= run.measureStartMicros()) {
          sum += r.ttftSeconds();
          n++;
        }
      }
      double client = n == 0 ? Double.NaN : sum / n;
      double gap = client - server.mean();
      boolean large = !Double.isNaN(gap) && Math.abs(gap) > LARGE_SECONDS && Math.abs(gap) > LARGE_SHARE * client;
      return new TtftGap(client, server.mean(), gap, large);
    }
  }
}

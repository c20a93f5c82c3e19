package io.github.infermetrics.cli.loadtest;

import java.time.Instant;
import java.util.List;

/**
 * Everything a run's report files say: the settings, each step, the server's timeline, the targets, the verdict.
 *
 * @param settings what was run
 * @param model the model tested
 * @param workload the prompts, for people
 * @param started when the run started
 * @param ended when it ended
 * @param stopped {@code completed}, {@code interrupted}, {@code time_limit} or {@code failing_steps}
 * @param steps the steps run, in order
 * @param timeline the server's samples over the run
 * @param targets the watched targets
 * @param verdict the answer
 * @param notes what a reader should know, one line each
 * @param version the infermetrics version
 */
record LoadTestReport(LoadTestSettings settings, String model, String workload, Instant started, Instant ended,
    String stopped, List<StepResult> steps, List<ServerSample> timeline, List<ServerWatch.TargetReport> targets,
    Verdict verdict, List<String> notes, String version) {
  LoadTestReport {
    steps = List.copyOf(steps);
    timeline = List.copyOf(timeline);
    targets = List.copyOf(targets);
    notes = List.copyOf(notes);
  }

  /** The schema name written in {@code report.json}; a new major number for changes that break readers. */
  static final String SCHEMA = "infermetrics-loadtest-report/1";

  /** Whether every step ran its course and the run was not stopped early. */
  boolean complete() {
    return stopped.equals("completed") || stopped.equals("failing_steps");
  }
}

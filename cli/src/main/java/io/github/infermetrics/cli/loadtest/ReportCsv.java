package io.github.infermetrics.cli.loadtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes {@code requests.csv} (one row per request, warm-up and failed ones included) and {@code steps.csv} (one row
 * per step, the numbers of {@code report.json}'s steps). RFC 4180: a header row, commas, fields with a comma, quote
 * or line break quoted; an unknown value is an empty field. Times are seconds, written exactly, so the percentiles
 * of {@code steps.csv} can be recomputed from {@code requests.csv}.
 */
final class ReportCsv {
  private ReportCsv() {}

  /** The columns of requests.csv. */
  static final List<String> REQUEST_COLUMNS = List.of("request", "step", "load", "phase", "status", "due_s",
      "sent_s", "ttft_s", "tpot_s", "e2e_s", "prompt_tokens", "output_tokens", "tokens_from", "chunks", "good",
      "error_kind", "error", "itl_s");

  static void requests(LoadTestReport report, List<RequestRecord> requests, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", REQUEST_COLUMNS));
      w.write("\r\n");
      List<StepResult> steps = report.steps();
      for (RequestRecord r : requests) {
        List<String> f = new ArrayList<>(REQUEST_COLUMNS.size());
        f.add(String.valueOf(r.id()));
        f.add(String.valueOf(r.step()));
        f.add(Figures.exact(steps.get(r.step() - 1).load()));
        f.add(r.warmup() ? "warmup" : "measured");
        f.add(r.status().text());
        f.add(Figures.micros(r.dueMicros()));
        f.add(r.sentMicros() < 0 ? "" : Figures.micros(r.sentMicros()));
        f.add(r.ttftMicros() < 0 ? "" : Figures.micros(r.ttftMicros()));
        f.add(Double.isNaN(r.tpotSeconds()) ? "" : Figures.exact(r.tpotSeconds()));
        f.add(r.e2eMicros() < 0 ? "" : Figures.micros(r.e2eMicros()));
        f.add(String.valueOf(r.promptTokens()));
        f.add(String.valueOf(r.outputTokens()));
        f.add(r.tokensFrom().text());
        f.add(String.valueOf(r.tokenMicros().length));
        f.add(String.valueOf(ClientStats.meetsAll(r, report.settings().slos)));
        f.add(r.errorKind() == null ? "" : r.errorKind());
        f.add(r.error() == null ? "" : r.error());
        StringBuilder gaps = new StringBuilder();
        for (long g : r.gapMicros()) {
          if (gaps.length() > 0) {
            gaps.append(';');
          }
          gaps.append(Figures.micros(g));
        }
        f.add(gaps.toString());
        row(w, f);
      }
    }
  }

  /** A column of steps.csv. */
  private record Column(String name, Function<StepResult, String> value) {}

  /** The columns of steps.csv. */
  static List<String> stepColumns() {
    return STEP_COLUMNS.stream().map(Column::name).toList();
  }

  private static final List<Column> STEP_COLUMNS = stepColumnList();

  private static List<Column> stepColumnList() {
    List<Column> c = new ArrayList<>();
    c.add(new Column("step", s -> String.valueOf(s.index())));
    c.add(new Column("mode", s -> s.run().mode().text()));
    c.add(new Column("load", s -> Figures.exact(s.load())));
    c.add(new Column("complete", s -> String.valueOf(s.complete())));
    c.add(new Column("due", s -> String.valueOf(s.client().due())));
    c.add(new Column("sent", s -> String.valueOf(s.client().sent())));
    c.add(new Column("succeeded", s -> String.valueOf(s.client().succeeded())));
    c.add(new Column("failed", s -> String.valueOf(s.client().failed())));
    c.add(new Column("not_sent", s -> String.valueOf(s.client().notSent())));
    c.add(new Column("warmup", s -> String.valueOf(s.client().warmup())));
    c.add(new Column("duration_s", s -> num(s.client().durationSeconds())));
    c.add(new Column("offered_rate", s -> num(s.client().offeredRate())));
    c.add(new Column("sent_rate", s -> num(s.client().sentRate())));
    c.add(new Column("achieved_rate", s -> num(s.client().achievedRate())));
    c.add(new Column("output_tokens_per_s", s -> num(s.client().outputTokensPerSecond())));
    c.add(new Column("prompt_tokens_per_s", s -> num(s.client().promptTokensPerSecond())));
    c.add(new Column("goodput", s -> num(s.client().goodput())));
    c.add(new Column("good", s -> String.valueOf(s.client().good())));
    c.add(new Column("meets_slo", s -> String.valueOf(s.meetsSlo())));
    summary(c, "ttft", s -> s.client().ttft(), true);
    summary(c, "tpot", s -> s.client().tpot(), true);
    summary(c, "itl", s -> s.client().itl(), true);
    summary(c, "e2e", s -> s.client().e2e(), true);
    summary(c, "server_ttft", s -> s.server().ttft(), false);
    summary(c, "server_itl", s -> s.server().itl(), false);
    summary(c, "server_e2e", s -> s.server().e2e(), false);
    summary(c, "server_queue_time", s -> s.server().queueTime(), false);
    c.add(new Column("server_requests", s -> num(s.server().requests())));
    c.add(new Column("server_generation_tokens_per_s", s -> num(s.server().generationTokensPerSecond())));
    c.add(new Column("ttft_gap_s", s -> num(s.ttftGap().gap())));
    c.add(new Column("ttft_gap_large", s -> String.valueOf(s.ttftGap().large())));
    for (ServerSample.Gauge g : ServerSample.Gauge.values()) {
      c.add(new Column(g.key + "_mean", s -> num(s.server().gauge(g).mean())));
      c.add(new Column(g.key + "_max", s -> num(s.server().gauge(g).max())));
    }
    return List.copyOf(c);
  }

  private static void summary(List<Column> c, String prefix, Function<StepResult, Summary> of, boolean withMax) {
    for (String stat : Summary.NAMES) {
      if (withMax || !stat.equals("max")) {
        c.add(new Column(prefix + "_" + stat + "_s", s -> num(of.apply(s).get(stat))));
      }
    }
  }

  static void steps(LoadTestReport report, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", stepColumns()));
      w.write("\r\n");
      for (StepResult s : report.steps()) {
        List<String> f = new ArrayList<>();
        for (Column c : STEP_COLUMNS) {
          f.add(c.value().apply(s));
        }
        row(w, f);
      }
    }
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Figures.exact(v) : "";
  }

  private static void row(BufferedWriter w, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(quote(fields.get(i)));
    }
    w.write("\r\n");
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}

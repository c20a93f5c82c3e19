package io.github.infermetrics.cli.loadtest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.infermetrics.core.kpi.Slo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.json}: the schema {@code docs/loadtest-report.schema.json} describes it. Numbers are written
 * exactly (see {@link Figures#exact}); an unknown value is {@code null}, never 0.
 */
final class ReportJson {
  private ReportJson() {}

  static void write(LoadTestReport r, Path file) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      LoadTestSettings s = r.settings();
      g.writeStartObject();
      g.writeStringField("schema", LoadTestReport.SCHEMA);
      g.writeStringField("infermetrics_version", r.version());
      g.writeObjectFieldStart("run");
      g.writeStringField("label", s.label);
      nullable(g, "instance_type", s.instanceType);
      g.writeStringField("started", r.started().toString());
      g.writeStringField("ended", r.ended().toString());
      number(g, "duration_s", Duration.between(r.started(), r.ended()).toNanos() / 1e9);
      g.writeStringField("stopped", r.stopped());
      g.writeBooleanField("complete", r.complete());
      g.writeStringField("server_url", s.serverUrl.toString());
      g.writeStringField("endpoint", s.endpoint().toString());
      g.writeStringField("api", s.api.text());
      g.writeStringField("model", r.model());
      g.writeBooleanField("stream", s.stream);
      g.writeBooleanField("ignore_eos", s.ignoreEos);
      g.writeStringField("mode", s.mode.text());
      g.writeArrayFieldStart("loads");
      for (double l : s.loads) {
        g.writeNumber(Figures.exact(l));
      }
      g.writeEndArray();
      number(g, "step_duration_s", LoadTest.seconds(s.stepDuration));
      number(g, "warmup_s", LoadTest.seconds(s.warmup));
      number(g, "step_time_limit_s", LoadTest.seconds(s.stepTimeLimit));
      number(g, "time_limit_s", s.timeLimit == null ? Double.NaN : LoadTest.seconds(s.timeLimit));
      number(g, "request_timeout_s", LoadTest.seconds(s.requestTimeout));
      g.writeNumberField("max_outstanding", s.maxOutstanding);
      g.writeNumberField("stop_after_failing", s.stopAfterFailingSteps);
      g.writeObjectFieldStart("workload");
      g.writeStringField("kind", s.promptsFile != null ? "jsonl" : s.shareGptFile != null ? "sharegpt" : "synthetic");
      g.writeStringField("description", r.workload());
      nullable(g, "file", s.promptsFile != null ? s.promptsFile.toString() : s.shareGptFile != null
          ? s.shareGptFile.toString() : null);
      nullable(g, "input_tokens", s.promptsFile == null && s.shareGptFile == null ? s.inputTokens.toString() : null);
      nullable(g, "output_tokens", s.shareGptFile == null || s.outputTokensGiven ? s.outputTokens.toString() : null);
      g.writeNumberField("seed", s.seed);
      g.writeEndObject();
      g.writeArrayFieldStart("slo");
      for (Slo o : s.slos) {
        g.writeStartObject();
        g.writeStringField("name", o.name());
        g.writeStringField("kpi", o.kpi().id());
        number(g, "threshold_s", o.seconds());
        g.writeEndObject();
      }
      g.writeEndArray();
      number(g, "goodput_target", s.goodputTarget);
      number(g, "price_per_hour", s.pricePerHour);
      if (s.accelerators > 0) {
        g.writeNumberField("accelerators", s.accelerators);
      } else {
        g.writeNullField("accelerators");
      }
      nullable(g, "metrics_url", s.metrics == null ? null : s.metrics.toString());
      number(g, "scrape_interval_s", LoadTest.seconds(s.scrapeInterval));
      g.writeStringField("namespace", s.namespace);
      g.writeArrayFieldStart("targets");
      for (ServerWatch.TargetReport t : r.targets()) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("url", t.url());
        g.writeBooleanField("server", t.server());
        g.writeArrayFieldStart("sources");
        for (String src : t.sources()) {
          g.writeString(src);
        }
        g.writeEndArray();
        g.writeBooleanField("ever_up", t.everUp());
        g.writeNumberField("windows", t.windows());
        nullable(g, "problem", t.problem());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();

      g.writeArrayFieldStart("steps");
      for (StepResult st : r.steps()) {
        step(g, st);
      }
      g.writeEndArray();

      Verdict v = r.verdict();
      g.writeObjectFieldStart("verdict");
      stepRef(g, "step", "load", v.step(), r.steps());
      stepRef(g, "first_failing_step", "first_failing_load", v.firstFailing(), r.steps());
      g.writeStringField("limit", v.limit());
      g.writeArrayFieldStart("signals");
      for (String line : v.signals()) {
        g.writeString(line);
      }
      g.writeEndArray();
      nullable(g, "failing_objective", v.failingObjective());
      number(g, "requests_per_s", v.requestsPerSecond());
      number(g, "output_tokens_per_s", v.outputTokensPerSecond());
      number(g, "accelerators", v.accelerators());
      number(g, "output_tokens_per_s_per_accelerator", v.outputTokensPerSecondPerAccelerator());
      number(g, "price_per_hour", v.pricePerHour());
      number(g, "usd_per_million_output_tokens", v.usdPerMillionOutputTokens());
      g.writeStringField("summary", v.summary());
      g.writeEndObject();

      g.writeArrayFieldStart("timeline");
      for (ServerSample sample : r.timeline()) {
        g.writeStartObject();
        number(g, "t_s", sample.seconds());
        g.writeStringField("target", sample.target());
        for (Map.Entry<ServerSample.Gauge, Double> e : sample.values().entrySet()) {
          number(g, e.getKey().key, e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("notes");
      for (String n : r.notes()) {
        g.writeString(n);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void step(JsonGenerator g, StepResult st) throws IOException {
    ClientStats c = st.client();
    StepRunner.StepRun run = st.run();
    g.writeStartObject();
    g.writeNumberField("step", st.index());
    g.writeStringField("mode", run.mode().text());
    g.writeNumberField("load", new java.math.BigDecimal(Figures.exact(st.load())));
    g.writeBooleanField("complete", st.complete());
    g.writeNumberField("start_s", new java.math.BigDecimal(Figures.micros(run.startMicros())));
    g.writeNumberField("measure_start_s", new java.math.BigDecimal(Figures.micros(run.measureStartMicros())));
    g.writeNumberField("measure_end_s", new java.math.BigDecimal(Figures.micros(run.measureEndMicros())));
    g.writeNumberField("end_s", new java.math.BigDecimal(Figures.micros(run.endMicros())));
    g.writeObjectFieldStart("requests");
    g.writeNumberField("due", c.due());
    g.writeNumberField("sent", c.sent());
    g.writeNumberField("succeeded", c.succeeded());
    g.writeNumberField("failed", c.failed());
    g.writeNumberField("not_sent", c.notSent());
    g.writeNumberField("warmup", c.warmup());
    g.writeEndObject();
    g.writeObjectFieldStart("errors");
    for (Map.Entry<String, Integer> e : c.errors().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    nullable(g, "first_error", c.firstError());
    number(g, "duration_s", c.durationSeconds());
    number(g, "offered_rate", c.offeredRate());
    number(g, "sent_rate", c.sentRate());
    number(g, "achieved_rate", c.achievedRate());
    number(g, "output_tokens_per_s", c.outputTokensPerSecond());
    number(g, "prompt_tokens_per_s", c.promptTokensPerSecond());
    summary(g, "ttft_s", c.ttft(), true);
    summary(g, "tpot_s", c.tpot(), true);
    summary(g, "itl_s", c.itl(), true);
    summary(g, "e2e_s", c.e2e(), true);
    summary(g, "output_tokens", c.outputTokens(), true);
    summary(g, "prompt_tokens", c.promptTokens(), true);
    g.writeObjectFieldStart("goodput");
    number(g, "ratio", c.goodput());
    g.writeNumberField("good", c.good());
    g.writeObjectFieldStart("per_slo");
    for (Map.Entry<String, Double> e : c.perSlo().entrySet()) {
      number(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeBooleanField("meets_slo", st.meetsSlo());
    ServerStats s = st.server();
    g.writeObjectFieldStart("server");
    g.writeBooleanField("available", s.available());
    number(g, "window_s", s.windowSeconds());
    summary(g, "ttft_s", s.ttft(), false);
    summary(g, "itl_s", s.itl(), false);
    summary(g, "e2e_s", s.e2e(), false);
    summary(g, "queue_time_s", s.queueTime(), false);
    number(g, "requests", s.requests());
    number(g, "errors_per_s", s.errorsPerSecond());
    number(g, "generation_tokens_per_s", s.generationTokensPerSecond());
    number(g, "prompt_tokens_per_s", s.promptTokensPerSecond());
    g.writeObjectFieldStart("goodput");
    for (Map.Entry<String, Double> e : s.goodput().entrySet()) {
      number(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("gauges");
    for (Map.Entry<ServerSample.Gauge, ServerStats.Spread> e : s.gauges().entrySet()) {
      g.writeObjectFieldStart(e.getKey().key);
      number(g, "mean", e.getValue().mean());
      number(g, "max", e.getValue().max());
      g.writeNumberField("samples", e.getValue().samples());
      number(g, "slope_per_s", e.getValue().slopePerSecond());
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeArrayFieldStart("problems");
    for (String p : s.problems()) {
      g.writeString(p);
    }
    g.writeEndArray();
    g.writeEndObject();
    StepResult.TtftGap gap = st.ttftGap();
    g.writeObjectFieldStart("ttft_gap");
    number(g, "client_mean_s", gap.clientMean());
    number(g, "server_mean_s", gap.serverMean());
    number(g, "gap_s", gap.gap());
    g.writeBooleanField("large", gap.large());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void summary(JsonGenerator g, String name, Summary s, boolean withMax) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("count", s.count());
    for (String stat : Summary.NAMES) {
      if (withMax || !stat.equals("max")) {
        number(g, stat, s.get(stat));
      }
    }
    g.writeEndObject();
  }

  private static void stepRef(JsonGenerator g, String stepField, String loadField, int step, List<StepResult> steps)
      throws IOException {
    if (step == 0) {
      g.writeNullField(stepField);
      g.writeNullField(loadField);
    } else {
      g.writeNumberField(stepField, step);
      g.writeNumberField(loadField, new java.math.BigDecimal(Figures.exact(steps.get(step - 1).load())));
    }
  }

  /** A number, or null when it is not known (NaN). */
  static void number(JsonGenerator g, String name, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(name, new java.math.BigDecimal(Figures.exact(v)));
    } else {
      g.writeNullField(name);
    }
  }

  private static void nullable(JsonGenerator g, String name, String v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, v);
    }
  }
}

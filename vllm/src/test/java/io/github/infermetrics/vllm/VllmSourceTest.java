package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.dashboard.SourceDashboard;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VllmSourceTest {
  @Test
  void isRegisteredForTheServiceLoader() {
    KpiSource s = KpiSources.installed().require("vllm");
    assertThat(s).isInstanceOf(VllmSource.class);
    assertThat(s.description()).contains("vllm:");
  }

  @Test
  void recognisesVllmAndComputesItsWindow() {
    VllmSource source = new VllmSource();
    VllmSnapshot prev = Scrapes.resource("v1-two-engines-prev.prom");
    VllmSnapshot curr = Scrapes.resource("v1-two-engines-curr.prom");
    assertThat(source.recognize(curr.source())).isEqualTo(1);
    assertThat(source.recognize(Scrapes.text("# TYPE other gauge\nother 1\n").source())).isZero();
    KpiWindow w = source.between(prev.source(), curr.source(), Duration.ofSeconds(10));
    assertThat(w.source()).isEqualTo("vllm");
    assertThat(w.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(w.toKpiSet("", java.time.Instant.EPOCH).values()).isNotEmpty();
    assertThatThrownBy(() -> source.between(prev.source(), Scrapes.text("x 1\n").source(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vllm:");
  }

  @Test
  void aNonFiniteGaugeCostsThatValueOnlyAndIsCounted() {
    // vllm:num_requests_running +Inf used to make toKpiSet throw and cost every KPI of the target
    String prev = """
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="qwen"} 3
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{engine="0",model_name="qwen"} 1
        # TYPE vllm:generation_tokens_total counter
        vllm:generation_tokens_total{engine="0",model_name="qwen"} 100
        """;
    String curr = prev.replace("} 3", "} +Inf").replace("} 100", "} 400");
    KpiWindow w = new VllmSource().between(Scrapes.text(prev).source(), Scrapes.text(curr).source(),
        Duration.ofSeconds(10));
    KpiSet set = w.toKpiSet("vllm-0", java.time.Instant.EPOCH);
    assertThat(set.dropped()).containsExactly("vllm:num_requests_running{engine=\"0\",model_name=\"qwen\"} = Infinity");
    assertThat(set.find(Kpi.BATCH_SIZE, KpiStatistic.VALUE)).isEmpty();
    assertThat(set.find(Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE, LabelMatcher.eq("engine", "0")))
        .map(KpiValue::value).contains(30.0);
    assertThat(set.find(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, LabelMatcher.eq("engine", "0")))
        .map(KpiValue::value).contains(1.0);
    assertThat(w.values()).allMatch(v -> Double.isFinite(v.value()));
  }

  @Test
  void dashboardUsesCurrentNamesWithFallbacksForOldOnes() {
    List<String> exprs = new VllmSource().dashboard().orElseThrow().expressions();
    String m = ", model_name=~\"$model_name\"}";
    assertThat(exprs).contains("avg by (model_name) ({__name__=~\"(.*vllm[:_])?kv_cache_usage_perc\"" + m
        + " or {__name__=~\"(.*vllm[:_])?gpu_cache_usage_perc\"" + m + ")");
    assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (le, model_name) (rate("
        + "{__name__=~\"(.*vllm[:_])?inter_token_latency_seconds_bucket\"")
        && e.contains(" or rate({__name__=~\"(.*vllm[:_])?time_per_output_token_seconds_bucket\""));
    assertThat(exprs).anyMatch(e -> e.contains("prefix_cache_hits_total")
        && e.contains("or sum by (model_name) (rate({__name__=~\"(.*vllm[:_])?gpu_prefix_cache_hits_total"));
    // a dead name only ever appears as the fallback after an "or"
    for (String e : exprs) {
      for (String dead : new String[] {"gpu_cache_usage_perc", "time_per_output_token_seconds", "gpu_prefix_cache"}) {
        if (e.contains(dead)) {
          assertThat(e.indexOf(" or ")).as(e).isPositive().isLessThan(e.indexOf(dead));
        }
      }
    }
  }

  @Test
  void sloGoodputFromTheTtftHistogramOfTheRealCapture() {
    String before = Scrapes.sharedText("fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt");
    // a later capture: the cumulative counts of the TTFT buckets grew
    String after = before;
    String[][] now = {{"0.1", "4.0"}, {"0.25", "10.0"}, {"0.5", "31.0"}, {"0.75", "38.0"}, {"1.0", "40.0"},
        {"2.5", "41.0"}, {"5.0", "41.0"}, {"7.5", "41.0"}, {"10.0", "41.0"}, {"+Inf", "42.0"}};
    for (String[] b : now) {
      after = after.replaceFirst("vllm:time_to_first_token_seconds_bucket\\{le=\"" + java.util.regex.Pattern.quote(b[0])
          + "\",model_name=\"facebook/opt-125m\"} [0-9.]+", "vllm:time_to_first_token_seconds_bucket{le=\""
          + java.util.regex.Matcher.quoteReplacement(b[0]) + "\",model_name=\"facebook/opt-125m\"} " + b[1]);
    }
    after = after.replace("vllm:time_to_first_token_seconds_count{model_name=\"facebook/opt-125m\"} 1.0",
        "vllm:time_to_first_token_seconds_count{model_name=\"facebook/opt-125m\"} 42.0");
    KpiWindow w = new VllmSource().between(Scrapes.text(before).source(), Scrapes.text(after).source(),
        Duration.ofSeconds(15));
    // the increase (the capture had 1 observation in (0.25, 0.5]): 4 up to 0.1 s, 10 up to 0.25, 30 up to 0.5,
    // 37 up to 0.75, 39 up to 1, 40 up to 2.5 ... 10, 41 in all
    java.util.Map<String, io.github.infermetrics.core.kpi.MeasureValue> g = new java.util.LinkedHashMap<>();
    io.github.infermetrics.core.kpi.SloGoodput.of(io.github.infermetrics.core.kpi.Slo.parseAll(
        "ttft=500ms,itl=1s"), w).forEach(v -> g.put(v.dimensions().get("slo"), v));
    assertThat(g.get("ttft<=500ms").value()).isCloseTo(30 / 41.0, within(1e-12));           // a bucket bound
    java.util.Map<String, Double> between = new java.util.LinkedHashMap<>();
    for (String slo : new String[] {"ttft=300ms", "ttft=20s"}) {
      io.github.infermetrics.core.kpi.SloGoodput.of(io.github.infermetrics.core.kpi.Slo.parseAll(slo), w)
          .forEach(v -> between.put(v.dimensions().get("slo"), v.value()));
    }
    // 10 + (30 - 10) * (0.3 - 0.25) / (0.5 - 0.25) = 14 of 41
    assertThat(between.get("ttft<=300ms")).isCloseTo(14 / 41.0, within(1e-12));
    // beyond 10 s, the last finite bound: 40 of 41 at least
    assertThat(between.get("ttft<=20s")).isCloseTo(40 / 41.0, within(1e-12));
    assertThat(g).doesNotContainKey("itl<=1s"); // no inter-token observations in the window
  }

  @Test
  void everyMeasureIsWellDeclared() {
    for (VllmMeasure m : VllmMeasure.values()) {
      io.github.infermetrics.core.kpi.Measure.check(m);
    }
    for (VllmLatency l : VllmLatency.values()) {
      for (io.github.infermetrics.core.kpi.KpiStatistic s : LatencyMeasure.STATISTICS) {
        io.github.infermetrics.core.kpi.Measure.check(LatencyMeasure.of(l, s));
      }
    }
  }

  /** Every {@code __name__} regex of the dashboard, with the vLLM name it stands for. */
  static final Pattern NAME_REGEX = Pattern.compile("__name__=~\"([^\"]*)\"");

  @ParameterizedTest
  @EnumSource(Spellings.Spelling.class)
  void everyDashboardQuerySelectsEverySpelling(Spellings.Spelling s) {
    SourceDashboard d = new VllmSource().dashboard().orElseThrow();
    List<String> all = new java.util.ArrayList<>(d.expressions());
    all.add(d.variable().orElseThrow().query());
    int checked = 0;
    for (String e : all) {
      assertThat(e).as("every family is selected by a __name__ regex").doesNotContainPattern("vllm:[a-z]");
      Matcher r = NAME_REGEX.matcher(e);
      while (r.find()) {
        // the vLLM name the regex stands for: its last alternative without the prefix group
        String regex = r.group(1);
        String base = regex.substring(regex.indexOf(")?") + 2);
        if (regex.contains("|")) {
          // finished requests: vLLM's request_success_total under a vllm prefix, NIM's request_finish_total
          base = "request_success_total";
          String spelled = s == Spellings.Spelling.NIM ? "request_finish_total"
              : s.naming.name("vllm:" + base).orElseThrow();
          assertThat(spelled).as(regex).matches(regex);
          assertThat("request_success_total").as("NIM's own success counter is left out").doesNotMatch(regex);
        } else {
          assertThat(s.naming.name("vllm:" + base).orElseThrow()).as(regex).matches(regex);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(30);
  }
}

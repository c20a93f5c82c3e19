package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.sglang.SglangKpis;
import io.github.infermetrics.sglang.SglangMeasure;
import io.github.infermetrics.sglang.SglangSnapshot;
import io.github.infermetrics.sglang.SglangWindow;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SGLang simulator against core's strict reader, the sglang module's source, and a real HTTP client. */
class SglangSimulatorTest {
  private static final String MODEL = "sim/sglang-model";

  private static SglangSimulator.Config.Builder fast() {
    return SglangSimulator.Config.builder().modelName(MODEL).seed(11)
        .prefillTime(Distribution.logNormal(0.01, 0.2), 0)
        .decodeStepTime(Distribution.fixed(0.002))
        .outputTokens(Distribution.uniform(4, 8));
  }

  @Test
  void twoScrapesUnderLoadAreSglangsAndGiveTheCommonKpis() throws Exception {
    double rate = 40;
    try (SglangSimulator sim = SglangSimulator.start(fast().dpRanks(2)
        .prefillTime(Distribution.logNormal(0.05, 0.2), 0).build())) {
      LoadDriver driver = LoadDriver.start(LoadDriver.Config.builder(sim.completionsUri())
          .pattern(LoadPattern.steady(rate)).seed(3).promptTokens(Distribution.uniform(16, 64)).maxTokens(6)
          .build());
      Thread.sleep(300);
      long t0 = System.nanoTime();
      String first = Http.get(sim.metricsUri()).body();
      Thread.sleep(1500);
      long t1 = System.nanoTime();
      String second = Http.get(sim.metricsUri()).body();
      driver.close();
      String last = Http.get(sim.metricsUri()).body();

      MetricSnapshot curr = Http.strict(second);
      assertThat(KpiSources.installed().detect(curr)).extracting(KpiSource::name).containsExactly("sglang");
      SglangKpis kpis = SglangKpis.between(SglangSnapshot.of(Http.strict(first)), SglangSnapshot.of(curr),
          Duration.ofNanos(t1 - t0));
      SglangWindow model = kpis.model(MODEL).orElseThrow();
      // Poisson arrivals at 40/s over 1.5 s: about 60 requests, so +-50 % is more than 4 standard deviations
      assertThat(model.get(SglangMeasure.REQUEST_RATE).orElseThrow()).isBetween(rate * 0.5, rate * 1.5);
      // 4 to 8 tokens wanted, max_tokens 6: between 4 and 6 per request
      assertThat(model.get(SglangMeasure.GENERATION_TOKEN_RATE).orElseThrow()).isBetween(rate * 0.5 * 4,
          rate * 1.5 * 6);
      assertThat(model.get(SglangMeasure.SERVER_GENERATION_THROUGHPUT)).isPresent();
      assertThat(kpis.ranks()).extracting(w -> w.engine().orElseThrow()).containsExactly("0", "1");

      // the KPIs every source shares, per model; SGLang has no abort before a client goes away
      KpiSet set = kpis.toKpiSet("sglang-sim", Instant.EPOCH);
      Labels dims = Labels.of("model", MODEL);
      for (Object[] c : new Object[][] {{Kpi.REQUEST_RATE, KpiStatistic.VALUE},
          {Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95}, {Kpi.END_TO_END_LATENCY, KpiStatistic.P95},
          {Kpi.QUEUE_TIME, KpiStatistic.MEAN}, {Kpi.QUEUE_DEPTH, KpiStatistic.VALUE},
          {Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE}, {Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE},
          {Kpi.BATCH_SIZE, KpiStatistic.VALUE}, {Kpi.INTER_TOKEN_LATENCY, KpiStatistic.MEAN}}) {
        assertThat(set.values()).as(c[0] + " " + c[1]).anyMatch(v -> v.kpi() == c[0] && v.statistic() == c[1]
            && v.dimensions().equals(dims));
      }
      assertThat(set.values()).noneMatch(v -> v.kpi() == Kpi.ERROR_RATE);

      LoadDriver.Stats client = driver.stats();
      assertThat(client.failed()).isZero();
      assertThat(client.succeeded()).isGreaterThan(30);
      // the server's TTFT over everything it served vs. the client's mean: same requests, the client adds its
      // connection and HTTP hops (a few ms on loopback, far more on a machine short of CPU), never less
      double serverTtft = mean(Http.strict(last), "sglang:time_to_first_token_seconds");
      double clientTtft = client.meanTimeToFirstTokenSeconds().orElseThrow();
      assertThat(clientTtft).isBetween(serverTtft * 0.9, serverTtft * 4 + 0.25);
    }
  }

  @Test
  void countersAreExactForKnownRequests() throws IOException {
    // 3 requests, prompts of 40, 80 and 8 characters = 10, 20 and 2 tokens, max_tokens 5 each; the model wants 100
    try (SglangSimulator sim = SglangSimulator.start(fast().outputTokens(Distribution.fixed(100))
        .prefixCacheHitShare(0).build())) {
      String idle = Http.get(sim.metricsUri()).body();
      // like SGLang, request families have no series, so no family, before the first request
      assertThat(idle).contains("sglang:num_running_reqs{").doesNotContain("sglang:num_requests_total")
          .doesNotContain("sglang:time_to_first_token_seconds");
      for (int chars : new int[] {40, 80, 8}) {
        Http.Response r = Http.post(sim.completionsUri(), "{\"prompt\":\"" + "x".repeat(chars)
            + "\",\"max_tokens\":5}");
        assertThat(r.status()).isEqualTo(200);
      }
      MetricSnapshot s = Http.strict(Http.get(sim.metricsUri()).body());
      Labels tokenizer = Labels.of("engine_type", "unified", "model_name", MODEL);
      assertThat(counter(s, "sglang:prompt_tokens_total", tokenizer)).isEqualTo(32);    // 10 + 20 + 2
      assertThat(counter(s, "sglang:generation_tokens_total", tokenizer)).isEqualTo(15); // 3 x 5
      assertThat(counter(s, "sglang:num_requests_total", tokenizer)).isEqualTo(3);
      assertThat(s.family("sglang:cached_tokens_total")).isEmpty();                     // no cache hit yet
      assertThat(histogram(s, "sglang:time_to_first_token_seconds").count()).isEqualTo(3);
      // one inter-token observation per token after the first
      assertThat(histogram(s, "sglang:inter_token_latency_seconds").count()).isEqualTo(12);
      assertThat(histogram(s, "sglang:e2e_request_latency_seconds").count()).isEqualTo(3);
      assertThat(histogram(s, "sglang:queue_time_seconds").count()).isEqualTo(3);
      SglangSnapshot view = SglangSnapshot.of(s);
      assertThat(view.schedulers()).hasSize(1);
      assertThat(view.schedulers().get(0).runningRequests()).hasValue(0);
      assertThat(view.schedulers().get(0).tokenUsage()).hasValue(0);
    }
  }

  @Test
  void writesWhatSglangsMultiprocessCollectorWrites() throws IOException {
    try (SglangSimulator sim = SglangSimulator.start(fast().dpRanks(2).build())) {
      assertThat(Http.post(sim.completionsUri(), "{\"prompt\":\"hello\",\"max_tokens\":2}").status())
          .isEqualTo(200);
      Http.Response r = Http.get(sim.metricsUri());
      assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      String text = r.body();
      assertThat(text).endsWith("\n").doesNotContain("_created")
          .contains("# HELP sglang:num_running_reqs The number of running requests.\n"
              + "# TYPE sglang:num_running_reqs gauge\n"
              + "sglang:num_running_reqs{dp_rank=\"0\",engine_type=\"unified\",model_name=\"" + MODEL
              + "\",moe_ep_rank=\"0\",pp_rank=\"0\",tp_rank=\"0\"} 0.0\n")
          .contains("sglang:num_requests_total{engine_type=\"unified\",model_name=\"" + MODEL + "\"} 1.0\n")
          // _sum, then the buckets with le sorted among the labels, then _count
          .contains("# TYPE sglang:e2e_request_latency_seconds histogram\nsglang:e2e_request_latency_seconds_sum{")
          .contains("sglang:time_to_first_token_seconds_bucket{engine_type=\"unified\",le=\"0.1\",model_name=");
      try (Scraper scraper = Scraper.create()) {
        ScrapeResult result = scraper.scrape(ScrapeTarget.builder(sim.metricsUri()).build());
        assertThat(result.up()).isTrue();
        assertThat(SglangSnapshot.detect(result.snapshot())).isTrue();
      }
    }
  }

  @Test
  void servesOpenAiCompletionsAndRefusesBadOnes() throws IOException {
    try (SglangSimulator sim = SglangSimulator.start(fast().outputTokens(Distribution.fixed(100))
        .contextLength(64).build())) {
      Http.Response r = Http.post(sim.completionsUri(), "{\"model\":\"" + MODEL + "\",\"prompt\":\"Hello there\","
          + "\"max_tokens\":3,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).startsWith("text/event-stream");
      assertThat(r.body()).endsWith("data: [DONE]\n\n");
      List<Map<?, ?>> chunks = new ArrayList<>();
      for (String event : r.body().split("\n\n")) {
        if (!event.equals("data: [DONE]")) {
          chunks.add((Map<?, ?>) JsonReader.read(event.substring("data: ".length())));
        }
      }
      assertThat(chunks).hasSize(4); // 3 tokens, then the usage
      Map<?, ?> last = (Map<?, ?>) ((List<?>) chunks.get(2).get("choices")).get(0);
      assertThat(last.get("finish_reason")).isEqualTo("length");
      // "Hello there" is 11 characters: 3 tokens at 4 characters per token
      assertThat(VllmSimulatorTest.object(chunks.get(3).get("usage"))).containsEntry("prompt_tokens", 3.0)
          .containsEntry("completion_tokens", 3.0);

      Http.Response whole = Http.post(sim.completionsUri(), "{\"prompt\":[1,2,3],\"max_tokens\":2}");
      Map<?, ?> body = (Map<?, ?>) JsonReader.read(whole.body());
      assertThat(((Map<?, ?>) ((List<?>) body.get("choices")).get(0)).get("finish_reason")).isEqualTo("length");
      assertThat(VllmSimulatorTest.object(body.get("usage"))).containsEntry("prompt_tokens", 3.0);

      assertThat(Http.post(sim.completionsUri(), "{\"model\":\"other\",\"prompt\":\"hi\"}").status()).isEqualTo(404);
      assertThat(Http.post(sim.completionsUri(), "{\"prompt\":\"hi\",\"max_tokens\":100}").body())
          .contains("maximum context length is 64 tokens");
      assertThat(Http.get(sim.completionsUri()).status()).isEqualTo(405);
      assertThat(Http.get(sim.metricsUri().resolve("/health")).status()).isEqualTo(200);
      assertThat(Http.get(sim.metricsUri().resolve("/v1/models")).body()).contains("\"id\":\"" + MODEL + "\"");
    }
  }

  private static double counter(MetricSnapshot s, String family, Labels labels) {
    return s.select(family).stream().filter(p -> p.labels().equals(labels)).findFirst()
        .map(p -> ((io.github.infermetrics.core.snapshot.CounterPoint) p).value()).orElseThrow();
  }

  private static HistogramPoint histogram(MetricSnapshot s, String family) {
    return (HistogramPoint) s.family(family).orElseThrow().points().get(0);
  }

  private static double mean(MetricSnapshot s, String family) {
    double sum = 0;
    double count = 0;
    for (Object p : s.family(family).orElseThrow().points()) {
      sum += ((HistogramPoint) p).sum();
      count += ((HistogramPoint) p).count();
    }
    return sum / count;
  }
}

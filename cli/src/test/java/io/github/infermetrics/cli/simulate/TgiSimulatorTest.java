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
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.testing.SharedData;
import io.github.infermetrics.tgi.TgiKpis;
import io.github.infermetrics.tgi.TgiLatency;
import io.github.infermetrics.tgi.TgiMeasure;
import io.github.infermetrics.tgi.TgiSnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The TGI simulator against core's strict reader, the tgi module's source, and a real HTTP client. */
class TgiSimulatorTest {
  private static TgiSimulator.Config.Builder fast() {
    return TgiSimulator.Config.builder().seed(5)
        .validationTime(Distribution.fixed(0.0002))
        .prefillTime(Distribution.logNormal(0.01, 0.2), 0)
        .decodeStepTime(Distribution.fixed(0.002))
        .outputTokens(Distribution.uniform(4, 8));
  }

  @Test
  void twoScrapesUnderLoadAreTgisAndGiveTheCommonKpisButNoTimeToFirstToken() throws Exception {
    double rate = 40;
    try (TgiSimulator sim = TgiSimulator.start(fast().prefillTime(Distribution.logNormal(0.05, 0.2), 0).build())) {
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

      MetricSnapshot curr = Http.strict(second);
      assertThat(KpiSources.installed().detect(curr)).extracting(KpiSource::name).containsExactly("tgi");
      TgiKpis kpis = TgiKpis.between(TgiSnapshot.of(Http.strict(first)), TgiSnapshot.of(curr),
          Duration.ofNanos(t1 - t0));
      // Poisson arrivals at 40/s over 1.5 s: about 60 requests, so +-50 % is more than 4 standard deviations
      assertThat(kpis.get(TgiMeasure.REQUEST_RATE).orElseThrow()).isBetween(rate * 0.5, rate * 1.5);
      assertThat(kpis.get(TgiMeasure.ERROR_RATE)).hasValue(0);
      assertThat(kpis.get(TgiMeasure.GENERATION_TOKEN_RATE).orElseThrow()).isBetween(rate * 0.5 * 4,
          rate * 1.5 * 6);
      assertThat(kpis.latency(TgiLatency.BATCH_FORWARD_TIME, "prefill").mean()).isPresent();
      assertThat(kpis.get(TgiMeasure.BATCH_RATE, "decode").orElseThrow()).isPositive();

      KpiSet set = kpis.toKpiSet("tgi-sim", Instant.EPOCH);
      for (Object[] c : new Object[][] {{Kpi.REQUEST_RATE, KpiStatistic.VALUE},
          {Kpi.ERROR_RATIO, KpiStatistic.VALUE}, {Kpi.END_TO_END_LATENCY, KpiStatistic.P95},
          {Kpi.QUEUE_TIME, KpiStatistic.MEAN}, {Kpi.QUEUE_DEPTH, KpiStatistic.VALUE},
          {Kpi.GENERATION_TOKEN_RATE, KpiStatistic.VALUE}, {Kpi.BATCH_SIZE, KpiStatistic.VALUE},
          {Kpi.INTER_TOKEN_LATENCY, KpiStatistic.MEAN}}) {
        assertThat(set.values()).as(c[0] + " " + c[1]).anyMatch(v -> v.kpi() == c[0] && v.statistic() == c[1]
            && v.dimensions().isEmpty());
      }
      assertThat(set.values()).noneMatch(v -> v.kpi() == Kpi.TIME_TO_FIRST_TOKEN);

      LoadDriver.Stats client = driver.stats();
      assertThat(client.failed()).isZero();
      assertThat(client.succeeded()).isGreaterThan(30);
      // the floor is what TGI measures of a request's first token: validation, queue, its prefill batch; the
      // client sees that plus its HTTP hops, so more
      double floor = kpis.get(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR).orElseThrow();
      double clientTtft = client.meanTimeToFirstTokenSeconds().orElseThrow();
      assertThat(floor).isGreaterThan(kpis.latency(TgiLatency.BATCH_FORWARD_TIME, "prefill").mean().orElseThrow())
          .isLessThan(clientTtft * 1.2);
    }
  }

  @Test
  void countersAreExactForKnownRequests() throws IOException {
    // 3 requests one after the other, inputs of 40, 80 and 8 characters = 10, 20 and 2 tokens, max_new_tokens 5;
    // the model wants 100: each request is one prefill batch and 4 decode steps
    try (TgiSimulator sim = TgiSimulator.start(fast().outputTokens(Distribution.fixed(100)).build())) {
      String idle = Http.get(sim.metricsUri()).body();
      // like TGI, nothing served means no request series yet; the gauges are there
      assertThat(idle).contains("tgi_queue_size 0\n").contains("tgi_batch_max_total_tokens 65536\n")
          .doesNotContain("tgi_request_success").doesNotContain("tgi_request_duration");
      for (int chars : new int[] {40, 80, 8}) {
        Http.Response r = Http.post(sim.generateUri(), "{\"inputs\":\"" + "x".repeat(chars)
            + "\",\"parameters\":{\"max_new_tokens\":5}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(((Map<?, ?>) JsonReader.read(r.body())).get("generated_text")).asString().isNotEmpty();
      }
      String text = Http.get(sim.metricsUri()).body();
      MetricSnapshot s = Http.strict(text);
      assertThat(text).contains("tgi_request_count 3\n").contains("tgi_request_success 3\n")
          .contains("tgi_batch_inference_count{method=\"prefill\"} 3\n")
          .contains("tgi_batch_inference_count{method=\"decode\"} 12\n");
      assertThat(histogram(s, "tgi_request_input_length").sum()).isEqualTo(32);     // 10 + 20 + 2
      assertThat(histogram(s, "tgi_request_generated_tokens").sum()).isEqualTo(15); // 3 x 5
      assertThat(histogram(s, "tgi_request_max_new_tokens").sum()).isEqualTo(15);
      assertThat(histogram(s, "tgi_request_duration").count()).isEqualTo(3);
      assertThat(histogram(s, "tgi_request_queue_duration").count()).isEqualTo(3);
      assertThat(histogram(s, "tgi_batch_next_size").sum()).isEqualTo(3);           // batches of one
      TgiSnapshot view = TgiSnapshot.of(s);
      assertThat(view.queueSize()).hasValue(0);
      assertThat(view.batchSize()).hasValue(0);
      assertThat(view.failures()).isEmpty();
    }
  }

  @Test
  void validationErrorsAndOverloadAreCountedAsTgiCountsThem() throws Exception {
    try (TgiSimulator sim = TgiSimulator.start(fast().maxTokens(16, 32).maxConcurrentRequests(1)
        .decodeStepTime(Distribution.fixed(0.05)).outputTokens(Distribution.fixed(100)).build())) {
      Http.Response tooLong = Http.post(sim.generateUri(), "{\"inputs\":\"" + "x".repeat(200) + "\"}");
      assertThat(tooLong.status()).isEqualTo(422);
      assertThat(VllmSimulatorTest.object(JsonReader.read(tooLong.body()))).containsEntry("error_type", "validation");
      // one long request holds the only slot: the next is refused
      Thread slow = new Thread(() -> {
        try {
          Http.post(sim.generateUri(), "{\"inputs\":\"hi\",\"parameters\":{\"max_new_tokens\":10}}");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      slow.start();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!Http.get(sim.metricsUri()).body().contains("tgi_batch_current_size 1\n")) {
        assertThat(System.nanoTime()).as("the first request runs").isLessThan(deadline);
        Thread.sleep(10);
      }
      Http.Response refused = Http.post(sim.completionsUri(), "{\"prompt\":\"hi\"}");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(VllmSimulatorTest.object(JsonReader.read(refused.body()))).containsEntry("error_type", "overloaded");
      slow.join(10_000);
      String text = Http.get(sim.metricsUri()).body();
      assertThat(text).contains("# TYPE tgi_request_failure counter\n")
          .contains("tgi_request_failure{err=\"validation\"} 1\n")
          .contains("tgi_request_failure{err=\"overloaded\"} 1\n")
          .contains("tgi_request_count 3\n").contains("tgi_request_success 1\n");
    }
  }

  @Test
  void speaksTgisApiAndTheMessagesApi() throws IOException {
    try (TgiSimulator sim = TgiSimulator.start(fast().outputTokens(Distribution.fixed(100)).build())) {
      URI stream = sim.generateUri().resolve("/generate_stream");
      Http.Response r = Http.post(stream, "{\"inputs\":\"Hello there\",\"parameters\":{\"max_new_tokens\":3}}");
      assertThat(r.contentType()).startsWith("text/event-stream");
      String[] events = r.body().split("\n\n");
      assertThat(events).hasSize(3).allMatch(e -> e.startsWith("data:{")); // axum writes no space after data:
      Map<?, ?> last = (Map<?, ?>) JsonReader.read(events[2].substring("data:".length()));
      assertThat(last.get("generated_text")).asString().isNotEmpty();
      assertThat(VllmSimulatorTest.object(last.get("details"))).containsEntry("finish_reason", "length")
          .containsEntry("generated_tokens", 3.0).containsEntry("input_length", 3.0);

      Http.Response chat = Http.post(sim.chatCompletionsUri(), "{\"model\":\"tgi\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"What is Deep Learning?\"}],\"max_tokens\":2,\"stream\":true}");
      assertThat(chat.body()).startsWith("data:{").endsWith("data:[DONE]\n\n");
      Map<?, ?> chunk = (Map<?, ?>) JsonReader.read(chat.body().split("\n\n")[0].substring("data:".length()));
      assertThat(chunk.get("object")).isEqualTo("chat.completion.chunk");
      Http.Response whole = Http.post(sim.chatCompletionsUri(), "{\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Hi\"}],\"max_tokens\":2}");
      Map<?, ?> body = (Map<?, ?>) JsonReader.read(whole.body());
      assertThat(VllmSimulatorTest.object(body.get("usage"))).containsEntry("completion_tokens", 2.0);
      assertThat(Http.get(sim.metricsUri().resolve("/info")).body())
          .contains("\"model_id\":\"mistralai/Mistral-7B-Instruct-v0.3\"");
      assertThat(Http.post(sim.chatCompletionsUri(), "{\"messages\":[]}").status()).isEqualTo(422);
    }
  }

  @Test
  void writesWhatTgisExporterWritesWithTheDatadogFixturesHelpAndTypes() throws IOException {
    String fixture = Files.readString(SharedData.dir("fixtures/tgi").resolve("datadog-tgi-payload.txt"),
        StandardCharsets.UTF_8);
    Set<String> real = new TreeSet<>();
    for (String line : fixture.split("\n")) {
      if (line.startsWith("# ")) {
        real.add(line);
      }
    }
    try (TgiSimulator sim = TgiSimulator.start(fast().build())) {
      assertThat(Http.post(sim.generateUri(), "{\"inputs\":\"hello\",\"parameters\":{\"max_new_tokens\":2}}")
          .status()).isEqualTo(200);
      Http.Response r = Http.get(sim.metricsUri());
      String text = r.body();
      assertThat(text).contains("tgi_request_duration_bucket{le=\"0.00015000000000000001\"} ")
          .contains("tgi_batch_forward_duration_bucket{method=\"prefill\",le=\"0.00022500000000000002\"} ")
          .contains("tgi_request_success 1\n\n").doesNotContain("_total ").doesNotContain("_total{");
      Set<String> shared = new TreeSet<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("# ") && fixture.contains("# TYPE " + line.split(" ")[2] + " ")) {
          shared.add(line);
        }
      }
      assertThat(real).containsAll(shared);
      assertThat(shared).hasSizeGreaterThan(35);
      try (Scraper scraper = Scraper.create()) {
        ScrapeResult result = scraper.scrape(ScrapeTarget.builder(sim.metricsUri()).build());
        assertThat(result.up()).isTrue();
        assertThat(TgiSnapshot.detect(result.snapshot())).isTrue();
      }
    }
  }

  private static HistogramPoint histogram(MetricSnapshot s, String family) {
    return (HistogramPoint) s.family(family).orElseThrow().points().get(0);
  }
}

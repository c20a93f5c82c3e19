package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.scrape.Scraper;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.testing.SharedData;
import io.github.infermetrics.vllm.VllmEngine;
import io.github.infermetrics.vllm.VllmGeneration;
import io.github.infermetrics.vllm.VllmKpis;
import io.github.infermetrics.vllm.VllmSnapshot;
import io.github.infermetrics.vllm.VllmWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The vLLM simulator against core's strict reader, the vllm module's typed view, and a real HTTP client. */
class VllmSimulatorTest {
  private static final String MODEL = "sim/test-model";

  private static VllmSimulator.Config.Builder fast() {
    return VllmSimulator.Config.builder().modelName(MODEL).seed(11)
        .timeToFirstToken(Distribution.logNormal(0.01, 0.2))
        .interTokenLatency(Distribution.fixed(0.002))
        .outputTokens(Distribution.uniform(4, 8));
  }

  @Test
  void scrapedKpisAgreeWithTheLoadAndWithWhatTheClientMeasured() throws Exception {
    double rate = 40;
    // TTFT around 100 ms, so that a Nagle delay (when another JDK HTTP server in this JVM started first, the
    // simulator's TCP_NODELAY setting comes too late) stays inside the tolerance
    try (VllmSimulator sim = VllmSimulator.start(fast().engines(2)
        .timeToFirstToken(Distribution.logNormal(0.1, 0.2)).build())) {
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

      VllmSnapshot before = VllmSnapshot.of(Http.strict(first));
      VllmSnapshot after = VllmSnapshot.of(Http.strict(second));
      assertThat(after.generation()).isEqualTo(VllmGeneration.V1);
      assertThat(after.engines()).extracting(e -> e.engine().orElseThrow()).containsExactly("0", "1");
      VllmKpis kpis = VllmKpis.between(before, after, (t1 - t0) / 1e9);
      VllmWindow model = kpis.model(MODEL).orElseThrow();
      // Poisson arrivals at 40/s over 1.5 s: about 60 requests, so +-50 % is more than 4 standard deviations
      assertThat(model.requestsPerSecond().orElseThrow()).isBetween(rate * 0.5, rate * 1.5);
      // 4 to 8 tokens wanted, max_tokens 6: between 4 and 6 per request
      assertThat(model.generationTokensPerSecond().orElseThrow()).isBetween(rate * 0.5 * 4, rate * 1.5 * 6);
      assertThat(model.kvCacheUsage()).isPresent();

      LoadDriver.Stats client = driver.stats();
      assertThat(client.failed()).isZero();
      assertThat(client.succeeded()).isGreaterThan(30);
      // the server's TTFT over everything it served vs. the client's mean: same requests, the client adds only
      // its connection and HTTP overhead
      double serverTtft = mean(Http.strict(last), "vllm:time_to_first_token_seconds");
      double clientTtft = client.meanTimeToFirstTokenSeconds().orElseThrow();
      assertThat(clientTtft).isCloseTo(serverTtft, within(serverTtft * 0.5));
      assertThat(serverTtft).isBetween(0.07, 0.2);
    }
  }

  @Test
  void countersAreExactForKnownRequests() throws IOException {
    // 3 requests, prompts of 40, 80 and 8 characters = 10, 20 and 2 tokens, max_tokens 5 each; the model wants 100
    try (VllmSimulator sim = VllmSimulator.start(fast().outputTokens(Distribution.fixed(100))
        .prefixCacheHitShare(0).build())) {
      for (int chars : new int[] {40, 80, 8}) {
        Http.Response r = Http.post(sim.completionsUri(), "{\"prompt\":\"" + "x".repeat(chars)
            + "\",\"max_tokens\":5}");
        assertThat(r.status()).isEqualTo(200);
      }
      MetricSnapshot s = Http.strict(Http.get(sim.metricsUri()).body());
      VllmEngine e = VllmSnapshot.of(s).engines().get(0);
      assertThat(e.promptTokens()).hasValue(32);                 // 10 + 20 + 2
      assertThat(e.generationTokens()).hasValue(15);             // 3 x 5
      assertThat(e.requestSuccess()).containsEntry("length", 3.0).containsEntry("stop", 0.0);
      assertThat(e.prefixCacheQueries()).hasValue(32);
      assertThat(e.runningRequests()).hasValue(0);
      assertThat(e.waitingRequests()).hasValue(0);
      // vLLM's own test: iteration_tokens_total_count == requests * max_tokens, ITL count == requests * (max - 1)
      assertThat(histogram(s, "vllm:iteration_tokens_total").count()).isEqualTo(15);
      assertThat(histogram(s, "vllm:inter_token_latency_seconds").count()).isEqualTo(12);
      assertThat(histogram(s, "vllm:request_prompt_tokens").sum()).isEqualTo(32);
      assertThat(histogram(s, "vllm:e2e_request_latency_seconds").count()).isEqualTo(3);
    }
  }

  @Test
  void streamsServerSentEventsInOpenAiFormat() throws IOException {
    try (VllmSimulator sim = VllmSimulator.start(fast().outputTokens(Distribution.fixed(100)).build())) {
      Http.Response r = Http.post(sim.completionsUri(), "{\"model\":\"" + MODEL + "\",\"prompt\":\"Hello there\","
          + "\"max_tokens\":5,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).startsWith("text/event-stream");
      assertThat(r.body()).endsWith("data: [DONE]\n\n");
      List<Map<?, ?>> chunks = new ArrayList<>();
      for (String event : r.body().split("\n\n")) {
        assertThat(event).startsWith("data: ");
        if (!event.equals("data: [DONE]")) {
          chunks.add((Map<?, ?>) JsonReader.read(event.substring("data: ".length())));
        }
      }
      // 5 token chunks, then the usage chunk
      assertThat(chunks).hasSize(6);
      for (int i = 0; i < 5; i++) {
        Map<?, ?> choice = (Map<?, ?>) ((List<?>) chunks.get(i).get("choices")).get(0);
        assertThat(chunks.get(i).get("object")).isEqualTo("text_completion");
        assertThat(chunks.get(i).get("model")).isEqualTo(MODEL);
        assertThat(chunks.get(i).get("id")).asString().startsWith("cmpl-");
        assertThat(choice.get("text")).asString().isNotEmpty();
        assertThat(choice.get("finish_reason")).isEqualTo(i == 4 ? "length" : null);
      }
      Map<String, Object> usage = object(chunks.get(5).get("usage"));
      // "Hello there" is 11 characters: 3 tokens at 4 characters per token
      assertThat(usage).containsEntry("prompt_tokens", 3.0).containsEntry("completion_tokens", 5.0)
          .containsEntry("total_tokens", 8.0);
    }
  }

  @Test
  void answersWholeCompletionsWhenNotStreaming() throws IOException {
    try (VllmSimulator sim = VllmSimulator.start(fast().outputTokens(Distribution.fixed(3)).build())) {
      Http.Response r = Http.post(sim.completionsUri(), "{\"prompt\":[1,2,3,4,5,6,7],\"max_tokens\":10}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).isEqualTo("application/json");
      Map<?, ?> body = (Map<?, ?>) JsonReader.read(r.body());
      Map<?, ?> choice = (Map<?, ?>) ((List<?>) body.get("choices")).get(0);
      // the model stops on its own after 3 tokens, before max_tokens
      assertThat(choice.get("finish_reason")).isEqualTo("stop");
      assertThat(object(body.get("usage"))).containsEntry("prompt_tokens", 7.0)
          .containsEntry("completion_tokens", 3.0);
      assertThat(Http.get(sim.metricsUri()).body())
          .contains("vllm:request_success_total{engine=\"0\",finished_reason=\"stop\",model_name=\"" + MODEL
              + "\"} 1.0\n");
    }
  }

  @Test
  void rejectsBadRequestsWithTheFieldAndOpenAiErrorBody() throws IOException {
    try (VllmSimulator sim = VllmSimulator.start(fast().maxModelLen(64).build())) {
      assertError(Http.post(sim.completionsUri(), "{\"prompt\": \"x\", "), 400, "invalid JSON at offset 16: expected a member name");
      assertError(Http.post(sim.completionsUri(), "[1]"), 400, "$: expected a JSON object");
      assertError(Http.post(sim.completionsUri(), "{\"max_tokens\":4}"), 400, "$.prompt: expected a string");
      assertError(Http.post(sim.completionsUri(), "{\"prompt\":\"hi\",\"max_tokens\":0}"), 400,
          "$.max_tokens: expected an integer >= 1");
      assertError(Http.post(sim.completionsUri(), "{\"prompt\":\"hi\",\"stream\":\"yes\"}"), 400,
          "$.stream: expected true or false");
      assertError(Http.post(sim.completionsUri(), "{\"prompt\":\"hi\",\"max_tokens\":100}"), 400,
          "maximum context length is 64 tokens");
      assertError(Http.post(sim.completionsUri(), "{\"model\":\"other\",\"prompt\":\"hi\"}"), 404,
          "The model `other` does not exist.");
      assertThat(Http.get(sim.completionsUri()).status()).isEqualTo(405);
      assertThat(Http.get(sim.metricsUri().resolve("/nope")).status()).isEqualTo(404);
      assertThat(Http.get(sim.metricsUri().resolve("/health")).status()).isEqualTo(200);
      // nothing was served
      assertThat(Http.get(sim.metricsUri()).body()).contains("vllm:e2e_request_latency_seconds_count{engine=\"0\","
          + "model_name=\"" + MODEL + "\"} 0.0\n");
    }
  }

  @Test
  void hasTheFormatOfPrometheusClient() throws IOException {
    try (VllmSimulator sim = VllmSimulator.start(fast().build())) {
      Http.Response r = Http.get(sim.metricsUri());
      assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      String text = r.body();
      assertThat(text).endsWith("\n")
          .contains("# HELP vllm:prompt_tokens_total Number of prefill tokens processed.\n"
              + "# TYPE vllm:prompt_tokens_total counter\n"
              + "vllm:prompt_tokens_total{engine=\"0\",model_name=\"" + MODEL + "\"} 0.0\n")
          .contains("# TYPE vllm:prompt_tokens_created gauge\nvllm:prompt_tokens_created{engine=\"0\",model_name=")
          // le sorts between engine and model_name; the last bucket of the TTFT histogram is 2560
          .contains("vllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"2560.0\",model_name=\"" + MODEL
              + "\"} 0.0\nvllm:time_to_first_token_seconds_bucket{engine=\"0\",le=\"+Inf\",")
          .contains("vllm:iteration_tokens_total_bucket{engine=\"0\",le=\"16384.0\"")
          // 1-2-5 buckets up to max_model_len 8192
          .contains("vllm:request_prompt_tokens_bucket{engine=\"0\",le=\"5000.0\"")
          .doesNotContain("vllm:request_prompt_tokens_bucket{engine=\"0\",le=\"10000.0\"");
      // the core scraper reads it as a real target
      try (Scraper scraper = Scraper.create()) {
        ScrapeResult result = scraper.scrape(ScrapeTarget.builder(sim.metricsUri()).build());
        assertThat(result.up()).isTrue();
        assertThat(VllmSnapshot.detect(result.snapshot())).isTrue();
      }
    }
  }

  /** Every family the simulator shares with the (V1 part of the) Datadog fixture has the same HELP and TYPE. */
  @Test
  void helpAndTypeLinesMatchTheRealOnes() throws IOException {
    String fixture = Files.readString(SharedData.dir("fixtures/vllm").resolve(
        "vllm_metrics_datadog-fixture_hybrid.txt"), StandardCharsets.UTF_8);
    Set<String> real = new TreeSet<>();
    for (String line : fixture.split("\n")) {
      if (line.startsWith("# ")) {
        real.add(line);
      }
    }
    Set<String> shared = new TreeSet<>();
    try (VllmSimulator sim = VllmSimulator.start(fast().build())) {
      for (String line : Http.get(sim.metricsUri()).body().split("\n")) {
        String name = line.startsWith("# ") ? line.split(" ")[2] : "";
        if (line.startsWith("# ") && fixture.contains("# TYPE " + name + " ")
            && !name.equals("vllm:num_requests_running") && !name.equals("vllm:cache_config_info")
            && !name.equals("vllm:e2e_request_latency_seconds")) {
          // these come from the fixture's V0 part, and their help changed in V1
          shared.add(line);
        }
      }
    }
    assertThat(real).containsAll(shared);
    assertThat(shared).hasSizeGreaterThan(40);
  }

  private static void assertError(Http.Response r, int status, String message) {
    assertThat(r.status()).isEqualTo(status);
    Map<?, ?> body = (Map<?, ?>) JsonReader.read(r.body());
    assertThat(body.get("object")).isEqualTo("error");
    assertThat(body.get("code")).isEqualTo((double) status);
    assertThat(body.get("message")).asString().contains(message);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object json) {
    return (Map<String, Object>) json;
  }

  private static HistogramPoint histogram(MetricSnapshot s, String family) {
    MetricFamily f = s.family(family).orElseThrow();
    return (HistogramPoint) f.points().get(0);
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

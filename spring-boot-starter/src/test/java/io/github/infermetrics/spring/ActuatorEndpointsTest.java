package io.github.infermetrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running application with the starter, the actuator and the Prometheus registry, watching simulated vLLM and
 * Triton servers and a target that is down, read as a person or a Prometheus server would: over HTTP.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "infermetrics.interval=200ms",
        "infermetrics.slos=ttft=500ms,e2e=5s",
        "management.endpoints.web.exposure.include=health,prometheus,metrics",
        "management.endpoint.health.show-details=always"})
@DirtiesContext // the context's pipeline scrapes this class's simulators: it must not outlive them
class ActuatorEndpointsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final SimulatedFleet FLEET = SimulatedFleet.start();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void targets(DynamicPropertyRegistry registry) {
    registry.add("infermetrics.targets[0].url", () -> FLEET.vllm().toString());
    registry.add("infermetrics.targets[0].name", () -> "vllm-sim");
    registry.add("infermetrics.targets[1].url", () -> FLEET.triton().toString());
    registry.add("infermetrics.targets[1].name", () -> "triton-sim");
    registry.add("infermetrics.targets[2].url", () -> FLEET.dead().toString());
    registry.add("infermetrics.targets[2].name", () -> "dead");
    registry.add("infermetrics.targets[2].source", () -> "vllm");
  }

  @AfterAll
  static void stopFleet() {
    FLEET.close();
  }

  @Test
  void prometheusEndpointHasTheKpisOfVllmAndTriton() throws Exception {
    MetricSnapshot scrape = scrapeUntil(s -> !gauges(s, "time_to_first_token_p95_seconds", "vllm-sim").isEmpty()
        && !gauges(s, "slo_goodput_ratio", "vllm-sim").isEmpty()
        && !gauges(s, "request_rate_per_second", "triton-sim").isEmpty());

    // dotted meters with base units, as Micrometer's Prometheus naming spells them
    // per model (the engines summed), and per engine
    List<GaugePoint> vllmRate = gauges(scrape, "request_rate_per_second", "vllm-sim").stream()
        .filter(p -> !p.labels().contains("engine")).toList();
    assertThat(vllmRate).singleElement().satisfies(p -> {
      assertThat(p.labels().get("source")).isEqualTo("vllm");
      assertThat(p.labels().get("model")).isEqualTo(SimulatedFleet.VLLM_MODEL);
      assertThat(p.value()).isPositive(); // 20 requests/s go in
    });
    assertThat(gauges(scrape, "time_to_first_token_p95_seconds", "vllm-sim"))
        .allSatisfy(p -> assertThat(p.value()).isBetween(0.001, 5.0));
    assertThat(gauges(scrape, "kv_cache_usage_ratio", "vllm-sim"))
        .allSatisfy(p -> assertThat(p.value()).isBetween(0.0, 1.0));
    // the goodput of infermetrics.slos comes with every window
    assertThat(gauges(scrape, "slo_goodput_ratio", "vllm-sim")).extracting(p -> p.labels().get("slo"))
        .contains("ttft<=500ms");

    List<GaugePoint> tritonRate = gauges(scrape, "request_rate_per_second", "triton-sim");
    assertThat(tritonRate).isNotEmpty().allSatisfy(p -> {
      assertThat(p.labels().get("source")).isEqualTo("triton");
      assertThat(p.labels().contains("model")).isTrue();
    });
    assertThat(gauges(scrape, "accelerator_utilization_ratio", "triton-sim")).isNotEmpty();
    // nothing comes from a target that is down
    assertThat(scrape.select("request_rate_per_second", LabelMatcher.eq("target", "dead"))).isEmpty();
  }

  @Test
  void metricsEndpointListsTheKpisByTheirDottedNames() throws Exception {
    scrapeUntil(s -> !gauges(s, "request_rate_per_second", "vllm-sim").isEmpty());
    JsonNode names = json("/actuator/metrics").get("names");
    assertThat(names).extracting(JsonNode::asText).contains("request.rate", "time.to.first.token.p95");

    JsonNode rate = json("/actuator/metrics/request.rate?tag=target:vllm-sim");
    assertThat(rate.get("baseUnit").asText()).isEqualTo("per_second");
    assertThat(rate.get("measurements").get(0).get("value").asDouble()).isPositive();
  }

  @Test
  void healthIsUpAndShowsTheTargetThatIsDown() throws Exception {
    JsonNode health = healthUntil(h -> h.path("details").path("up").asInt() == 2
        && h.path("details").path("down").asInt() == 1);
    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode dead = health.get("details").get("targets").get("dead");
    assertThat(dead.get("state").asText()).isEqualTo("DOWN");
    assertThat(dead.get("url").asText()).isEqualTo(FLEET.dead().toString());
    assertThat(dead.get("reason").asText()).isNotBlank();
    // those that need attention come first
    assertThat(health.get("details").get("targets").fieldNames().next()).isEqualTo("dead");
    JsonNode vllm = health.get("details").get("targets").get("vllm-sim");
    assertThat(vllm.get("state").asText()).isEqualTo("UP");
    assertThat(vllm.get("sources")).extracting(JsonNode::asText).containsExactly("vllm");

    // a fleet partly down leaves the application up: the aggregate is UP, with status 200
    HttpResponse<String> all = get("/actuator/health");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(all.body()).get("status").asText()).isEqualTo("UP");
  }

  private MetricSnapshot scrapeUntil(Predicate<MetricSnapshot> done) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    MetricSnapshot last;
    do {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      ExpositionFormat format = ExpositionFormat.fromContentType(r.headers().firstValue("Content-Type")
          .orElse(null)).orElseThrow();
      last = new SnapshotReader().read(r.body(), format);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not within " + PATIENCE + "; the last scrape had the families "
        + last.families().stream().map(f -> f.name()).toList());
  }

  private JsonNode healthUntil(Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode last;
    do {
      last = JSON.readTree(get("/actuator/health/infermetrics").body());
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not within " + PATIENCE + ": " + last);
  }

  private static List<GaugePoint> gauges(MetricSnapshot s, String family, String target) {
    return s.select(family, LabelMatcher.eq("target", target)).stream()
        .filter(GaugePoint.class::isInstance).map(GaugePoint.class::cast).filter(p -> !Double.isNaN(p.value()))
        .toList();
  }

  private JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}

package io.github.infermetrics.ray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.core.pipeline.TargetPipeline;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.snapshot.LabelMatcher;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.vllm.VllmKpis;
import io.github.infermetrics.vllm.VllmNaming;
import io.github.infermetrics.vllm.VllmWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * A Ray Serve LLM node (Ray 2.51 as its documentation describes it: counters with {@code _total} beside their
 * legacy names, {@code replica} the unique id, vLLM's engine metrics as {@code ray_vllm_*} with {@code ReplicaId}):
 * one target, a {@code ray} and a {@code vllm} window, joined on {@code model}. serve-llm-2.51-{prev,curr}.prom are
 * 10 s apart; the comments work out each value from the files.
 */
class RayServeLlmTest {
  static final Offset<Double> EXACT = within(1e-12);
  static final String QWEN = "Qwen/Qwen3-8B";
  static final String LLM_SERVER = "LLMServer:Qwen--Qwen3-8B";

  static String resource(String name) {
    try (InputStream in = RayServeLlmTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }

  @Test
  void oneTargetGivesARayAndAVllmWindowJoinedOnTheModel() {
    MetricSnapshot prev = Captures.read(resource("serve-llm-2.51-prev.prom"));
    MetricSnapshot curr = Captures.read(resource("serve-llm-2.51-curr.prom"));
    List<KpiSource> found = KpiSources.installed().detect(curr);
    assertThat(found).extracting(KpiSource::name).containsExactly("ray", "vllm");

    RayServeKpis ray = (RayServeKpis) found.get(0).between(prev, curr, Duration.ofSeconds(10));
    // the proxy: 200 +60, 503 +4, read from ray_serve_num_http_requests_total only (the legacy family that Ray
    // writes beside it, with the same numbers, would double them)
    RayServeRow route = ray.route("llm-app", "/v1/chat/completions").orElseThrow();
    assertThat(value(route.get(RayMeasure.REQUEST_RATE))).isCloseTo(6.4, EXACT);
    assertThat(value(route.get(RayMeasure.ERROR_RATIO))).isCloseTo(0.0625, EXACT); // 0.4 / 6.4
    // the LLMServer deployment: its replicas hx2kq9ab and p0w7zt3m are the vLLM engines' ReplicaId
    RayServeRow server = ray.deployment("llm-app", LLM_SERVER).orElseThrow();
    assertThat(server.model()).contains(QWEN);
    assertThat(server.key()).isEqualTo(Labels.of("application", "llm-app", "deployment", LLM_SERVER, "model", QWEN));
    assertThat(value(server.get(RayMeasure.REQUEST_RATE))).isCloseTo(5.0, EXACT); // (+30 +20) / 10, no exception
    assertThat(value(server.get(RayMeasure.ERROR_RATIO))).isZero();
    assertThat(value(server.get(RayMeasure.ONGOING_REQUESTS))).isEqualTo(6);
    assertThat(value(server.get(RayMeasure.QUEUED_QUERIES))).isEqualTo(2);
    assertThat(value(server.get(RayMeasure.HEALTHY_REPLICAS))).isEqualTo(2);
    assertThat(server.get(RayMeasure.REPLICA_RESTARTS)).isEmpty(); // no replica_starts family in this capture
    RayServeRow ingress = ray.deployment("llm-app", "OpenAiIngress").orElseThrow();
    assertThat(ingress.model()).isEmpty(); // the router runs no engine
    assertThat(value(ingress.get(RayMeasure.ERROR_RATIO))).isCloseTo(0.0625, EXACT); // 4 of (60 + 4)

    VllmKpis vllm = (VllmKpis) found.get(1).between(prev, curr, Duration.ofSeconds(10));
    assertThat(vllm.naming()).isEqualTo(VllmNaming.RAY_UNDERSCORE);
    VllmWindow model = vllm.model(QWEN).orElseThrow();
    assertThat(value(model.requestsPerSecond())).isCloseTo(5.0, EXACT); // stop +30 +20
    assertThat(value(model.generationTokensPerSecond())).isCloseTo(500, EXACT); // (3000 + 2000) / 10
    // TTFT summed over the replicas by le (0.1, 0.5, 1, +Inf): 10, 35, 50, 50; sum 21
    assertThat(value(model.timeToFirstToken().p50())).isCloseTo(0.34, EXACT); // rank 25: 0.1 + 0.4 * 15/25
    assertThat(value(model.timeToFirstToken().mean())).isCloseTo(0.42, EXACT);
    assertThat(value(model.kvCacheUsage())).isCloseTo(0.4, EXACT); // mean of 0.6 and 0.2
    assertThat(vllm.engines()).extracting(w -> w.engine().orElseThrow()).containsExactly("hx2kq9ab/0",
        "p0w7zt3m/0");

    // in the shared KPIs the two sources meet on model
    KpiSet raySet = ray.toKpiSet("ray-node:8080", Instant.EPOCH);
    KpiSet vllmSet = vllm.toKpiSet("ray-node:8080", Instant.EPOCH);
    KpiValue rayRate = raySet.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE, LabelMatcher.eq("model", QWEN))
        .orElseThrow();
    KpiValue vllmRate = vllmSet.find(Kpi.REQUEST_RATE, KpiStatistic.VALUE, LabelMatcher.eq("model", QWEN))
        .orElseThrow();
    assertThat(rayRate.value()).isCloseTo(vllmRate.value(), EXACT);
    assertThat(rayRate.dimensions().get("deployment")).isEqualTo(LLM_SERVER);
  }

  @Test
  void thePipelineRunsBothSourcesOnTheNode() {
    TargetPipeline p = new TargetPipeline(PipelineTarget.of(URI.create("http://ray-node:8080/metrics")),
        KpiSources.installed());
    Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
    assertThat(p.accept(result(p, t0, "serve-llm-2.51-prev.prom"))).isEmpty();
    TargetWindow w = p.accept(result(p, t0.plusSeconds(10), "serve-llm-2.51-curr.prom")).orElseThrow();
    assertThat(w.sources()).extracting(SourceWindow::source).containsExactly("ray", "vllm");
    assertThat(w.problems()).isEmpty();
    assertThat(p.status().sources()).containsExactly("ray", "vllm");
  }

  static ScrapeResult result(TargetPipeline p, Instant at, String resource) {
    MetricSnapshot s = Captures.read(resource(resource));
    return new ScrapeResult(p.target().scrape(), at, Duration.ofMillis(5), 200, 0, s.sampleCount(), null, null, s,
        null);
  }

  @Test
  void withoutReplicaIdTheDeploymentNameJoinsTheModel() {
    // Ray before 2.51: ray_vllm: names, no ReplicaId; Ray Serve LLM names the deployment LLMServer: + the model id
    // with / as -- and . as _
    String text = """
        # TYPE ray_serve_deployment_replica_healthy gauge
        ray_serve_deployment_replica_healthy{WorkerId="w1",application="llm",deployment="LLMServer:neuralmagic--Meta-Llama-3_1-70B-Instruct-FP8",replica="LLMServer:neuralmagic--Meta-Llama-3_1-70B-Instruct-FP8#a1b2c3"} 1
        ray_serve_deployment_replica_healthy{WorkerId="w2",application="llm",deployment="LLMServer:other--model",replica="x9"} 1
        # TYPE ray_vllm:num_requests_running gauge
        ray_vllm:num_requests_running{WorkerId="w1",model_name="neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8"} 2
        """;
    MetricSnapshot s = Captures.read(text);
    RayServeKpis k = RayServeKpis.between(RayServeSnapshot.of(s), RayServeSnapshot.of(s), Duration.ofSeconds(10));
    assertThat(k.deployment("llm", "LLMServer:neuralmagic--Meta-Llama-3_1-70B-Instruct-FP8").orElseThrow().model())
        .contains("neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8");
    assertThat(k.deployment("llm", "LLMServer:other--model").orElseThrow().model()).isEmpty();
  }

  @Test
  void theServeLlmFixtureIsVllmOnlyAndRayCoreMetricsAreNotRayServe() {
    // the Ray 2.32 Serve LLM capture has vLLM's families but no ray_serve_* ones (lines 1-188: one response)
    MetricSnapshot serveLlm = Captures.read(Captures.shared(Captures.SERVE_LLM, 188));
    assertThat(KpiSources.installed().detect(serveLlm)).extracting(KpiSource::name).containsExactly("vllm");
    assertThat(new RayServeSource().recognize(Captures.read("# TYPE ray_tasks gauge\nray_tasks{State=\"RUNNING\"} 1\n")))
        .isZero();
    assertThat(new RayServeSource().recognize(Captures.read(
        "# TYPE ray_serve_controller_num_control_loops gauge\nray_serve_controller_num_control_loops 3\n")))
        .isEqualTo(0.6);
  }
}

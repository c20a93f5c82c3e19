package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * vLLM's names in every spelling give the KPIs of the plain {@code vllm:} spelling. replicas-plain-{prev,curr}.prom
 * are 10 s apart, two engines of Qwen/Qwen3-8B; {@link Spellings} writes them as Ray Serve LLM (colon and
 * underscore, each engine a Ray replica), NIM and {@code kserve_vllm:} write them. Hand computations (PromQL's
 * histogram_quantile: rank = q * count, first bucket reaching the rank, linear inside it) are in the comments.
 */
class VllmNamingTest {
  static final String QWEN = "Qwen/Qwen3-8B";
  static final Offset<Double> EXACT = within(1e-12);

  static String resource(String name) {
    try (InputStream in = VllmNamingTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MetricSnapshot read(String text) {
    return Scrapes.read(text.getBytes(StandardCharsets.UTF_8));
  }

  static VllmKpis window(Spellings.Spelling s) {
    MetricSnapshot prev = read(s.write(resource("replicas-plain-prev.prom")));
    MetricSnapshot curr = read(s.write(resource("replicas-plain-curr.prom")));
    return new VllmSource().between(prev, curr, Duration.ofSeconds(10));
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }

  @ParameterizedTest
  @EnumSource(Spellings.Spelling.class)
  void everySpellingIsDetectedAndGivesThePlainSpellingsModelKpis(Spellings.Spelling s) {
    VllmKpis k = window(s);
    assertThat(k.naming()).isEqualTo(s.naming);
    assertThat(k.models()).hasSize(1);
    VllmWindow m = k.model(QWEN).orElseThrow();
    assertThat(m.key()).isEqualTo(Labels.of("model", QWEN)); // Ray's labels do not split the model

    // TTFT increases, summed over the engines by le (0.1, 0.25, 0.5, 1, +Inf): engine 0 2,10,20,20,20 (sum +6),
    // engine 1 0,0,5,9,10 (sum +6) -> 2,10,25,29,30, sum 12
    LatencyStats ttft = m.timeToFirstToken();
    assertThat(value(ttft.mean())).isCloseTo(0.4, EXACT); // 12 / 30
    assertThat(value(ttft.p50())).isCloseTo(0.25 + 0.25 * 5 / 15, EXACT); // rank 15 in (0.25, 0.5]
    assertThat(value(ttft.p90())).isCloseTo(0.75, EXACT); // rank 27 in (0.5, 1]: 0.5 + 0.5 * 2/4
    assertThat(value(ttft.p95())).isCloseTo(0.9375, EXACT); // rank 28.5: 0.5 + 0.5 * 3.5/4
    assertThat(value(ttft.p99())).isCloseTo(1.0, EXACT); // rank 29.7 in +Inf: the highest finite bound
    assertThat(ttft.bound(KpiStatistic.P99)).contains(new Bound(Bound.Side.LOWER, 1.0));

    // ITL (0.01, 0.025, 0.05, 0.1, +Inf): 300,1500,2700,3000,3000 + 200,1000,1800,2000,2000 = 500,2500,4500,5000
    LatencyStats itl = m.interTokenLatency();
    assertThat(value(itl.mean())).isCloseTo(0.032, EXACT); // (90 + 70) / 5000
    assertThat(value(itl.p50())).isCloseTo(0.025, EXACT); // rank 2500 = the count of le 0.025
    assertThat(value(itl.p90())).isCloseTo(0.05, EXACT); // rank 4500 = the count of le 0.05
    assertThat(value(itl.p95())).isCloseTo(0.075, EXACT); // rank 4750 in (0.05, 0.1]: 0.05 + 0.05 * 250/500
    assertThat(value(itl.p99())).isCloseTo(0.095, EXACT); // rank 4950: 0.05 + 0.05 * 450/500

    // E2E (1, 5, 10, +Inf): engine 0 0,10,20,20 (sum +120), engine 1 0,4,10,10 (sum +60) -> 0,14,30,30, sum 180
    LatencyStats e2e = m.endToEndLatency();
    assertThat(value(e2e.mean())).isCloseTo(6.0, EXACT);
    assertThat(value(e2e.p50())).isCloseTo(5.3125, EXACT); // rank 15 in (5, 10]: 5 + 5 * 1/16
    assertThat(value(e2e.p90())).isCloseTo(9.0625, EXACT); // rank 27: 5 + 5 * 13/16
    assertThat(value(e2e.p99())).isCloseTo(9.90625, EXACT); // rank 29.7: 5 + 5 * 15.7/16

    // queue time (0.1, 1, +Inf): 16,20,20 + 8,10,10 = 24,30,30, sum 4 + 3
    LatencyStats queue = m.queueTime();
    assertThat(value(queue.mean())).isCloseTo(7.0 / 30, EXACT);
    assertThat(value(queue.p50())).isCloseTo(0.0625, EXACT); // rank 15 in (0, 0.1]: 0.1 * 15/24

    // tokens: prompt (2500-1000 + 1000-500) / 10, generation (7000-4000 + 3000-1000) / 10
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(200, EXACT);
    assertThat(value(m.generationTokensPerSecond())).isCloseTo(500, EXACT);
    // finished: engine 0 stop +18, length +1, abort +1; engine 1 stop +7, length +1 -> 28 in 10 s, 1 aborted
    assertThat(value(m.requestsPerSecond())).isCloseTo(2.8, EXACT);
    assertThat(value(m.get(VllmMeasure.ERROR_RATE))).isCloseTo(0.1, EXACT);
    assertThat(value(m.get(VllmMeasure.ERROR_RATIO))).isCloseTo(1.0 / 28, EXACT);
    // gauges now: KV cache mean of 0.5 and 0.3; waiting 3 + 1; running 4 + 2
    assertThat(value(m.kvCacheUsage())).isCloseTo(0.4, EXACT);
    assertThat(value(m.get(VllmMeasure.REQUESTS_WAITING))).isEqualTo(4);
    assertThat(value(m.get(VllmMeasure.REQUESTS_RUNNING))).isEqualTo(6);

    // and every model value equals the plain spelling's, bit for bit
    assertThat(modelValues(k)).isEqualTo(modelValues(window(Spellings.Spelling.VLLM)));
  }

  /** The model rows' values by column name (engine rows are keyed differently under Ray). */
  static Map<String, Double> modelValues(VllmKpis k) {
    return k.values().stream().filter(v -> !v.dimensions().contains("engine"))
        .collect(Collectors.toMap(v -> v.measure().columnName() + v.dimensions(), MeasureValue::value));
  }

  @ParameterizedTest
  @EnumSource(Spellings.Spelling.class)
  void engineRowsAreRayReplicasUnderRay(Spellings.Spelling s) {
    VllmKpis k = window(s);
    List<String> engines = k.engines().stream().map(w -> w.engine().orElseThrow()).toList();
    switch (s) {
      case RAY:
        // no ReplicaId before Ray 2.51: the worker, then vLLM's engine index
        assertThat(engines).containsExactly(Spellings.WORKERS[0] + "/0", Spellings.WORKERS[1] + "/0");
        break;
      case RAY_UNDERSCORE:
        assertThat(engines).containsExactly(Spellings.REPLICAS[0] + "/0", Spellings.REPLICAS[1] + "/0");
        break;
      default:
        assertThat(engines).containsExactly("0", "1");
    }
    // the second engine: TTFT increases 0,0,5,9,10 -> p50 rank 5 in (0.25, 0.5]: 0.25 + 0.25 * 5/5
    VllmWindow second = k.engines().get(1);
    assertThat(value(second.timeToFirstToken().p50())).isCloseTo(0.5, EXACT);
    assertThat(value(second.generationTokensPerSecond())).isCloseTo(200, EXACT); // (3000 - 1000) / 10
    assertThat(value(second.kvCacheUsage())).isCloseTo(0.3, EXACT);
  }

  @Test
  void rayEnginesKnowTheirReplicaAndWorker() {
    VllmSnapshot ray = VllmSnapshot.of(read(Spellings.Spelling.RAY_UNDERSCORE.write(
        resource("replicas-plain-curr.prom"))));
    assertThat(ray.naming()).isEqualTo(VllmNaming.RAY_UNDERSCORE);
    assertThat(ray.engines()).hasSize(2);
    VllmEngine e = ray.engines().get(1);
    assertThat(e.rayReplicaId()).contains(Spellings.REPLICAS[1]);
    assertThat(e.rayWorkerId()).contains(Spellings.WORKERS[1]);
    assertThat(e.model()).isEqualTo(QWEN);
    assertThat(ray.familyName(VllmMetric.KV_CACHE_USAGE)).contains("ray_vllm_kv_cache_usage_perc");
    assertThat(ray.namesFound()).contains("ray_vllm_time_to_first_token_seconds").allMatch(
        n -> n.startsWith("ray_vllm_"));
    VllmEngine plain = VllmSnapshot.of(read(resource("replicas-plain-curr.prom"))).engines().get(1);
    assertThat(plain.rayReplicaId()).isEmpty();
    assertThat(plain.rayWorkerId()).isEmpty();
  }

  @Test
  void rayLabelsOtherThanTheReplicaNeverSplitAnEngine() {
    // a Ray Data LLM series: ReplicaId empty, so the worker names the engine; SessionName, Version... ignored
    Labels a = Labels.of("model_name", "m", "ReplicaId", "", "WorkerId", "w1", "SessionName", "s1", "Version", "2.9",
        "NodeAddress", "10.0.0.1", "Component", "core_worker");
    Labels b = Labels.of("model_name", "m", "ReplicaId", "", "WorkerId", "w1", "SessionName", "s2", "Version", "2.10",
        "NodeAddress", "10.0.0.2", "Component", "core_worker");
    assertThat(SeriesKeys.key(a)).isEqualTo(SeriesKeys.key(b)).isEqualTo(Labels.of("model", "m", "engine", "w1"));
    assertThat(SeriesKeys.key(Labels.of("model_name", "m", "ReplicaId", "r1", "WorkerId", "w1", "engine", "2")))
        .isEqualTo(Labels.of("model", "m", "engine", "r1/2"));
  }

  @Test
  void aLoneGenericUnprefixedNameIsNotVllm() {
    VllmSource source = new VllmSource();
    // another program's gauge of the same name: 1 characteristic family -> 0.1
    MetricSnapshot lone = read("# TYPE num_requests_running gauge\nnum_requests_running{model_name=\"x\"} 3\n");
    assertThat(source.recognize(lone)).isCloseTo(0.1, EXACT);
    assertThat(VllmSnapshot.detect(lone)).isFalse();
    assertThat(VllmNaming.detect(lone)).isEmpty();
    // three of them without a TTFT histogram: 0.3, still not vLLM
    MetricSnapshot three = read("""
        # TYPE num_requests_running gauge
        num_requests_running{model_name="x"} 3
        # TYPE num_requests_waiting gauge
        num_requests_waiting{model_name="x"} 1
        # TYPE prompt_tokens_total counter
        prompt_tokens_total{model_name="x"} 10
        """);
    assertThat(source.recognize(three)).isCloseTo(0.3, EXACT).isLessThan(KpiSource.RECOGNIZED);
    // the same families without model_name, or a histogram typed gauge, do not count at all
    MetricSnapshot unlabelled = read("""
        # TYPE num_requests_running gauge
        num_requests_running 3
        # TYPE time_to_first_token_seconds gauge
        time_to_first_token_seconds{model_name="x"} 1
        """);
    assertThat(source.recognize(unlabelled)).isZero();
    // a whole NIM scrape: 0.9
    MetricSnapshot nim = read(Spellings.Spelling.NIM.write(resource("replicas-plain-curr.prom")));
    assertThat(source.recognize(nim)).isEqualTo(0.9);
    assertThat(VllmNaming.detect(nim)).contains(VllmNaming.NIM);
  }

  @Test
  void aPrefixIsDetectedFromItsNamesAndThePrefixWithMostFamiliesWins() {
    assertThat(VllmNaming.detect(read("# TYPE kserve_vllm:num_requests_waiting gauge\n"
        + "kserve_vllm:num_requests_waiting{model_name=\"m\"} 1\n"))).contains(VllmNaming.prefix("kserve_vllm:"));
    // the colon is vLLM's namespace: a family this library does not know still counts
    assertThat(VllmNaming.detect(read("ray_vllm:nixl_num_pending_sends{engine=\"0\"} 1\n")))
        .contains(VllmNaming.RAY);
    // after an underscore only vLLM's own names count
    assertThat(VllmNaming.detect(read("my_vllm_unrelated_gauge 1\n"))).isEmpty();
    assertThat(VllmNaming.detect(read("my_vllm_num_requests_waiting 1\n"))).contains(VllmNaming.prefix("my_vllm_"));
    MetricSnapshot both = read("vllm:num_requests_waiting 1\nray_vllm_num_requests_waiting 1\n"
        + "ray_vllm_num_requests_running 1\n");
    assertThat(VllmNaming.detect(both)).contains(VllmNaming.RAY_UNDERSCORE);
    assertThat(new VllmSource().recognize(both)).isEqualTo(1);
  }

  @Test
  void aNamingYouGiveIsReadEvenWhenDetectionCannotFindIt() {
    String plain = resource("replicas-plain-curr.prom");
    MetricSnapshot prev = read(resource("replicas-plain-prev.prom").replace("vllm:", "llm_"));
    MetricSnapshot curr = read(plain.replace("vllm:", "llm_"));
    assertThat(new VllmSource().recognize(curr)).isLessThan(KpiSource.RECOGNIZED); // no vllm in the prefix
    VllmSource named = new VllmSource(VllmNaming.prefix("llm_"));
    assertThat(named.naming()).contains(VllmNaming.prefix("llm_"));
    assertThat(named.recognize(curr)).isEqualTo(1);
    VllmKpis k = named.between(prev, curr, Duration.ofSeconds(10));
    assertThat(value(k.model(QWEN).orElseThrow().generationTokensPerSecond())).isCloseTo(500, EXACT);
    assertThatThrownBy(() -> named.between(prev, read("other 1\n"), Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no vLLM families named llm_ in the exposition");
    assertThatThrownBy(() -> new VllmSource().between(prev, curr, Duration.ofSeconds(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ray_vllm_*");
  }

  @Test
  void namingsSpellAndParse() {
    assertThat(VllmNaming.RAY_UNDERSCORE.name("vllm:kv_cache_usage_perc")).contains("ray_vllm_kv_cache_usage_perc");
    assertThat(VllmNaming.RAY.name("vllm:kv_cache_usage_perc")).contains("ray_vllm:kv_cache_usage_perc");
    assertThat(VllmNaming.NIM.name("vllm:kv_cache_usage_perc")).contains("kv_cache_usage_perc");
    assertThat(VllmNaming.VLLM.name("vllm_neuron:startup_time_seconds")).contains("vllm_neuron:startup_time_seconds");
    assertThat(VllmNaming.RAY.name("vllm_neuron:startup_time_seconds"))
        .contains("ray_vllm_neuron:startup_time_seconds");
    assertThat(VllmNaming.NIM.name("vllm_neuron:startup_time_seconds")).isEmpty();
    assertThatThrownBy(() -> VllmNaming.VLLM.name("nv_gpu_utilization")).isInstanceOf(
        IllegalArgumentException.class);
    assertThat(VllmNaming.RAY_UNDERSCORE.vllmName("ray_vllm_num_requests_waiting"))
        .contains("vllm:num_requests_waiting");
    assertThat(VllmNaming.NIM.vllmName("num_requests_waiting")).contains("vllm:num_requests_waiting");
    assertThat(VllmNaming.NIM.vllmName("python_info")).isEmpty();
    for (String id : List.of("vllm", "ray", "ray-underscore", "nim")) {
      assertThat(VllmNaming.parse(id).id()).isEqualTo(id);
    }
    assertThat(VllmNaming.parse("kserve_vllm:")).isEqualTo(VllmNaming.prefix("kserve_vllm:"));
    assertThat(VllmNaming.prefix("ray_vllm:")).isSameAs(VllmNaming.RAY);
    assertThat(VllmNaming.RAY_UNDERSCORE).hasToString("ray-underscore (ray_vllm_)");
    assertThat(VllmNaming.NIM).hasToString("nim (no prefix)");
    assertThatThrownBy(() -> VllmNaming.parse("Ray")).hasMessage("unknown vLLM naming 'Ray': use vllm, ray,"
        + " ray-underscore, nim, or a prefix ending in ':' or '_' (such as kserve_vllm:)");
    assertThatThrownBy(() -> VllmNaming.prefix("9x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nimReadsRequestFinishAsFinishedRequestsAndNotItsOwnSuccessCounter() {
    MetricSnapshot curr = read(Spellings.Spelling.NIM.write(resource("replicas-plain-curr.prom")));
    VllmSnapshot nim = VllmSnapshot.of(curr);
    assertThat(nim.familyName(VllmMetric.REQUEST_SUCCESS)).contains("request_finish_total");
    assertThat(nim.engines().get(0).requestSuccess()).containsEntry("stop", 28.0).containsEntry("abort", 1.0);
    assertThat(nim.namesFound()).contains("request_finish_total", "num_requests_running")
        .doesNotContain("request_failure_total", "python_gc_objects_collected_total");
  }
}

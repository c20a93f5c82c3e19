package io.github.infermetrics.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The real captures of Ray Serve LLM (ray_vllm:, Ray 2.32) and NIM (unprefixed), each followed by a second capture
 * 10 s later with known increments, give the KPIs that the same data spelled {@code vllm:} gives, and the
 * hand-computed ones (PromQL's histogram_quantile over the increments).
 */
class VllmVariantFixturesTest {
  static final Offset<Double> EXACT = within(1e-12);
  static final String RAY = "fixtures/ray/datadog-ray-serve-llm-ray_vllm.txt";
  static final String NIM = "fixtures/nim/datadog-nvidia-nim.txt";

  static String shared(String relative, int lines) {
    Path p = Scrapes.sharedDir(relative);
    try {
      List<String> all = Files.readAllLines(p, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MetricSnapshot read(String text) {
    return Scrapes.read(text.getBytes(StandardCharsets.UTF_8));
  }

  static double value(OptionalDouble v) {
    assertThat(v).isPresent();
    return v.getAsDouble();
  }

  /** The Ray capture's first response only (lines 1-188; the fixture's README says the rest was appended). */
  static String rayFirst() {
    return shared(RAY, 188);
  }

  static String rayLater(String first) {
    Map<String, Double> inc = new HashMap<>();
    // TTFT: 2 in (0.1, 0.25], 1 in (0.25, 0.5], 1 in (0.5, 0.75]; sum +1.6
    String[] ttftLe = {"0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75",
        "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf"};
    inc.putAll(Spellings.histogram("ray_vllm:time_to_first_token_seconds", ttftLe,
        new double[] {0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 4, 4, 4, 4, 4, 4, 4}, 1.6));
    // TPOT: 60 in (0.025, 0.05], 40 in (0.05, 0.075]; sum +4.5
    String[] tpotLe = {"0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5", "0.75", "1.0",
        "2.5", "+Inf"};
    inc.putAll(Spellings.histogram("ray_vllm:time_per_output_token_seconds", tpotLe,
        new double[] {0, 0, 60, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, 4.5));
    // E2E: 2 in (5, 10], 2 in (10, 15]; sum +40
    String[] e2eLe = {"1.0", "2.5", "5.0", "10.0", "15.0", "20.0", "30.0", "40.0", "50.0", "60.0", "+Inf"};
    inc.putAll(Spellings.histogram("ray_vllm:e2e_request_latency_seconds", e2eLe,
        new double[] {0, 0, 0, 2, 4, 4, 4, 4, 4, 4, 4}, 40));
    inc.put("ray_vllm:prompt_tokens_total", 400.0);
    inc.put("ray_vllm:generation_tokens_total", 500.0);
    inc.put("ray_vllm:request_success_total", 4.0);
    return Spellings.later(first, inc, Map.of("ray_vllm:gpu_cache_usage_perc", 0.25,
        "ray_vllm:num_requests_waiting", 2.0, "ray_vllm:num_requests_running", 3.0));
  }

  /** The same data as vLLM itself would write it: vllm: names, no Ray labels. */
  static String rayAsPlain(String text) {
    return text.replace("ray_vllm:", "vllm:").replaceAll(
        "(Component|NodeAddress|SessionName|Version|WorkerId)=\"[^\"]*\",", "");
  }

  @Test
  void rayServeLlmColonNamesGiveThePlainKpis() {
    String first = rayFirst();
    String later = rayLater(first);
    MetricSnapshot prev = read(first);
    MetricSnapshot curr = read(later);
    List<KpiSource> found = KpiSources.installed().detect(curr);
    assertThat(found).extracting(KpiSource::name).containsExactly("vllm");
    VllmKpis k = (VllmKpis) found.get(0).between(prev, curr, Duration.ofSeconds(10));
    assertThat(k.naming()).isEqualTo(VllmNaming.RAY);
    assertThat(k.generation()).isEqualTo(VllmGeneration.V0);
    VllmWindow m = k.model("neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8").orElseThrow();
    // TTFT increases by le: 0 up to 0.1, 2 at 0.25, 3 at 0.5, 4 from 0.75
    assertThat(value(m.timeToFirstToken().p50())).isCloseTo(0.25, EXACT); // rank 2 = the count of le 0.25
    assertThat(value(m.timeToFirstToken().p90())).isCloseTo(0.65, EXACT); // rank 3.6: 0.5 + 0.25 * 0.6/1
    assertThat(value(m.timeToFirstToken().p99())).isCloseTo(0.74, EXACT); // rank 3.96: 0.5 + 0.25 * 0.96
    assertThat(value(m.timeToFirstToken().mean())).isCloseTo(0.4, EXACT); // 1.6 / 4
    // inter-token latency from V0's time_per_output_token_seconds: 60 at 0.05, 100 at 0.075
    assertThat(value(m.interTokenLatency().p50())).isCloseTo(0.025 + 0.025 * 50 / 60, EXACT);
    assertThat(value(m.interTokenLatency().p90())).isCloseTo(0.06875, EXACT); // 0.05 + 0.025 * 30/40
    assertThat(value(m.interTokenLatency().mean())).isCloseTo(0.045, EXACT); // 4.5 / 100
    // E2E: 2 at 10, 4 at 15
    assertThat(value(m.endToEndLatency().p50())).isCloseTo(10.0, EXACT); // rank 2 = the count of le 10
    assertThat(value(m.endToEndLatency().p90())).isCloseTo(14.0, EXACT); // rank 3.6: 10 + 5 * 1.6/2
    assertThat(value(m.endToEndLatency().mean())).isCloseTo(10.0, EXACT); // 40 / 4
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(40, EXACT); // +400 in 10 s
    assertThat(value(m.generationTokensPerSecond())).isCloseTo(50, EXACT); // +500
    assertThat(value(m.requestsPerSecond())).isCloseTo(0.4, EXACT); // length +4
    assertThat(value(m.kvCacheUsage())).isEqualTo(0.25);
    assertThat(value(m.get(VllmMeasure.REQUESTS_WAITING))).isEqualTo(2);
    assertThat(value(m.get(VllmMeasure.REQUESTS_RUNNING))).isEqualTo(3);
    // the engine is the Ray worker (no ReplicaId in Ray 2.32, no engine label in vLLM V0)
    assertThat(k.engines()).singleElement().satisfies(e -> assertThat(e.engine()).contains(
        "6ad5887a3c1c6cefcfa31b4f9a55bdca247686ca9bcd217726128dc8"));

    VllmKpis plain = VllmKpis.between(VllmSnapshot.of(read(rayAsPlain(first))),
        VllmSnapshot.of(read(rayAsPlain(later))), Duration.ofSeconds(10));
    assertThat(plain.naming()).isEqualTo(VllmNaming.VLLM);
    assertThat(VllmNamingTest.modelValues(k)).isEqualTo(VllmNamingTest.modelValues(plain)).hasSize(26);
  }

  static String nimLater(String first) {
    Map<String, Double> inc = new HashMap<>();
    // TTFT: 5 in (0.02, 0.04], 5 in (0.04, 0.06]; sum +0.4
    String[] ttftLe = {"0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75",
        "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf"};
    inc.putAll(Spellings.histogram("time_to_first_token_seconds", ttftLe,
        new double[] {0, 0, 0, 0, 5, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 0.4));
    // TPOT: 100 in (0.01, 0.025]; sum +1.8
    String[] tpotLe = {"0.01", "0.025", "0.05", "0.075", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5", "0.75", "1.0",
        "2.5", "+Inf"};
    inc.putAll(Spellings.histogram("time_per_output_token_seconds", tpotLe,
        new double[] {0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, 1.8));
    // E2E: 10 in (1, 2.5]; sum +17.5
    String[] e2eLe = {"1.0", "2.5", "5.0", "10.0", "15.0", "20.0", "30.0", "40.0", "50.0", "60.0", "+Inf"};
    inc.putAll(Spellings.histogram("e2e_request_latency_seconds", e2eLe,
        new double[] {0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 17.5));
    inc.put("prompt_tokens_total", 500.0);
    inc.put("generation_tokens_total", 1000.0);
    inc.put("request_finish_total", 10.0);
    inc.put("request_success_total", 10.0);
    return Spellings.later(first, inc, Map.of("gpu_cache_usage_perc", 0.125, "num_requests_waiting", 2.0,
        "num_requests_running", 5.0));
  }

  /** The same data as vLLM writes it: vllm: names, request_finish as vllm:request_success, NIM's own left out. */
  static String nimAsPlain(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      String name = line.startsWith("#") ? line.split(" ")[2] : line.split("[{ ]")[0];
      if (name.startsWith("request_success") || name.startsWith("request_failure")) {
        continue;
      }
      String plain = line.replace("request_finish_total", "request_success_total");
      if (!name.startsWith("python_") && !name.startsWith("process_")) {
        if (line.startsWith("#")) {
          String[] p = plain.split(" ", 4);
          plain = p[0] + " " + p[1] + " vllm:" + p[2] + (p.length > 3 ? " " + p[3] : "");
        } else {
          plain = "vllm:" + plain;
        }
      }
      out.append(plain).append('\n');
    }
    return out.toString();
  }

  @Test
  void nimUnprefixedNamesGiveThePlainKpis() {
    String first = shared(NIM, Integer.MAX_VALUE);
    String later = nimLater(first);
    MetricSnapshot prev = read(first);
    MetricSnapshot curr = read(later);
    VllmSource source = new VllmSource();
    assertThat(source.recognize(curr)).isEqualTo(0.9);
    assertThat(KpiSources.installed().detect(curr)).extracting(KpiSource::name).containsExactly("vllm");
    VllmKpis k = source.between(prev, curr, Duration.ofSeconds(10));
    assertThat(k.naming()).isEqualTo(VllmNaming.NIM);
    VllmWindow m = k.model("meta/llama-3.1-8b-instruct").orElseThrow();
    // TTFT: 5 at 0.04, 10 from 0.06
    assertThat(value(m.timeToFirstToken().p50())).isCloseTo(0.04, EXACT); // rank 5 = the count of le 0.04
    assertThat(value(m.timeToFirstToken().p90())).isCloseTo(0.056, EXACT); // rank 9: 0.04 + 0.02 * 4/5
    assertThat(value(m.timeToFirstToken().mean())).isCloseTo(0.04, EXACT); // 0.4 / 10
    // ITL: 100 in (0.01, 0.025]
    assertThat(value(m.interTokenLatency().p50())).isCloseTo(0.0175, EXACT); // rank 50: 0.01 + 0.015 * 50/100
    assertThat(value(m.interTokenLatency().mean())).isCloseTo(0.018, EXACT); // 1.8 / 100
    // E2E: 10 in (1, 2.5]
    assertThat(value(m.endToEndLatency().p50())).isCloseTo(1.75, EXACT); // rank 5: 1 + 1.5 * 5/10
    assertThat(value(m.endToEndLatency().mean())).isCloseTo(1.75, EXACT); // 17.5 / 10
    assertThat(value(m.promptTokensPerSecond())).isCloseTo(50, EXACT);
    assertThat(value(m.generationTokensPerSecond())).isCloseTo(100, EXACT);
    // finished requests from request_finish_total{finished_reason}: +10, NIM's request_success_total not added
    assertThat(value(m.requestsPerSecond())).isCloseTo(1.0, EXACT);
    assertThat(m.requestRateByReason()).containsOnlyKeys("length");
    assertThat(value(m.kvCacheUsage())).isEqualTo(0.125);
    assertThat(value(m.get(VllmMeasure.REQUESTS_WAITING))).isEqualTo(2);

    String plainFirst = nimAsPlain(first);
    assertThat(plainFirst).contains("vllm:time_to_first_token_seconds_bucket{", "# TYPE vllm:num_requests_running")
        .contains("vllm:request_success_total{finished_reason=\"length\"").doesNotContain("request_failure");
    VllmKpis plain = VllmKpis.between(VllmSnapshot.of(read(plainFirst)), VllmSnapshot.of(read(nimAsPlain(later))),
        Duration.ofSeconds(10));
    assertThat(plain.naming()).isEqualTo(VllmNaming.VLLM);
    assertThat(VllmNamingTest.modelValues(k)).isEqualTo(VllmNamingTest.modelValues(plain)).hasSizeGreaterThan(20);
  }
}

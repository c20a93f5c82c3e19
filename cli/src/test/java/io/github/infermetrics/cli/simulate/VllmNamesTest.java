package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.vllm.VllmEngine;
import io.github.infermetrics.vllm.VllmKpis;
import io.github.infermetrics.vllm.VllmNaming;
import io.github.infermetrics.vllm.VllmSnapshot;
import io.github.infermetrics.vllm.VllmWindow;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The vLLM simulator in each spelling: the vllm source detects it, reads it under the naming the stack uses, and
 * gets the same exact counts as from vLLM's own spelling.
 */
class VllmNamesTest {
  private static final String MODEL = "sim/test-model";
  private static final Map<VllmNames, VllmNaming> LIBRARY = Map.of(VllmNames.VLLM, VllmNaming.VLLM, VllmNames.RAY,
      VllmNaming.RAY, VllmNames.RAY_UNDERSCORE, VllmNaming.RAY_UNDERSCORE, VllmNames.NIM, VllmNaming.NIM);

  @ParameterizedTest
  @EnumSource(VllmNames.class)
  void eachSpellingIsReadWithTheSameCounts(VllmNames names) throws IOException {
    try (VllmSimulator sim = VllmSimulator.start(VllmSimulator.Config.builder().modelName(MODEL).seed(11)
        .engines(2).names(names).timeToFirstToken(Distribution.fixed(0.005))
        .interTokenLatency(Distribution.fixed(0.001)).outputTokens(Distribution.fixed(100))
        .prefixCacheHitShare(0).build())) {
      MetricSnapshot before = Http.strict(Http.get(sim.metricsUri()).body());
      // 3 requests, round robin over the 2 engines: prompts of 10, 20 and 2 tokens, 5 tokens each (max_tokens)
      for (int chars : new int[] {40, 80, 8}) {
        assertThat(Http.post(sim.completionsUri(), "{\"prompt\":\"" + "x".repeat(chars) + "\",\"max_tokens\":5}")
            .status()).isEqualTo(200);
      }
      String text = Http.get(sim.metricsUri()).body();
      MetricSnapshot after = Http.strict(text);

      VllmNaming naming = LIBRARY.get(names);
      assertThat(VllmNaming.detect(after)).contains(naming);
      assertThat(KpiSources.installed().detect(after)).extracting(KpiSource::name).containsExactly("vllm");
      assertThat(after.family(naming.name("vllm:time_to_first_token_seconds").orElseThrow())).isPresent();

      VllmSnapshot view = VllmSnapshot.of(after);
      assertThat(view.engines()).hasSize(2);
      VllmEngine first = view.engines().get(0);
      switch (names) {
        case RAY:
          assertThat(first.rayWorkerId()).get().asString().hasSize(56);
          assertThat(first.rayReplicaId()).isEmpty();
          assertThat(first.engine()).contains(first.rayWorkerId().orElseThrow() + "/0");
          assertThat(text).contains("Version=\"2.46.0\"").doesNotContain("\nvllm:");
          break;
        case RAY_UNDERSCORE:
          assertThat(first.rayReplicaId()).get().asString().hasSize(8);
          assertThat(first.engine()).contains(first.rayReplicaId().orElseThrow() + "/0");
          assertThat(text).contains("ray_vllm_kv_cache_usage_perc{").doesNotContain("vllm:");
          break;
        case NIM:
          assertThat(first.engine()).contains("0");
          assertThat(view.familyName(io.github.infermetrics.vllm.VllmMetric.REQUEST_SUCCESS))
              .contains("request_finish_total");
          // NIM's own counters beside it: 3 finished (length), none failed
          assertThat(text).contains("\nrequest_success_total{engine=\"0\",model_name=\"sim/test-model\"} 2.0\n")
              .contains("\nrequest_failure_total{engine=\"1\",model_name=\"sim/test-model\"} 0.0\n")
              .doesNotContain("vllm:");
          break;
        default:
          assertThat(first.engine()).contains("0");
      }

      // a nominal 1 s window: the counts themselves
      VllmWindow m = new io.github.infermetrics.vllm.VllmSource().between(before, after,
          java.time.Duration.ofSeconds(1)).model(MODEL).orElseThrow();
      assertThat(m.promptTokensPerSecond().orElseThrow()).isCloseTo(32, within(1e-9)); // 10 + 20 + 2
      assertThat(m.generationTokensPerSecond().orElseThrow()).isCloseTo(15, within(1e-9)); // 3 x 5
      assertThat(m.requestsPerSecond().orElseThrow()).isCloseTo(3, within(1e-9));
      assertThat(m.requestRateByReason()).containsEntry("length", 3.0);
      assertThat(m.endToEndLatency().perSecond().orElseThrow()).isCloseTo(3, within(1e-9));
      VllmKpis same = VllmKpis.between(VllmSnapshot.of(before), VllmSnapshot.of(after), 1);
      assertThat(same.naming()).isEqualTo(naming);
    }
  }

  @Test
  void namingsParseByTheirNames() {
    for (VllmNames n : VllmNames.values()) {
      assertThat(VllmNames.parse(n.id())).isSameAs(n);
    }
    assertThat(VllmNames.RAY.family("vllm:num_requests_running")).isEqualTo("ray_vllm:num_requests_running");
    assertThat(VllmNames.NIM.family("vllm:request_success")).isEqualTo("request_finish");
    assertThat(VllmNames.NIM.family("python_info")).isEqualTo("python_info");
    assertThatThrownBy(() -> VllmNames.parse("kserve")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown vLLM naming 'kserve': use vllm, ray, ray-underscore or nim");
  }
}

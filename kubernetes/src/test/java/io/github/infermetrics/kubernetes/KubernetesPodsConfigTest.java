package io.github.infermetrics.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The --kubernetes-pods and --kubernetes-endpointslices spec syntax, over pods-specs.txt and
 * endpointslices-specs.txt, and the selector they carry.
 */
class KubernetesPodsConfigTest {
  static Stream<Arguments> specs(String file) throws IOException {
    try (InputStream in = KubernetesPodsConfigTest.class.getResourceAsStream(file)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(l -> !l.startsWith("#") && !l.isEmpty()).map(l -> l.split("\t", 2))
          .map(f -> Arguments.of(f[0], f[1])).toList().stream();
    }
  }

  static Stream<Arguments> podSpecs() throws IOException {
    return specs("/pods-specs.txt");
  }

  static Stream<Arguments> endpointSliceSpecs() throws IOException {
    return specs("/endpointslices-specs.txt");
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("endpointSliceSpecs")
  void parsesTheEndpointSliceSpecOrSaysWhatIsWrong(String spec, String expected) {
    if (expected.startsWith("ERROR: ")) {
      assertThatThrownBy(() -> KubernetesEndpointSlicesConfig.parse(spec)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(expected.substring("ERROR: ".length()));
    } else {
      assertThat(KubernetesEndpointSlicesConfig.parse(spec).toSpec()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("podSpecs")
  void parsesThePodSpecOrSaysWhatIsWrong(String spec, String expected) {
    if (expected.startsWith("ERROR: ")) {
      assertThatThrownBy(() -> KubernetesPodsConfig.parse(spec)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(expected.substring("ERROR: ".length()));
    } else {
      assertThat(KubernetesPodsConfig.parse(spec).toSpec()).isEqualTo(expected);
    }
  }

  @Test
  void optionsReachTheConfiguration() {
    KubernetesPodsConfig c = KubernetesPodsConfig.parse("resync=30s,job=vllm,name=address,port=8000");
    assertThat(c.resync()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.labelling().job()).isEqualTo("vllm");
    assertThat(c.naming()).isEqualTo(KubernetesPodsConfig.Naming.ADDRESS);
    assertThat(c.port()).contains("8000");
    assertThat(c.namespaces()).isEmpty();
    KubernetesPodsConfig d = KubernetesPodsConfig.parse("");
    assertThat(d.resync()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.selector()).isEmpty();
    assertThat(KubernetesPodsConfig.parse("resync=0").resync()).isZero();
  }

  @Test
  void selectorsMatchAsKubernetesDoes() {
    PodSelector s = PodSelector.parse("app in (vllm,sglang),tier!=cpu,gpu,!canary");
    assertThat(s.matches(Map.of("app", "vllm", "gpu", "a100"))).isTrue();
    assertThat(s.matches(Map.of("app", "vllm", "gpu", "", "tier", "gpu"))).isTrue();
    assertThat(s.matches(Map.of("app", "vllm", "gpu", "a100", "tier", "cpu"))).isFalse();
    assertThat(s.matches(Map.of("app", "vllm"))).isFalse();
    assertThat(s.matches(Map.of("app", "vllm", "gpu", "x", "canary", "true"))).isFalse();
    assertThat(s.matches(Map.of("app", "triton", "gpu", "x"))).isFalse();
    assertThat(PodSelector.parse("env notin (dev)").matches(Map.of())).isTrue();
    assertThat(PodSelector.parse(" ").isEmpty()).isTrue();
    assertThat(PodSelector.parse("a=,b in ()")).hasToString("a=,b in ()");
  }
}

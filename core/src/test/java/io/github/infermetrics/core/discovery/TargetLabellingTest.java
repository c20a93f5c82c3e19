package io.github.infermetrics.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.discovery.RelabelRule.Action;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Target labels as Prometheus's scrape configuration turns them into a target (scrape/target.go PopulateLabels). */
class TargetLabellingTest {
  private static TargetGroup group(String source, Labels groupLabels, String... addresses) {
    return new TargetGroup(source, Stream.of(addresses).map(a -> Labels.of("__address__", a)).toList(), groupLabels);
  }

  @Test
  void defaultsAreThoseOfPrometheus3() {
    ResolvedTargets r = TargetLabelling.defaults().resolve(List.of(
        group("f.json:0", Labels.of("env", "prod", "__meta_filepath", "f.json"), "10.0.0.7:8000")));
    assertThat(r.errors()).isEmpty();
    assertThat(r.targets()).containsExactly(new DiscoveredTarget(URI.create("http://10.0.0.7:8000/metrics"),
        "10.0.0.7:8000", Labels.of("env", "prod", "instance", "10.0.0.7:8000", "job", "infermetrics"),
        Optional.empty(), Optional.empty()));
  }

  @Test
  void schemePathAndParamsBuildTheUrlAsGoDoes() {
    TargetLabelling l = TargetLabelling.builder().job("probe").scheme("https").metricsPath("/probe")
        .param("module", "http 2xx").param("target", "a&b").build();
    ResolvedTargets r = l.resolve(List.of(new TargetGroup("g", List.of(
        Labels.of("__address__", "[::1]:9115", "__param_target", "https://x/?q=1"),
        Labels.of("__address__", "h:1", "__metrics_path__", "stats/ä b", "__scheme__", "http")),
        Labels.EMPTY)));
    assertThat(r.errors()).isEmpty();
    assertThat(r.targets()).extracting(t -> t.url().toString()).containsExactly(
        "https://[::1]:9115/probe?module=http+2xx&target=https%3A%2F%2Fx%2F%3Fq%3D1",
        "http://h:1/stats/%C3%A4%20b?module=http+2xx&target=a%26b");
    assertThat(r.targets().get(0).labels()).isEqualTo(Labels.of("instance", "[::1]:9115", "job", "probe"));
  }

  @Test
  void targetLabelsWinOverGroupLabelsAndEmptyValuesAreNoLabel() {
    ResolvedTargets r = TargetLabelling.defaults().resolve(List.of(new TargetGroup("g",
        List.of(Labels.of("__address__", "a:1", "zone", "b", "team", "")), Labels.of("zone", "a", "team", "ml",
            "job", ""))));
    assertThat(r.targets().get(0).labels())
        .isEqualTo(Labels.of("instance", "a:1", "job", "infermetrics", "team", "ml", "zone", "b"));
  }

  @Test
  void controlLabelsBecomeNameSourceAndPodAndLeaveTheLabels() {
    TargetLabelling l = TargetLabelling.builder().relabel(
        RelabelRule.builder(Action.REPLACE).sourceLabels("__meta_kubernetes_pod_name").targetLabel("infermetrics_name")
            .build()).build();
    ResolvedTargets r = l.resolve(List.of(new TargetGroup("pod/serving/vllm-0",
        List.of(Labels.of("__address__", "10.1.2.3:8000", "infermetrics_source", "vllm")),
        Labels.of("__meta_kubernetes_pod_name", "vllm-0", "__meta_kubernetes_namespace", "serving"))));
    DiscoveredTarget t = r.targets().get(0);
    assertThat(t.name()).isEqualTo("vllm-0");
    assertThat(t.source()).contains("vllm");
    assertThat(t.pod()).contains("serving/vllm-0");
    assertThat(t.labels()).isEqualTo(Labels.of("instance", "10.1.2.3:8000", "job", "infermetrics"));

    DiscoveredTarget explicit = TargetLabelling.defaults().resolve(List.of(group("g",
        Labels.of("infermetrics_pod", "gpu/dcgm-exporter-x", "infermetrics_name", "dcgm"), "10.0.0.9:9400")))
        .targets().get(0);
    assertThat(explicit.pod()).contains("gpu/dcgm-exporter-x");
    assertThat(explicit.name()).isEqualTo("dcgm");
  }

  @Test
  void badTargetsAreLeftOutWithOneLineEachAndTheRestKept() {
    ResolvedTargets r = TargetLabelling.defaults().resolve(List.of(new TargetGroup("t.json:0", List.of(
        Labels.of("__address__", "ok:1"),
        Labels.of("__address__", ""),
        Labels.of("__address__", "host/path:1"),
        Labels.of("__address__", "a:1", "__scheme__", "ftp"),
        Labels.of("__address__", "bad host:1"),
        Labels.of("__address__", "user@h:1"),
        Labels.of("__address__", "c:1", "infermetrics_pod", "no-slash")), Labels.EMPTY)));
    assertThat(r.targets()).extracting(DiscoveredTarget::name).containsExactly("ok:1");
    assertThat(r.errors()).containsExactly(
        "t.json:0: target 1: no address (__address__ is empty)",
        "t.json:0: target 2: \"host/path:1\" is not a valid hostname (__address__)",
        "t.json:0: target 3: __scheme__ \"ftp\" is not http or https",
        "t.json:0: target 4: \"bad host:1\" is not a valid host[:port] (__address__): Illegal character in authority",
        "t.json:0: target 5: __address__ must not carry user info (\"…@h\")",
        "t.json:0: target 6: pod must be namespace/name: no-slash (infermetrics_pod)");
  }

  @Test
  void relabellingDropsAreCountedNotErrors() {
    TargetLabelling l = TargetLabelling.builder()
        .relabel(RelabelRule.builder(Action.KEEP).sourceLabels("job").regex("vllm").build()).build();
    ResolvedTargets r = l.resolve(List.of(group("g", Labels.of("job", "vllm"), "a:1"),
        group("h", Labels.of("job", "other"), "b:1", "c:1")));
    assertThat(r.targets()).extracting(DiscoveredTarget::name).containsExactly("a:1");
    assertThat(r.dropped()).isEqualTo(2);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void equalTargetsMergeAndClashingNamesKeepTheFirst() {
    ResolvedTargets r = TargetLabelling.defaults().resolve(List.of(
        group("a.json:0", Labels.of("job", "vllm"), "z:1", "m:1"),
        group("a.json:1", Labels.of("job", "vllm"), "m:1"),
        group("b.json:0", Labels.of("job", "dcgm"), "m:1")));
    assertThat(r.targets()).extracting(DiscoveredTarget::name).containsExactly("m:1", "z:1");
    assertThat(r.targets().get(0).labels().get("job")).isEqualTo("vllm");
    assertThat(r.errors()).containsExactly("b.json:0: target 0: another target is already named \"m:1\" (a.json:0:"
        + " target 1, http://m:1/metrics {instance=\"m:1\",job=\"vllm\"}); set the label infermetrics_name to tell"
        + " them apart");
  }

  @Test
  void discoveredTargetsValidate() {
    URI u = URI.create("http://a:1/metrics");
    assertThatThrownBy(() -> new DiscoveredTarget(URI.create("ftp://a/x"), "a", Labels.EMPTY, Optional.empty(),
        Optional.empty())).hasMessage("url must be an absolute http or https URL: ftp://a/x");
    assertThatThrownBy(() -> new DiscoveredTarget(u, " ", Labels.EMPTY, Optional.empty(), Optional.empty()))
        .hasMessage("name is blank");
    assertThatThrownBy(() -> new DiscoveredTarget(u, "a", Labels.of("__address__", "a:1"), Optional.empty(),
        Optional.empty())).hasMessage("labels must not hold internal (__-prefixed) labels: __address__");
    assertThatThrownBy(() -> new DiscoveredTarget(u, "a", Labels.EMPTY, Optional.empty(), Optional.of("a/b/c")))
        .hasMessage("pod must be namespace/name: a/b/c");
  }

  @Test
  void builderRejectsBadDefaults() {
    assertThatThrownBy(() -> TargetLabelling.builder().scheme("ftp")).hasMessage("scheme must be http or https: ftp");
    assertThatThrownBy(() -> TargetLabelling.builder().metricsPath("metrics"))
        .hasMessage("metricsPath must start with /: metrics");
    assertThatThrownBy(() -> TargetLabelling.builder().job("")).hasMessage("job is empty");
  }
}

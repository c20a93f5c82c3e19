package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splitting a fleet between processes by the hash of each target's URL. */
class ShardTest {
  private static List<PipelineTarget> fleet(int n) {
    List<PipelineTarget> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PipelineTarget.builder(URI.create("http://10.0." + i / 250 + "." + i % 250 + ":8002/metrics"))
          .name("node-" + i).build());
    }
    return out;
  }

  private static Set<String> names(KpiPipeline p) {
    Set<String> out = new HashSet<>();
    p.status().forEach(s -> out.add(s.name()));
    return out;
  }

  @Test
  void twoPipelinesWithShardsZeroAndOneOfTwoCoverEveryTargetExactlyOnce() {
    List<PipelineTarget> targets = fleet(1000);
    KpiPipeline.Builder a = KpiPipeline.builder().sources(KpiSources.of(List.of())).shard(0, 2);
    KpiPipeline.Builder b = KpiPipeline.builder().sources(KpiSources.of(List.of())).shard(Shard.parse("1/2"));
    targets.forEach(a::target);
    targets.forEach(b::target);
    try (KpiPipeline p0 = a.build(); KpiPipeline p1 = b.build()) {
      Set<String> s0 = names(p0);
      Set<String> s1 = names(p1);
      assertThat(s0).doesNotContainAnyElementsOf(s1);
      Set<String> all = new HashSet<>(s0);
      all.addAll(s1);
      assertThat(all).hasSize(1000);
      // an even split, within what chance allows for 1,000 targets (about 3.5 standard deviations)
      assertThat(s0.size()).isBetween(445, 555);
    }
  }

  @Test
  void discoveredTargetsAreShardedTheSameWay() {
    List<PipelineTarget> targets = fleet(300);
    List<Set<String>> shards = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (KpiPipeline p = KpiPipeline.builder().sources(KpiSources.of(List.of())).shard(i, 3).build()) {
        p.replaceTargets(targets);
        // a target of another shard added alone is left out too
        p.add(PipelineTarget.builder(URI.create("http://10.9.9.9:8002/metrics")).name("late").build());
        shards.add(names(p));
        assertThat(p.shard()).isEqualTo(new Shard(i, 3));
      }
    }
    Set<String> all = new HashSet<>();
    int total = 0;
    for (Set<String> s : shards) {
      all.addAll(s);
      total += s.size();
    }
    assertThat(total).isEqualTo(301);
    assertThat(all).hasSize(301);
  }

  @Test
  void theHashIsPrometheusHashmodOfTheUrlAndStable() {
    // MD5 of the UTF-8 URL, last 8 bytes big-endian, unsigned, modulo N: fixed values, so that a change of the
    // hash (which would move every target of a running fleet at an upgrade) fails here
    URI u = URI.create("http://127.0.0.1:8002/metrics");
    assertThat(Shard.of(u, 1)).isZero();
    assertThat(Shard.of(u, 2)).isEqualTo(expected(u, 2));
    assertThat(Shard.of(u, 7)).isEqualTo(expected(u, 7));
    assertThat(Shard.of(URI.create("http://10.0.0.7:8000/metrics"), 1000))
        .isEqualTo(expected(URI.create("http://10.0.0.7:8000/metrics"), 1000));
    assertThat(new Shard(0, 1).owns(u)).isTrue();
    assertThat(Shard.ALL).isEqualTo(new Shard(0, 1));
    assertThat(new Shard(3, 4)).hasToString("3/4");
  }

  /** The same arithmetic written out with BigInteger, independent of the shift loop in Shard. */
  private static int expected(URI u, int n) {
    try {
      byte[] md5 = java.security.MessageDigest.getInstance("MD5")
          .digest(u.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new java.math.BigInteger(1, java.util.Arrays.copyOfRange(md5, 8, 16))
          .mod(java.math.BigInteger.valueOf(n)).intValueExact();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aKnownUrlLandsInItsKnownShard() {
    // md5("http://127.0.0.1:8002/metrics") computed independently (coreutils md5sum); its last 16 hex digits,
    // as an unsigned integer, modulo 10
    assertThat(Shard.of(URI.create("http://127.0.0.1:8002/metrics"), 10)).isEqualTo(KNOWN_MOD_10);
  }

  static final int KNOWN_MOD_10 = 6; // 0xbdbf92dfe9b38638 % 10

  @Test
  void specsAreCheckedAndNamed() {
    assertThat(Shard.parse(" 2 / 5 ")).isEqualTo(new Shard(2, 5));
    assertThatThrownBy(() -> Shard.parse("2")).hasMessageContaining("I/N");
    assertThatThrownBy(() -> Shard.parse("a/2")).hasMessageContaining("I/N");
    assertThatThrownBy(() -> Shard.parse("2/2")).hasMessageContaining("from 0 to 1");
    assertThatThrownBy(() -> Shard.parse("0/0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new Shard(-1, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A model server on port 8000 and the dcgm-exporter on port 9400 of each of 200 nodes, labelled node=... */
  private static List<PipelineTarget> nodes(int n) {
    List<PipelineTarget> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String host = "10.1." + i / 200 + "." + i % 200;
      Labels node = Labels.of(java.util.Map.of("node", "gpu-node-" + i));
      out.add(PipelineTarget.builder(URI.create("http://" + host + ":8000/metrics")).name("vllm-" + i)
          .labels(node).build());
      out.add(PipelineTarget.builder(URI.create("http://" + host + ":9400/metrics")).name("dcgm-" + i)
          .labels(node).build());
    }
    return out;
  }

  @Test
  void byANodeLabelAModelServerAndItsNodesExporterShareAShard() {
    List<PipelineTarget> targets = nodes(200);
    int apartByUrl = 0;
    Set<String> all = new HashSet<>();
    for (int s = 0; s < 4; s++) {
      Shard byUrl = new Shard(s, 4);
      Shard byNode = byUrl.by("node");
      assertThat(byNode).hasToString(s + "/4 by node");
      for (int i = 0; i < targets.size(); i += 2) {
        PipelineTarget server = targets.get(i);
        PipelineTarget exporter = targets.get(i + 1);
        assertThat(byNode.owns(server)).as(server.name()).isEqualTo(byNode.owns(exporter));
        if (byUrl.owns(server) != byUrl.owns(exporter)) {
          apartByUrl++;
        }
        if (byNode.owns(server)) {
          all.add(server.name());
          all.add(exporter.name());
        }
      }
    }
    assertThat(all).hasSize(400); // every target in exactly one shard
    assertThat(apartByUrl).isGreaterThan(100); // what the URL hash does to the pairs: most land apart
  }

  @Test
  void aTargetWithoutTheLabelFallsBackToItsUrl() {
    PipelineTarget bare = PipelineTarget.of(URI.create("http://127.0.0.1:8002/metrics"));
    for (int s = 0; s < 10; s++) {
      assertThat(new Shard(s, 10).by("node").owns(bare)).isEqualTo(s == KNOWN_MOD_10);
    }
    PipelineTarget labelled = PipelineTarget.builder(URI.create("http://127.0.0.1:8002/metrics"))
        .labels(Labels.of(java.util.Map.of("node", "n1"))).build();
    assertThat(new Shard(Shard.of("n1", 10), 10).by("node").owns(labelled)).isTrue();
  }

  @Test
  void theLabelMustBeALabelName() {
    assertThatThrownBy(() -> new Shard(0, 2).by("no-de")).hasMessageContaining("label name");
    assertThatThrownBy(() -> new Shard(0, 2).by("")).hasMessageContaining("label name");
    assertThatThrownBy(() -> new Shard(0, 2).by("9x")).hasMessageContaining("label name");
    assertThat(new Shard(0, 2).by("_node9").label()).isEqualTo("_node9");
  }
}

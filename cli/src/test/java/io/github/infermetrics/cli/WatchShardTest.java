package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code watch --shard}: two real processes given the same targets split them, each target scraped by one. */
class WatchShardTest {
  private static final String EXPOSITION = "# TYPE nv_inference_request_success counter\n"
      + "nv_inference_request_success{model=\"resnet50\",version=\"1\"} 42\n";
  private static final Pattern TARGET = Pattern.compile("\"target\":\"(node-\\d+)\"");
  private static final int TARGETS = 24;

  private ExpositionServer server;

  @BeforeEach
  void start() throws IOException {
    server = new ExpositionServer(EXPOSITION);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void twoProcessesWithShardsZeroAndOneOfTwoCoverEveryTargetOnce(@TempDir Path dir) throws Exception {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      targets.add("node-" + i + "@http://127.0.0.1:" + server.port() + "/node-" + i + "/metrics");
    }
    Process p0 = watch("0/2", targets, dir.resolve("0.json"));
    Process p1 = watch("1/2", targets, dir.resolve("1.json"));
    Set<String> s0 = scraped(p0, dir.resolve("0.json"));
    Set<String> s1 = scraped(p1, dir.resolve("1.json"));

    assertThat(s0).isNotEmpty().doesNotContainAnyElementsOf(s1);
    assertThat(s1).isNotEmpty();
    Set<String> all = new HashSet<>(s0);
    all.addAll(s1);
    assertThat(all).hasSize(TARGETS);
  }

  @Test
  void aBadShardIsAUsageError() {
    CliRun r = CliRun.of("watch", "--once", "--shard", "2/2", "http://127.0.0.1:1/metrics");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--shard").contains("from 0 to 1");
  }

  @Test
  void byNodeTheTwoTargetsOfANodeShareAShard(@TempDir Path dir) throws Exception {
    // a model server and a GPU exporter per node, both labelled with the node, as file_sd gives them
    StringBuilder sd = new StringBuilder("[");
    int port = server.port();
    for (int i = 0; i < TARGETS / 2; i++) {
      for (String kind : List.of("server", "gpus")) {
        sd.append(sd.length() > 1 ? "," : "").append("{\"targets\":[\"127.0.0.1:").append(port)
            .append("\"],\"labels\":{\"__metrics_path__\":\"/").append(kind).append('/').append(i)
            .append("/metrics\",\"infermetrics_name\":\"node-").append(kind.equals("server") ? 2 * i : 2 * i + 1)
            .append("\",\"node\":\"gpu-node-").append(i).append("\"}}");
      }
    }
    Path file = dir.resolve("fleet.json");
    java.nio.file.Files.writeString(file, sd.append("]").toString());
    Set<String> all = new HashSet<>();
    int pairs = 0;
    for (String shard : List.of("0/2", "1/2")) {
      CliRun r = CliRun.of("watch", "--once", "--json", "--interval", "300ms", "--shard", shard, "--shard-by", "node",
          "--file-sd", file.toString());
      Set<String> mine = new HashSet<>();
      Matcher m = TARGET.matcher(r.out());
      while (m.find()) {
        mine.add(m.group(1));
      }
      assertThat(mine).as(shard + ": " + r.err()).isNotEmpty();
      assertThat(all).as("scraped by the other shard too").doesNotContainAnyElementsOf(mine);
      for (String t : mine) {
        int n = Integer.parseInt(t.substring("node-".length()));
        assertThat(mine).as("the other target of " + t + "'s node").contains("node-" + (n ^ 1));
      }
      pairs += mine.size() / 2;
      all.addAll(mine);
    }
    assertThat(all).hasSize(TARGETS);
    assertThat(pairs).isEqualTo(TARGETS / 2);
  }

  @Test
  void shardByNeedsAShardAndALabelName() {
    CliRun alone = CliRun.of("watch", "--once", "--shard-by", "node", "http://127.0.0.1:1/metrics");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err()).contains("--shard-by needs --shard");

    CliRun bad = CliRun.of("watch", "--once", "--shard", "0/2", "--shard-by", "gpu-node", "http://127.0.0.1:1/metrics");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--shard-by").contains("label name");
  }

  /** {@code infermetrics watch --once --json --shard SHARD TARGET...} in a JVM of its own, stdout to a file. */
  private static Process watch(String shard, List<String> targets, Path out) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "watch", "--once", "--json", "--interval", "300ms", "--shard", shard));
    cmd.addAll(targets);
    return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static Set<String> scraped(Process p, Path out) throws Exception {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("watch --once ended").isTrue();
    Set<String> names = new HashSet<>();
    Matcher m = TARGET.matcher(java.nio.file.Files.readString(out));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}

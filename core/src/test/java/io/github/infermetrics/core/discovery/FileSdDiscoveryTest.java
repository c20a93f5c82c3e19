package io.github.infermetrics.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file_sd file edited while discovery runs adds and removes targets without a restart. */
class FileSdDiscoveryTest {
  @TempDir
  Path dir;

  private final BlockingQueue<List<String>> lists = new LinkedBlockingQueue<>();

  private void listen(TargetDiscovery d) {
    d.start(targets -> lists.add(targets.stream().map(DiscoveredTarget::name).collect(Collectors.toList())));
  }

  /** Waits for a list with exactly these names, skipping lists on the way there. */
  private void awaitNames(String... names) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> last = null;
    while (System.nanoTime() < deadline) {
      List<String> l = lists.poll(100, TimeUnit.MILLISECONDS);
      if (l != null) {
        last = l;
        if (l.equals(List.of(names))) {
          return;
        }
      }
    }
    throw new AssertionError("no list " + List.of(names) + " within 10 s; last was " + last);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** An editor's save: a new file renamed over the old one (a new inode). */
  private void replace(Path file, String text) throws IOException {
    Path tmp = dir.resolve(".tmp-" + file.getFileName());
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private FileSdConfig config(String pattern) {
    return FileSdConfig.builder().file(pattern).checkInterval(Duration.ofMillis(200)).build();
  }

  @Test
  void editsAddAndRemoveTargetsWhileRunning() throws Exception {
    Path file = dir.resolve("targets.json");
    write(file, "[{\"targets\": [\"a:1\"], \"labels\": {\"job\": \"vllm\"}}]");
    try (FileSdDiscovery d = new FileSdDiscovery(config(file.toString()))) {
      listen(d);
      assertThat(lists.poll()).as("first list, delivered by start").containsExactly("a:1");
      assertThat(d.current()).extracting(t -> t.labels().get("job")).containsExactly("vllm");

      write(file, "[{\"targets\": [\"a:1\", \"b:2\"]}]"); // in place
      awaitNames("a:1", "b:2");
      replace(file, "- targets: [b:2]\n"); // YAML in a .json file is not JSON: an error, the list stays
      awaitError(d, 1);
      assertThat(d.current()).extracting(DiscoveredTarget::name).containsExactly("a:1", "b:2");
      replace(file, "[{\"targets\": [\"b:2\"]}]");
      awaitNames("b:2");
      Files.delete(file);
      awaitNames();
      assertThat(d.lastError()).hasValue(file + ": no such file; its targets are gone until it is back");
      write(file, "[{\"targets\": [\"c:3\"]}]");
      awaitNames("c:3");
      assertThat(d.errors()).isEqualTo(2);
    }
  }

  private static void awaitError(TargetDiscovery d, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (d.errors() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(d.errors()).isEqualTo(count);
  }

  @Test
  void aBrokenEditIsReportedOnceWithItsPlaceAndKeepsTheLastGoodTargets() throws Exception {
    Path file = dir.resolve("fleet.yml");
    write(file, "- targets: [a:1]\n");
    try (FileSdDiscovery d = new FileSdDiscovery(config(file.toString()))) {
      listen(d);
      awaitNames("a:1");
      replace(file, "- targets: [a:1]\n  labels:\n    job: &anchor vllm\n");
      awaitError(d, 1);
      assertThat(d.lastError()).hasValue(file + ":3:10: $[0].labels.job: anchors (&name) are not supported"
          + " (keeping the last good targets of this file)");
      Thread.sleep(700); // several checks: the same content is not reported again
      assertThat(d.errors()).isEqualTo(1);
      assertThat(d.current()).extracting(DiscoveredTarget::name).containsExactly("a:1");
      replace(file, "- targets: [a:1, b:1]\n");
      awaitNames("a:1", "b:1");
    }
  }

  @Test
  void aPatternPicksUpNewFilesAndDropsRemovedOnes() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("targets"));
    write(sub.resolve("vllm.yml"), "- targets: [v:1]\n");
    write(sub.resolve("notes.txt"), "not a target file");
    try (FileSdDiscovery d = new FileSdDiscovery(config(sub + "/*.yml"))) {
      listen(d);
      awaitNames("v:1");
      assertThat(d.description()).isEqualTo("file_sd " + sub + "/*.yml");
      write(sub.resolve("triton.yml"), "- targets: [t:1]\n  labels: {infermetrics_source: triton}\n");
      awaitNames("t:1", "v:1");
      assertThat(d.current().get(0).source()).contains("triton");
      assertThat(d.current().get(0).labels().get("job")).isEqualTo("infermetrics");
      Files.delete(sub.resolve("vllm.yml"));
      awaitNames("t:1");
      assertThat(d.errors()).isZero();
    }
  }

  @Test
  void changesAreFoundByThePeriodicCheckWhenNoEventComes() throws Exception {
    Path file = dir.resolve("t.json");
    write(file, "[{\"targets\": [\"a:1\"]}]");
    try (FileSdDiscovery d = new FileSdDiscovery(config(file.toString()), false)) {
      listen(d);
      awaitNames("a:1");
      write(file, "[{\"targets\": [\"a:1\", \"b:22\"]}]");
      awaitNames("a:1", "b:22");
    }
  }

  @Test
  void aFileOverTheLimitIsAnErrorNamingTheSetting() throws Exception {
    Path file = dir.resolve("big.json");
    write(file, "[{\"targets\": [\"" + "a".repeat(200) + ":1\"]}]");
    FileSdConfig config = FileSdConfig.builder().file(file.toString()).maxFileBytes(100).build();
    try (FileSdDiscovery d = new FileSdDiscovery(config)) {
      listen(d);
      awaitNames();
      assertThat(d.errors()).isEqualTo(1);
      assertThat(d.lastError()).hasValue(file + ": 221 bytes, more than the limit of 100"
          + " (FileSdConfig.maxFileBytes) (keeping the last good targets of this file)");
    }
  }

  @Test
  void rejectedTargetsAreCountedOncePerContent() throws Exception {
    Path file = dir.resolve("t.json");
    write(file, "[{\"targets\": [\"a:1\", \"x/y\"]}]");
    try (FileSdDiscovery d = new FileSdDiscovery(config(file.toString()))) {
      listen(d);
      awaitNames("a:1");
      Thread.sleep(600);
      assertThat(d.errors()).isEqualTo(1);
      assertThat(d.lastError()).hasValue(file + ":0: target 1: \"x/y\" is not a valid hostname (__address__)");
    }
  }

  @Test
  void startsOnceListensUntilClosed() throws Exception {
    Path file = dir.resolve("t.json");
    write(file, "[]");
    FileSdDiscovery d = new FileSdDiscovery(config(file.toString()));
    AtomicInteger calls = new AtomicInteger();
    d.start(l -> calls.incrementAndGet());
    assertThatThrownBy(() -> d.start(l -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("already started");
    assertThat(calls).hasValue(1);
    d.close();
    write(file, "[{\"targets\": [\"a:1\"]}]");
    Thread.sleep(500);
    assertThat(calls).hasValue(1);
    assertThatThrownBy(() -> d.start(l -> { })).isInstanceOf(IllegalStateException.class).hasMessageEndingWith("closed");
  }

  @Test
  void aThrowingListenerIsCountedAndDiscoveryGoesOn() throws Exception {
    Path file = dir.resolve("t.json");
    write(file, "[]");
    try (FileSdDiscovery d = new FileSdDiscovery(config(file.toString()))) {
      d.start(l -> {
        throw new IllegalStateException("boom");
      });
      assertThat(d.errors()).isEqualTo(1);
      assertThat(d.lastError()).hasValue("listener failed: java.lang.IllegalStateException: boom");
      write(file, "[{\"targets\": [\"a:1\"]}]");
      awaitError(d, 2);
      assertThat(d.current()).hasSize(1);
    }
  }

  @Test
  void configurationIsCheckedAsPrometheusChecksFiles() {
    assertThatThrownBy(() -> FileSdConfig.parse("/etc/*/targets.json"))
        .hasMessage("file_sd file \"/etc/*/targets.json\" must end in .json, .yml or .yaml and may hold a * only in"
            + " its last path element");
    assertThatThrownBy(() -> FileSdConfig.parse("targets.txt")).hasMessageContaining("must end in .json");
    assertThatThrownBy(() -> FileSdConfig.parse(" ")).hasMessage("--file-sd needs a file name or pattern, such as"
        + " /etc/targets/*.json");
    assertThat(FileSdConfig.parse("/etc/targets/*.YAML").files()).containsExactly("/etc/targets/*.YAML");
    assertThatThrownBy(() -> FileSdConfig.builder().file("a.json").checkInterval(Duration.ZERO).build())
        .hasMessage("checkInterval must be positive: PT0S");
  }
}

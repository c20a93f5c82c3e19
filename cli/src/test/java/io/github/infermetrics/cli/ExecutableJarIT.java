package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar, run as a user runs it: every dependency is inside (a dependency declared with the wrong scope
 * goes missing only there), the demo (the README's main job) works from it, the launcher script runs it, and what
 * only a real process shows: exit codes on SIGTERM, a small heap, what the JVM prints on stderr.
 */
class ExecutableJarIT {
  private static final Path JAR = Paths.get("target", "infermetrics.jar");
  private static final Path LAUNCHER = Paths.get("..", "bin", "infermetrics");
  private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir
  Path dir;

  /** What a finished process left. */
  record Finished(int code, String out, String err) {}

  private Finished run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(command);
    b.environment().remove("JAVA_OPTS"); // the launcher's own defaults are under test
    b.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    p.getOutputStream().close();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("%s finished within 90 s", command).isTrue();
    return new Finished(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> jar(String... args) {
    List<String> c = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    c.addAll(List.of(args));
    return c;
  }

  @Test
  void theDemoRunsFromTheJar() throws IOException, InterruptedException {
    assertThat(JAR).exists();
    Finished r = run(jar("watch", "--demo", "--once", "--json", "--interval", "1s", "--emf", "-"), Map.of());
    assertThat(r.code()).as(r.err()).isZero();
    // EMF events and the one JSON object share stdout: both are single lines
    assertThat(r.out().lines().filter(l -> l.startsWith("{\"at\":"))).singleElement().satisfies(l -> assertThat(l)
        .contains("\"target\":\"vllm-demo\"").contains("\"target\":\"triton-demo\"")
        .contains("\"target\":\"neuron-demo\"").doesNotContain("\"up\":false"));
    assertThat(r.out().lines().filter(l -> l.contains("\"_aws\":"))).isNotEmpty();
    assertThat(r.err()).contains("EMF: ");
  }

  @Test
  void aMissingFileSdFileIsOneWarningLineAndOnceExitsOne() throws Exception {
    Path missing = dir.resolve("targets.json");
    Finished r = run(jar("watch", "--once", "--interval", "200ms", "--file-sd", missing.toString()), Map.of());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    // the library's warning through java.util.logging, one line with its level, not the JDK's two-line format
    assertThat(r.err().lines().toList()).containsExactly(
        "WARNING: file_sd " + missing + ": " + missing + ": no such file; its targets are gone until it is back",
        "watch: file_sd " + missing + ": 1 error, the last: " + missing + ": no such file; its targets are gone"
            + " until it is back");
  }

  @Test
  void theLauncherRunsTheJarFromTheTreeThroughALinkAndFromACopy() throws Exception {
    String version = "infermetrics " + Main.Version.version();
    assertThat(version).matches("infermetrics \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(run(List.of(LAUNCHER.toString(), "--version"), Map.of()).out()).startsWith(version + "\n");

    Path link = dir.resolve("infermetrics");
    Files.createSymbolicLink(link, LAUNCHER.toAbsolutePath());
    Finished linked = run(List.of(link.toString(), "--version"), Map.of("JAVA_OPTS", "-Xmx64m -Dfile.encoding=UTF-8"));
    assertThat(linked.out()).as(linked.err()).startsWith(version + "\n");

    Path copy = Files.createDirectory(dir.resolve("dist"));
    Files.copy(LAUNCHER, copy.resolve("infermetrics"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(JAR, copy.resolve("infermetrics.jar"));
    assertThat(run(List.of(copy.resolve("infermetrics").toString(), "--version"), Map.of()).out())
        .startsWith(version + "\n");

    Path alone = Files.createDirectory(dir.resolve("alone"));
    Files.copy(LAUNCHER, alone.resolve("infermetrics"), StandardCopyOption.COPY_ATTRIBUTES);
    Finished missing = run(List.of(alone.resolve("infermetrics").toString(), "--version"), Map.of());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("infermetrics: infermetrics.jar is neither in ").contains("./mvnw");
  }

  @Test
  void theLauncherGivesWatchItsFleetOptionsUnlessJavaOptsIsSet() throws Exception {
    // a java that prints what it was given, found through JAVA_HOME
    Path home = Files.createDirectories(dir.resolve("jdk").resolve("bin"));
    Path echo = home.resolve("java");
    Files.writeString(echo, "#!/bin/sh\necho \"$@\"\n");
    assertThat(echo.toFile().setExecutable(true)).isTrue();
    String javaHome = home.getParent().toString();
    String fleet = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SurvivorRatio=2"
        + " -XX:TargetSurvivorRatio=90 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
        + " -XX:PerfDataSamplingInterval=1000 -jar ";

    assertThat(run(List.of(LAUNCHER.toString(), "watch", "--demo"), Map.of("JAVA_HOME", javaHome)).out())
        .startsWith(fleet).endsWith("infermetrics.jar watch --demo\n");
    assertThat(run(List.of(LAUNCHER.toString(), "parse", "x.prom"), Map.of("JAVA_HOME", javaHome)).out())
        .startsWith("-jar ").endsWith("infermetrics.jar parse x.prom\n");
    assertThat(run(List.of(LAUNCHER.toString(), "watch", "--demo"), Map.of("JAVA_HOME", javaHome, "JAVA_OPTS",
        "-Xmx2g")).out()).startsWith("-Xmx2g -jar ");
    assertThat(run(List.of(LAUNCHER.toString(), "watch", "--demo"), Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", ""))
        .out()).startsWith("-jar ");
  }

  @Test
  void parseStreamsAHugeFileInASmallHeapAndRunningOutOfMemoryIsOneLine() throws Exception {
    Path big = dir.resolve("big.prom");
    try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
      w.write("# HELP m One of many.\n# TYPE m gauge\n");
      for (int i = 0; i < 2_000_000; i++) {
        w.write("m{i=\"" + i + "\",pod=\"pod-" + i % 97 + "\"} " + i + "\n");
      }
    }
    Finished streamed = run(List.of(JAVA, "-Xmx64m", "-jar", JAR.toString(), "parse", big.toString()), Map.of());
    assertThat(streamed.code()).as(streamed.err()).isZero();
    assertThat(streamed.out()).endsWith(": valid Prometheus text 0.0.4 exposition: 1 families, 2000000 samples\n");

    // --json holds the families: it runs out of 64 MiB, and says so in one line
    Finished json = run(List.of(JAVA, "-Xmx64m", "-jar", JAR.toString(), "parse", "--json", big.toString()),
        Map.of());
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.err()).matches("infermetrics: out of memory \\(Java heap space; the maximum heap is \\d+ MiB\\):"
        + " give Java more with -Xmx, .*\n");
  }

  @Test
  void simulateStopsWithinASecondOnSigtermAndExitsZero() throws Exception {
    Process p = new ProcessBuilder(jar("simulate", "--vllm", "0", "--engines", "2", "--pattern", "steady:20"))
        .redirectErrorStream(true).start();
    try {
      String started = readUntil(p, "running; Ctrl-C stops", Duration.ofSeconds(30));
      assertThat(started).contains("vllm:   http://127.0.0.1:");
      Thread.sleep(3000); // requests in flight
      long start = System.nanoTime();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("from SIGTERM to exit")
          .isLessThan(Duration.ofMillis(3000)); // well under a second on a quiet machine; this one is shared
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void neuronExitsZeroOnSigtermAfterGoodReports() throws Exception {
    byte[] report;
    try (var in = ExecutableJarIT.class.getResourceAsStream("/neuron/report.json")) {
      report = in.readAllBytes();
    }
    Process p = new ProcessBuilder(jar("neuron", "--json")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      OutputStream stdin = p.getOutputStream(); // stays open: the command waits for more, as behind neuron-monitor
      stdin.write(report);
      stdin.write('\n');
      stdin.flush();
      String line = readUntil(p, "\"source\":\"neuron\"", Duration.ofSeconds(30));
      assertThat(line).contains("\"window_seconds\":5");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void queryWithoutCredentialsSaysSoInOneLine() throws Exception {
    Path home = Files.createDirectory(dir.resolve("home"));
    ProcessBuilder b = new ProcessBuilder(List.of(JAVA, "-Duser.home=" + home, "-jar", JAR.toString(), "query",
        "--catalogue", "pod-neuron", "--cluster", "c", "--run", "--region", "us-east-1"));
    // no credentials anywhere: no environment, no ~/.aws, no instance metadata
    b.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    b.environment().put("HOME", home.toString());
    b.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    Path err = dir.resolve("query.err");
    Process p = b.redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
        .start();
    long start = System.nanoTime();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no retries").isLessThan(Duration.ofSeconds(20));
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(err)).isEqualTo("query: " + AwsSetup.NO_CREDENTIALS + "\n");
  }

  /** Reads the process's stdout until a line contains {@code marker}; returns what was read. */
  private static String readUntil(Process p, String marker, Duration timeout) throws Exception {
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (seen) {
            seen.append(line).append('\n');
            seen.notifyAll();
          }
        }
      } catch (IOException closed) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      while (seen.indexOf(marker) < 0) {
        long left = end - System.nanoTime();
        assertThat(left).as("'%s' within %s; got: %s", marker, timeout, seen).isPositive();
        seen.wait(Math.max(1, left / 1_000_000));
      }
      return seen.toString();
    }
  }
}

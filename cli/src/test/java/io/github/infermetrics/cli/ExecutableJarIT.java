package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The executable jar, run as a user runs it: every dependency is inside (a dependency declared with the wrong scope
 * goes missing only there), and the demo, the README's main job, works from it.
 */
class ExecutableJarIT {
  @Test
  void theDemoRunsFromTheJar() throws IOException, InterruptedException {
    Path jar = Paths.get("target", "infermetrics.jar");
    assertThat(jar).exists();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Path out = Files.createTempFile("infermetrics-it-", ".out");
    Path err = Files.createTempFile("infermetrics-it-", ".err");
    try {
      Process p = new ProcessBuilder(java, "-jar", jar.toString(), "watch", "--demo", "--once", "--json",
          "--interval", "1s", "--emf", "-").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(stderr).isZero();
      // EMF events and the one JSON object share stdout: both are single lines
      assertThat(stdout.lines().filter(l -> l.startsWith("{\"at\":"))).singleElement().satisfies(l -> assertThat(l)
          .contains("\"target\":\"vllm-demo\"").contains("\"target\":\"triton-demo\"")
          .contains("\"target\":\"neuron-demo\"").doesNotContain("\"up\":false"));
      assertThat(stdout.lines().filter(l -> l.contains("\"_aws\":"))).isNotEmpty();
      assertThat(stderr).contains("EMF: ");
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}

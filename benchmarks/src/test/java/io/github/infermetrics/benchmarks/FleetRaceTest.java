package io.github.infermetrics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The race runs watch with the JVM options the launcher gives it, read from the launcher, plus a heap bound. */
class FleetRaceTest {

  @Test
  void watchRunsWithTheLaunchersOptionsAndAHeapBound() throws IOException {
    String opts = FleetRace.watchJvm(Path.of("../bin/infermetrics"));
    assertThat(opts).startsWith("-XX:+UseSerialGC ").endsWith(" -Xms16m -Xmx{heap}m").doesNotContain("$", "\"");
  }

  @Test
  void laterLinesExtendTheEarlierOnes(@TempDir Path dir) throws IOException {
    Path launcher = Files.writeString(dir.resolve("launcher"), "#!/bin/sh\nwatch_opts=\"-XX:+A -XX:B=1\"\n"
        + "  watch_opts=\"$watch_opts -XX:C=2\"\nexec java $watch_opts\n");
    assertThat(FleetRace.watchJvm(launcher)).isEqualTo("-XX:+A -XX:B=1 -XX:C=2 -Xms16m -Xmx{heap}m");
    Path none = Files.writeString(dir.resolve("none"), "#!/bin/sh\nexec java\n");
    assertThatThrownBy(() -> FleetRace.watchJvm(none)).hasMessageContaining("sets no watch_opts");
  }
}

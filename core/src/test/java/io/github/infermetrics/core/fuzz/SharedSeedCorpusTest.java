package io.github.infermetrics.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.fuzz.ParserProperties.Mode;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fuzz campaigns' seed corpora, {@code ../shared/conformance} and {@code ../shared/fixtures}, replayed through
 * the fuzz properties in every mode on every build (skipped with a message when {@code ../shared} is absent; the
 * hand-written seeds of {@link ExpositionFuzzTest} still run).
 */
class SharedSeedCorpusTest {
  @ParameterizedTest
  @EnumSource(Mode.class)
  void everySeedSatisfiesTheProperties(Mode mode) throws IOException {
    List<Path> seeds = new ArrayList<>();
    for (String dir : List.of("conformance", "fixtures")) {
      try (Stream<Path> files = Files.walk(SharedData.dir(dir))) {
        files.filter(Files::isRegularFile).sorted().forEach(seeds::add);
      }
    }
    List<String> failures = new ArrayList<>();
    int accepted = 0;
    for (Path seed : seeds) {
      try {
        byte[] input = Files.readAllBytes(seed);
        if (ParserProperties.check(mode.newParser(BadLinePolicy.REJECT, ParserProperties.SEED_LIMITS), input).error() == null) {
          accepted++;
        }
        ParserProperties.check(mode.newParser(BadLinePolicy.SKIP, ParserProperties.SEED_LIMITS), input);
      } catch (AssertionError | RuntimeException e) {
        failures.add(seed + ": " + e);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(seeds).hasSizeGreaterThan(100);
    assertThat(accepted).as("seeds that parse in " + mode).isPositive();
  }
}

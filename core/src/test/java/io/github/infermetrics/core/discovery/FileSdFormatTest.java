package io.github.infermetrics.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file_sd format: each file_sd/valid/NAME reads to the groups in NAME.expected (one line per group: the
 * addresses, then the labels without __meta_filepath); each invalid case fails with the line, column, path and
 * message listed in invalid/cases.txt.
 */
class FileSdFormatTest {
  static Stream<Arguments> validFiles() throws IOException {
    try (Stream<Path> files = Files.list(TestData.dir("file_sd/valid"))) {
      return files.filter(p -> !p.toString().endsWith(".expected")).sorted().collect(Collectors.toList()).stream()
          .map(p -> Arguments.of(p.getFileName().toString(), p));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void readsAsPrometheusDoes(String name, Path file) throws IOException {
    List<TargetGroup> groups = FileSdDiscovery.read(file);
    StringBuilder actual = new StringBuilder();
    for (int i = 0; i < groups.size(); i++) {
      TargetGroup g = groups.get(i);
      assertThat(g.source()).isEqualTo(file + ":" + i);
      assertThat(g.labels().get("__meta_filepath")).isEqualTo(file.toString());
      actual.append(g.targets().stream().map(t -> t.get("__address__")).collect(Collectors.joining(" ")))
          .append(" | ").append(g.labels().without("__meta_filepath")).append('\n');
    }
    assertThat(actual.toString()).isEqualTo(Files.readString(file.resolveSibling(name + ".expected")));
  }

  static Stream<Arguments> invalidFiles() {
    return TestData.cases(TestData.dir("file_sd/invalid/cases.txt")).stream().map(c -> Arguments.of(c[0], c[1]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void rejectsWithOneLineNamingThePlace(String name, String message) {
    Path file = TestData.dir("file_sd/invalid").resolve(name);
    assertThatThrownBy(() -> FileSdDiscovery.read(file))
        .isInstanceOf(DiscoveryException.class)
        .hasMessage(file + ":" + message);
  }

  @Test
  void theFormatComesFromTheExtension() {
    assertThatThrownBy(() -> FileSdDiscovery.read(Path.of("targets.txt")))
        .isInstanceOf(DiscoveryException.class)
        .hasMessage("targets.txt: a file_sd file must end in .json, .yml or .yaml");
  }

  @Test
  void theSameListReadsTheSameFromJsonAndYaml() throws IOException {
    List<TargetGroup> json = FileSdDiscovery.read(TestData.dir("file_sd/valid/prometheus_docs.json"));
    List<TargetGroup> yaml = FileSdDiscovery.read(TestData.dir("file_sd/valid/prometheus_docs.yml"));
    assertThat(json).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(yaml.get(i).targets()).isEqualTo(json.get(i).targets());
      assertThat(yaml.get(i).labels().without("__meta_filepath"))
          .isEqualTo(json.get(i).labels().without("__meta_filepath"));
    }
    assertThat(json.get(0).targets()).containsExactly(Labels.of("__address__", "10.11.150.1:7870"),
        Labels.of("__address__", "10.11.150.4:7870"));
  }
}

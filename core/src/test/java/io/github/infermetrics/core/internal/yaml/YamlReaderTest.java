package io.github.infermetrics.core.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.internal.json.JsonException;
import io.github.infermetrics.core.internal.json.JsonReader;
import io.github.infermetrics.core.internal.json.SourceText;
import io.github.infermetrics.core.internal.json.TreeText;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each valid/NAME.yml reads to the tree of valid/NAME.json; each invalid case fails with the message listed. */
class YamlReaderTest {
  static Path dir(String name) {
    try {
      return Path.of(YamlReaderTest.class.getResource("/discovery/yaml/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> validCases() throws IOException {
    try (Stream<Path> files = Files.list(dir("valid"))) {
      List<Path> yml = files.filter(p -> p.toString().endsWith(".yml")).sorted().collect(Collectors.toList());
      return yml.stream().map(p -> Arguments.of(p.getFileName().toString(), p));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validCases")
  void readsTheSupportedSubset(String name, Path yml) throws IOException {
    Path json = yml.resolveSibling(name.replace(".yml", ".json"));
    String expected = TreeText.render(JsonReader.read(SourceText.decodeUtf8(json.toString(), Files.readAllBytes(json))));
    String actual = TreeText.render(YamlReader.read(SourceText.decodeUtf8(name, Files.readAllBytes(yml))));
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> invalidCases() throws IOException {
    return Files.readAllLines(dir("invalid").resolve("cases.txt")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t", 2))
        .map(f -> Arguments.of(f[0], f[1]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void rejectsWithLineColumnPathAndTheConstruct(String file, String message) throws IOException {
    byte[] bytes = Files.readAllBytes(dir("invalid").resolve(file));
    assertThatThrownBy(() -> YamlReader.read(SourceText.decodeUtf8(file, bytes)))
        .isInstanceOf(JsonException.class)
        .hasMessage(file + ":" + message);
  }

  @Test
  void nestingIsBounded() {
    String deep = "[".repeat(YamlReader.MAX_DEPTH + 1) + "]".repeat(YamlReader.MAX_DEPTH + 1);
    assertThatThrownBy(() -> YamlReader.read(new SourceText("d.yml", deep)))
        .hasMessageContaining("nested deeper than 64 levels (YamlReader.MAX_DEPTH)");
  }

  @Test
  void aQuotedNullIsAString() {
    assertThat(TreeText.render(YamlReader.read(new SourceText("q.yml", "[null, 'null', \"~\", ~, '']"))))
        .isEqualTo("[null,\"null\",\"~\",null,\"\"]");
  }
}

package io.github.infermetrics.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.testing.ChunkedInputStream;
import io.github.infermetrics.core.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenMetrics 1.0 parser conformance suite ({@code ../shared/conformance/openmetrics}, 211 cases): in strict
 * mode every verdict must match {@code test.json}; the valid cases also parse in lenient mode, and through the
 * {@code InputStream} path.
 */
class OpenMetricsConformanceTest {
  private static final Pattern SHOULD_PARSE = Pattern.compile("\"shouldParse\"\\s*:\\s*(true|false)");

  record Case(String name, byte[] metrics, boolean shouldParse) {}

  static List<Case> cases() throws IOException {
    Path dir = SharedData.dir("conformance/openmetrics");
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path c : (Iterable<Path>) s.sorted()::iterator) {
        Path json = c.resolve("test.json");
        if (!Files.isRegularFile(json)) {
          continue;
        }
        Matcher m = SHOULD_PARSE.matcher(Files.readString(json));
        assertThat(m.find()).as("shouldParse in %s", json).isTrue();
        cases.add(new Case(c.getFileName().toString(), Files.readAllBytes(c.resolve("metrics")),
            Boolean.parseBoolean(m.group(1))));
      }
    }
    return cases;
  }

  @Test
  void suiteHas211Cases() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSize(211);
    assertThat(cases.stream().filter(Case::shouldParse)).hasSize(44);
  }

  @TestFactory
  Stream<DynamicTest> strictVerdictMatchesTestJson() throws IOException {
    ExpositionParser strict = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).strict(true).build();
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      strict.reset(c.metrics());
      if (c.shouldParse()) {
        assertThatCode(() -> Expositions.drain(strict)).as(c.name()).doesNotThrowAnyException();
      } else {
        assertThatThrownBy(() -> Expositions.drain(strict)).as(c.name())
            .isInstanceOf(ExpositionParseException.class);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> validCasesParseLenientAndStreamed() throws IOException {
    ExpositionParser lenient = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).build();
    ExpositionParser detecting = ExpositionParser.create();
    ExpositionParser strict = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).strict(true).build();
    return cases().stream().filter(Case::shouldParse).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      List<String> expected = Expositions.events(strict.reset(c.metrics()));
      assertThat(Expositions.events(lenient.reset(c.metrics()))).isEqualTo(expected);
      assertThat(Expositions.events(detecting.reset(c.metrics()))).isEqualTo(expected);
      assertThat(detecting.format()).isEqualTo(ExpositionFormat.OPENMETRICS);
      assertThat(Expositions.events(strict.reset(new ChunkedInputStream(c.metrics(), new int[] {1}))))
          .isEqualTo(expected);
      assertThat(Expositions.events(strict.reset(new ByteArrayInputStream(c.metrics())))).isEqualTo(expected);
    }));
  }
}

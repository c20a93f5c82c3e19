package io.github.infermetrics.neuron.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.infermetrics.neuron.NeuronReport;
import io.github.infermetrics.neuron.NeuronReportException;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inputs the neuron campaigns found (RELIABILITY.md), kept in {@code src/test/resources/.../fuzz/findings}.
 *
 * <p>All are one bug: bytes such as {@code 0d 00 00 00 7b} make Jackson guess UTF-32 (or UTF-16) from the zero
 * bytes and then fail with a {@code CharConversionException}, an {@code IOException} that {@code parse} wrapped in
 * an {@code UncheckedIOException}. In the streaming reader that ended the whole stream on one bad line. Such a line
 * is now a {@link NeuronReportException} like any other bad report.
 */
class NeuronFuzzFindingsTest {
  private static final String GOOD = "{\"neuron_runtime_data\":[],\"system_data\":{}}";

  static Stream<Path> findings() throws IOException, URISyntaxException {
    Path dir = Paths.get(Objects.requireNonNull(NeuronFuzzFindingsTest.class.getResource("findings")).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("findings")
  void aDocumentThatLooksLikeUtf32IsABadReport(Path file) throws IOException {
    byte[] input = Files.readAllBytes(file);
    NeuronReportException e = catchThrowableOfType(NeuronReportException.class,
        () -> NeuronReportReader.parse(input));
    assertThat(e.reason()).startsWith("not a UTF-8 JSON document: ");
    assertThat(e.jsonPath()).isEqualTo("$");
  }

  @ParameterizedTest
  @MethodSource("findings")
  void theStreamGoesOnAfterSuchALine(Path file) throws IOException {
    // the finding is line 1 (line 2 for the one that starts with a line feed); a good report follows
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(Files.readAllBytes(file));
    body.write(("\n" + GOOD + "\n").getBytes(StandardCharsets.UTF_8));
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = new ArrayList<>();
    try (NeuronReportReader reader = NeuronReportReader.builder().onError(errors::add)
        .build(new ByteArrayInputStream(body.toByteArray()))) {
      reader.forEach(reports::add);
    }
    // (split at its line feed, that one is another bad line: the point is that the stream goes on)
    assertThat(errors).singleElement().satisfies(e -> assertThat(e.line()).isBetween(1L, 2L));
    assertThat(reports).hasSize(1);
  }
}

package io.github.infermetrics.neuron.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.infermetrics.core.testing.SyntheticInputStream;
import io.github.infermetrics.neuron.NeuronReport;
import io.github.infermetrics.neuron.NeuronReportException;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile neuron-monitor output, made up as it is read: each ends with the documented error naming the limit,
 * and the reader goes on with the next line. Runs in its own surefire execution with {@code -Xmx96m} (see
 * neuron/pom.xml); each test has a time bound.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NeuronHostileInputTest {
  private static final String GOOD = "{\"neuron_runtime_data\":[],\"system_data\":{}}";

  @Test
  void aHundredMegabyteLineIsSkippedAtTheLineLimitAndTheNextLineIsRead() {
    // 100 MiB: an opening brace and 1,600 pieces of 64 KiB of spaces, then a good report on the next line
    SyntheticInputStream in = SyntheticInputStream.of("{", i -> " ".repeat(64 * 1024), 1_600,
        "}\n" + GOOD + "\n");
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = new ArrayList<>();
    try (NeuronReportReader reader = NeuronReportReader.builder().onError(errors::add).build(in)) {
      reader.forEach(reports::add);
    }
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.reason()).contains("maxLineBytes = " + NeuronReportReader.DEFAULT_MAX_LINE_BYTES)
          .contains("raise NeuronReportReader.Builder.maxLineBytes");
    });
    assertThat(reports).hasSize(1);
    // the whole stream was read (to find the next line), but the line buffer never held more than the limit
    assertThat(in.bytesRead()).isGreaterThan(100L << 20);
  }

  @Test
  void jsonNestedAHundredThousandDeepStopsAtJacksonsNestingLimit() {
    String deep = "{\"system_data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    NeuronReportException e = catchThrowableOfType(NeuronReportException.class,
        () -> NeuronReportReader.parse(deep));
    // Jackson's default StreamReadConstraints: 1,000 levels
    assertThat(e.reason()).contains("nesting depth (1001) exceeds the maximum allowed (1000")
        .contains("StreamReadConstraints.getMaxNestingDepth()");
    assertThat(e.jsonPath()).startsWith("$.system_data[0][0]");
  }

  @Test
  void jsonNestedAHundredThousandDeepInAStreamIsSkipped() {
    SyntheticInputStream in = SyntheticInputStream.of("", i -> i < 100_000 ? "{\"a\":" : "}", 200_000,
        "\n" + GOOD + "\n");
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = new ArrayList<>();
    try (NeuronReportReader reader = NeuronReportReader.builder().onError(errors::add).build(in)) {
      reader.forEach(reports::add);
    }
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.reason()).contains("StreamReadConstraints.getMaxNestingDepth()");
    });
    assertThat(reports).hasSize(1);
  }
}

package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading a label that some samples lack (issue 17): {@code labelValue(labelIndex(name))} and the by-name
 * accessors give {@code null} for an absent label instead of throwing, on real scrapes whose samples mix label
 * sets (vLLM's {@code python_info} has no {@code model_name}).
 */
class AbsentLabelTest {
  private final ExpositionParser parser = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();

  @Test
  void anAbsentLabelIsNullByIndexAndByName() {
    parser.reset("a{model_name=\"m\",le=\"1\"} 1\nb 2\n".getBytes(UTF_8));
    assertThat(parser.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(parser.labelValue("model_name")).hasToString("m");
    assertThat(parser.labelValueString("model_name")).isEqualTo("m");
    assertThat(parser.labelValue(parser.labelIndex("model_name"))).hasToString("m");
    assertThat(parser.labelValue("nope")).isNull();
    assertThat(parser.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(parser.labelIndex("model_name")).isEqualTo(-1);
    assertThat(parser.labelValue(parser.labelIndex("model_name"))).isNull();
    assertThat(parser.labelValueString(parser.labelIndex("model_name"))).isNull();
    assertThat(parser.labelValue("model_name")).isNull();
    assertThat(parser.labelValueString("model_name")).isNull();
  }

  @Test
  void otherIndexesOutsideTheLabelsStillThrow() {
    parser.reset("a{x=\"1\"} 1\n".getBytes(UTF_8));
    parser.next();
    assertThatThrownBy(() -> parser.labelValue(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> parser.labelValue(-2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> parser.labelValueString(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /** The README's streaming loop, on every sample of real scrapes, with a label only some samples carry. */
  @ParameterizedTest
  @CsvSource({
    "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt, model_name",
    "fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt, model_name",
    "fixtures/triton/triton_metrics_datadog-fixture.txt, model",
  })
  void theReadmeLoopRunsOnRealScrapes(String file, String label) throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.dir(file));
    int with = 0;
    int without = 0;
    parser.reset(bytes);
    for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
      if (e == ExpositionEvent.SAMPLE) {
        CharSequence model = parser.labelValue(label);
        assertThat(model).isEqualTo(parser.labelValue(parser.labelIndex(label)));
        if (model == null) {
          without++;
        } else {
          with++;
        }
      }
    }
    assertThat(with).as("samples with %s", label).isPositive();
    assertThat(without).as("samples without %s", label).isPositive();
  }
}

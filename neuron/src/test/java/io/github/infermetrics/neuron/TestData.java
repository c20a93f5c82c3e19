package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test data: the hand-written reports under {@code src/test/resources/reports}, and the real fixtures kept outside
 * the repository in {@code ../shared} (the pattern of core's {@code SharedData}: tests that need them skip with a
 * message when the folder is missing).
 */
final class TestData {
  static final String NO_RUNTIME = "fixtures/neuron/neuron-monitor_trn1.2xlarge_no-runtime.ndjson";
  static final String WITH_RUNTIME = "fixtures/neuron/neuron-monitor_trn1.2xlarge_with-runtime_wandb-test-sample.json";
  static final String PROMETHEUS_SCRAPE = "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt";

  private TestData() {}

  /** A hand-written report from {@code src/test/resources/reports}. */
  static byte[] resource(String name) {
    try (InputStream in = TestData.class.getResourceAsStream("/reports/" + name)) {
      assertThat(in).as("test resource reports/" + name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NeuronReport report(String name) {
    return NeuronReportReader.parse(resource(name));
  }

  /** A report as one NDJSON line (without the line end), as neuron-monitor prints it. */
  static String line(byte[] json) {
    try {
      return NeuronReportReader.MAPPER.readTree(json).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shared folder, or null when it is not there. */
  static Path sharedRoot() {
    return SharedData.root();
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  static Path shared(String relative) {
    return SharedData.dir(relative);
  }

  static byte[] sharedBytes(String relative) {
    try {
      return Files.readAllBytes(shared(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

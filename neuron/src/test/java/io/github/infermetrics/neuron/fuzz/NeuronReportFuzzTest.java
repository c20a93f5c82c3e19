package io.github.infermetrics.neuron.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.infermetrics.core.testing.ChunkedInputStream;
import io.github.infermetrics.neuron.NeuronReport;
import io.github.infermetrics.neuron.NeuronReportException;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the neuron-monitor JSON reader. Regression inputs are in
 * {@code src/test/resources/.../NeuronReportFuzzTestInputs/<method>/}; a campaign (RELIABILITY.md) also seeds from
 * {@code ../shared/fixtures/neuron}.
 *
 * <p>Properties: only {@link NeuronReportException} escapes {@code parse}, with a JSON path and a reason; the
 * streaming reader never throws on bad lines, reports each one with a line number inside the stream, keeps no line
 * longer than its limit, and agrees with {@code parse} on every line; time is linear in the input.
 */
class NeuronReportFuzzTest {
  private static final long FIXED_NANOS = 2_000_000_000L;
  private static final long NANOS_PER_BYTE = 20_000L;

  @FuzzTest
  void parseOneReport(byte[] json) {
    long start = System.nanoTime();
    try {
      if (NeuronReportReader.parse(json) == null) {
        throw new AssertionError("parse returned null");
      }
    } catch (NeuronReportException e) {
      checkError(e);
    }
    checkTime(start, json.length);
  }

  @FuzzTest
  void readLinesInRandomChunks(FuzzedDataProvider data) {
    int maxLineBytes = data.consumeInt(2, 8192);
    int chunk = data.consumeInt(1, 10_000);
    byte[] body = data.consumeRemainingAsBytes();
    List<NeuronReportException> errors = new ArrayList<>();
    long start = System.nanoTime();
    List<NeuronReport> reports = new ArrayList<>();
    try (NeuronReportReader reader = NeuronReportReader.builder().maxLineBytes(maxLineBytes).onError(errors::add)
        .build(new ChunkedInputStream(body, new int[] {chunk}))) {
      reader.forEach(reports::add);
      if (reports.size() + errors.size() > reader.lines()) {
        throw new AssertionError(reports.size() + " reports and " + errors.size() + " errors from "
            + reader.lines() + " lines");
      }
      for (NeuronReportException e : errors) {
        checkError(e);
        if (e.line() < 1 || e.line() > reader.lines()) {
          throw new AssertionError("error on line " + e.line() + " of " + reader.lines() + ": " + e.getMessage());
        }
      }
    }
    checkTime(start, body.length);
    // Every line the reader accepted must be one parse() accepts and reads the same.
    List<NeuronReport> expected = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        // The reader's rules: the limit counts the raw line; a \r before \n is dropped; blank is spaces, tabs, \r.
        boolean ended = i < body.length;
        int to = ended && i > from && body[i - 1] == '\r' ? i - 1 : i;
        if (i - from <= maxLineBytes && !isBlank(body, from, to)) {
          try {
            expected.add(NeuronReportReader.parse(Arrays.copyOfRange(body, from, to)));
          } catch (NeuronReportException e) {
            // reported through onError above
          }
        }
        from = i + 1;
      }
    }
    if (!expected.equals(reports)) {
      throw new AssertionError("the reader read " + reports.size() + " reports, parse() of each line "
          + expected.size());
    }
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void checkError(NeuronReportException e) {
    if (e.reason() == null || e.reason().isEmpty() || e.jsonPath() == null || !e.jsonPath().startsWith("$")) {
      throw new AssertionError("an error without a reason or JSON path: " + e.getMessage(), e);
    }
  }

  private static void checkTime(long start, int length) {
    long nanos = System.nanoTime() - start;
    if (nanos > FIXED_NANOS + NANOS_PER_BYTE * length) {
      throw new AssertionError(length + " bytes took " + nanos / 1_000_000 + " ms");
    }
  }
}

package io.github.infermetrics.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.fuzz.ParserProperties.Mode;
import io.github.infermetrics.core.fuzz.ParserProperties.Outcome;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import io.github.infermetrics.core.testing.ChunkedInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * Fuzz targets for the exposition parser and the snapshot reader. In {@code ./mvnw verify} they run in regression
 * mode over the inputs in {@code src/test/resources/.../ExpositionFuzzTestInputs/<method>/}; RELIABILITY.md has
 * the command for a real campaign, which also seeds from {@code ../shared/conformance} and
 * {@code ../shared/fixtures}. The properties are in {@link ParserProperties}.
 *
 * <p>Parsers are reused across inputs, as a scrape loop reuses them, so state leaking from one exposition into the
 * next is in scope too.
 */
class ExpositionFuzzTest {
  private static final Map<Mode, ExpositionParser> REJECTING = new EnumMap<>(Mode.class);
  private static final Map<Mode, ExpositionParser> SKIPPING = new EnumMap<>(Mode.class);

  static {
    for (Mode m : Mode.values()) {
      REJECTING.put(m, m.newParser(BadLinePolicy.REJECT));
      SKIPPING.put(m, m.newParser(BadLinePolicy.SKIP));
    }
  }

  @FuzzTest
  void prometheusTextLenient(byte[] input) {
    parseBothPolicies(Mode.TEXT_LENIENT, input);
  }

  @FuzzTest
  void prometheusTextStrict(byte[] input) {
    parseBothPolicies(Mode.TEXT_STRICT, input);
  }

  @FuzzTest
  void openMetricsLenient(byte[] input) {
    parseBothPolicies(Mode.OPENMETRICS_LENIENT, input);
  }

  @FuzzTest
  void openMetricsStrict(byte[] input) {
    parseBothPolicies(Mode.OPENMETRICS_STRICT, input);
  }

  /** The stream path, with the body cut into random chunks, must agree with the array path. */
  @FuzzTest
  void streamInRandomChunks(FuzzedDataProvider data) {
    Mode mode = data.pickValue(Mode.values());
    int[] chunks = new int[data.consumeInt(1, 8)];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = data.consumeInt(1, 5000);
    }
    byte[] input = data.consumeRemainingAsBytes();
    Outcome fromArray = ParserProperties.parse(REJECTING.get(mode), input);
    Outcome fromStream;
    try {
      fromStream = ParserProperties.parse(REJECTING.get(mode), new ChunkedInputStream(input, chunks), mode.format,
          input.length);
    } catch (RuntimeException e) {
      // the scenario in plain terms, for a regression test that does not need Jazzer's input encoding
      throw new AssertionError(mode + ", chunks " + Arrays.toString(chunks) + ", input (Base64) "
          + Base64.getEncoder().encodeToString(input), e);
    }
    if (!fromArray.sameAs(fromStream)) {
      throw new AssertionError(mode + ": the array gave " + fromArray.describe() + ", the stream in chunks of "
          + Arrays.toString(chunks) + " gave " + fromStream.describe());
    }
  }

  /**
   * The snapshot reader on top of the parser: only {@link ExpositionParseException} escapes (the point builders'
   * own checks must never surface as another exception), and a stream read gives the same snapshot.
   */
  @FuzzTest
  void snapshotReader(FuzzedDataProvider data) {
    Mode mode = data.pickValue(Mode.values());
    boolean detect = data.consumeBoolean();
    int chunk = data.consumeInt(1, 4096);
    byte[] input = data.consumeRemainingAsBytes();
    SnapshotReader reader = new SnapshotReader(detect
        ? ExpositionParser.builder().strict(mode.strict).limits(ParserProperties.LIMITS).build()
        : mode.newParser(BadLinePolicy.SKIP));
    MetricSnapshot fromArray;
    try {
      fromArray = reader.read(input);
    } catch (ExpositionParseException e) {
      ParserProperties.checkError(e, input.length);
      return;
    }
    if (fromArray.sampleCount() > ParserProperties.LIMITS.maxSeries()) {
      throw new AssertionError(fromArray.sampleCount() + " samples above maxSeries");
    }
    MetricSnapshot fromStream = reader.read(new ChunkedInputStream(input, new int[] {chunk}), fromArray.format());
    if (!fromArray.families().equals(fromStream.families())) {
      throw new AssertionError("the stream read differs:\n" + fromArray + "\n" + fromStream);
    }
  }

  private static void parseBothPolicies(Mode mode, byte[] input) {
    Outcome rejecting = ParserProperties.check(REJECTING.get(mode), input);
    Outcome skipping = ParserProperties.check(SKIPPING.get(mode), input);
    // Skipping bad lines can only drop lines: an input the rejecting parser accepts reads the same.
    if (rejecting.error() == null && !rejecting.sameAs(skipping)) {
      throw new AssertionError(mode + ": REJECT accepted " + rejecting.describe() + ", SKIP gave "
          + skipping.describe());
    }
  }
}

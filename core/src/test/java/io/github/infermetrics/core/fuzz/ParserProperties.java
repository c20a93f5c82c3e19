package io.github.infermetrics.core.fuzz;

import io.github.infermetrics.core.exposition.BadLinePolicy;
import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.ParserLimits;
import io.github.infermetrics.core.testing.AllocationMeter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The properties every parser input must satisfy, shared by the fuzz targets and the seed-corpus test.
 *
 * <ul>
 *   <li>Only {@link ExpositionParseException} escapes, with a location inside the input and a reason.
 *   <li>Time linear in the input: at most {@link #FIXED_NANOS} plus {@link #NANOS_PER_BYTE} per byte. The bound is
 *       loose on purpose (JIT and GC pauses must not make it flaky); it catches hangs and quadratic blow-ups,
 *       while the hostile-input suite measures the slope on megabytes.
 *   <li>Memory within the configured limits: every reported sample obeys {@link #LIMITS}, and the bytes allocated
 *       per parse stay below {@link #FIXED_BYTES} plus {@link #BYTES_PER_BYTE} per input byte.
 *   <li>Round trip: the samples of an accepted exposition, re-rendered as 0.0.4 text ({@link SampleText}) and
 *       parsed again, are the same samples.
 * </ul>
 */
final class ParserProperties {
  /** Smaller than the defaults so that fuzz inputs of a few kilobytes can reach every limit. */
  static final ParserLimits LIMITS = ParserLimits.builder()
      .maxLineLength(4096)
      .maxLabelsPerSeries(32)
      .maxNameLength(256)
      .maxLabelValueLength(1024)
      .maxSeries(2000)
      .maxFamilies(300)
      .maxHelpBytes(8192)
      .maxInputBytes(15_000)
      .build();
  /**
   * {@link #LIMITS} with the default bounds on the whole exposition (bytes, families, help), for the real files of
   * {@code ../shared}, which are longer than a fuzz input and should be read to their end.
   */
  static final ParserLimits SEED_LIMITS = LIMITS.toBuilder()
      .maxFamilies(ParserLimits.DEFAULTS.maxFamilies())
      .maxHelpBytes(ParserLimits.DEFAULTS.maxHelpBytes())
      .maxInputBytes(ParserLimits.DEFAULTS.maxInputBytes())
      .build();
  static final long FIXED_NANOS = 2_000_000_000L;
  static final long NANOS_PER_BYTE = 20_000L;
  static final long FIXED_BYTES = 4L << 20;
  static final long BYTES_PER_BYTE = 256;
  /** The first parses load and initialise classes, which allocates megabytes: the allocation bound starts after. */
  private static final int WARM_UP_PARSES = 64;
  private static int parses;

  /** The four parser configurations, one fuzz target each. */
  enum Mode {
    TEXT_LENIENT(ExpositionFormat.PROMETHEUS_TEXT, false),
    TEXT_STRICT(ExpositionFormat.PROMETHEUS_TEXT, true),
    OPENMETRICS_LENIENT(ExpositionFormat.OPENMETRICS, false),
    OPENMETRICS_STRICT(ExpositionFormat.OPENMETRICS, true);

    final ExpositionFormat format;
    final boolean strict;

    Mode(ExpositionFormat format, boolean strict) {
      this.format = format;
      this.strict = strict;
    }

    ExpositionParser newParser(BadLinePolicy policy) {
      return newParser(policy, LIMITS);
    }

    ExpositionParser newParser(BadLinePolicy policy, ParserLimits limits) {
      return ExpositionParser.builder().format(format).strict(strict).badLinePolicy(policy).limits(limits).build();
    }
  }

  private ParserProperties() {}

  /** What one parse gave: the samples, or the error that ended it. */
  record Outcome(List<ParsedSample> samples, ExpositionParseException error) {
    String describe() {
      return error != null ? "error " + error.getMessage() : samples.size() + " samples";
    }

    boolean sameAs(Outcome o) {
      if (error != null || o.error != null) {
        return error != null && o.error != null && error.reason().equals(o.error.reason())
            && error.line() == o.error.line() && error.column() == o.error.column();
      }
      return samples.equals(o.samples);
    }
  }

  /** Checks every property on one input; throws {@link AssertionError} (a finding) when one fails. */
  static Outcome check(ExpositionParser parser, byte[] input) {
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    long bytesBefore = meter.allocatedBytes();
    long start = System.nanoTime();
    Outcome outcome = parse(parser, input);
    long nanos = System.nanoTime() - start;
    long allocated = meter.allocatedBytes() - bytesBefore;
    if (nanos > FIXED_NANOS + NANOS_PER_BYTE * input.length) {
      throw new AssertionError("parsing " + input.length + " bytes took " + nanos / 1_000_000 + " ms");
    }
    // The outcome's own samples are counted too; they are part of the bound.
    if (++parses > WARM_UP_PARSES && allocated > FIXED_BYTES + BYTES_PER_BYTE * input.length) {
      // The first input to reach a path after the warm-up can load classes, which the Jazzer driver instruments
      // on this thread (megabytes, once). A cost of the parse itself comes back when the same input is parsed
      // again; a one-time cost does not.
      long again = meter.allocatedBytes();
      parse(parser, input);
      long repeat = meter.allocatedBytes() - again;
      if (repeat > FIXED_BYTES + BYTES_PER_BYTE * input.length) {
        throw new AssertionError("parsing " + input.length + " bytes allocated " + allocated + " bytes, and "
            + repeat + " bytes again");
      }
    }
    if (outcome.error() == null) {
      roundTrip(outcome.samples());
    }
    return outcome;
  }

  /** Parses an array, checking each sample against the limits and the shape of an error. */
  static Outcome parse(ExpositionParser parser, byte[] input) {
    parser.reset(input);
    return drain(parser, input.length);
  }

  /** Parses a stream of {@code length} bytes. */
  static Outcome parse(ExpositionParser parser, InputStream input, ExpositionFormat format, long length) {
    parser.reset(input, format);
    return drain(parser, length);
  }

  private static Outcome drain(ExpositionParser parser, long length) {
    List<ParsedSample> samples = new ArrayList<>();
    try {
      for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
        if (e == ExpositionEvent.SAMPLE) {
          ParsedSample s = ParsedSample.of(parser);
          checkLimits(s, parser.hasExemplar() ? parser.exemplarLabelCount() : 0);
          samples.add(s);
        }
      }
      if (samples.size() > LIMITS.maxSeries()) {
        throw new AssertionError(samples.size() + " samples, above maxSeries " + LIMITS.maxSeries());
      }
      return new Outcome(samples, null);
    } catch (ExpositionParseException e) {
      checkError(e, length);
      return new Outcome(samples, e);
    }
  }

  private static void checkLimits(ParsedSample s, int exemplarLabels) {
    if (s.labelNames().length > LIMITS.maxLabelsPerSeries()) {
      throw new AssertionError(s.labelNames().length + " labels, above maxLabelsPerSeries: " + s);
    }
    if (utf8Length(s.name()) > LIMITS.maxNameLength()) {
      throw new AssertionError("name above maxNameLength: " + s.name());
    }
    for (int i = 0; i < s.labelNames().length; i++) {
      if (utf8Length(s.labelNames()[i]) > LIMITS.maxNameLength()
          || utf8Length(s.labelValues()[i]) > LIMITS.maxLabelValueLength()) {
        throw new AssertionError("label above its length limit: " + s);
      }
    }
    if (exemplarLabels > LIMITS.maxExemplarLabelCodePoints()) {
      throw new AssertionError(exemplarLabels + " exemplar labels, above the code point limit: " + s);
    }
  }

  static void checkError(ExpositionParseException e, long length) {
    if (e.reason() == null || e.reason().isEmpty()) {
      throw new AssertionError("an error without a reason", e);
    }
    if (e.line() < 1 || e.column() < 1 || e.byteOffset() < 0 || e.byteOffset() > length) {
      throw new AssertionError("an error outside the input (" + length + " bytes): line " + e.line() + ", column "
          + e.column() + ", offset " + e.byteOffset() + ": " + e.reason(), e);
    }
    if (e.limit() != null && !e.reason().contains(e.limit())) {
      throw new AssertionError("a limit error that does not name its limit " + e.limit() + ": " + e.reason(), e);
    }
  }

  /** Renders the samples as 0.0.4 text, parses that leniently, and expects the same samples back. */
  static void roundTrip(List<ParsedSample> samples) {
    if (samples.isEmpty()) {
      return;
    }
    byte[] text = SampleText.render(samples).getBytes(StandardCharsets.UTF_8);
    // Escaping and number spelling lengthen lines: give the second parse room, nothing else changes.
    ParserLimits roomy = LIMITS.toBuilder()
        .maxLineLength(LIMITS.maxLineLength() * 4 + 1024)
        .maxLabelValueLength(LIMITS.maxLabelValueLength() * 2)
        .maxFamilies(ParserLimits.DEFAULTS.maxFamilies())
        .maxInputBytes(ParserLimits.DEFAULTS.maxInputBytes())
        .build();
    ExpositionParser again = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).limits(roomy).build();
    Outcome back = parse(again, text);
    if (back.error() != null) {
      throw new AssertionError("the re-rendered samples do not parse: " + back.error().getMessage() + "\n"
          + new String(text, StandardCharsets.UTF_8), back.error());
    }
    if (!back.samples().equals(samples)) {
      throw new AssertionError("round trip changed the samples:\n" + samples + "\n" + back.samples());
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}

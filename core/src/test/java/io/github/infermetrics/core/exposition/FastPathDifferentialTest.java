package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser's fast paths for common sample, HELP and TYPE lines ({@code fastSample}, {@code fastComment}) against
 * its general path: with the fast paths off, every input gives the same events, the same values and the same error
 * (reason, line, column, offset), in both formats, lenient and strict, with both bad-line policies. Inputs: every
 * file of {@code ../shared}'s conformance suites and fixtures, and their lines (samples, HELP and TYPE) mutated at
 * random (blanks, quotes, escapes, braces, commas, signs, exponents, type words, non-ASCII and invalid UTF-8,
 * carriage returns, cut lines). And what the parser remembers from one exposition to the next (names, families in
 * order) changes nothing in how it reads the next one.
 */
class FastPathDifferentialTest {

  private static ExpositionParser parser(ExpositionFormat format, boolean strict, BadLinePolicy policy, boolean fast) {
    ExpositionParser p = ExpositionParser.builder().format(format).strict(strict).badLinePolicy(policy).build();
    p.fastPath = fast;
    return p;
  }

  /** Every event described, then the error, if any, with its location. */
  private static List<String> run(ExpositionParser p, byte[] input) {
    p.reset(input);
    return Expositions.transcript(p);
  }

  private static void assertSame(ExpositionFormat format, boolean strict, BadLinePolicy policy, byte[] input,
      String what) {
    List<String> general = run(parser(format, strict, policy, false), input);
    // twice with one parser: the second parse starts from the names remembered by the first
    ExpositionParser fast = parser(format, strict, policy, true);
    assertThat(run(fast, input)).as(what).isEqualTo(general);
    assertThat(run(fast, input)).as(what + " (parsed again)").isEqualTo(general);
  }

  @ParameterizedTest
  @MethodSource("io.github.infermetrics.core.exposition.Expositions#configurations")
  void sharedFilesParseAlikeOnBothPaths(ExpositionFormat format, boolean strict, BadLinePolicy policy)
      throws IOException {
    for (Path file : Expositions.sharedFiles("conformance", "fixtures")) {
      assertSame(format, strict, policy, Files.readAllBytes(file), file.toString());
    }
  }

  /** Tight limits, so that every limit is reached somewhere in the shared files, on both paths alike. */
  @ParameterizedTest
  @MethodSource("io.github.infermetrics.core.exposition.Expositions#configurations")
  void tightLimitsStopBothPathsAlike(ExpositionFormat format, boolean strict, BadLinePolicy policy) throws IOException {
    ParserLimits[] tight = {
      ParserLimits.builder().maxLineLength(60).build(),
      ParserLimits.builder().maxNameLength(20).build(),
      ParserLimits.builder().maxLabelValueLength(6).maxLabelsPerSeries(2).build(),
      ParserLimits.builder().maxSeries(40).maxFamilies(7).build(),
    };
    for (ParserLimits limits : tight) {
      for (Path file : Expositions.sharedFiles("conformance", "fixtures")) {
        if (!file.toString().contains("fixtures")) {
          continue;
        }
        byte[] input = Files.readAllBytes(file);
        List<String> general = run(limited(format, strict, policy, limits, false), input);
        assertThat(run(limited(format, strict, policy, limits, true), input)).as(file + " " + limits)
            .isEqualTo(general);
      }
    }
  }

  private static ExpositionParser limited(ExpositionFormat format, boolean strict, BadLinePolicy policy,
      ParserLimits limits, boolean fast) {
    ExpositionParser p =
        ExpositionParser.builder().format(format).strict(strict).badLinePolicy(policy).limits(limits).build();
    p.fastPath = fast;
    return p;
  }

  private static final String[] EDITS = {" ", "\t", "# HELP ", "# TYPE ", "counter", "gauge\n", "UNTYPED", "\"",
      "\\", "\\\\", "\\n", "\\q", "{", "}", ",", ",}", "=", "0", "9", ".", "e", "E+", "-", "+", "x", "_", ":", "#",
      "\r", "\n", "é", "\u00ff\u00fe", "Inf", "NaN", "1e400", "__name__=\"", "le=\"", "\"a\"", " # {a=\"b\"} 1", " 123",
      "\u0000"};

  @ParameterizedTest
  @MethodSource("io.github.infermetrics.core.exposition.Expositions#configurations")
  void mutatedLinesParseAlikeOnBothPaths(ExpositionFormat format, boolean strict, BadLinePolicy policy)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : Expositions.sharedFiles("conformance", "fixtures")) {
      if (file.toString().contains("fixtures")) {
        for (String line : new String(Files.readAllBytes(file), UTF_8).split("\n")) {
          if (!line.isEmpty() && line.length() < 300) {
            lines.add(line);
          }
        }
      }
    }
    assertThat(lines).hasSizeGreaterThan(1000);
    SplittableRandom random = new SplittableRandom(24);
    for (int round = 0; round < 300; round++) {
      StringBuilder body = new StringBuilder();
      int start = random.nextInt(lines.size() - 20);
      for (int k = 0; k < 12; k++) {
        String line = lines.get(start + k);
        if (random.nextInt(3) == 0) {
          int at = random.nextInt(line.length() + 1);
          String edit = EDITS[random.nextInt(EDITS.length)];
          line = random.nextBoolean() || at == line.length() ? line.substring(0, at) + edit + line.substring(at)
              : line.substring(0, at) + edit + line.substring(at + 1);
        }
        body.append(line).append('\n');
      }
      if (format == ExpositionFormat.OPENMETRICS) {
        body.append("# EOF\n");
      }
      byte[] input = body.toString().getBytes(UTF_8);
      if (random.nextInt(10) == 0) {
        input = java.util.Arrays.copyOf(input, random.nextInt(input.length));
      }
      assertSame(format, strict, policy, input, "round " + round + ":\n" + new String(input, UTF_8));
    }
  }

  /**
   * A parser remembers the names of the exposition it read last (a target's next scrape usually repeats them):
   * after reading one exposition, it reads another (its metric families reordered, dropped, repeated, renamed) as
   * a fresh parser does.
   */
  @ParameterizedTest
  @MethodSource("io.github.infermetrics.core.exposition.Expositions#configurations")
  void aParserThatReadOneExpositionReadsTheNextLikeAFreshOne(ExpositionFormat format, boolean strict,
      BadLinePolicy policy) throws IOException {
    List<List<String>> blocks = Expositions.fixtureBlocks();
    SplittableRandom random = new SplittableRandom(17);
    for (int round = 0; round < 100; round++) {
      int start = random.nextInt(blocks.size() - 12);
      List<List<String>> first = new ArrayList<>(blocks.subList(start, start + 10));
      List<List<String>> second = new ArrayList<>(first);
      switch (random.nextInt(5)) {
        case 0 -> java.util.Collections.swap(second, random.nextInt(10), random.nextInt(10));
        case 1 -> second.remove(random.nextInt(second.size()));
        case 2 -> second.add(random.nextInt(second.size()), second.get(random.nextInt(second.size())));
        case 3 -> second.set(random.nextInt(second.size()), blocks.get(random.nextInt(blocks.size())));
        default -> java.util.Collections.shuffle(second, new java.util.Random(round));
      }
      byte[] a = Expositions.join(first, format);
      byte[] b = Expositions.join(second, format);
      ExpositionParser reused = parser(format, strict, policy, true);
      run(reused, a);
      assertThat(run(reused, b)).as("round " + round).isEqualTo(run(parser(format, strict, policy, true), b));
    }
  }

  @Test
  void repeatedLabelNamesStillFindDuplicates() {
    // the names of the checked previous line are trusted by position; a changed name is checked again
    byte[] input = "a{x=\"1\",y=\"2\"} 1\na{y=\"1\",y=\"2\"} 1\n".getBytes(UTF_8);
    for (boolean fast : new boolean[] {false, true}) {
      ExpositionParser p = parser(ExpositionFormat.PROMETHEUS_TEXT, false, BadLinePolicy.SKIP, fast);
      p.reset(input);
      assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
      assertThat(p.next()).isEqualTo(ExpositionEvent.END);
      assertThat(p.lastSkippedError().reason()).isEqualTo("duplicate label name y");
    }
  }
}

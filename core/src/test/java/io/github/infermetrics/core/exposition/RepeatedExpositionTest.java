package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a parser keeps from the exposition it read last, to read a target's next one faster (the families in order,
 * their names and help texts where they were, the last metric name as a view of a family's name), changes nothing:
 * after one exposition, a parser reads the next one (its HELP lines, names and samples edited at random, families
 * dropped or moved, from an array or a stream read in small pieces, with tight help and line limits) as a fresh
 * parser does, help texts included.
 */
class RepeatedExpositionTest {

  private static final ParserLimits[] LIMITS = {
    ParserLimits.DEFAULTS,
    ParserLimits.builder().maxHelpBytes(600).build(),
    ParserLimits.builder().maxLineLength(70).build(),
  };

  /** Edits of a HELP text that keep its length, change it, or make it need unescaping or a UTF-8 check. */
  private static final String[] HELP_EDITS = {"x", " ", "\\", "\\\\", "\\n", "\\q", "\u00e9", "\u00ff\u00fe", "\r",
      "\u0000", "\t", "\"", "# TYPE ", "\n", ""};

  @ParameterizedTest
  @MethodSource("io.github.infermetrics.core.exposition.Expositions#configurations")
  void theNextExpositionWithEditedHelpTextsReadsAsWithAFreshParser(ExpositionFormat format, boolean strict,
      BadLinePolicy policy) throws IOException {
    List<List<String>> blocks = Expositions.fixtureBlocks();
    SplittableRandom random = new SplittableRandom(24);
    for (int round = 0; round < 150; round++) {
      int start = random.nextInt(blocks.size() - 12);
      List<List<String>> first = new ArrayList<>(blocks.subList(start, start + 10));
      List<List<String>> second = new ArrayList<>();
      for (List<String> block : first) {
        List<String> edited = new ArrayList<>();
        for (String line : block) {
          edited.add(random.nextInt(3) == 0 ? edit(line, random) : line);
          if (line.startsWith("# HELP") && random.nextInt(12) == 0) {
            edited.add(edit(line, random)); // a second HELP line
          }
        }
        if (random.nextInt(15) != 0) {
          second.add(edited);
        }
      }
      if (random.nextInt(5) == 0 && second.size() > 1) {
        java.util.Collections.swap(second, random.nextInt(second.size()), random.nextInt(second.size()));
      }
      byte[] a = Expositions.join(first, format);
      byte[] b = Expositions.join(second, format);
      ParserLimits limits = LIMITS[round % LIMITS.length];
      List<String> fresh = run(parser(format, strict, policy, limits), b, false);
      ExpositionParser reused = parser(format, strict, policy, limits);
      run(reused, a, false);
      assertThat(run(reused, b, false)).as("round " + round + ":\n" + new String(b, UTF_8)).isEqualTo(fresh);
      assertThat(run(reused, b, false)).as("round " + round + " again").isEqualTo(fresh);
      ExpositionParser streamed = parser(format, strict, policy, limits);
      run(streamed, a, true);
      assertThat(run(streamed, b, true)).as("round " + round + " streamed").isEqualTo(run(
          parser(format, strict, policy, limits), b, true));
      // reads of up to 1,000 bytes: most lines (and kept HELP and TYPE pairs) whole in the buffer, some cut
      ExpositionParser chunked = parser(format, strict, policy, limits);
      run(chunked, a, 1_000);
      assertThat(run(chunked, b, 1_000)).as("round " + round + " in reads of 1,000 bytes").isEqualTo(run(
          parser(format, strict, policy, limits), b, 1_000));
    }
  }

  /** A HELP line: its text edited at one place (or cut, or grown); another line: one byte changed at most. */
  private static String edit(String line, SplittableRandom random) {
    if (!line.startsWith("# HELP ")) {
      int at = random.nextInt(line.length() + 1);
      return line.substring(0, at) + HELP_EDITS[random.nextInt(HELP_EDITS.length)]
          + line.substring(Math.min(line.length(), at + random.nextInt(2)));
    }
    int text = line.indexOf(' ', 7) + 1;
    if (text == 0) {
      return line + " x";
    }
    int at = text + random.nextInt(line.length() - text + 1);
    return switch (random.nextInt(4)) {
      case 0 -> line.substring(0, at); // shorter (or unchanged at the end)
      case 1 -> line + HELP_EDITS[random.nextInt(HELP_EDITS.length)]; // longer
      case 2 -> line.substring(0, at) + HELP_EDITS[random.nextInt(HELP_EDITS.length)]
          + line.substring(Math.min(line.length(), at + 1)); // replaced: the same length for one byte
      default -> line.substring(0, at) + HELP_EDITS[random.nextInt(HELP_EDITS.length)] + line.substring(at);
    };
  }

  @Test
  void aFamilyNamedQuotedIsNotFoundUnquotedInTheNextExposition() {
    // my.metric is no plain name: unquoted it is an invalid line, whatever the parser read before
    byte[] first = "# HELP \"my.metric\" x\n# TYPE \"my.metric\" gauge\n{\"my.metric\"} 1\n".getBytes(UTF_8);
    byte[] second = "# HELP my.metric x\n# TYPE my.metric gauge\nmy.metric 1\n".getBytes(UTF_8);
    for (boolean strict : new boolean[] {false, true}) {
      ExpositionParser reused = parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.REJECT,
          ParserLimits.DEFAULTS);
      run(reused, first, false);
      List<String> again = run(reused, second, false);
      assertThat(again).isEqualTo(run(parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.REJECT,
          ParserLimits.DEFAULTS), second, false));
      assertThat(again.get(again.size() - 1)).startsWith("ERROR invalid metric name in HELP line");
    }
  }

  @Test
  void aQuotedFamilysSuffixedNameIsNotTakenUnquoted() {
    // my.metric_sum was read quoted; unquoted it is an invalid line, in the same exposition and the next one
    String summary = "# TYPE \"my.metric\" summary\n{\"my.metric_sum\"} 1\n{\"my.metric_count\"} 1\n";
    byte[] same = (summary + "my.metric_sum 2\nother_metric 3\n").getBytes(UTF_8);
    for (boolean strict : new boolean[] {false, true}) {
      for (BadLinePolicy policy : BadLinePolicy.values()) {
        ExpositionParser reused = parser(ExpositionFormat.PROMETHEUS_TEXT, strict, policy, ParserLimits.DEFAULTS);
        List<String> expected = run(parser(ExpositionFormat.PROMETHEUS_TEXT, strict, policy, ParserLimits.DEFAULTS),
            same, false);
        assertThat(expected).anyMatch(e -> e.contains("invalid character in metric name @4:3"));
        assertThat(run(reused, same, false)).isEqualTo(expected);
        assertThat(run(reused, same, false)).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSuffixedNameIsNotKeptForTheNextFamilyAtTheSameOrdinal() {
    // family 0 is a, then ab: ab_sum must not take the name a_sum kept for the family before
    String[] expositions = {
      "# TYPE a summary\na_sum 1\na_count 1\nz 1\n",
      "# TYPE ab summary\nab_sum 2\nab_count 3\nz 1\n",
      "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_sum 1\na_count 1\nz 1\n",
      "# TYPE a summary\na_sum 1\na_count 1\nz 1\n",
    };
    for (boolean strict : new boolean[] {false, true}) {
      ExpositionParser reused = parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.REJECT,
          ParserLimits.DEFAULTS);
      for (String first : expositions) {
        for (String next : expositions) {
          byte[] b = next.getBytes(UTF_8);
          run(reused, first.getBytes(UTF_8), false);
          List<String> again = run(reused, b, false);
          assertThat(again).as(first + "\nthen\n" + next).isEqualTo(
              run(parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.REJECT, ParserLimits.DEFAULTS), b,
                  false));
          assertThat(again).as(next).anyMatch(e -> e.contains(next.contains("ab_sum") ? "ab_sum" : "a_sum"));
        }
      }
    }
  }

  @Test
  void helpTextsStayAvailableAfterTheirFamiliesMoveOrChange() {
    String a = "# HELP a first text\n# TYPE a gauge\na 1\n# HELP bb second text\n# TYPE bb counter\nbb 2\n"
        + "# HELP ccc third text\nccc 3\n";
    String[] next = {
      a,
      a.replace("second text", "second tExt"),
      a.replace("second text", "second tex"),
      a.replace("second text", "second text, longer"),
      a.replace("# HELP bb second text\n", ""),
      a.replace("# HELP bb second text\n", "# HELP bb second text\n# HELP bb second text\n"),
      a.replace("# HELP a first text\n", "# HELP zz first text\n"),
      a.replace("first text", "first t\u00e9xt").replace("third text", "third \\\\ text"),
      a.replace("second text\n", "second text\r\n"),
      a.replace("second text\n", "second text\r\r\n"),
      a.replace("second text\n", "second text\r\r\r\n"),
      // the TYPE line kept with its HELP line: changed, gone, moved, doubled, spaced, quoted, another's
      a.replace("# TYPE bb counter", "# TYPE bb gauge"),
      a.replace("# TYPE bb counter\n", ""),
      a.replace("# HELP bb second text\n# TYPE bb counter\n", "# TYPE bb counter\n# HELP bb second text\n"),
      a.replace("# TYPE bb counter\n", "# TYPE bb counter\n# TYPE bb counter\n"),
      a.replace("# TYPE bb counter\n", "# TYPE bb  counter\n"),
      a.replace("# TYPE bb counter\n", "# TYPE bb counter\r\n"),
      a.replace("# TYPE bb counter\n", "# TYPE \"bb\" counter\n"),
      a.replace("# HELP bb second text\n", "# HELP \"bb\" second text\n"),
      a.replace("# TYPE bb counter\n", "# TYPE a counter\n"),
      a.replace("# TYPE bb counter\n", "#\n# TYPE bb counter\n"),
      a.replace("# TYPE bb counter\n", "# TYPE bb counter\n# HELP bb second text\n"),
      a.replace("# TYPE a gauge\n", "# TYPE a summary\n"),
      a.replace("# HELP ccc third text\n", "# HELP ccc third text\n# TYPE ccc untyped\n"),
      a.replace("bb", "bc"),
      a.replace("# HELP a first text\n# TYPE a gauge\na 1\n", "a 1\n# HELP a first text\n# TYPE a gauge\n"),
    };
    for (boolean strict : new boolean[] {false, true}) {
      for (String first : next) {
        for (String n : next) {
          byte[] b = n.getBytes(UTF_8);
          ExpositionParser reused = parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.SKIP,
              ParserLimits.DEFAULTS);
          run(reused, first.getBytes(UTF_8), false);
          assertThat(run(reused, b, false)).as(first + "\nthen\n" + n).isEqualTo(
              run(parser(ExpositionFormat.PROMETHEUS_TEXT, strict, BadLinePolicy.SKIP, ParserLimits.DEFAULTS), b,
                  false));
        }
      }
    }
  }

  private static ExpositionParser parser(ExpositionFormat format, boolean strict, BadLinePolicy policy,
      ParserLimits limits) {
    return ExpositionParser.builder().format(format).strict(strict).badLinePolicy(policy).limits(limits).build();
  }

  /** Every event described, then the error, if any, with its location, then every family with its help. */
  private static List<String> run(ExpositionParser p, byte[] input, boolean streamed) {
    return run(p, input, streamed ? 7 : 0);
  }

  /** Reads the input from the array (readSize 0) or from a stream that gives at most readSize bytes a read. */
  private static List<String> run(ExpositionParser p, byte[] input, int readSize) {
    if (readSize > 0) {
      p.reset(new SmallReads(input, readSize));
    } else {
      p.reset(input);
    }
    List<String> out = Expositions.transcript(p);
    for (int f = 0; f < p.familyCount(); f++) {
      out.add("family " + p.familyName(f) + " " + p.familyType(f) + " help=" + p.familyHelp(f));
    }
    return out;
  }

  /** A stream that gives few bytes a read: lines straddle refills, and the buffer moves under them. */
  private static final class SmallReads extends InputStream {
    private final ByteArrayInputStream in;
    private final int most;

    SmallReads(byte[] b, int most) {
      in = new ByteArrayInputStream(b);
      this.most = most;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, most));
    }
  }
}

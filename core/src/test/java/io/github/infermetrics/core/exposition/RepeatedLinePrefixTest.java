package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code fastSample} takes from the previous sample line (a repeated name, label names and whole label values,
 * found by comparing the two lines in one pass) gives what reading the line afresh gives: lines that repeat the
 * previous one up to a name, a label name, a value, an escaped or non-ASCII value, a duplicate label, a bad line
 * in between (skipped), another name with the same labels, and streams read in small pieces (the previous line
 * moves or leaves the buffer).
 */
class RepeatedLinePrefixTest {

  private static final String[] INPUTS = {
    "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"3\"} 2\na{x=\"1\",y=\"3\"} 3\na{x=\"2\",y=\"3\"} 4\na 5\na{x=\"1\"} 6\n",
    "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",x=\"2\"} 2\na{x=\"1\",y=\"2\"} 3\n",
    "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"2\",x=\"3\"} 2\na{x=\"1\",y=\"2\"} 3\n",
    "a{x=\"a\\\"b\",y=\"2\"} 1\na{x=\"a\\\"b\",y=\"2\"} 2\na{x=\"a\\\"c\",y=\"2\"} 3\na{x=\"a\\\"c\",y=\"4\"} 4\n",
    "a{x=\"h\u00e9\",y=\"2\"} 1\na{x=\"h\u00e9\",y=\"2\"} 2\na{x=\"h\u00e9!\",y=\"2\"} 3\n",
    "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"2\"} 1 123\na{x=\"1\",y=\"2\"} 2\na{x=\"1\" ,y=\"2\"} 3\na{x=\"1\",y=\"2\"} 4\n",
    "a{x=\"1\",y=\"2\"} 1\na{x=\"1\",y=\"2\"\n} 1\na{x=\"1\",y=\"2\"} 2\na{x=\"1\",y=\"2\"} 3\n",
    "a{x=\"1\",__name__=\"2\"} 1\na{x=\"1\",y=\"2\"} 1\na{x=\"1\",__name__=\"2\"} 1\n",
    "ab{x=\"1\"} 1\na{x=\"1\"} 2\nab{x=\"1\"} 3\nab{xy=\"1\"} 4\nab{x=\"12\"} 5\nab{x=\"1\"} 6\n",
    "a_bucket{le=\"1\"} 1\na_bucket{le=\"2\"} 2\na_bucket{le=\"+Inf\"} 3\na_sum 4\na_count 3\na_bucket{le=\"1\"} 1\n",
    "# TYPE a histogram\na_bucket{le=\"1\"} 1\na_bucket{le=\"2\"} 2\na_bucket{le=\"+Inf\"} 3\na_sum 4\na_count 3\n",
    "a{x=\"1\",y=\"2\"} 1\n# HELP a x\na{x=\"1\",y=\"2\"} 2\n\na{x=\"1\",y=\"2\"} 3\n  a{x=\"1\",y=\"2\"} 4\na{x=\"1\",y=\"2\"} 5",
    // another name, the same labels from the brace on (Triton's summaries, vLLM's families one sample each)
    "# TYPE s summary\ns_count{m=\"a\",v=\"1\"} 0\ns_sum{m=\"a\",v=\"1\"} 0\ns{m=\"a\",v=\"1\",quantile=\"0.5\"} 3\n"
        + "s{m=\"a\",v=\"1\",quantile=\"0.9\"} 3\ns_count{m=\"bb\",v=\"1\"} 0\ns_sum{m=\"bb\",v=\"1\"} 0\n",
    "a{x=\"1\",y=\"2\"} 1\nb{x=\"1\",x=\"2\"} 2\nc{x=\"1\",y=\"2\"} 3\nd{x=\"a\\\"b\",y=\"2\"} 4\ne{x=\"a\\\"b\",y=\"2\"} 5\n"
        + "f{x=\"1\",y=\"2\",z=\"3\"} 6\ng{x=\"1\"} 7\nh{} 8\ni{x=\"1\",y=\"2\"} 9\nj{x=\"1\",y=\"2\",x=\"3\"} 10\n",
    "abc{x=\"1\"} 1\nab{x=\"1\"} 2\nabcd{x=\"1\"} 3\nab{x=\"1\",__name__=\"q\"} 4\nab{x=\"h\u00e9\"} 5\nabc{x=\"h\u00e9\"} 6\n"
        + "ab{x=\"1\"} 7\nabc{x=\"12\"} 8\nab{xy=\"12\"} 9\n",
    "# TYPE a gauge\na{m=\"x/y\"} 0\n# HELP b h\n# TYPE b gauge\nb{m=\"x/y\"} 1\nb_x{m=\"x/y\"} 1 5\nc{m=\"x/y\"} 2\n",
  };

  private static List<String> run(ExpositionParser p) {
    List<String> out = new ArrayList<>();
    try {
      for (ExpositionEvent e; (e = p.next()) != ExpositionEvent.END; ) {
        String d = Expositions.describe(p, e);
        if (e == ExpositionEvent.SAMPLE) {
          d += " " + p.name() + " " + p.kind() + " bits=" + Long.toHexString(Double.doubleToRawLongBits(p.value()));
          for (int i = 0; i < p.labelCount(); i++) {
            d += " " + p.labelName(i) + "=" + p.labelValue(i) + "/" + p.labelValueString(i);
          }
        }
        out.add(d);
      }
      out.add("END skipped=" + p.skippedLines() + " samples=" + p.sampleCount());
    } catch (ExpositionParseException e) {
      out.add("ERROR " + e.reason() + " @" + e.line() + ":" + e.column());
    }
    return out;
  }

  private static ExpositionParser parser(boolean strict, BadLinePolicy policy, boolean fast) {
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).strict(strict)
        .badLinePolicy(policy).build();
    p.fastPath = fast;
    return p;
  }

  /** A stream that gives at most n bytes a read, so that the parser's buffer is refilled and compacted often. */
  private static InputStream trickle(byte[] b, int n) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] buf, int off, int len) {
        return super.read(buf, off, Math.min(len, n));
      }
    };
  }

  @Test
  void linesRepeatingThePreviousOneReadAsWhenReadAfresh() {
    for (boolean strict : new boolean[] {false, true}) {
      for (BadLinePolicy policy : BadLinePolicy.values()) {
        for (String input : INPUTS) {
          byte[] bytes = input.getBytes(UTF_8);
          List<String> general = run(parser(strict, policy, false).reset(bytes));
          ExpositionParser fast = parser(strict, policy, true);
          String what = input + " strict=" + strict + " " + policy;
          assertThat(run(fast.reset(bytes))).as(what).isEqualTo(general);
          assertThat(run(fast.reset(bytes))).as(what + " again").isEqualTo(general);
          for (int n : new int[] {1, 7, 16, 33}) {
            assertThat(run(fast.reset(trickle(bytes, n)))).as(what + " trickled " + n).isEqualTo(general);
          }
        }
      }
    }
  }
}

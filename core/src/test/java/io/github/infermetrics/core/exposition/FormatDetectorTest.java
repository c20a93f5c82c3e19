package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FormatDetector#detect} against a byte-by-byte statement of its rules, on the shared captures and on lines
 * built at random from the pieces the rules look at ({@code } # {}, {@code #}, blank lines, TYPE lines, # EOF).
 */
class FormatDetectorTest {

  /** The rules, one byte at a time. */
  private static ExpositionFormat reference(byte[] b, int from, int to, boolean complete) {
    String s = new String(b, from, Math.min(to, from + FormatDetector.DETECT_BYTES) - from, UTF_8);
    boolean om = false;
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf('\n', i);
      if (eol < 0) {
        eol = s.length();
      }
      String line = s.substring(i, eol);
      if (line.isEmpty() && from + s.substring(0, eol).getBytes(UTF_8).length < to - 1) {
        return ExpositionFormat.PROMETHEUS_TEXT;
      }
      if (line.startsWith("#")) {
        if (line.startsWith("# TYPE ")) {
          if (line.endsWith(" untyped") || line.endsWith("_total counter")) {
            return ExpositionFormat.PROMETHEUS_TEXT;
          }
          om |= line.endsWith(" unknown") || line.endsWith(" gaugehistogram") || line.endsWith(" stateset")
              || line.endsWith(" info");
        } else if (line.startsWith("# UNIT ") || line.equals("# EOF")) {
          om = true;
        } else if (!line.startsWith("# HELP ")) {
          return ExpositionFormat.PROMETHEUS_TEXT;
        }
      } else if (line.contains("} # {")) {
        om = true;
      }
      i = eol + 1;
    }
    if (complete) {
      String all = new String(b, from, to - from, UTF_8);
      String t = all.endsWith("\n") ? all.substring(0, all.length() - 1) : all;
      t = t.endsWith("\r") ? t.substring(0, t.length() - 1) : t;
      om |= t.endsWith("# EOF") && (t.length() == 5 || t.charAt(t.length() - 6) == '\n');
    }
    return om ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT;
  }

  private static final String[] PIECES = {"m", "m{a=\"b\"}", " 1", " # {t=\"x\"} 1", "} # {", "#", " # ", "}", "{",
      "} #", "# {", "\n", "\n\n", "# TYPE m counter\n", "# TYPE m_total counter\n", "# TYPE m unknown\n",
      "# HELP m x\n", "# UNIT m s\n", "# EOF\n", "# free\n", "\u00e9", "abcdefghij", "} # {}"};

  @Test
  void randomLinesAreDetectedAsTheRulesSay() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        sb.append(PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] b = sb.toString().getBytes(UTF_8);
      byte[] padded = new byte[b.length + 9];
      System.arraycopy(b, 0, padded, 3, b.length);
      for (boolean complete : new boolean[] {false, true}) {
        assertThat(FormatDetector.detect(padded, 3, 3 + b.length, complete)).as("%s (complete %s)", sb, complete)
            .isEqualTo(reference(padded, 3, 3 + b.length, complete));
      }
    }
  }

  @Test
  void everyCaptureIsDetectedAsTheRulesSay() throws IOException {
    List<Path> files = Expositions.sharedFiles("fixtures", "conformance").stream()
        .filter(p -> p.toString().endsWith(".txt")).toList();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      byte[] b = Files.readAllBytes(file);
      assertThat(FormatDetector.detect(b, 0, b.length, true)).as(file.toString())
          .isEqualTo(reference(b, 0, b.length, true));
    }
  }
}

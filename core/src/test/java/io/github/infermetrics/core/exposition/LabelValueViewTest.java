package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ExpositionParser#labelValue(int)} and {@link ExpositionParser#exemplarLabelValue(int)} read the value where
 * the parser keeps it on each call: plain ASCII in place, escapes and other UTF-8 decoded, and a parser reused on
 * another exposition shows the new value even at the same place in the same kind of input.
 */
class LabelValueViewTest {

  /** Label values as written in the exposition, and as read. */
  static List<String[]> values() {
    return List.of(
        new String[] {"plain", "plain"},
        new String[] {"", ""},
        new String[] {"caf\u00e9", "caf\u00e9"},
        new String[] {"\u00e9t\u00e9 \ud83d\ude80 done", "\u00e9t\u00e9 \ud83d\ude80 done"},
        new String[] {"a\\\"b\\\\c\\nd", "a\"b\\c\nd"},
        new String[] {"\\\"\u00fc\\\"", "\"\u00fc\""});
  }

  @ParameterizedTest
  @MethodSource("values")
  void aValueReadsAsItsString(String written, String read) {
    for (ExpositionFormat format : ExpositionFormat.values()) {
      String eof = format == ExpositionFormat.OPENMETRICS ? "# EOF\n" : "";
      byte[] b = ("m{a=\"x\",b=\"" + written + "\",c=\"\u00e9\"} 1\n" + eof).getBytes(UTF_8);
      ExpositionParser p = ExpositionParser.builder().format(format).build().reset(b);
      assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
      CharSequence v = p.labelValue(1);
      assertThat(v.length()).isEqualTo(read.length());
      assertThat(v.length()).isEqualTo(read.length());
      for (int i = 0; i < read.length(); i++) {
        assertThat(v.charAt(i)).as("char %d of %s", i, read).isEqualTo(read.charAt(i));
      }
      assertThat(v.toString()).isEqualTo(read);
      assertThat(v.subSequence(0, read.length()).toString()).isEqualTo(read);
      assertThat(p.labelValue(2).toString()).isEqualTo("\u00e9");
      assertThat(v.toString()).isEqualTo(read);
      assertThatThrownBy(() -> v.charAt(read.length())).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> v.charAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("values")
  void anExemplarValueReadsAsItsString(String written, String read) {
    byte[] b = ("# TYPE m counter\nm_total 1 # {a=\"x\",b=\"" + written + "\",c=\"\u00e9\"} 0.5\n# EOF\n")
        .getBytes(UTF_8);
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS).build().reset(b);
    assertThat(p.next()).isEqualTo(ExpositionEvent.TYPE);
    assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
    assertThat(p.hasExemplar()).isTrue();
    CharSequence v = p.exemplarLabelValue(1);
    assertThat(v.length()).isEqualTo(read.length());
    for (int i = 0; i < read.length(); i++) {
      assertThat(v.charAt(i)).as("char %d of %s", i, read).isEqualTo(read.charAt(i));
    }
    assertThat(v.toString()).isEqualTo(read);
    assertThat(p.exemplarLabelValue(2).toString()).isEqualTo("\u00e9");
    assertThat(p.exemplarLabelValue(0).toString()).isEqualTo("x");
    assertThat(v.toString()).isEqualTo(read);
    assertThatThrownBy(() -> v.charAt(read.length())).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @ParameterizedTest
  @MethodSource("values")
  void aReusedParserShowsTheNextExpositionsValueAtTheSamePlace(String written, String read) {
    ExpositionParser p = ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT).build();
    for (String[] before : values()) {
      p.reset(("m{a=\"" + before[0] + "\"} 1\n").getBytes(UTF_8));
      assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
      assertThat(p.labelValue(0).length()).isEqualTo(before[1].length());
      p.reset(("m{a=\"" + written + "\"} 1\n").getBytes(UTF_8));
      assertThat(p.next()).isEqualTo(ExpositionEvent.SAMPLE);
      assertThat(p.labelValue(0).length()).as("%s after %s", read, before[1]).isEqualTo(read.length());
      assertThat(p.labelValue(0).toString()).isEqualTo(read);
    }
  }
}

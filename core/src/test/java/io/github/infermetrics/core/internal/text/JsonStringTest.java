package io.github.infermetrics.core.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both escapings of {@link JsonString} (Go's cases from the cli's former GoFormatTest), side by side with {@link
 * JsonOut}'s bytes.
 */
class JsonStringTest {

  /** Strings with the JSON text Go's json.Marshal writes for them. */
  static Stream<Arguments> jsonStrings() {
    return Stream.of(
        Arguments.of("", "\"\""),
        Arguments.of("abc", "\"abc\""),
        Arguments.of("a\"b", "\"a\\\"b\""),
        Arguments.of("a\\b", "\"a\\\\b\""),
        Arguments.of("a\nb", "\"a\\nb\""),
        Arguments.of("a\rb", "\"a\\rb\""),
        Arguments.of("a\tb", "\"a\\tb\""),
        Arguments.of("a\bb", "\"a\\bb\""),
        Arguments.of("a\fb", "\"a\\fb\""),
        Arguments.of("\0", "\"\\u0000\""),
        Arguments.of("\u0001", "\"\\u0001\""),
        Arguments.of("\u000b", "\"\\u000b\""),
        Arguments.of("\u001b[0m", "\"\\u001b[0m\""),
        Arguments.of("\u001f", "\"\\u001f\""),
        Arguments.of("<", "\"\\u003c\""),
        Arguments.of(">", "\"\\u003e\""),
        Arguments.of("&", "\"\\u0026\""),
        Arguments.of(
            "<a href=\"x\">&</a>", "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\""),
        Arguments.of("\u2028", "\"\\u2028\""),
        Arguments.of("\u2029", "\"\\u2029\""),
        Arguments.of("line\u2028sep\u2029", "\"line\\u2028sep\\u2029\""),
        // written as they are
        Arguments.of(" ", "\" \""),
        Arguments.of("/", "\"/\""),
        Arguments.of("'", "\"'\""),
        Arguments.of("\u007f", "\"\u007f\""),
        Arguments.of("\u0085", "\"\u0085\""),
        Arguments.of("caf\u00e9 \u65e5\u672c", "\"caf\u00e9 \u65e5\u672c\""),
        Arguments.of("\ufffd", "\"\ufffd\""),
        Arguments.of("\ufeff", "\"\ufeff\""),
        Arguments.of("model=\"llama\",le=\"0.5\"", "\"model=\\\"llama\\\",le=\\\"0.5\\\"\""),
        // a surrogate pair (an emoji) is kept, an unpaired surrogate becomes U+FFFD escaped
        Arguments.of("\uD83D\uDE00", "\"\uD83D\uDE00\""),
        Arguments.of("x\uD83D\uDE00y", "\"x\uD83D\uDE00y\""),
        Arguments.of("\uD83D", "\"\\ufffd\""),
        Arguments.of("\uD83Dx", "\"\\ufffdx\""),
        Arguments.of("\uDE00", "\"\\ufffd\""),
        Arguments.of("\uDE00\uD83D", "\"\\ufffd\\ufffd\""),
        Arguments.of("\uD83D\uD83D\uDE00", "\"\\ufffd\uD83D\uDE00\""));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("jsonStrings")
  void appendGoMatchesGo(String s, String expected) {
    StringBuilder out = new StringBuilder();
    JsonString.appendGo(out, s);
    assertThat(out.toString()).isEqualTo(expected);
  }

  @Test
  void appendGoAppendsToWhatIsThere() {
    StringBuilder out = new StringBuilder("{\"k\":");
    JsonString.appendGo(out, "v<");
    assertThat(out.append('}').toString()).isEqualTo("{\"k\":\"v\\u003c\"}");
  }

  /**
   * The edges of each escaping side by side: RFC 8259's ({@link JsonString#append}), Go's, and {@link JsonOut}'s
   * UTF-8 bytes (decoded here).
   */
  static Stream<Arguments> edges() {
    return Stream.of(
        Arguments.of("", "\"\"", "\"\"", "\"\""),
        Arguments.of("a\"b\\c", "\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\""),
        Arguments.of("\n\r\t", "\"\\n\\r\\t\"", "\"\\n\\r\\t\"", "\"\\n\\r\\t\""),
        // backspace and form feed: only Go and the byte writer use the short escapes
        Arguments.of("\b\f", "\"\\u0008\\u000c\"", "\"\\b\\f\"", "\"\\b\\f\""),
        Arguments.of("\u0000\u001f", "\"\\u0000\\u001f\"", "\"\\u0000\\u001f\"", "\"\\u0000\\u001f\""),
        Arguments.of("\u007f", "\"\u007f\"", "\"\u007f\"", "\"\u007f\""),
        // Go's HTML escaping
        Arguments.of("<&>", "\"<&>\"", "\"\\u003c\\u0026\\u003e\"", "\"<&>\""),
        Arguments.of("\u2028", "\"\u2028\"", "\"\\u2028\"", "\"\u2028\""),
        Arguments.of("caf\u00e9 \u65e5", "\"caf\u00e9 \u65e5\"", "\"caf\u00e9 \u65e5\"", "\"caf\u00e9 \u65e5\""),
        // a surrogate pair is kept; a lone surrogate is kept, escaped as U+FFFD by Go, encoded as U+FFFD in UTF-8
        Arguments.of("\uD83D\uDE00", "\"\uD83D\uDE00\"", "\"\uD83D\uDE00\"", "\"\uD83D\uDE00\""),
        Arguments.of("\uD83D", "\"\uD83D\"", "\"\\ufffd\"", "\"\ufffd\""),
        Arguments.of("\uDE00\uD83D", "\"\uDE00\uD83D\"", "\"\\ufffd\\ufffd\"", "\"\ufffd\ufffd\""));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("edges")
  void edgesOfEachEscaping(String s, String rfc, String go, String utf8) {
    StringBuilder out = new StringBuilder();
    JsonString.append(out, s);
    assertThat(out.toString()).isEqualTo(rfc);
    out.setLength(0);
    JsonString.appendGo(out, s);
    assertThat(out.toString()).isEqualTo(go);
    JsonOut bytes = new JsonOut(16).string(s);
    assertThat(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8)).isEqualTo(utf8);
  }
}

package io.github.infermetrics.core.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {
  private static JsonValue read(String text) {
    return JsonReader.read(new SourceText("t.json", text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[]|[]",
      "{}|{}",
      "` [ 1 , -0.5e+3 , true , false , null ] `|[1,-0.5e+3,true,false,null]",
      "`{\"a\": {\"b\": [\"c\"]}}`|`{\"a\":{\"b\":[\"c\"]}}`",
      "`\"\\u00e9\\ud83d\\ude00\\n\\t\\/\\\\\"`|`\"é😀\\u000a\\u0009/\\\\\"`",
      "`\"x\"`|`\"x\"`",
  })
  void readsValidJson(String text, String expected) {
    assertThat(TreeText.render(read(text))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|t.json:1:1: empty input, expected a JSON value",
      "`[1,]`|t.json:1:4: $: trailing comma before ']'",
      "`{\"a\":1,}`|t.json:1:8: $: trailing comma before '}'",
      "`[1 2]`|t.json:1:4: $: unexpected character '2', expected ',' or ']'",
      "`{\"a\":1, \"a\":2}`|t.json:1:9: $: duplicate key \"a\"",
      "`{a:1}`|t.json:1:2: $: unexpected character 'a', expected a key in double quotes",
      "`[\n  {\"x\": [01]}\n]`|t.json:2:10: $[0].x[0]: leading zero in a number",
      "`[\"a\nb\"]`|t.json:1:4: $[0]: control character U+000A in a string (escape it)",
      "`[\"\\ud800x\"]`|t.json:1:3: $[0]: lone surrogate \\uD800 (not followed by a low surrogate)",
      "`[\"\\q\"]`|t.json:1:3: $[0]: invalid escape \\q",
      "`[tru]`|t.json:1:2: $[0]: unexpected character 't', expected a value",
      "`[1] x`|t.json:1:5: unexpected character 'x' after the JSON value",
      "`{\"k\": [1, {\"j\": -}]}`|t.json:1:17: $.k[1].j: invalid number: expected a digit after '-'",
      "`\ufeff[]`|t.json:1:1: byte order mark (U+FEFF) before the JSON text: save the file without it",
      "`[\"unterminated`|t.json:1:2: $[0]: unterminated string",
      "`{\"a b\": [1,]}`|t.json:1:12: $[\"a b\"]: trailing comma before ']'",
  })
  void rejectsWithLineColumnAndPath(String text, String message) {
    assertThatThrownBy(() -> read(text)).isInstanceOf(JsonException.class).hasMessage(message);
  }

  @Test
  void columnsCountCodePoints() {
    assertThatThrownBy(() -> read("[\"😀\", x]"))
        .hasMessage("t.json:1:7: $[1]: unexpected character 'x', expected a value");
  }

  @Test
  void nestingIsBounded() {
    String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
    assertThatThrownBy(() -> read(deep)).hasMessageContaining("nested deeper than 64 levels (JsonReader.MAX_DEPTH)");
    String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(TreeText.render(read(ok))).isEqualTo(ok);
  }

  @Test
  void invalidUtf8IsAnErrorAtItsPlace() {
    byte[] bytes = "[\"ok\",\n \"".getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[bytes.length + 3];
    System.arraycopy(bytes, 0, bad, 0, bytes.length);
    bad[bytes.length] = (byte) 0xC3; // a lead byte followed by '"': malformed
    bad[bytes.length + 1] = '"';
    bad[bytes.length + 2] = ']';
    assertThatThrownBy(() -> SourceText.decodeUtf8("t.json", bad))
        .isInstanceOf(JsonException.class)
        .hasMessage("t.json:2:3: invalid UTF-8 (byte 0xC3 at byte offset 9)");
  }

  @Test
  void positionsAreComputedOnDemand() {
    SourceText text = new SourceText("x", "ab\ncd\n\nef");
    assertThat(text.line(0)).isEqualTo(1);
    assertThat(text.column(1)).isEqualTo(2);
    assertThat(text.line(3)).isEqualTo(2);
    assertThat(text.column(3)).isEqualTo(1);
    assertThat(text.line(6)).isEqualTo(3);
    assertThat(text.line(9)).isEqualTo(4);
    assertThat(text.column(9)).isEqualTo(3);
  }
}

package io.github.infermetrics.core.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonOutTest {

  /**
   * Strings whose escapes take more than 3 bytes per character. Before the fix (EmfWriterFuzzTest#randomCalls,
   * inputs {@code control_chars_escape_past_the_buffer_*}), each six-byte escape of a control character used 6 of the 3 bytes budgeted
   * for its character, and the plain ASCII after it was written past the end of the buffer.
   */
  static Stream<String> escapeHeavyStrings() {
    return Stream.of(
        "\u001e".repeat(16) + "ncy",
        "la\u0000\u0000\u0000te" + "\u001e".repeat(16) + "ncy\u0000mo2el;\u0000\"quot{\"rl;",
        "\u0000".repeat(200) + "x".repeat(400),
        "\u0001a\u0002b\u0003c\"\\" + "z".repeat(100),
        "é\u0000€\u0001😀" + "\u001f".repeat(50) + "tail");
  }

  @ParameterizedTest
  @MethodSource("escapeHeavyStrings")
  void writesEscapeHeavyStringsIntoAFreshBuffer(String s) {
    JsonOut out = new JsonOut(s.length() + 8);
    out.string(s);

    assertThat(new String(out.array(), 0, out.position(), StandardCharsets.UTF_8)).isEqualTo(reference(s));
    assertThat(out.position()).isEqualTo(JsonOut.stringLength(s));
  }

  /**
   * Every mix of up to 64 six-byte escapes followed by up to 64 plain characters, from every fill level of a small
   * buffer: the sizes where the plain tail used to run past the end are among them.
   */
  @Test
  void writesAnyRunOfEscapesFollowedByPlainText() {
    for (int escapes = 0; escapes <= 64; escapes++) {
      for (int plain = 0; plain <= 64; plain++) {
        String s = "\u0001".repeat(escapes) + "p".repeat(plain);
        for (int before = 0; before < 64; before += 7) {
          JsonOut out = new JsonOut(64);
          out.raw("x".repeat(before));
          out.string(s);
          assertThat(new String(out.array(), before, out.position() - before, StandardCharsets.UTF_8))
              .as("%d escapes, %d plain, %d bytes before", escapes, plain, before)
              .isEqualTo(reference(s));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("escapeHeavyStrings")
  void writesEscapeHeavyStringsAfterOtherContent(String s) {
    JsonOut out = new JsonOut(64);
    out.raw("{\"k\":");
    out.string(s);
    out.raw('}');

    assertThat(new String(out.array(), 0, out.position(), StandardCharsets.UTF_8))
        .isEqualTo("{\"k\":" + reference(s) + "}");
  }

  /** RFC 8259 escaping written out the slow, obvious way. */
  private static String reference(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

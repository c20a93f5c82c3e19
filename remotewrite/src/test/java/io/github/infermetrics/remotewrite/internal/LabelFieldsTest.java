package io.github.infermetrics.remotewrite.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Labels written in place are the bytes {@code String.getBytes(UTF_8)} would give, prefix included. */
class LabelFieldsTest {
  private static byte[] reference(String[] names, String[] values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < names.length; i++) {
      byte[] n = names[i].getBytes(UTF_8);
      byte[] v = values[i].getBytes(UTF_8);
      ByteArrayOutputStream label = new ByteArrayOutputStream();
      label.write(0x0a);
      varint(label, n.length);
      label.writeBytes(n);
      label.write(0x12);
      varint(label, v.length);
      label.writeBytes(v);
      out.write(0x0a);
      varint(out, label.size());
      out.writeBytes(label.toByteArray());
    }
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  @Test
  void everyKindOfCharacterIsWrittenAsGetBytesWritesIt() {
    String long200 = "x".repeat(200); // a two-byte length
    String[] names = {"__name__", "a", "b", "c", "d", "e"};
    String[] values = {"up", "é東京", "emoji \uD83D\uDE00", "lone \uD83D high", "lone \uDE00 low", long200 + "ß"};

    assertThat(LabelFields.encode(names, values, names.length, -1, "")).isEqualTo(reference(names, values));
    assertThat(WriteRequestEncoder.encodeLabels(names, values)).isEqualTo(reference(names, values));
  }

  @Test
  void thePrefixIsWrittenBeforeOneValue() {
    String[] names = {"__name__", "model"};

    assertThat(LabelFields.encode(names, new String[] {"rate", "q"}, 2, 0, "infermetrics_é_"))
        .isEqualTo(reference(names, new String[] {"infermetrics_é_rate", "q"}));
  }
}

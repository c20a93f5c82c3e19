package io.github.infermetrics.core.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scans against byte-by-byte definitions, for every byte value at every position of a word. */
class SwarTest {

  private static boolean nameByte(int c, boolean colon) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || colon && c == ':';
  }

  private static int slowEnd(byte[] b, int from, int to, boolean colon) {
    int i = from;
    while (i < to && nameByte(b[i] & 0xff, colon)) {
      i++;
    }
    return i;
  }

  private static int slowSpecial(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      if (c == '"' || c == '\\' || c == '\n' || c >= 0x80) {
        return i;
      }
    }
    return to;
  }

  @Test
  void commonPrefixCountsTheRepeatedBytesAtMostMaxAndNeverPastTheEnd() {
    SplittableRandom random = new SplittableRandom(24);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[8 + random.nextInt(200)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) ('a' + random.nextInt(2)); // two letters: long common runs
      }
      int c = 1 + random.nextInt(b.length - 1);
      int a = random.nextInt(c);
      int to = c + random.nextInt(b.length - c + 1);
      int max = random.nextInt(100);
      int exact = 0;
      while (exact < Math.min(max, to - c) && b[a + exact] == b[c + exact]) {
        exact++;
      }
      int r = Swar.commonPrefix(b, a, c, max, to);
      // short of the truth only where fewer than two words are left before the end
      assertThat(r == exact || r < exact && c + r + 16 > to).as("a=%d c=%d max=%d to=%d: %d, exact %d", a, c, max,
          to, r, exact).isTrue();
    }
  }

  @Test
  void everyByteAtEveryPositionEndsANameOrNot() {
    byte[] b = new byte[40];
    for (int at = 0; at < 24; at++) {
      for (int c = 0; c < 256; c++) {
        java.util.Arrays.fill(b, (byte) 'a');
        b[at] = (byte) c;
        b[30] = ' ';
        assertThat(Swar.nameEnd(b, 0, 40)).as("byte %02x at %d", c, at).isEqualTo(slowEnd(b, 0, 40, true));
        assertThat(Swar.labelNameEnd(b, 0, 40)).as("byte %02x at %d", c, at).isEqualTo(slowEnd(b, 0, 40, false));
        int p = Swar.plainRun(b, 0, 40);
        int expected = slowSpecial(b, 0, 40);
        // plainRun stops at the special byte, or where fewer than a word is left (the caller goes on bytewise)
        assertThat(p == expected || p <= expected && p + 8 > 40).as("byte %02x at %d", c, at).isTrue();
      }
    }
  }

  @Test
  void indexOfEitherFindsTheFirstOccurrenceOfEveryByteAtEveryPosition() {
    byte[] b = new byte[40];
    for (int c = 0; c < 256; c++) {
      long broadcast = (c & 0xffL) * 0x0101010101010101L;
      for (int at = 0; at < 24; at++) {
        for (int other : new int[] {c ^ 1, c ^ 0x80, c + 1 & 0xff}) {
          java.util.Arrays.fill(b, (byte) other);
          b[at] = (byte) c;
          b[at + 3] = (byte) c; // a second one after it
          for (int from : new int[] {0, at, at + 1}) {
            int expected = -1;
            for (int i = from; i < 40; i++) {
              if (b[i] == (byte) c) {
                expected = i;
                break;
              }
            }
            assertThat(Swar.indexOfEither(b, from, 40, broadcast, broadcast)).as("byte %02x at %d from %d", c, at, from)
                .isEqualTo(expected);
            assertThat(Swar.indexOfEither(b, from, at, broadcast, broadcast)).as("byte %02x at %d, to before it", c, at)
                .isEqualTo(-1);
            // either of two bytes: c, or the next byte value (all of the filling, in one of the fillings)
            long next = (c + 1 & 0xffL) * 0x0101010101010101L;
            int expectedEither = -1;
            for (int i = from; i < 40; i++) {
              if (b[i] == (byte) c || b[i] == (byte) (c + 1)) {
                expectedEither = i;
                break;
              }
            }
            assertThat(Swar.indexOfEither(b, from, 40, broadcast, next)).as("byte %02x or %02x at %d from %d", c,
                c + 1 & 0xff, at, from).isEqualTo(expectedEither);
            assertThat(Swar.indexOfEither(b, from, 40, next, broadcast)).isEqualTo(expectedEither);
          }
        }
      }
    }
  }

  @Test
  void newlineNotingFindsTheLineFeedAndWhatCameBefore() {
    SplittableRandom random = new SplittableRandom(7);
    byte[] alphabet = {'a', ' ', '"', '\\', '\n', (byte) 0xC3, (byte) 0xA9, '#', 'z'};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(1, 60)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'a';
      }
      int from = random.nextInt(b.length);
      int nl = -1;
      boolean plain = true;
      for (int i = from; i < b.length; i++) {
        if (b[i] == '\n') {
          nl = i;
          break;
        }
        plain &= b[i] != '\\' && b[i] >= 0;
      }
      long r = Swar.newlineNoting(b, from, b.length);
      assertThat(r < 0 ? -1 : (int) r).isEqualTo(nl);
      if (nl >= 0) {
        assertThat((r & Swar.NOT_PLAIN) == 0).as("plain before the line feed").isEqualTo(plain);
      }
    }
  }
}

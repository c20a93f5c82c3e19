package io.github.infermetrics.core.exposition;

/** UTF-8 validation and decoding on byte ranges, for the parser's non-ASCII slow paths. */
final class Utf8 {
  private Utf8() {}

  /**
   * The length (2 to 4) of the valid multi-byte sequence starting at {@code b[i]}, or -1 when it is not valid
   * UTF-8 (overlong forms, surrogates and code points above U+10FFFF included). The caller guarantees a byte that
   * is not a continuation byte (the line feed) before the end of the array, so reads stay in bounds.
   */
  static int sequenceLength(byte[] b, int i) {
    int c = b[i] & 0xff;
    if (c < 0xC2) {
      return -1;
    }
    if (c < 0xE0) {
      return isCont(b[i + 1]) ? 2 : -1;
    }
    if (c < 0xF0) {
      int c1 = b[i + 1] & 0xff;
      if (c == 0xE0 ? c1 < 0xA0 || c1 > 0xBF : c == 0xED ? c1 < 0x80 || c1 > 0x9F : !isCont((byte) c1)) {
        return -1;
      }
      return isCont(b[i + 2]) ? 3 : -1;
    }
    if (c < 0xF5) {
      int c1 = b[i + 1] & 0xff;
      if (c == 0xF0 ? c1 < 0x90 || c1 > 0xBF : c == 0xF4 ? c1 < 0x80 || c1 > 0x8F : !isCont((byte) c1)) {
        return -1;
      }
      return isCont(b[i + 2]) && isCont(b[i + 3]) ? 4 : -1;
    }
    return -1;
  }

  /**
   * Like {@link #sequenceLength(byte[], int)}, for bytes that may end at {@code limit} with no line feed after
   * them: a sequence cut by the limit is invalid (-1), and nothing at or past it is read.
   */
  static int sequenceLength(byte[] b, int i, int limit) {
    int c = b[i] & 0xff;
    int need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return i + need <= limit ? sequenceLength(b, i) : -1;
  }

  private static boolean isCont(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Number of code points in valid UTF-8 {@code b[from, to)}. */
  static int codePoints(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if ((b[i] & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  /** Decodes valid UTF-8 {@code b[from, to)} into {@code out} (large enough: one char per byte); returns chars. */
  static int decode(byte[] b, int from, int to, char[] out) {
    int n = 0;
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        out[n++] = (char) c;
        i++;
      } else if (c < 0xE0) {
        out[n++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
        i += 2;
      } else if (c < 0xF0) {
        out[n++] = (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
        i += 3;
      } else {
        int cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        i += 4;
      }
    }
    return n;
  }
}

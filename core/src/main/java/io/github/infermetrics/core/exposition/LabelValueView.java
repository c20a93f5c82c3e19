package io.github.infermetrics.core.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Label value {@code i} of the parser's current sample, read where the parser keeps it ({@code lblPos[i]}) on each
 * call rather than copied in when handed out: {@link ExpositionParser#labelValue(int)} then only returns the view,
 * which matters to a consumer that reads every value of every sample. Like {@link Utf8View}, ASCII is read in
 * place and other text is decoded once into a reused {@code char[]}; valid until the next
 * {@link ExpositionParser#next()}.
 */
final class LabelValueView implements CharSequence {
  private final ExpositionParser parser;
  private final int index;
  private char[] chars = new char[0];
  private int charCount = -1;

  LabelValueView(ExpositionParser parser, int index) {
    this.parser = parser;
    this.index = index;
  }

  /** Drops the decoded text; the parser calls it when it hands out the view of a non-ASCII value. */
  void forget() {
    charCount = -1;
  }

  @Override
  public int length() {
    long pos = parser.lblPos[index];
    return (pos & ExpositionParser.ASCII) != 0 ? ExpositionParser.valueLength(pos) : decoded(pos);
  }

  @Override
  public char charAt(int at) {
    long pos = parser.lblPos[index];
    if ((pos & ExpositionParser.ASCII) != 0) {
      int length = ExpositionParser.valueLength(pos);
      if (at < 0 || at >= length) {
        throw new IndexOutOfBoundsException("index " + at + ", length " + length);
      }
      return (char) parser.labelBytes(index)[ExpositionParser.valueOffset(pos) + at];
    }
    int n = decoded(pos);
    if (at < 0 || at >= n) {
      throw new IndexOutOfBoundsException("index " + at + ", length " + n);
    }
    return chars[at];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    long pos = parser.lblPos[index];
    return new String(parser.labelBytes(index), ExpositionParser.valueOffset(pos), ExpositionParser.valueLength(pos),
        (pos & ExpositionParser.ASCII) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private int decoded(long pos) {
    if (charCount < 0) {
      int offset = ExpositionParser.valueOffset(pos);
      int length = ExpositionParser.valueLength(pos);
      if (chars.length < length) {
        chars = new char[Math.max(length, 16)];
      }
      charCount = Utf8.decode(parser.labelBytes(index), offset, offset + length, chars);
    }
    return charCount;
  }
}

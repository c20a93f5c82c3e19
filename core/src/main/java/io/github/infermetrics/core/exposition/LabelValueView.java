package io.github.infermetrics.core.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Label value {@code i} of the parser's current sample (or of its exemplar), read where the parser keeps it on each
 * call rather than copied in when handed out: {@link ExpositionParser#labelValue(int)} then only returns the view,
 * which matters to a consumer that reads every value of every sample. ASCII is read in place; other text is decoded
 * once into a reused {@code char[]} (the parser calls {@link #forget()} when it hands out a non-ASCII value). Valid
 * until the next {@link ExpositionParser#next()}.
 */
final class LabelValueView implements CharSequence {
  private final ExpositionParser parser;
  private final int index;
  private final boolean exemplar;
  private char[] chars = new char[0];
  private int charCount = -1;

  LabelValueView(ExpositionParser parser, int index, boolean exemplar) {
    this.parser = parser;
    this.index = index;
    this.exemplar = exemplar;
  }

  /** Drops the decoded text. */
  void forget() {
    charCount = -1;
  }

  /** Where the value is: an {@code lblPos} entry. */
  private long pos() {
    return exemplar ? parser.exemplarPos(index) : parser.lblPos[index];
  }

  @Override
  public int length() {
    long pos = pos();
    return (pos & ExpositionParser.ASCII) != 0 ? ExpositionParser.valueLength(pos) : decoded(pos);
  }

  @Override
  public char charAt(int at) {
    long pos = pos();
    int n = (pos & ExpositionParser.ASCII) != 0 ? ExpositionParser.valueLength(pos) : decoded(pos);
    if (at < 0 || at >= n) {
      throw new IndexOutOfBoundsException("index " + at + ", length " + n);
    }
    if ((pos & ExpositionParser.ASCII) != 0) {
      return (char) parser.valueBytes(pos)[ExpositionParser.valueOffset(pos) + at];
    }
    return chars[at];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    long pos = pos();
    return new String(parser.valueBytes(pos), ExpositionParser.valueOffset(pos), ExpositionParser.valueLength(pos),
        (pos & ExpositionParser.ASCII) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private int decoded(long pos) {
    if (charCount < 0) {
      int offset = ExpositionParser.valueOffset(pos);
      int length = ExpositionParser.valueLength(pos);
      if (chars.length < length) {
        chars = new char[Math.max(length, 16)];
      }
      charCount = Utf8.decode(parser.valueBytes(pos), offset, offset + length, chars);
    }
    return charCount;
  }
}

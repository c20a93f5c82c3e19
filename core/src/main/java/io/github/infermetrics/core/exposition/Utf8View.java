package io.github.infermetrics.core.exposition;

import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} view over (already validated) UTF-8 bytes, so a label value can be read or
 * compared without building a {@code String}. ASCII content is read in place; other content is decoded into a
 * reused {@code char[]} on first access. The view is re-pointed by the parser and is only valid until the next
 * call to {@link ExpositionParser#next()}.
 */
final class Utf8View implements CharSequence {
  private byte[] bytes;
  private int offset;
  private int length;
  private boolean ascii;
  private char[] chars = new char[0];
  private int charCount = -1;

  void set(byte[] bytes, int offset, int length, boolean ascii) {
    if (this.bytes != bytes) {
      this.bytes = bytes; // usually unchanged: skip the collector's write barrier
    }
    this.offset = offset;
    this.length = length;
    this.ascii = ascii;
    this.charCount = -1;
  }

  byte[] bytes() {
    return bytes;
  }

  int offset() {
    return offset;
  }

  int byteLength() {
    return length;
  }

  boolean isAscii() {
    return ascii;
  }

  @Override
  public int length() {
    return ascii ? length : decoded();
  }

  @Override
  public char charAt(int index) {
    if (ascii) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException("index " + index + ", length " + length);
      }
      return (char) bytes[offset + index];
    }
    int n = decoded();
    if (index < 0 || index >= n) {
      throw new IndexOutOfBoundsException("index " + index + ", length " + n);
    }
    return chars[index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    return new String(bytes, offset, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private int decoded() {
    if (charCount < 0) {
      if (chars.length < length) {
        chars = new char[Math.max(length, 16)];
      }
      charCount = Utf8.decode(bytes, offset, offset + length, chars);
    }
    return charCount;
  }
}

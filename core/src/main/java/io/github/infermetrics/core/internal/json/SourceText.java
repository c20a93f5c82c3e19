package io.github.infermetrics.core.internal.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named text and the line and column of each offset in it, for error messages.
 *
 * <p>Lines and columns are 1-based; columns count code points. Line starts are found once, on the first question,
 * so a tree can keep plain offsets and ask only when something is wrong.
 */
public final class SourceText {
  private final String name;
  private final String text;
  private int[] lineStarts;

  /**
   * A text.
   *
   * @param name what error messages call it: a file name or a URL
   * @param text the text
   */
  public SourceText(String name, String text) {
    this.name = Objects.requireNonNull(name, "name");
    this.text = Objects.requireNonNull(text, "text");
  }

  /**
   * Decodes strict UTF-8: a malformed or truncated sequence is an error at its line and column.
   *
   * @param name what error messages call the text
   * @param bytes the encoded text
   * @return the text
   * @throws JsonException when the bytes are not UTF-8
   */
  public static SourceText decodeUtf8(String name, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      // everything before the bad byte decoded: its line and column are where the bad sequence starts
      SourceText prefix = new SourceText(name, out.flip().toString());
      int at = prefix.text.length();
      throw new JsonException(name, prefix.line(at), prefix.column(at), null,
          String.format("invalid UTF-8 (byte 0x%02X at byte offset %d)", bytes[in.position()] & 0xFF, in.position()));
    }
    return new SourceText(name, out.flip().toString());
  }

  /**
   * The name given.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The text.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * The 1-based line of an offset.
   *
   * @param offset a char offset, 0 to the text's length
   * @return the line
   */
  public int line(int offset) {
    return lineIndex(offset) + 1;
  }

  /**
   * The 1-based column of an offset, in code points.
   *
   * @param offset a char offset, 0 to the text's length
   * @return the column
   */
  public int column(int offset) {
    int start = lineStarts()[lineIndex(offset)];
    return text.codePointCount(start, Math.min(offset, text.length())) + 1;
  }

  /**
   * An error at an offset.
   *
   * @param offset where
   * @param path the JSON path of the value concerned, or null
   * @param message what is wrong
   * @return the exception, to throw
   */
  public JsonException error(int offset, String path, String message) {
    return new JsonException(name, line(offset), column(offset), path, message);
  }

  private int lineIndex(int offset) {
    int[] starts = lineStarts();
    int i = Arrays.binarySearch(starts, offset);
    return i >= 0 ? i : -i - 2;
  }

  private int[] lineStarts() {
    if (lineStarts == null) {
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          count++;
        }
      }
      int[] starts = new int[count];
      int k = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts[k++] = i + 1;
        }
      }
      lineStarts = starts;
    }
    return lineStarts;
  }
}

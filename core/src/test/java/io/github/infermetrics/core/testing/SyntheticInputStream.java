package io.github.infermetrics.core.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

/**
 * A body made up as it is read: a prefix, {@code count} generated pieces, a suffix. Gigabyte inputs for the
 * hostile-input tests cost no memory and no files; {@link #bytesRead()} shows how far a reader went before it
 * stopped.
 */
public final class SyntheticInputStream extends InputStream {
  /** For a body that never ends. */
  public static final long ENDLESS = Long.MAX_VALUE;

  private final LongFunction<byte[]> pieces;
  private final long count;
  private final byte[] suffix;
  private byte[] current;
  private int currentPos;
  /** Index of the next piece; -1 while the prefix is read, count once the suffix is reached. */
  private long next = -1;
  private boolean suffixStarted;
  private long bytesRead;

  private SyntheticInputStream(byte[] prefix, LongFunction<byte[]> pieces, long count, byte[] suffix) {
    this.current = prefix;
    this.pieces = pieces;
    this.count = count;
    this.suffix = suffix;
  }

  /**
   * A body of generated pieces.
   *
   * @param prefix the first bytes
   * @param pieces piece {@code i} for {@code i} from 0
   * @param count how many pieces, or {@link #ENDLESS}
   * @param suffix the last bytes
   * @return the stream
   */
  public static SyntheticInputStream of(String prefix, LongFunction<String> pieces, long count, String suffix) {
    return new SyntheticInputStream(utf8(prefix), i -> utf8(pieces.apply(i)), count, utf8(suffix));
  }

  /**
   * A body of one piece repeated.
   *
   * @param prefix the first bytes
   * @param piece the repeated bytes
   * @param count how many times, or {@link #ENDLESS}
   * @param suffix the last bytes
   * @return the stream
   */
  public static SyntheticInputStream repeat(byte[] prefix, byte[] piece, long count, byte[] suffix) {
    return new SyntheticInputStream(prefix, i -> piece, count, suffix);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes handed out so far. */
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int n = 0;
    while (n < len) {
      if (currentPos == current.length && !advance()) {
        break;
      }
      int k = Math.min(len - n, current.length - currentPos);
      System.arraycopy(current, currentPos, b, off + n, k);
      currentPos += k;
      n += k;
    }
    bytesRead += n;
    return n == 0 ? -1 : n;
  }

  private boolean advance() {
    if (next + 1 < count) {
      current = pieces.apply(++next);
    } else if (!suffixStarted) {
      suffixStarted = true;
      current = suffix;
    } else {
      return false;
    }
    currentPos = 0;
    return true;
  }
}

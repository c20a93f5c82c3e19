package io.github.infermetrics.core.testing;

import java.io.InputStream;

/** Serves an array in chunks of the given sizes, used in turn, the way a network body arrives. */
public final class ChunkedInputStream extends InputStream {
  private final byte[] bytes;
  private final int[] chunks;
  private int pos;
  private int next;

  /**
   * @param bytes the body
   * @param chunks the chunk sizes, used in turn (values below 1 count as 1); empty for one chunk
   */
  public ChunkedInputStream(byte[] bytes, int[] chunks) {
    this.bytes = bytes;
    this.chunks = chunks.length == 0 ? new int[] {Integer.MAX_VALUE} : chunks;
  }

  @Override
  public int read() {
    return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, bytes.length - pos), Math.max(1, chunks[next++ % chunks.length]));
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }
}

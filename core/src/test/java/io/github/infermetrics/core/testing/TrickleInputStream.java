package io.github.infermetrics.core.testing;

import java.io.InputStream;

/**
 * Hands out at most {@code chunk} bytes per read (one with {@code chunk = 1}), so that a stream parser crosses
 * every buffer boundary.
 */
public final class TrickleInputStream extends InputStream {
  private final byte[] bytes;
  private final int chunk;
  private int pos;

  public TrickleInputStream(byte[] bytes, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1: " + chunk);
    }
    this.bytes = bytes;
    this.chunk = chunk;
  }

  @Override
  public int read() {
    return pos < bytes.length ? bytes[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, chunk), bytes.length - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }
}

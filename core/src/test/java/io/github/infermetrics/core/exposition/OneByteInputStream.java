package io.github.infermetrics.core.exposition;

import java.io.InputStream;

/** Hands out one byte per read, so every buffer boundary of the stream path is exercised. */
final class OneByteInputStream extends InputStream {
  private final byte[] bytes;
  private int pos;

  OneByteInputStream(byte[] bytes) {
    this.bytes = bytes;
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
    b[off] = bytes[pos++];
    return 1;
  }
}

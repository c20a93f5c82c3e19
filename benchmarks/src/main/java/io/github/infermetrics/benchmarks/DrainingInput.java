package io.github.infermetrics.benchmarks;

import java.io.ByteArrayInputStream;

/**
 * A {@link ByteArrayInputStream} that remembers whether a read has reached the end, so that a caller can tell a
 * peer's "nothing more" from its "this family came out empty".
 *
 * <p>Both peers return {@code null} from {@code parse()} at the end of the input, but also for a family none of whose
 * samples they accept (for example an OpenMetrics counter {@code foo} with samples {@code foo_total}), while more
 * families follow. A loop that stops at the first {@code null} would stop early and look faster than a full parse.
 * Each {@code parse()} consumes at least one line, and once the underlying stream has reported its end, at most one
 * line remains (the one the peer read ahead and held back), so "stop at a {@code null} that followed the end of the
 * stream" reads everything.
 */
final class DrainingInput extends ByteArrayInputStream {
  private boolean eof;

  DrainingInput(byte[] bytes) {
    super(bytes);
  }

  /**
   * Whether a read has returned -1.
   *
   * @return true once the end has been reported
   */
  boolean eof() {
    return eof;
  }

  @Override
  public int read() {
    int b = super.read();
    if (b < 0) {
      eof = true;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int n = super.read(b, off, len);
    if (n < 0) {
      eof = true;
    }
    return n;
  }
}

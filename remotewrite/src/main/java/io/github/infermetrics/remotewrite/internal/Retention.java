package io.github.infermetrics.remotewrite.internal;

/**
 * How large a buffer reused from request to request is kept: grown to what a request needs (with a quarter more,
 * so a fleet that grows slowly does not reallocate on every batch), and cut back to what the requests of a while
 * needed once they have needed less than half of it, so that one huge batch does not pin its memory for the life
 * of the sink. Below a floor a buffer is never cut back: small buffers cost less than reallocating them. For one
 * thread, as the buffers it sizes.
 */
final class Retention {
  /** Requests after which the buffer is measured against the largest of them. */
  static final int WINDOW = 64;

  private final int floor;
  private int uses;
  private int peak;

  /**
   * A policy.
   *
   * @param floor a capacity never cut back, in the buffer's units (bytes or elements)
   */
  Retention(int floor) {
    this.floor = floor;
  }

  /**
   * Records one use and says the capacity to have for it.
   *
   * @param capacity the buffer's capacity now
   * @param needed what this use needs
   * @return {@code capacity} to keep the buffer, else the capacity of a new one
   */
  int capacity(int capacity, int needed) {
    if (needed > capacity) {
      uses = 0; // a new buffer, measured from here on
      peak = 0;
      return grown(needed);
    }
    peak = Math.max(peak, needed);
    if (++uses < WINDOW) {
      return capacity;
    }
    int largest = peak;
    uses = 0;
    peak = 0;
    return capacity > floor && capacity > 2L * largest ? Math.max(grown(largest), floor) : capacity;
  }

  private static int grown(int needed) {
    return (int) Math.min(Integer.MAX_VALUE - 8, needed + (long) (needed >> 2));
  }
}

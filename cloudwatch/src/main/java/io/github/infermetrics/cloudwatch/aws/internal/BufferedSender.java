package io.github.infermetrics.cloudwatch.aws.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A bounded buffer drained by one background thread. The thread wakes when the buffer holds {@code drainTrigger}
 * elements, when the flush interval has passed, on {@link #flush()} and on {@link #close()}, and hands everything it
 * drained to the handler in one list.
 *
 * <p>The handler must account for every element it gets: deliver it or count it as dropped. If it throws anyway, the
 * drained elements go to the {@code lost} callback, so that nothing disappears without being counted. Elements that
 * arrive while the sender closes also go to {@code lost}.
 *
 * <p>Thread-safe: any thread may {@link #offer}, {@link #flush} and {@link #close}.
 *
 * @param <E> the element type
 */
public final class BufferedSender<E> implements AutoCloseable {
  private final ArrayBlockingQueue<E> queue;
  private final int drainTrigger;
  private final long intervalNanos;
  private final Consumer<List<E>> handler;
  private final Consumer<List<E>> lost;
  private final Thread thread;
  private final AtomicLong offered = new AtomicLong();
  private final Object progress = new Object();
  /** Elements handed to the handler or to lost; guarded by progress. */
  private long settled;
  private volatile boolean flushRequested;
  private volatile boolean closed;

  /**
   * Starts the background thread.
   *
   * @param threadName the name of the daemon thread
   * @param capacity the most elements buffered; {@link #offer} refuses more
   * @param drainTrigger the buffered count that wakes the thread before the interval ends
   * @param interval the longest an element waits in the buffer when nothing else wakes the thread
   * @param handler delivers or counts a drained list (on the background thread)
   * @param lost counts elements that the handler failed on or that arrived during close
   */
  public BufferedSender(String threadName, int capacity, int drainTrigger, Duration interval,
      Consumer<List<E>> handler, Consumer<List<E>> lost) {
    if (capacity < 1 || drainTrigger < 1) {
      throw new IllegalArgumentException("capacity and drainTrigger must be positive: " + capacity + ", "
          + drainTrigger);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.drainTrigger = Math.min(drainTrigger, capacity);
    this.intervalNanos = interval.toNanos();
    this.handler = Objects.requireNonNull(handler, "handler");
    this.lost = Objects.requireNonNull(lost, "lost");
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Buffers an element without blocking.
   *
   * @param element the element
   * @return false when the buffer is full or the sender is closed; the caller counts the drop
   */
  public boolean offer(E element) {
    if (closed || !queue.offer(element)) {
      return false;
    }
    offered.incrementAndGet();
    if (queue.size() >= drainTrigger) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /**
   * How many elements wait in the buffer.
   *
   * @return the count
   */
  public int buffered() {
    return queue.size();
  }

  /** Waits until every element offered before this call has been handled (delivered or counted). */
  public void flush() {
    long target = offered.get();
    flushRequested = true;
    LockSupport.unpark(thread);
    boolean interrupted = false;
    synchronized (progress) {
      while (settled < target && thread.isAlive()) {
        try {
          progress.wait(50);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
        if (settled < target) {
          flushRequested = true;
          LockSupport.unpark(thread);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Refuses new elements, handles the buffered ones, and stops the thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    // an offer that passed the closed check just before close() may land after the last drain
    List<E> late = new ArrayList<>();
    queue.drainTo(late);
    if (!late.isEmpty()) {
      lost.accept(late);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<E> batch = new ArrayList<>();
    long deadline = System.nanoTime() + intervalNanos;
    while (true) {
      Thread.interrupted(); // nobody should interrupt this thread; a set flag would turn parking into spinning
      long now = System.nanoTime();
      boolean due = now - deadline >= 0;
      if (!closed && !flushRequested && !due && queue.size() < drainTrigger) {
        LockSupport.parkNanos(this, Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(100)));
        continue;
      }
      boolean closing = closed;
      flushRequested = false;
      if (due) {
        deadline = now + intervalNanos;
      }
      queue.drainTo(batch);
      if (!batch.isEmpty()) {
        try {
          handler.accept(batch);
        } catch (RuntimeException | Error e) {
          lost.accept(batch);
        }
        synchronized (progress) {
          settled += batch.size();
          progress.notifyAll();
        }
        batch = new ArrayList<>();
      }
      if (closing && queue.isEmpty()) {
        synchronized (progress) {
          progress.notifyAll();
        }
        return;
      }
    }
  }
}

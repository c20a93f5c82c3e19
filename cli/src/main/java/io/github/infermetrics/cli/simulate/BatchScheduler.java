package io.github.infermetrics.cli.simulate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One continuous-batching engine, as SGLang's scheduler and TGI's router run it: requests wait in a queue; when
 * slots are free, the waiting ones are prefilled together in one batch (each gets its first token at its end);
 * otherwise the running ones advance together by one decode step (one token each). A request leaves when it has
 * its tokens. Steps take real wall time, drawn from seeded distributions, so latencies, queueing and batch sizes
 * follow the load. The simulators record their metrics from the {@link Listener} calls; HTTP handlers read their
 * request's {@link Request#events()}. Thread-safe; one thread runs the steps.
 */
final class BatchScheduler implements AutoCloseable {
  /** What the engine did, for the simulator's metrics; called on the engine's thread, in order. */
  interface Listener {
    /** A prefill batch ran from {@code start} (when its requests left the queue) to {@code end} (their first token). */
    void prefill(List<Request> batch, long startNanos, long endNanos);

    /** A decode step ran over these requests (each got one more token, or was found cancelled). */
    void decode(List<Request> batch, long startNanos, long endNanos);

    /** A request got all its tokens. */
    void finished(Request r, long nanos);

    /** A request's client went away: {@code queued} while it waited, else while it ran. */
    void cancelled(Request r, boolean queued, long nanos);
  }

  /** An event for a request's HTTP handler. */
  enum Event {
    /** One more token. */
    TOKEN,
    /** No more tokens: the request is finished. */
    DONE
  }

  /** One request through the engine; times in {@link System#nanoTime()} nanos. */
  static final class Request {
    final int promptTokens;
    final int maxTokens;
    /** The tokens it will get: the model's wish cut at {@code maxTokens}. */
    final int target;
    final long arrival;
    final Object tag;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    volatile boolean cancelled;
    long scheduled;
    long firstToken;
    int generated;

    Request(int promptTokens, int maxTokens, int target, long arrival, Object tag) {
      this.promptTokens = promptTokens;
      this.maxTokens = maxTokens;
      this.target = Math.max(1, Math.min(maxTokens, target));
      this.arrival = arrival;
      this.tag = tag;
    }

    /** Whether it stopped on its own before {@code maxTokens} ({@code stop}), rather than at it ({@code length}). */
    boolean stopped() {
      return target < maxTokens;
    }

    /**
     * The next event, waiting up to the timeout.
     *
     * @return the event, or null on timeout
     */
    Event next(long timeout, TimeUnit unit) throws InterruptedException {
      return events.poll(timeout, unit);
    }
  }

  private final Object lock = new Object();
  private final Deque<Request> waiting = new ArrayDeque<>();
  private final List<Request> running = new ArrayList<>();
  private final int maxRunning;
  private final Distribution prefillSeconds;
  private final double prefillSecondsPerToken;
  private final Distribution decodeStepSeconds;
  private final Random random;
  private final Listener listener;
  private final Thread thread;
  private volatile boolean closed;
  private long kvTokens;

  /**
   * Starts the engine's thread.
   *
   * @param name the thread's name
   * @param maxRunning requests in the running batch at most
   * @param prefillSeconds a prefill batch's time before its prompt tokens
   * @param prefillSecondsPerToken the time a prefill batch takes per prompt token
   * @param decodeStepSeconds a decode step's time
   * @param seed the seed of the step times
   * @param listener what records the metrics
   */
  BatchScheduler(String name, int maxRunning, Distribution prefillSeconds, double prefillSecondsPerToken,
      Distribution decodeStepSeconds, long seed, Listener listener) {
    this.maxRunning = maxRunning;
    this.prefillSeconds = prefillSeconds;
    this.prefillSecondsPerToken = prefillSecondsPerToken;
    this.decodeStepSeconds = decodeStepSeconds;
    this.random = new Random(seed);
    this.listener = listener;
    this.thread = SimulatorThreads.daemon(name).newThread(this::run);
    thread.start();
  }

  /** Queues a request. */
  void submit(Request r) {
    synchronized (lock) {
      waiting.addLast(r);
      lock.notifyAll();
    }
  }

  /** Requests waiting now. */
  int waiting() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** Requests running now. */
  int running() {
    synchronized (lock) {
      return running.size();
    }
  }

  /** Tokens the running requests hold in the KV cache now: prompt plus generated. */
  long kvTokens() {
    synchronized (lock) {
      return kvTokens;
    }
  }

  /** The tokens the running requests may reach: prompt plus {@code maxTokens} each (TGI's batch max tokens). */
  long reservedTokens() {
    synchronized (lock) {
      long sum = 0;
      for (Request r : running) {
        sum += r.promptTokens + r.maxTokens;
      }
      return sum;
    }
  }

  /** The most requests it runs at once. */
  int maxRunning() {
    return maxRunning;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      for (Request r : waiting) {
        r.events.add(Event.DONE);
      }
      for (Request r : running) {
        r.events.add(Event.DONE);
      }
    }
  }

  private void run() {
    try {
      while (!closed) {
        List<Request> batch = new ArrayList<>();
        boolean prefill;
        synchronized (lock) {
          while (waiting.isEmpty() && running.isEmpty() && !closed) {
            lock.wait(100);
          }
          long now = System.nanoTime();
          for (Iterator<Request> it = waiting.iterator();
              it.hasNext() && running.size() + batch.size() < maxRunning; ) {
            Request r = it.next();
            it.remove();
            if (r.cancelled) {
              listener.cancelled(r, true, now);
            } else {
              batch.add(r);
            }
          }
          prefill = !batch.isEmpty();
          if (prefill) {
            // in the batch from now on: counted as running and holding their prompts while the prefill runs
            for (Request r : batch) {
              r.scheduled = now;
              running.add(r);
              kvTokens += r.promptTokens;
            }
          } else {
            batch.addAll(running);
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        long start = System.nanoTime();
        if (prefill) {
          int promptTokens = 0;
          for (Request r : batch) {
            promptTokens += r.promptTokens;
          }
          sleep(prefillSeconds.sample(random) + promptTokens * prefillSecondsPerToken);
          long end = System.nanoTime();
          synchronized (lock) {
            for (Request r : batch) {
              r.firstToken = end;
            }
            listener.prefill(batch, start, end);
            advance(batch, end);
          }
        } else {
          sleep(decodeStepSeconds.sample(random));
          long end = System.nanoTime();
          synchronized (lock) {
            listener.decode(batch, start, end);
            advance(batch, end);
          }
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** One token for each request of the step; finished and cancelled ones leave. Holds the lock. */
  private void advance(List<Request> batch, long now) {
    for (Request r : batch) {
      if (r.cancelled) {
        leave(r);
        listener.cancelled(r, false, now);
        continue;
      }
      r.generated++;
      kvTokens++;
      r.events.add(Event.TOKEN);
      if (r.generated >= r.target) {
        leave(r);
        listener.finished(r, now);
        r.events.add(Event.DONE);
      }
    }
  }

  private void leave(Request r) {
    running.remove(r);
    kvTokens -= r.promptTokens + r.generated;
  }

  private static void sleep(double seconds) throws InterruptedException {
    long nanos = (long) (seconds * 1e9);
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }
}

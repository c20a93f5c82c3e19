package io.github.infermetrics.cli.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one step of a sweep: sends requests at a Poisson rate or keeps a number of them in flight, for the warm-up
 * and then the measured duration, then waits for the requests still running (the drain) up to the step's time
 * limit. Bounded: at most {@code maxOutstanding} requests are in flight (a request due beyond that is not sent and
 * is recorded as such: the server was not keeping up), the step ends by its time limit and the run's, and an
 * interrupt (Ctrl-C) ends it at once. Every request due in the step has a record, however it ended.
 */
final class StepRunner {
  /** How long a wait sleeps at most, so that time limits and interrupts are seen promptly. */
  private static final long TICK_NANOS = 50_000_000L;

  private final OpenAiClient client;
  private final PromptSource prompts;
  private final Random arrivals;
  private final Limits limits;
  private final long originNanos;
  private final AtomicInteger ids;

  /**
   * A step's bounds.
   *
   * @param warmup the warm-up at the start of every step, excluded from its statistics
   * @param duration the measured time after the warm-up
   * @param stepTimeLimit the most one step may take, warm-up and drain included
   * @param maxOutstanding the most requests in flight at once
   */
  record Limits(Duration warmup, Duration duration, Duration stepTimeLimit, int maxOutstanding) {}

  /** Why a step ended. */
  enum Stop {
    /** It ran its course. */
    COMPLETED,
    /** The run's time limit ended it. */
    TIME_LIMIT,
    /** The run was interrupted (Ctrl-C). */
    INTERRUPTED
  }

  /**
   * One step's requests and times (microseconds from the run's start).
   *
   * @param index the step's number, from 1
   * @param mode rate or concurrency
   * @param load the rate or the concurrency
   * @param startMicros when it started
   * @param measureStartMicros when its warm-up ended
   * @param measureEndMicros when its arrivals stopped (or the step was stopped, if earlier)
   * @param endMicros when its last request ended
   * @param records every request due in the step, by id
   * @param stop why it ended
   */
  record StepRun(int index, LoadMode mode, double load, long startMicros, long measureStartMicros,
      long measureEndMicros, long endMicros, List<RequestRecord> records, Stop stop) {
    StepRun {
      records = List.copyOf(records);
    }
  }

  StepRunner(OpenAiClient client, PromptSource prompts, Random arrivals, Limits limits, long originNanos,
      AtomicInteger ids) {
    this.client = client;
    this.prompts = prompts;
    this.arrivals = arrivals;
    this.limits = limits;
    this.originNanos = originNanos;
    this.ids = ids;
  }

  /**
   * Runs a step. Interrupted, it cuts off what is in flight, returns what it has, and leaves the thread
   * interrupted.
   *
   * @param index the step's number
   * @param mode how to make load
   * @param load the rate or the concurrency
   * @param runDeadlineNanos the run's time limit on {@link System#nanoTime()}, or {@link Long#MAX_VALUE}
   * @param atMeasureStart run once when the warm-up ends (the server's step window starts there)
   * @return the step's records
   */
  StepRun run(int index, LoadMode mode, double load, long runDeadlineNanos, Runnable atMeasureStart) {
    return new Step(index, mode, load, runDeadlineNanos, atMeasureStart).run();
  }

  /** The state of one running step. */
  private final class Step {
    private final int index;
    private final LoadMode mode;
    private final double load;
    private final long runDeadline;
    private final Runnable atMeasureStart;
    private final long start = System.nanoTime();
    private final long warmEnd;
    private final long arrivalEnd;
    private final long stepDeadline;
    private final ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
    private final Map<Integer, OpenAiClient.InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean arriving = true;
    private boolean measureMarked;
    private long measureEnd = -1;

    Step(int index, LoadMode mode, double load, long runDeadline, Runnable atMeasureStart) {
      this.index = index;
      this.mode = mode;
      this.load = load;
      this.runDeadline = runDeadline;
      this.atMeasureStart = atMeasureStart;
      this.warmEnd = start + limits.warmup().toNanos();
      this.arrivalEnd = warmEnd + limits.duration().toNanos();
      this.stepDeadline = start + limits.stepTimeLimit().toNanos();
    }

    StepRun run() {
      Stop stop = Stop.COMPLETED;
      try {
        if (mode == LoadMode.RATE) {
          arriveAtRate();
        } else {
          keepInFlight();
        }
        arriving = false;
        measureEnd = Math.min(System.nanoTime(), arrivalEnd);
        markMeasureStart(); // a step stopped in its warm-up still gets its mark
        if (System.nanoTime() >= runDeadline) {
          stop = Stop.TIME_LIMIT;
          cutOffAll("cut off at the run's time limit (--time-limit)");
        } else if (!drain()) {
          if (System.nanoTime() >= runDeadline) {
            stop = Stop.TIME_LIMIT;
            cutOffAll("cut off at the run's time limit (--time-limit)");
          } else {
            cutOffAll("cut off at the step's time limit of " + Figures.duration(limits.stepTimeLimit().toNanos()
                / 1e9) + " (--step-time-limit)");
          }
        }
      } catch (InterruptedException e) {
        arriving = false;
        stop = Stop.INTERRUPTED;
        if (measureEnd < 0) {
          measureEnd = Math.min(System.nanoTime(), arrivalEnd);
        }
        cutOffAll("cut off: the run was stopped");
        Thread.currentThread().interrupt();
      }
      List<RequestRecord> all = new ArrayList<>(records);
      all.sort(Comparator.comparingInt(RequestRecord::id));
      long end = System.nanoTime();
      return new StepRun(index, mode, load, micros(start), micros(Math.min(warmEnd, measureEnd)), micros(measureEnd),
          micros(end), all, stop);
    }

    /** Poisson arrivals: exponential gaps from the seeded generator, each request due at its own time. */
    private void arriveAtRate() throws InterruptedException {
      long due = start;
      while (true) {
        double gap = -Math.log(1 - arrivals.nextDouble()) / load;
        due += (long) (gap * 1e9);
        if (due >= arrivalEnd) {
          sleepUntil(arrivalEnd);
          return;
        }
        if (!sleepUntil(due)) {
          return; // the run's time limit
        }
        if (outstanding.get() >= limits.maxOutstanding()) {
          Prompt p = prompts.next();
          records.add(new RequestRecord(ids.incrementAndGet(), index, due < warmEnd, RequestRecord.Status.NOT_SENT,
              micros(due), -1, -1, -1, new int[0], p.promptTokens(), 0, RequestRecord.TokensFrom.CHUNKS,
              "not sent: " + limits.maxOutstanding() + " requests were in flight (--max-outstanding)", "not sent"));
        } else {
          send(due);
        }
      }
    }

    /** A closed loop: {@code load} lanes, each sending its next request as its last one ends. */
    private void keepInFlight() throws InterruptedException {
      int lanes = (int) load;
      for (int i = 0; i < lanes; i++) {
        send(System.nanoTime());
      }
      sleepUntil(arrivalEnd);
    }

    private void send(long due) {
      Prompt p;
      synchronized (prompts) {
        p = prompts.next();
      }
      outstanding.incrementAndGet();
      int id = ids.incrementAndGet();
      // the warm-up is decided by when a request was due: a late send (a starved client, seen in requests.csv as
      // due and sent apart) does not move it into the measurement
      OpenAiClient.InFlight f = client.send(p, id, index, due < warmEnd, micros(due), this::ended);
      inFlight.put(id, f);
      if (f.finished()) {
        inFlight.remove(id); // it ended before it was put here
      }
    }

    private void ended(RequestRecord r) {
      inFlight.remove(r.id());
      records.add(r);
      outstanding.decrementAndGet();
      if (mode == LoadMode.CONCURRENCY && arriving && r.status() != RequestRecord.Status.CUT_OFF) {
        long now = System.nanoTime();
        if (now < arrivalEnd && now < runDeadline) {
          send(now);
        }
      }
      synchronized (drained) {
        drained.notifyAll();
      }
    }

    /** Waits for the requests in flight; false when the step's or the run's time limit came first. */
    private boolean drain() throws InterruptedException {
      long limit = Math.min(stepDeadline, runDeadline);
      synchronized (drained) {
        while (outstanding.get() > 0) {
          long left = limit - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          drained.wait(Math.max(1, Math.min(left, TICK_NANOS) / 1_000_000));
        }
      }
      return true;
    }

    /** Sleeps until a moment, marking the measurement's start on the way; false when the run's limit came first. */
    private boolean sleepUntil(long target) throws InterruptedException {
      while (true) {
        long now = System.nanoTime();
        if (!measureMarked && now >= warmEnd) {
          markMeasureStart();
        }
        if (now >= runDeadline) {
          return false;
        }
        if (now >= target) {
          return true;
        }
        long until = Math.min(target, runDeadline);
        if (!measureMarked) {
          until = Math.min(until, warmEnd);
        }
        LockSupport.parkNanos(Math.min(until - now, TICK_NANOS));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }

    private void markMeasureStart() {
      if (!measureMarked) {
        measureMarked = true;
        atMeasureStart.run();
      }
    }

    private void cutOffAll(String why) {
      arriving = false;
      for (OpenAiClient.InFlight f : inFlight.values()) {
        f.cutOff(why, "cut off");
      }
    }

    private long micros(long nanos) {
      return (nanos - originNanos) / 1000;
    }
  }
}

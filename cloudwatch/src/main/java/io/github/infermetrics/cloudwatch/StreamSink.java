package io.github.infermetrics.cloudwatch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes each event as one line (the event and {@code '\n'}, in one write) to an output stream: standard output
 * (where Lambda, Fluent Bit or the CloudWatch agent's log collection pick EMF up) or a file, appended.
 *
 * <pre>{@code
 * EmfSink stdout = StreamSink.stdout();
 * EmfSink file = StreamSink.file(Path.of("/var/log/app/emf.log"));
 * }</pre>
 *
 * <p>Thread-safe: lines from several threads never interleave. The standard output sink locks {@link System#out}
 * itself, so lines also never interleave with {@code System.out.println} from elsewhere. A failed write counts the
 * event in {@link #dropped()} and keeps the error for {@link #lastFailure()}; so does an event after
 * {@link #close()}.
 *
 * @since 0.1.0
 */
public final class StreamSink implements EmfSink {
  private final OutputStream out;
  private final Object lock;
  private final boolean closeStream;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;
  private volatile Exception lastFailure;
  private byte[] line = new byte[4096]; // guarded by lock
  // events written into a buffer since the last successful flush: lost if the buffer cannot be written out
  private long unflushed; // guarded by lock

  /**
   * A sink over any stream, which it owns or not.
   *
   * @param out the stream
   * @param closeStream whether {@link #close()} closes the stream
   */
  public StreamSink(OutputStream out, boolean closeStream) {
    this(out, new Object(), closeStream);
  }

  private StreamSink(OutputStream out, Object lock, boolean closeStream) {
    this.out = Objects.requireNonNull(out, "out");
    this.lock = lock;
    this.closeStream = closeStream;
  }

  /**
   * Standard output, {@link System#out} as it is when this is called. Closing the sink does not close it.
   *
   * @return a sink
   */
  public static StreamSink stdout() {
    PrintStream stdout = System.out;
    return new StreamSink(stdout, stdout, false);
  }

  /**
   * A file, created when missing and appended to, through a 64 KiB buffer: {@link #flush()} or {@link #close()}
   * writes it out.
   *
   * @param file the file
   * @return a sink that owns the file
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static StreamSink file(Path file) {
    try {
      OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      return new StreamSink(new BufferedOutputStream(os, 64 * 1024), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + " for EMF events: " + e.getMessage(), e);
    }
  }

  @Override
  public void accept(byte[] event, int offset, int length, long timestampMillis) {
    if (closed) {
      dropped.incrementAndGet();
      return;
    }
    synchronized (lock) {
      if (line.length < length + 1) {
        line = Arrays.copyOf(line, Math.max(length + 1, line.length * 2));
      }
      System.arraycopy(event, offset, line, 0, length);
      line[length] = '\n';
      try {
        out.write(line, 0, length + 1);
        // PrintStream swallows IOExceptions and only remembers them
        if (out instanceof PrintStream ps && ps.checkError()) {
          throw new IOException("the print stream reports an error");
        }
        written.incrementAndGet();
        unflushed++;
      } catch (IOException e) {
        failed(e, 1);
      }
    }
  }

  /** Counts the failed event and every event that may still have been in the stream's buffer. */
  private void failed(IOException e, int failing) {
    lastFailure = e;
    dropped.addAndGet(unflushed + failing);
    written.addAndGet(-unflushed);
    unflushed = 0;
  }

  @Override
  public void flush() {
    synchronized (lock) {
      try {
        out.flush();
        unflushed = 0;
      } catch (IOException e) {
        failed(e, 0);
      }
    }
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  /**
   * Events written (handed to the stream without an error, and not counted as dropped since).
   *
   * @return the count
   */
  public long written() {
    return written.get();
  }

  /**
   * The last write error, for diagnosis.
   *
   * @return the error, or null when there was none
   */
  public Exception lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.flush();
        unflushed = 0;
        if (closeStream) {
          out.close();
        }
      } catch (IOException e) {
        failed(e, 0);
      }
    }
  }

  @Override
  public String toString() {
    return "StreamSink[written=" + written + ", dropped=" + dropped + "]";
  }
}

package io.github.infermetrics.cloudwatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends events to the CloudWatch agent's EMF listener ({@code tcp://127.0.0.1:25888} by default in the agent, or
 * {@code udp://}), newline-delimited, from a background thread.
 *
 * <pre>{@code
 * try (AgentSink agent = AgentSink.builder(URI.create("tcp://127.0.0.1:25888")).build()) {
 *   EmfWriter emf = EmfWriter.builder("Inference").sink(agent).build();
 *   ...
 * }   // close() sends what is queued, within the flush timeout
 * }</pre>
 *
 * <p><b>Delivery.</b> {@link #accept} copies the event into a bounded queue (a byte ring of
 * {@link Builder#queueBytes(int)}) and returns at once; when the queue is full, the new event is dropped and counted
 * in {@link #dropped()} (the queue keeps the older events). The sender connects lazily, and after a failure
 * reconnects with exponential backoff and jitter ({@link Builder#backoff(Duration, Duration)}), sending the batch
 * that failed again: a batch is dropped (and counted) only when {@link #flush()} or {@link #close()} runs out of
 * time. {@link #close()} is bounded: it waits at most the flush timeout, and no longer than three connection
 * attempts in a row when the agent cannot be reached (nothing listens, say), then counts every event still queued
 * or in flight as dropped and stops the sender, even one blocked writing to an agent that stopped reading. So after
 * {@code close()}, every event given to {@link #accept} is counted once, in {@link #delivered()} or
 * {@link #dropped()}. Before each TCP batch the sender checks whether the agent closed the connection, so a
 * restarted agent costs nothing; bytes the kernel accepted just before the agent went away can still be lost unseen
 * (TCP has no acknowledgement: "delivered" means written to the connection), and EMF is at-least-once anyway. UDP
 * has no connection: a datagram is dropped and counted when the kernel reports an error (for example that nothing
 * listens on the port), but a datagram lost on the way cannot be seen; events larger than a datagram (65,507 bytes)
 * are dropped and counted.
 *
 * <p>Thread-safe. Counters: {@link #dropped()}, {@link #delivered()}, {@link #reconnects()}, {@link #queuedBytes()}.
 *
 * @since 0.1.0
 */
public final class AgentSink implements EmfSink {
  /** The largest UDP payload over IPv4. */
  public static final int MAX_DATAGRAM_BYTES = 65_507;
  private static final int BATCH_BYTES = 64 * 1024;
  /** Connection attempts in a row that failed, after which {@link #close()} stops waiting for the agent. */
  static final int CLOSE_GIVES_UP_AFTER_CONNECT_FAILURES = 3;
  /** How long {@link #close()} waits for the sender thread to stop once everything is settled or abandoned. */
  private static final long SENDER_STOP_MILLIS = 1000;

  private final String host;
  private final int port;
  private final boolean udp;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration flushTimeout;
  private final int connectTimeoutMillis;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition settledChanged = lock.newCondition();
  private final byte[] ring;
  private int readPos; // guarded by lock
  private int used; // guarded by lock
  private long accepted; // guarded by lock: events queued so far
  private long settled; // guarded by lock: events delivered or dropped after they were queued
  private int abandons; // guarded by lock: flush timeouts and closes, each drops the batch in flight on failure
  private int connectFailuresInARow; // guarded by lock
  private boolean closing; // guarded by lock
  private boolean accountsClosed; // guarded by lock: close() counted what the sender had not settled
  private volatile boolean closed;

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private volatile Exception lastFailure;

  // sender thread only
  private final byte[] batch = new byte[BATCH_BYTES + 1];
  private final int[] batchEnds = new int[BATCH_BYTES / 2];
  private volatile ByteChannel channel; // volatile: close() closes it to unblock a sender stuck in a write
  private volatile SocketChannel connecting; // the same for a connect in progress
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private byte[] batchArray = batch;
  private byte[] oversized;
  private int sentInBatch;
  private int refusedInBatch; // UDP: datagrams of the batch the kernel refused
  private final Thread sender;

  private AgentSink(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.udp = b.udp;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.flushTimeout = b.flushTimeout;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis());
    this.ring = new byte[b.queueBytes];
    this.sender = new Thread(this::run, "emf-agent-sink " + (udp ? "udp://" : "tcp://") + host + ":" + port);
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Starts a configuration.
   *
   * @param endpoint {@code tcp://HOST:PORT} or {@code udp://HOST:PORT}
   * @return a builder
   * @throws IllegalArgumentException when the endpoint is not of that form
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  @Override
  public void accept(byte[] event, int offset, int length, long timestampMillis) {
    Objects.checkFromIndexSize(offset, length, event.length);
    int need = 4 + length;
    if (closed || need > ring.length || udp && length + 1 > MAX_DATAGRAM_BYTES) {
      dropped.incrementAndGet();
      return;
    }
    lock.lock();
    try {
      if (closing || used + need > ring.length) {
        dropped.incrementAndGet();
        return;
      }
      int writePos = (readPos + used) % ring.length;
      writePos = put((byte) (length >>> 24), writePos);
      writePos = put((byte) (length >>> 16), writePos);
      writePos = put((byte) (length >>> 8), writePos);
      writePos = put((byte) length, writePos);
      int first = Math.min(length, ring.length - writePos);
      System.arraycopy(event, offset, ring, writePos, first);
      System.arraycopy(event, offset + first, ring, 0, length - first);
      used += need;
      accepted++;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  private int put(byte b, int at) {
    ring[at] = b;
    return at + 1 == ring.length ? 0 : at + 1;
  }

  private int take() {
    byte b = ring[readPos];
    readPos = readPos + 1 == ring.length ? 0 : readPos + 1;
    used--;
    return b & 0xff;
  }

  /**
   * Waits until every event accepted so far is delivered or dropped, at most the flush timeout; events still
   * queued or in flight after that are dropped and counted.
   */
  @Override
  public void flush() {
    flush(false);
  }

  /**
   * Waits for what was accepted to settle. When closing, not while the agent cannot be reached, and not stopped by
   * an interrupt (a Ctrl-C handler interrupts the thread that then closes): the wait is bounded anyway, and giving
   * up would drop what could still be sent.
   */
  private void flush(boolean closing) {
    boolean interrupted = false;
    lock.lock();
    try {
      long target = accepted;
      long deadline = System.nanoTime() + flushTimeout.toNanos();
      while (settled < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closing && connectFailuresInARow >= CLOSE_GIVES_UP_AFTER_CONNECT_FAILURES) {
          abandon();
          return;
        }
        try {
          settledChanged.awaitNanos(left);
        } catch (InterruptedException e) {
          interrupted = true;
          if (!closing) {
            return;
          }
        }
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Drops what is queued and tells the sender to drop its batch on the next failure. Holds the lock. */
  private void abandon() {
    int events = 0;
    while (used > 0) {
      int len = take() << 24 | take() << 16 | take() << 8 | take();
      readPos = (readPos + len) % ring.length;
      used -= len;
      events++;
    }
    dropped.addAndGet(events);
    settled += events;
    abandons++;
    settledChanged.signalAll();
    notEmpty.signalAll();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  /**
   * Events written to the socket.
   *
   * @return the count
   */
  public long delivered() {
    return delivered.get();
  }

  /**
   * Connections opened after the first one (after a failure or after the agent closed the connection).
   *
   * @return the count
   */
  public long reconnects() {
    return reconnects.get();
  }

  /**
   * Bytes waiting in the queue (with 4 bytes of framing per event).
   *
   * @return the count
   */
  public int queuedBytes() {
    lock.lock();
    try {
      return used;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The last send or connect error, for diagnosis.
   *
   * @return the error, or null
   */
  public Exception lastFailure() {
    return lastFailure;
  }

  /**
   * Sends what is queued (within the flush timeout, and not while the agent cannot be reached: see the class
   * comment), then stops the sender and closes the connection. When it returns, every event accepted is counted as
   * delivered or dropped.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(true);
    lock.lock();
    try {
      closing = true;
      closed = true;
      abandon();
    } finally {
      lock.unlock();
    }
    // a sender blocked in a connect or a write (an agent that stopped reading) fails at once, and drops its batch
    closeQuietly(connecting);
    closeQuietly(channel);
    joinSender();
    lock.lock();
    try {
      // what the sender still holds if it did not stop in time: counted here, and not again by the sender
      long unsettled = accepted - settled;
      dropped.addAndGet(unsettled);
      settled = accepted;
      accountsClosed = true;
    } finally {
      lock.unlock();
    }
    closeChannel();
  }

  /** Waits up to {@link #SENDER_STOP_MILLIS} for the sender to stop, whatever interrupts. */
  private void joinSender() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + SENDER_STOP_MILLIS * 1_000_000;
    for (long left; sender.isAlive() && (left = deadline - System.nanoTime()) > 0; ) {
      try {
        sender.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the sender thread

  private void run() {
    long connections = 0;
    while (true) {
      int count;
      int abandonsAtFill;
      lock.lock();
      try {
        while (used == 0 && !closing) {
          notEmpty.awaitUninterruptibly();
        }
        if (used == 0) {
          return;
        }
        abandonsAtFill = abandons;
        count = fillBatch();
      } finally {
        lock.unlock();
      }
      long backoff = minBackoff.toNanos();
      sentInBatch = 0;
      refusedInBatch = 0;
      while (sentInBatch + refusedInBatch < count) {
        boolean opening = false;
        try {
          if (channel == null || !udp && peerClosed()) {
            closeChannel();
            opening = true;
            channel = open();
            opening = false;
            connected();
            if (connections++ > 0) {
              reconnects.incrementAndGet();
            }
          }
          send(count);
        } catch (IOException e) {
          if (!closed) {
            lastFailure = e; // not the failure close() causes to stop the sender: the reason it had to
          }
          closeChannel();
          if (opening) {
            connectFailed();
          }
          if (udp && !opening) {
            // the kernel refused a datagram (nothing listens, say): it is gone, count it and go on
            refusedInBatch++;
            continue;
          }
          if (giveUp(abandonsAtFill)) {
            break;
          }
          sleep(backoff);
          backoff = Math.min(maxBackoff.toNanos(), backoff * 2);
        }
      }
      lock.lock();
      try {
        if (!accountsClosed) {
          // sent events are delivered; refused datagrams, and the rest of a batch that flush or close abandoned,
          // are dropped
          delivered.addAndGet(sentInBatch);
          dropped.addAndGet(count - sentInBatch);
          settled += count;
        }
        settledChanged.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Moves whole events from the ring into the batch, each followed by a line feed. Holds the lock. */
  private int fillBatch() {
    batchArray = batch;
    int pos = 0;
    int count = 0;
    while (used > 0 && count < batchEnds.length) {
      int saveRead = readPos;
      int len = take() << 24 | take() << 16 | take() << 8 | take();
      if (count > 0 && pos + len + 1 > BATCH_BYTES) {
        readPos = saveRead; // the event stays queued for the next batch
        used += 4;
        break;
      }
      if (len + 1 > batch.length) {
        // an event larger than the batch buffer goes alone, from an array of its own
        if (oversized == null || oversized.length < len + 1) {
          oversized = new byte[len + 1];
        }
        batchArray = oversized;
      }
      int first = Math.min(len, ring.length - readPos);
      System.arraycopy(ring, readPos, batchArray, pos, first);
      System.arraycopy(ring, 0, batchArray, pos + first, len - first);
      readPos = (readPos + len) % ring.length;
      used -= len;
      pos += len;
      batchArray[pos++] = '\n';
      batchEnds[count++] = pos;
      if (batchArray != batch) {
        break;
      }
    }
    return count;
  }

  /**
   * Sends the batch from its first unsent event on, advancing {@link #sentInBatch} (the settling in {@link #run}
   * counts them as delivered).
   */
  private void send(int count) throws IOException {
    if (udp) {
      for (int i = sentInBatch + refusedInBatch; i < count; i = sentInBatch + refusedInBatch) {
        int start = i == 0 ? 0 : batchEnds[i - 1];
        channel.write(ByteBuffer.wrap(batchArray, start, batchEnds[i] - start));
        sentInBatch++;
      }
      return;
    }
    int start = sentInBatch == 0 ? 0 : batchEnds[sentInBatch - 1];
    ByteBuffer b = ByteBuffer.wrap(batchArray, start, batchEnds[count - 1] - start);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    sentInBatch = count;
  }

  private ByteChannel open() throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IOException("cannot resolve " + host);
    }
    if (udp) {
      DatagramChannel c = DatagramChannel.open();
      c.connect(address);
      return c;
    }
    SocketChannel c = SocketChannel.open();
    connecting = c;
    try {
      if (closed) {
        throw new IOException("closed");
      }
      c.socket().connect(address, connectTimeoutMillis);
      c.socket().setTcpNoDelay(true);
      return c;
    } catch (IOException e) {
      c.close();
      throw e;
    } finally {
      connecting = null;
    }
  }

  /** Whether the agent closed the connection (it never sends anything, so any read result but 0 means gone). */
  private boolean peerClosed() {
    SocketChannel c = (SocketChannel) channel;
    try {
      c.configureBlocking(false);
      probe.clear();
      int n = c.read(probe);
      c.configureBlocking(true);
      return n != 0;
    } catch (IOException e) {
      return true;
    }
  }

  private void closeChannel() {
    closeQuietly(channel);
    channel = null;
  }

  private static void closeQuietly(java.nio.channels.Channel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing left to do with a broken connection
      }
    }
  }

  private void connected() {
    lock.lock();
    try {
      connectFailuresInARow = 0;
    } finally {
      lock.unlock();
    }
  }

  private void connectFailed() {
    lock.lock();
    try {
      connectFailuresInARow++;
      settledChanged.signalAll(); // a closing flush may now stop waiting
    } finally {
      lock.unlock();
    }
  }

  private boolean giveUp(int abandonsAtFill) {
    lock.lock();
    try {
      return abandons != abandonsAtFill;
    } finally {
      lock.unlock();
    }
  }

  private void sleep(long backoffNanos) {
    // jitter between half and all of the backoff, so that many writers do not reconnect in step
    long nanos = backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
    lock.lock();
    try {
      settledChanged.awaitNanos(nanos); // flush and close signal it, so they need not wait out the backoff
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "AgentSink[" + (udp ? "udp://" : "tcp://") + host + ":" + port + ", delivered=" + delivered
        + ", dropped=" + dropped + "]";
  }

  /**
   * Configures an {@link AgentSink}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private final boolean udp;
    private int queueBytes = 8 * 1024 * 1024;
    private Duration minBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration flushTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(2);

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("tcp") && !scheme.equals("udp")) {
        throw new IllegalArgumentException("endpoint " + endpoint + ": the scheme must be tcp or udp");
      }
      if (endpoint.getHost() == null || endpoint.getPort() < 1 || endpoint.getPort() > 65535) {
        throw new IllegalArgumentException("endpoint " + endpoint + ": expected " + scheme
            + "://HOST:PORT with a port from 1 to 65535");
      }
      if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() || endpoint.getRawQuery() != null
          || endpoint.getRawUserInfo() != null || endpoint.getRawFragment() != null) {
        throw new IllegalArgumentException("endpoint " + endpoint + ": expected " + scheme
            + "://HOST:PORT and nothing else");
      }
      String h = endpoint.getHost();
      this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
      this.port = endpoint.getPort();
      this.udp = scheme.equals("udp");
    }

    /**
     * The queue size in bytes (each event takes its length plus 4). Default 8 MiB. The sender holds one more batch
     * of up to 64 KiB that it is sending or retrying.
     *
     * @param bytes at least 64 KiB
     * @return this
     */
    public Builder queueBytes(int bytes) {
      if (bytes < 64 * 1024) {
        throw new IllegalArgumentException("queueBytes must be at least 65536: " + bytes);
      }
      this.queueBytes = bytes;
      return this;
    }

    /**
     * The reconnect backoff: it starts at {@code min}, doubles after each failure up to {@code max}, and each
     * wait is drawn between half and all of it. Default 50 ms to 2 s.
     *
     * @param min the first wait, positive
     * @param max the longest wait, at least min
     * @return this
     */
    public Builder backoff(Duration min, Duration max) {
      if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("backoff: need 0 < min <= max, got " + min + " and " + max);
      }
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long {@link AgentSink#flush()} and {@link AgentSink#close()} wait for queued events before they drop
     * them. Default 10 s.
     *
     * @param timeout positive
     * @return this
     */
    public Builder flushTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("flushTimeout must be positive: " + timeout);
      }
      this.flushTimeout = timeout;
      return this;
    }

    /**
     * How long one TCP connect may take. Default 2 s.
     *
     * @param timeout positive
     * @return this
     */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Builds the sink and starts its sender thread (a daemon). It connects when the first event comes.
     *
     * @return the sink
     */
    public AgentSink build() {
      return new AgentSink(this);
    }
  }
}

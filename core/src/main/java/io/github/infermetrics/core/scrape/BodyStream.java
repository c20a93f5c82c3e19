package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} that the reading thread can never wait on past the scrape's
 * deadline, and that hands out at most {@link ScrapeTarget#bodySizeLimit()} bytes.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: on Java 17 a {@code read()} blocked on it waits for the next
 * chunk without a timeout, the request timeout stops counting once the headers are in, and interrupting the
 * reader does not wake it (only {@code close()} from another thread does). Here {@code read()} waits on the
 * queue with the time left to the deadline, so the deadline holds against a server that stalls or drips, with
 * no watchdog thread and no interrupts.
 *
 * <p>Memory: the next chunk is requested only when the current one is used up, so at most one chunk list of the
 * HTTP client is held.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<BodyStream> {
  /** A signal from the HTTP client: data, an error, or the end. */
  private record Signal(List<ByteBuffer> data, Throwable error) {}

  private static final Signal END = new Signal(List.of(), null);

  private final Attempt attempt;
  private final long limit;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final CompletableFuture<BodyStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  /** Written only by the client's delivering thread (signals are serial), read by the scraping thread. */
  private volatile long received;

  // ---- reader side, confined to the scraping thread
  private Iterator<ByteBuffer> chunks;
  private ByteBuffer current;
  private boolean ended;
  private long handedOut;
  private final byte[] one = new byte[1];
  private static final int IN_FLIGHT = 8;

  BodyStream(Attempt attempt) {
    this.attempt = attempt;
    this.limit = attempt.target.bodySizeLimit();
  }

  /** Body bytes received from the client so far. */
  long received() {
    return received;
  }

  // ---- BodySubscriber ------------------------------------------------------------------------------------------

  @Override
  public CompletionStage<BodyStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    Objects.requireNonNull(s, "subscription");
    if (subscription != null) {
      s.cancel();
      return;
    }
    subscription = s;
    if (closed) {
      // closed before the client subscribed: close() could not cancel yet
      s.cancel();
    } else {
      // a few items in flight keep the network busy while the parser works; each consumed item asks for one
      // more, so memory stays bounded at IN_FLIGHT items (the client's buffers are 16 KiB)
      s.request(IN_FLIGHT);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    long n = 0;
    for (ByteBuffer b : item) {
      n += b.remaining();
    }
    received += n;
    signals.add(new Signal(item, null));
  }

  @Override
  public void onError(Throwable t) {
    signals.add(new Signal(null, t));
  }

  @Override
  public void onComplete() {
    signals.add(END);
  }

  // ---- InputStream ---------------------------------------------------------------------------------------------

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("body stream closed");
    }
    if (len == 0) {
      return 0;
    }
    // also when data is ready: a fast endless body must not outrun the deadline
    attempt.checkDeadline();
    while (current == null || !current.hasRemaining()) {
      if (chunks != null && chunks.hasNext()) {
        current = chunks.next();
        continue;
      }
      if (ended) {
        return -1;
      }
      if (chunks != null) {
        chunks = null;
        subscription.request(1);
      }
      Signal s = take();
      if (s == END) {
        ended = true;
        return -1;
      }
      if (s.error != null) {
        ended = true;
        throw s.error instanceof IOException ? (IOException) s.error : new IOException(s.error);
      }
      chunks = s.data.iterator();
    }
    int n = Math.min(len, current.remaining());
    if (handedOut + n > limit) {
      close();
      throw new ScrapeAbort(ScrapeError.limit(ScrapeError.Kind.BODY_TOO_LARGE,
          "body size limit of " + limit + " bytes exceeded (ScrapeTarget.bodySizeLimit)", "ScrapeTarget.bodySizeLimit"));
    }
    current.get(b, off, n);
    handedOut += n;
    return n;
  }

  private Signal take() throws ScrapeAbort {
    long wait = attempt.remainingNanos();
    Signal s = null;
    if (wait > 0) {
      try {
        s = signals.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // the caller's interrupt: keep it for the caller, and end the scrape
        Thread.currentThread().interrupt();
        close();
        throw new ScrapeAbort(ScrapeError.of(ScrapeError.Kind.CANCELLED, "interrupted while " + attempt.phase));
      }
    }
    if (s == null) {
      close();
      throw attempt.timeout();
    }
    return s;
  }

  @Override
  public int available() {
    return closed || current == null ? 0 : current.remaining();
  }

  /** Cancels the subscription unless the body ended, which makes the client drop the connection. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null && !ended) {
      s.cancel();
    }
    signals.clear();
    chunks = null;
    current = null;
  }
}

package io.github.infermetrics.remotewrite.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xerial.snappy.Snappy;

/**
 * This class is internal and is hence not for public use. Its APIs are unstable and can change at any time.
 *
 * <p>The body of a remote-write request: a batch's {@code WriteRequest}, snappy-compressed, in buffers kept from one
 * batch to the next ({@link WriteRequestEncoder}'s and the compressed one, sized by {@link Retention}), so that a
 * sender sending batches of a steady shape allocates no body. For the one sender thread.
 */
public final class RequestBody {
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();
  private final Retention kept = new Retention(256 << 10);
  private byte[] compressed = new byte[0];
  private int length;

  /** An empty body. */
  public RequestBody() {}

  /**
   * Encodes and compresses a batch, replacing the last one.
   *
   * @param batch samples in queue order
   * @throws IOException when snappy fails
   */
  public void fill(List<EncodedSample> batch) throws IOException {
    int raw = encoder.write(batch);
    int capacity = kept.capacity(compressed.length, Snappy.maxCompressedLength(raw));
    if (capacity != compressed.length) {
      compressed = new byte[capacity];
    }
    length = Snappy.compress(encoder.bytes(), 0, raw, compressed, 0);
  }

  /**
   * The compressed bytes, from offset 0 to {@link #length()}; overwritten by the next {@link #fill}.
   *
   * @return the buffer, not a copy
   */
  public byte[] array() {
    return compressed;
  }

  /**
   * The length of the compressed body.
   *
   * @return bytes
   */
  public int length() {
    return length;
  }

  /**
   * Gives up the compressed buffer, so the next {@link #fill} writes into a new one: for a request whose HTTP
   * exchange ended without a response (a timeout, say), which the client may still be reading.
   */
  public void release() {
    compressed = new byte[0];
  }

  /**
   * Publishes the body as it is now, as one buffer over the array: {@code BodyPublishers.ofByteArray} would copy
   * it into new 16 KiB buffers on every attempt.
   *
   * @return a publisher of the current body, valid until the next {@link #fill} or {@link #release}
   */
  public java.net.http.HttpRequest.BodyPublisher publisher() {
    return new Publisher(compressed, length);
  }

  /** One buffer, then complete; subscribed once per attempt. */
  private record Publisher(byte[] bytes, int length) implements java.net.http.HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      AtomicBoolean done = new AtomicBoolean();
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          if (done.getAndSet(true)) {
            return;
          }
          if (n <= 0) {
            subscriber.onError(new IllegalArgumentException("request(" + n + "): not positive"));
            return;
          }
          subscriber.onNext(ByteBuffer.wrap(bytes, 0, length));
          subscriber.onComplete();
        }

        @Override
        public void cancel() {
          done.set(true);
        }
      });
    }
  }
}

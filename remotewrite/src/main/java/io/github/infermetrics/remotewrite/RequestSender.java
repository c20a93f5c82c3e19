package io.github.infermetrics.remotewrite;

import io.github.infermetrics.remotewrite.internal.EncodedSample;
import io.github.infermetrics.remotewrite.internal.RequestBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends one batch at a time, with retries: the sink's single sender thread calls it, so requests never overlap and
 * each series' samples arrive in order. Counters are read from other threads.
 */
final class RequestSender {
  /** The longest {@code Retry-After} honoured, so a misbehaving receiver cannot park the sender for hours. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);
  /** Headers the HTTP client sets itself. */
  private static final Set<String> CLIENT_HEADERS = Set.of("host", "content-length", "connection");
  /** The headers of the remote-write protocol, on every request. */
  private static final Map<String, String> PROTOCOL_HEADERS = protocolHeaders();

  private final HttpClient client;
  private final URI uri;
  private final Map<String, String> headers;
  private final RequestSigner signer;
  private final Duration timeout;
  private final int maxAttempts;
  /** The body of the batch being sent, its buffers kept for the next: only the sender thread sends. */
  private final RequestBody body = new RequestBody();
  private final long minBackoffNanos;
  private final long maxBackoffNanos;

  private volatile long samplesSent;
  private volatile long samplesFailed;
  private volatile long requestsSent;
  private volatile long retries;
  private volatile String lastError = "";

  RequestSender(HttpClient client, URI uri, Map<String, String> extraHeaders, RequestSigner signer, Duration timeout,
      int maxAttempts, Duration minBackoff, Duration maxBackoff) {
    this.client = client;
    this.uri = uri;
    Map<String, String> h = new LinkedHashMap<>(PROTOCOL_HEADERS);
    h.putAll(extraHeaders);
    this.headers = Map.copyOf(h);
    this.signer = signer;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
    this.minBackoffNanos = minBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /**
   * Sends one batch until acknowledged, refused, or out of attempts.
   *
   * @throws InterruptedException when the sink closes out of time; the batch is then not counted here
   */
  void send(List<EncodedSample> batch) throws InterruptedException {
    try {
      body.fill(batch);
    } catch (IOException | RuntimeException e) {
      body.release();
      fail(batch.size(), "cannot encode: " + e);
      return;
    }
    if (!sendBody(batch)) {
      // no acknowledgement: the HTTP client may not be done reading the buffer (a timed-out exchange), so the next
      // batch must not overwrite it
      body.release();
    }
  }

  /** The attempts at the filled body; true when it was acknowledged. */
  private boolean sendBody(List<EncodedSample> batch) throws InterruptedException {
    byte[] signed = null; // the exact body, for a signer that takes an array
    long backoff = minBackoffNanos;
    for (int attempt = 1; ; attempt++) {
      long retryAfter = 0;
      String error;
      HttpRequest request = null;
      try {
        if (signer != null && signed == null) {
          signed = Arrays.copyOf(body.array(), body.length());
        }
        request = request(signed);
        error = null;
      } catch (RuntimeException e) {
        // a signer that cannot sign (credentials not found or expired, say): the batch is retried, then failed and
        // counted, and the sender thread goes on
        error = "cannot sign the request: " + e.getMessage();
      }
      if (request != null) {
        try {
          HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
          int code = r.statusCode();
          if (code / 100 == 2) {
            synchronized (this) {
              samplesSent += batch.size();
              requestsSent++;
            }
            return true;
          }
          error = "HTTP " + code + ": " + firstLine(r.body());
          if (code != 429 && code / 100 != 5) {
            fail(batch.size(), error); // the receiver refused this data: sending it again would not help
            return false;
          }
          retryAfter = retryAfterNanos(r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
          error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
      }
      if (attempt >= maxAttempts) {
        fail(batch.size(), error + " (after " + attempt + " attempts)");
        return false;
      }
      lastError = error;
      synchronized (this) {
        retries++;
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(backoff, retryAfter));
      backoff = Math.min(maxBackoffNanos, backoff * 2);
    }
  }

  private static Map<String, String> protocolHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Encoding", "snappy");
    h.put("Content-Type", "application/x-protobuf");
    h.put("User-Agent", "infermetrics-remotewrite/0.1");
    h.put(RemoteWriteSink.VERSION_HEADER, RemoteWriteSink.VERSION);
    return h;
  }

  /**
   * Whether a header is one the sender or the HTTP client sets, so that a user's own would clash.
   *
   * @param name a header name, in any case
   * @return true for the protocol's headers and the client's
   */
  static boolean isReserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (CLIENT_HEADERS.contains(lower)) {
      return true;
    }
    for (String h : PROTOCOL_HEADERS.keySet()) {
      if (h.toLowerCase(Locale.ROOT).equals(lower)) {
        return true;
      }
    }
    return false;
  }

  /** The request of the filled body; {@code signed} is the body as an array of its own when there is a signer. */
  private HttpRequest request(byte[] signed) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).POST(body.publisher());
    if (signer == null) {
      headers.forEach(b::setHeader);
      return b.build();
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    signer.sign(uri, Map.copyOf(all), signed).forEach((name, value) -> {
      if (!CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        all.put(name, value);
      }
    });
    all.forEach(b::setHeader);
    return b.build();
  }

  /** {@code Retry-After}: seconds or an HTTP date; 0 when absent or unreadable. */
  static long retryAfterNanos(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    long nanos;
    try {
      nanos = TimeUnit.SECONDS.toNanos(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        nanos = Math.max(0, Duration.between(java.time.Instant.now(), at.toInstant()).toNanos());
      } catch (DateTimeParseException e2) {
        return 0;
      }
    }
    return Math.min(nanos, MAX_RETRY_AFTER.toNanos());
  }

  private static String firstLine(String body) {
    String s = body == null ? "" : body.strip();
    int nl = s.indexOf('\n');
    s = nl >= 0 ? s.substring(0, nl) : s;
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  synchronized void fail(int samples, String error) {
    samplesFailed += samples;
    lastError = error;
  }

  synchronized long settled() {
    return samplesSent + samplesFailed;
  }

  long samplesSent() {
    return samplesSent;
  }

  long samplesFailed() {
    return samplesFailed;
  }

  long requestsSent() {
    return requestsSent;
  }

  long retries() {
    return retries;
  }

  String lastError() {
    return lastError;
  }

}

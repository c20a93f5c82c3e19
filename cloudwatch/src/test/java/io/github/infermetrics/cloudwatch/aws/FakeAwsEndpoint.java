package io.github.infermetrics.cloudwatch.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A CloudWatch or CloudWatch Logs endpoint on loopback that speaks the wire protocol the SDK uses: Smithy RPCv2 CBOR
 * for metrics ({@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData}), AWS JSON 1.1 for Logs
 * ({@code POST /} with {@code X-Amz-Target}). It records every request, decoded (gunzipped when the SDK compressed
 * it), and answers with scripted replies, then with success.
 */
final class FakeAwsEndpoint implements AutoCloseable {
  static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xBF, (byte) 0xFF};

  /** One request as received. */
  record Exchange(String method, String path, Map<String, List<String>> headers, byte[] wireBody, byte[] body,
      JsonNode json) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** One scripted answer. */
  record Reply(int status, Map<String, String> headers, byte[] body, Duration delay) {
    Reply after(Duration delay) {
      return new Reply(status, headers, body, delay);
    }
  }

  private final boolean cbor;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Exchange> exchanges = new ArrayList<>();

  private FakeAwsEndpoint(boolean cbor) {
    this.cbor = cbor;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** CloudWatch metrics (RPCv2 CBOR). */
  static FakeAwsEndpoint cloudWatch() {
    return new FakeAwsEndpoint(true);
  }

  /** CloudWatch Logs (AWS JSON 1.1). */
  static FakeAwsEndpoint cloudWatchLogs() {
    return new FakeAwsEndpoint(false);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  synchronized void enqueue(Reply... replies) {
    script.addAll(List.of(replies));
  }

  synchronized List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  // ---- replies in each protocol's error shape

  /** Success: an empty CBOR map, or the given JSON. */
  static Reply ok(String json) {
    return new Reply(200, Map.of("Content-Type", "application/x-amz-json-1.1"),
        json.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
  }

  /**
   * An RPCv2 CBOR error: the status, a CBOR body with {@code __type} and {@code message}, and, as CloudWatch is
   * awsQueryCompatible, the AWS Query error code in {@code x-amzn-query-error}.
   */
  static Reply cborError(int status, String type, String queryCode) {
    try {
      byte[] body = CBOR.writeValueAsBytes(Map.of("__type", type, "message", "fake " + queryCode));
      return new Reply(status, Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor",
          "x-amzn-query-error", queryCode + ";" + (status >= 500 ? "Receiver" : "Sender")), body, Duration.ZERO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An AWS JSON 1.1 error: the status and a body with {@code __type} and {@code message}. */
  static Reply jsonError(int status, String type) {
    return new Reply(status, Map.of("Content-Type", "application/x-amz-json-1.1"),
        ("{\"__type\":\"" + type + "\",\"message\":\"fake " + type + "\"}").getBytes(StandardCharsets.UTF_8),
        Duration.ZERO);
  }

  private Reply success() {
    return cbor ? new Reply(200, Map.of("Content-Type", "application/cbor", "smithy-protocol", "rpc-v2-cbor"),
        EMPTY_CBOR_MAP, Duration.ZERO) : ok("{}");
  }

  private void handle(HttpExchange http) throws IOException {
    try (http) {
      byte[] wire = http.getRequestBody().readAllBytes();
      byte[] body = wire;
      if ("gzip".equalsIgnoreCase(http.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
          body = in.readAllBytes();
        }
      }
      JsonNode json = body.length == 0 ? null : (cbor ? CBOR : JSON).readTree(body);
      Reply reply;
      synchronized (this) {
        exchanges.add(new Exchange(http.getRequestMethod(), http.getRequestURI().getPath(),
            Map.copyOf(http.getRequestHeaders()), wire, body, json));
        reply = script.isEmpty() ? success() : script.poll();
      }
      if (!reply.delay().isZero()) {
        try {
          Thread.sleep(reply.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      reply.headers().forEach((k, v) -> http.getResponseHeaders().add(k, v));
      http.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      http.getResponseBody().write(reply.body());
    } catch (IOException | RuntimeException e) {
      // the client gave up (timeout) and closed the connection; nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- real SDK clients pointed at this endpoint: static fake credentials, a fixed region, no SDK retries (the
  // publisher and the sink retry themselves, and the tests count attempts)

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKEFAKEFAKE", "fake-secret"));

  CloudWatchClient cloudWatchClient() {
    return CloudWatchClient.builder()
        .endpointOverride(uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  CloudWatchAsyncClient cloudWatchAsyncClient() {
    return CloudWatchAsyncClient.builder()
        .endpointOverride(uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  CloudWatchLogsClient logsClient() {
    return CloudWatchLogsClient.builder()
        .endpointOverride(uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  CloudWatchLogsAsyncClient logsAsyncClient() {
    return CloudWatchLogsAsyncClient.builder()
        .endpointOverride(uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}

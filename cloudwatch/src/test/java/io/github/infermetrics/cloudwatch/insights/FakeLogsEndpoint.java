package io.github.infermetrics.cloudwatch.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * CloudWatch Logs on loopback, speaking AWS JSON 1.1 ({@code POST /}, {@code X-Amz-Target: Logs_20140328.Op}):
 * scripted replies per operation, then a default reply; every request is recorded with its operation and body.
 */
final class FakeLogsEndpoint implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Call(String operation, JsonNode body) {}

  record Reply(int status, String body, Duration delay) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final Map<String, Reply> defaults = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();

  FakeLogsEndpoint() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    defaults.put("StartQuery", ok("{\"queryId\":\"q-1\"}"));
    defaults.put("StopQuery", ok("{\"success\":true}"));
  }

  static Reply ok(String json) {
    return new Reply(200, json, Duration.ZERO);
  }

  static Reply error(int status, String type) {
    return new Reply(status, "{\"__type\":\"" + type + "\",\"message\":\"fake " + type + "\"}", Duration.ZERO);
  }

  static Reply status(String status) {
    return ok("{\"status\":\"" + status + "\",\"results\":[]}");
  }

  synchronized FakeLogsEndpoint script(String operation, Reply... replies) {
    scripts.computeIfAbsent(operation, k -> new ArrayDeque<>()).addAll(List.of(replies));
    return this;
  }

  synchronized FakeLogsEndpoint otherwise(String operation, Reply reply) {
    defaults.put(operation, reply);
    return this;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized long count(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).count();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange http) throws IOException {
    try (http) {
      byte[] body = http.getRequestBody().readAllBytes();
      String target = http.getRequestHeaders().getFirst("X-Amz-Target");
      String op = target == null ? "?" : target.substring(target.indexOf('.') + 1);
      Reply reply;
      synchronized (this) {
        calls.add(new Call(op, body.length == 0 ? null : JSON.readTree(body)));
        Deque<Reply> script = scripts.get(op);
        reply = script != null && !script.isEmpty() ? script.poll() : defaults.getOrDefault(op, ok("{}"));
      }
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay().toMillis());
      }
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      http.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      http.sendResponseHeaders(reply.status(), out.length);
      http.getResponseBody().write(out);
    } catch (IOException | RuntimeException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKEFAKEFAKE", "fake-secret"));

  /** A real sync client against this endpoint, without SDK retries (the runner retries and the tests count). */
  CloudWatchLogsClient client() {
    return CloudWatchLogsClient.builder().endpointOverride(uri()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  CloudWatchLogsAsyncClient asyncClient() {
    return CloudWatchLogsAsyncClient.builder().endpointOverride(uri()).region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}

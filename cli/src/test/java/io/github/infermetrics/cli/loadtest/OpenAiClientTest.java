package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against scripted loopback servers: both APIs, streamed or not, and every way an answer fails. */
class OpenAiClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Prompt PROMPT = new Prompt("the and for", 3, 8, "test");

  private static RequestRecord send(URI root, OpenAiClient.Api api, boolean stream, Duration timeout)
      throws Exception {
    try (OpenAiClient c = new OpenAiClient(ServerUrls.of(root).endpoint(api), api, "m", stream, false,
        Map.of("X-Test", "1"), timeout, System.nanoTime())) {
      CompletableFuture<RequestRecord> done = new CompletableFuture<>();
      c.send(PROMPT, 1, 1, false, 0, done::complete);
      return done.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStreamedChatAnswerIsTimestampedChunkByChunkAndCountedByItsUsage() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      OutputStream out = FakeOpenAiServer.stream(ex);
      FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
      Thread.sleep(150);
      for (int i = 0; i < 5; i++) {
        if (i > 0) {
          Thread.sleep(40);
        }
        FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w" + i + "\"},"
            + "\"finish_reason\":" + (i == 4 ? "\"length\"" : "null") + "}]}");
      }
      FakeOpenAiServer.event(out, "{\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":6}}");
      FakeOpenAiServer.event(out, "[DONE]");
    })) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.CHAT, true, Duration.ofSeconds(10));
      assertThat(r.status()).as(r.toString()).isEqualTo(RequestRecord.Status.OK);
      // the role chunk carries no text: the first token is the first content, 150 ms in
      assertThat(r.ttftSeconds()).isBetween(0.14, 1.0);
      assertThat(r.tokenMicros()).hasSize(5);
      for (long gap : r.gapMicros()) {
        assertThat(gap).isBetween(30_000L, 1_000_000L);
      }
      // usage beats counting: 6 tokens in 5 chunks, the prompt as the server tokenized it
      assertThat(r.tokensFrom()).isEqualTo(RequestRecord.TokensFrom.USAGE);
      assertThat(r.outputTokens()).isEqualTo(6);
      assertThat(r.promptTokens()).isEqualTo(11);
      assertThat(r.e2eSeconds()).isGreaterThanOrEqualTo(r.ttftSeconds());
      assertThat(r.tpotSeconds()).isEqualTo((r.e2eMicros() - r.ttftMicros()) / 1e6 / 5);
      JsonNode body = JSON.readTree(s.bodies.get(0));
      assertThat(body.path("model").asText()).isEqualTo("m");
      assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("user");
      assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("the and for");
      assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(8);
      assertThat(body.path("stream").asBoolean()).isTrue();
      assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }
  }

  @Test
  void aStreamedCompletionWithoutUsageCountsItsChunks() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      OutputStream out = FakeOpenAiServer.stream(ex);
      for (int i = 0; i < 3; i++) {
        FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"text\":\" x\",\"finish_reason\":null}]}");
      }
      FakeOpenAiServer.event(out, "[DONE]");
    })) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.COMPLETIONS, true, Duration.ofSeconds(10));
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.tokensFrom()).isEqualTo(RequestRecord.TokensFrom.CHUNKS);
      assertThat(r.outputTokens()).isEqualTo(3);
      assertThat(r.promptTokens()).isEqualTo(3);
      JsonNode body = JSON.readTree(s.bodies.get(0));
      assertThat(body.path("prompt").asText()).isEqualTo("the and for");
      assertThat(body.path("max_tokens").asInt()).isEqualTo(8);
    }
  }

  @Test
  void aWholeAnswerHasAnEndToEndLatencyAndNoTimeToFirstToken() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      Thread.sleep(100);
      FakeOpenAiServer.json(ex, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"twelve chars\"},\"finish_reason\":\"stop\"}]}");
    })) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.CHAT, false, Duration.ofSeconds(10));
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.ttftMicros()).isEqualTo(-1);
      assertThat(r.e2eSeconds()).isGreaterThanOrEqualTo(0.09);
      // no usage: 12 characters at 4 a token
      assertThat(r.tokensFrom()).isEqualTo(RequestRecord.TokensFrom.ESTIMATE);
      assertThat(r.outputTokens()).isEqualTo(3);
      assertThat(JSON.readTree(s.bodies.get(0)).path("stream").asBoolean()).isFalse();
    }
  }

  @Test
  void aRefusalIsItsStatusAndTheServersMessage() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> FakeOpenAiServer.json(ex, 404,
        "{\"object\":\"error\",\"message\":\"The model `m` does not exist.\",\"type\":\"NotFoundError\"}"))) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.COMPLETIONS, true, Duration.ofSeconds(10));
      assertThat(r.status()).isEqualTo(RequestRecord.Status.FAILED);
      assertThat(r.errorKind()).isEqualTo("HTTP 404");
      assertThat(r.error()).isEqualTo("HTTP 404: The model `m` does not exist.");
    }
  }

  @Test
  void anErrorEventMidStreamFailsTheRequest() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      OutputStream out = FakeOpenAiServer.stream(ex);
      FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"text\":\" x\",\"finish_reason\":null}]}");
      FakeOpenAiServer.event(out, "{\"error\":{\"message\":\"CUDA out of memory\",\"code\":500}}");
      FakeOpenAiServer.event(out, "[DONE]");
    })) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.COMPLETIONS, true, Duration.ofSeconds(10));
      assertThat(r.status()).isEqualTo(RequestRecord.Status.FAILED);
      assertThat(r.error()).isEqualTo("error event in the stream: CUDA out of memory");
      assertThat(r.ttftMicros()).as("the token before the error was seen").isPositive();
    }
  }

  @Test
  void aStreamCutShortIsAFailure() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      OutputStream out = FakeOpenAiServer.stream(ex);
      FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"text\":\" x\",\"finish_reason\":null}]}");
      out.close();
    })) {
      RequestRecord r = send(s.root(), OpenAiClient.Api.COMPLETIONS, true, Duration.ofSeconds(10));
      assertThat(r.status()).isEqualTo(RequestRecord.Status.FAILED);
      assertThat(r.error()).isEqualTo("the event stream ended before [DONE]");
    }
  }

  @Test
  void aStalledAnswerIsCutOffAtTheRequestTimeout() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> {
      OutputStream out = FakeOpenAiServer.stream(ex);
      FakeOpenAiServer.event(out, "{\"choices\":[{\"index\":0,\"text\":\" x\",\"finish_reason\":null}]}");
      Thread.sleep(10_000);
    })) {
      long start = System.nanoTime();
      RequestRecord r = send(s.root(), OpenAiClient.Api.COMPLETIONS, true, Duration.ofMillis(500));
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
      assertThat(r.status()).isEqualTo(RequestRecord.Status.CUT_OFF);
      assertThat(r.errorKind()).isEqualTo("timeout");
      assertThat(r.error()).contains("--request-timeout");
    }
  }

  @Test
  void aServerThatIsNotThereCannotBeConnectedTo() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RequestRecord r = send(URI.create("http://127.0.0.1:" + port), OpenAiClient.Api.COMPLETIONS, true,
        Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(RequestRecord.Status.FAILED);
    assertThat(r.errorKind()).isEqualTo("cannot connect");
    assertThatThrownBy(() -> OpenAiClient.firstModel(URI.create("http://127.0.0.1:" + port + "/v1/models"),
        Map.of())).isInstanceOf(IOException.class).hasMessageStartingWith("GET http://127.0.0.1:" + port
        + "/v1/models: cannot connect");
  }

  @Test
  void theFirstListedModelIsTheDefault() throws Exception {
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> FakeOpenAiServer.json(ex, 200,
        "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen/Qwen3-8B\",\"object\":\"model\"}]}"))) {
      assertThat(OpenAiClient.firstModel(ServerUrls.of(s.root()).models(), Map.of())).isEqualTo("Qwen/Qwen3-8B");
    }
    try (FakeOpenAiServer s = new FakeOpenAiServer(ex -> FakeOpenAiServer.json(ex, 200, "{\"data\":[]}"))) {
      assertThatThrownBy(() -> OpenAiClient.firstModel(ServerUrls.of(s.root()).models(), Map.of()))
          .hasMessageEndingWith("no model in the answer (expected {\"data\": [{\"id\": ...}]})");
    }
  }

  @Test
  void serverUrlsAreFoundFromTheRootTheApiRootOrAnEndpoint() {
    ServerUrls root = ServerUrls.of(URI.create("http://h:8000"));
    assertThat(root.completions()).hasToString("http://h:8000/v1/completions");
    assertThat(root.chat()).hasToString("http://h:8000/v1/chat/completions");
    assertThat(root.models()).hasToString("http://h:8000/v1/models");
    assertThat(root.metrics()).hasToString("http://h:8000/metrics");
    assertThat(root.named()).isEmpty();
    assertThat(ServerUrls.of(URI.create("http://h:8000/v1/")).completions()).hasToString(
        "http://h:8000/v1/completions");
    ServerUrls chat = ServerUrls.of(URI.create("https://gw.example/team/v1/chat/completions"));
    assertThat(chat.named()).contains(OpenAiClient.Api.CHAT);
    assertThat(chat.models()).hasToString("https://gw.example/team/v1/models");
    assertThat(chat.metrics()).hasToString("https://gw.example/metrics");
    assertThatThrownBy(() -> ServerUrls.of(URI.create("http://h:8000/v1?x=1"))).hasMessageContaining("query");
  }
}

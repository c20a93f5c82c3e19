package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vLLM simulator saturated with streaming completions, as {@code simulate --pattern ramp:1-20/60s} saturates it
 * after a minute: {@code /metrics} still answers at once, excess requests are refused, and close is quick.
 */
class VllmSimulatorLoadTest {
  @Test
  void metricsAnswersPromptlyWhileEveryStreamThreadIsHeldAndCloseIsQuick() throws Exception {
    // 2 engines of 2 slots: 64 completion threads (the minimum), 4 running and 60 waiting for a slot; tokens every
    // 500 ms, so nothing finishes during the test
    VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().engines(2).maxRunningPerEngine(2)
        .timeToFirstToken(Distribution.fixed(0.05)).interTokenLatency(Distribution.fixed(0.5))
        .outputTokens(Distribution.fixed(1000)).seed(3).build());
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        clients.add(streamingCompletion(vllm));
      }
      // the 36 beyond the 64 threads are refused at once with 503; wait until they all were
      int refused = 0;
      for (Socket c : clients.subList(64, 100)) {
        c.setSoTimeout(5000);
        refused += statusLine(c.getInputStream()).startsWith("HTTP/1.1 503") ? 1 : 0;
      }
      assertThat(refused).isEqualTo(36);

      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        Http.Response r = Http.get(vllm.metricsUri());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.status()).isEqualTo(200);
        assertThat(took).as("a scrape under full load").isLessThan(Duration.ofSeconds(1));
        assertThat(r.body()).contains("vllm:num_requests_running{engine=\"0\"")
            .containsPattern("vllm:num_requests_waiting\\{engine=\"0\",model_name=\"[^\"]*\"\\} [1-9]");
      }
      assertThat(Http.get(vllm.metricsUri().resolve("/health")).status()).isEqualTo(200);

      long start = System.nanoTime();
      vllm.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close with 64 requests in flight")
          .isLessThan(Duration.ofSeconds(1));
    } finally {
      vllm.close();
      for (Socket c : clients) {
        c.close();
      }
    }
  }

  /** Sends a streaming completion and leaves its response unread. */
  private static Socket streamingCompletion(VllmSimulator vllm) throws IOException {
    byte[] body = "{\"prompt\":\"hello there\",\"max_tokens\":1000,\"stream\":true}".getBytes(StandardCharsets.UTF_8);
    Socket s = new Socket(vllm.completionsUri().getHost(), vllm.completionsUri().getPort());
    OutputStream out = s.getOutputStream();
    out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return s;
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      sb.append((char) b);
    }
    return sb.toString().strip();
  }
}

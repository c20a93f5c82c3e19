package io.github.infermetrics.spring;

import static io.github.infermetrics.spring.AutoConfigurationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.xerial.snappy.Snappy;

/** KPIs through Prometheus remote write, configured by properties, to a receiver on loopback. */
class RemoteWriteTest {
  // the simulators before the receiver: the first JDK HTTP server of the JVM fixes its TCP_NODELAY setting
  private static final SimulatedFleet FLEET = SimulatedFleet.start();

  private record Request(String orgId, String encoding, String body) {}

  private final List<Request> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/write", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // protobuf keeps strings as UTF-8 bytes: names and label values are readable in the uncompressed body
      received.add(new Request(exchange.getRequestHeaders().getFirst("X-Scope-OrgID"),
          exchange.getRequestHeaders().getFirst("Content-Encoding"),
          new String(Snappy.uncompress(body), StandardCharsets.ISO_8859_1)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @AfterAll
  static void stopFleet() {
    FLEET.close();
  }

  @Test
  void kpisReachTheReceiverWithTheHeadersAndExternalLabels() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(InfermetricsAutoConfiguration.class))
        .withPropertyValues("infermetrics.interval=200ms", "infermetrics.targets[0].url=" + FLEET.vllm(),
            "infermetrics.targets[0].name=vllm", "infermetrics.remote-write.url=http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/api/v1/write",
            "infermetrics.remote-write.headers.X-Scope-OrgID=team-a",
            "infermetrics.remote-write.external-labels.cluster=ci-cluster")
        .run(context -> {
          assertThat(context).hasSingleBean(RemoteWriteSink.class);
          await(() -> received.stream().anyMatch(r -> r.body().contains("request_rate_per_second")));
          Request r = received.get(0);
          assertThat(r.orgId()).isEqualTo("team-a");
          assertThat(r.encoding()).isEqualTo("snappy");
          assertThat(received).anySatisfy(any -> assertThat(any.body()).contains("request_rate_per_second",
              "ci-cluster", "vllm"));
          assertThat(context.getBean(RemoteWriteSink.class).stats().samplesFailed()).isZero();
        });
  }
}

package io.github.infermetrics.spring;

import static io.github.infermetrics.spring.AutoConfigurationTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.micrometer.core.instrument.MeterRegistry;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;

/** Targets from Prometheus file_sd files, edited while the application runs, and from an http_sd endpoint. */
class DiscoveryTest {
  private static final SimulatedFleet FLEET = SimulatedFleet.start();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
          InfermetricsAutoConfiguration.class))
      .withPropertyValues("infermetrics.interval=200ms");

  @AfterAll
  static void stopFleet() {
    FLEET.close();
  }

  @Test
  void targetsComeAndGoWithTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.json");
    write(file, group(FLEET.vllm(), "vllm-from-file", "vllm"));
    runner.withPropertyValues("infermetrics.file-sd.files[0]=" + dir + "/*.json",
        // a listed target beside the discovered ones
        "infermetrics.targets[0].url=" + FLEET.triton(), "infermetrics.targets[0].name=triton-listed",
        "infermetrics.limits.sampleLimit=123456")
        // a consumer that takes its time (one that writes to a database, say), before the meters: a window it holds
        // when the target goes reaches the meters after they were told; they must not make its meters again
        .withBean(SlowConsumer.class, SlowConsumer::new)
        .run(context -> {
          KpiPipeline pipeline = context.getBean(KpiPipeline.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          await(() -> state(pipeline, "vllm-from-file") == TargetStatus.State.UP);
          await(() -> registry.find("request.rate").tags("target", "vllm-from-file", "source", "vllm").gauge()
              != null);
          assertThat(pipeline.status()).extracting(TargetStatus::name)
              .containsExactlyInAnyOrder("triton-listed", "vllm-from-file");
          TargetStatus found = pipeline.status().stream().filter(s -> s.name().equals("vllm-from-file")).findFirst()
              .orElseThrow();
          // the file's labels, relabelled as Prometheus does: job, instance and the group's own
          assertThat(found.target().labels().get("team")).isEqualTo("serving");
          assertThat(pipeline.status()).allSatisfy(st -> assertThat(st.target().scrape().sampleLimit())
              .as(st.name()).isEqualTo(123_456));

          // the file changes: the target goes with its meters, another comes, without a restart
          write(file, group(FLEET.triton(), "triton-from-file", "triton"));
          await(() -> state(pipeline, "triton-from-file") == TargetStatus.State.UP);
          assertThat(pipeline.status()).extracting(TargetStatus::name)
              .containsExactlyInAnyOrder("triton-listed", "triton-from-file");
          assertThat(registry.find("request.rate").tag("target", "vllm-from-file").meters()).isEmpty();

          @SuppressWarnings("unchecked")
          List<Map<String, Object>> discovery = (List<Map<String, Object>>) context
              .getBean("infermetricsHealthIndicator", HealthIndicator.class).health().getDetails().get("discovery");
          assertThat(discovery).singleElement().satisfies(d -> {
            assertThat(d.get("description")).isEqualTo("file_sd " + dir + "/*.json");
            assertThat(d.get("targets")).isEqualTo(1);
            assertThat(d.get("errors")).isEqualTo(0L);
          });
        });
  }

  @Test
  void targetsFromAnHttpSdEndpoint() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer sd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sd.createContext("/targets", exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = group(FLEET.vllm(), "vllm-from-http", "vllm").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    sd.start();
    try {
      runner.withPropertyValues("infermetrics.http-sd[0].url=http://127.0.0.1:" + sd.getAddress().getPort()
          + "/targets", "infermetrics.http-sd[0].headers.Authorization=Bearer sd-token").run(context -> {
            KpiPipeline pipeline = context.getBean(KpiPipeline.class);
            // the first list comes before the application has started: the first scrapes include it
            assertThat(pipeline.status()).extracting(TargetStatus::name).containsExactly("vllm-from-http");
            await(() -> state(pipeline, "vllm-from-http") == TargetStatus.State.UP);
            assertThat(authorizations).first().isEqualTo("Bearer sd-token");
          });
    } finally {
      sd.stop(0);
    }
  }

  /** Takes 150 ms over each window, first of the consumers. */
  static final class SlowConsumer implements KpiConsumer, Ordered {
    @Override
    public void accept(TargetWindow window) {
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  private static TargetStatus.State state(KpiPipeline pipeline, String name) {
    return pipeline.status().stream().filter(s -> s.name().equals(name)).map(TargetStatus::state).findFirst()
        .orElse(null);
  }

  private static String group(URI metrics, String name, String source) {
    return "[{\"targets\": [\"" + metrics.getHost() + ":" + metrics.getPort() + "\"], \"labels\": {"
        + "\"__metrics_path__\": \"" + metrics.getPath() + "\", \"infermetrics_name\": \"" + name + "\","
        + " \"infermetrics_source\": \"" + source + "\", \"team\": \"serving\"}}]";
  }

  /** Replaces the file whole, as editors and config management do, so it is never read half-written. */
  private static void write(Path file, String content) throws Exception {
    Path tmp = Files.createTempFile(file.getParent(), "targets", ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

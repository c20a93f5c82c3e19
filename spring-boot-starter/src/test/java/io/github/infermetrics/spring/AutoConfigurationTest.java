package io.github.infermetrics.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.StreamSink;
import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the starter makes, what it leaves to the application's own beans, and where the KPIs go, in contexts with
 * Spring Boot's metrics auto-configuration and a simple registry, against the simulators on loopback.
 */
class AutoConfigurationTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
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
  void theStarterRunsAPipelineOverItsTargetsWithMetersAndHealth() {
    runner.withPropertyValues(vllmTarget()).run(context -> {
      assertThat(context).hasSingleBean(KpiPipeline.class).hasSingleBean(PipelineLifecycle.class)
          .hasSingleBean(WindowMetrics.class).hasBean("infermetricsHealthIndicator")
          .doesNotHaveBean(EmfSink.class).doesNotHaveBean(RemoteWriteSink.class);
      assertThat(context.getBean(PipelineLifecycle.class).isRunning()).isTrue();
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      await(() -> registry.find("request.rate").tag("target", "vllm").gauge() != null);
      assertThat(context.getBean("infermetricsHealthIndicator", HealthIndicator.class).health().getStatus())
          .isEqualTo(Status.UP);
    });
  }

  @Test
  void closingTheContextStopsThePipelineForGood() {
    runner.withPropertyValues(vllmTarget()).run(context -> {
      KpiPipeline pipeline = context.getBean(KpiPipeline.class);
      PipelineLifecycle lifecycle = context.getBean(PipelineLifecycle.class);
      context.close();
      assertThat(lifecycle.isRunning()).isFalse();
      assertThatThrownBy(pipeline::start).isInstanceOf(IllegalStateException.class)
          .hasMessage("pipeline is closed");
    });
  }

  @Test
  void theApplicationsPipelineWinsAndTheStarterRunsNone() {
    KpiPipeline own = KpiPipeline.builder().target(PipelineTarget.builder(FLEET.dead()).name("theirs").build())
        .build();
    runner.withPropertyValues(vllmTarget()).withBean("ownPipeline", KpiPipeline.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(KpiPipeline.class).doesNotHaveBean(PipelineLifecycle.class);
      assertThat(context.getBean(KpiPipeline.class)).isSameAs(own);
      // the health indicator reports on it: not started, so its one target waits
      assertThat(context.getBean("infermetricsHealthIndicator", HealthIndicator.class).health().getStatus())
          .isEqualTo(Status.UNKNOWN);
    });
  }

  @Test
  void theApplicationsWindowMetricsWinsAndGetsTheWindows() {
    WindowMetrics own = new WindowMetrics(Tags.of("team", "serving"));
    runner.withPropertyValues(vllmTarget()).withBean(WindowMetrics.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(WindowMetrics.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      // bound by Spring Boot like any MeterBinder bean
      await(() -> registry.find("request.rate").tags("team", "serving", "target", "vllm").gauge() != null);
    });
  }

  @Test
  void theKpisReachEveryRegistryOfTheApplication() {
    // two registries, as an application with Prometheus and CloudWatch has: Spring Boot puts a composite in front
    SimpleMeterRegistry prometheusLike = new SimpleMeterRegistry();
    SimpleMeterRegistry cloudWatchLike = new SimpleMeterRegistry();
    runner.withPropertyValues(vllmTarget()).withBean("prometheusLike", SimpleMeterRegistry.class, () -> prometheusLike)
        .withBean("cloudWatchLike", SimpleMeterRegistry.class, () -> cloudWatchLike).run(context -> {
          for (MeterRegistry registry : List.of(prometheusLike, cloudWatchLike)) {
            await(() -> registry.find("time.to.first.token.p95").tag("target", "vllm").gauge() != null);
          }
        });
  }

  @Test
  void withoutAMeterRegistryThereAreNoMeters() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(InfermetricsAutoConfiguration.class))
        .run(context -> assertThat(context).hasSingleBean(KpiPipeline.class).doesNotHaveBean(WindowMetrics.class));
  }

  @Test
  void kpiConsumerBeansAndCustomizersJoinThePipeline() {
    List<TargetWindow> windows = new CopyOnWriteArrayList<>();
    KpiConsumer consumer = windows::add;
    KpiPipelineCustomizer addsATarget = b -> b.target(PipelineTarget.builder(FLEET.triton()).name("custom").build());
    runner.withBean(KpiConsumer.class, () -> consumer).withBean(KpiPipelineCustomizer.class, () -> addsATarget)
        .run(context -> await(() -> windows.stream()
            .anyMatch(w -> w.target().equals("custom") && w.source("triton").isPresent())));
  }

  @Test
  void targetDiscoveryBeansAreStartedWithThePipeline() {
    FixedDiscovery discovery = new FixedDiscovery(List.of(new DiscoveredTarget(FLEET.vllm(), "found",
        Labels.of("job", "vllm"), Optional.of("vllm"), Optional.of("serving/vllm-0"))));
    runner.withBean(TargetDiscovery.class, () -> discovery).run(context -> {
      KpiPipeline pipeline = context.getBean(KpiPipeline.class);
      await(() -> pipeline.status().stream().anyMatch(s -> s.name().equals("found")
          && s.state() == TargetStatus.State.UP));
      TargetStatus found = pipeline.status().get(0);
      assertThat(found.target().pod()).contains("serving/vllm-0");
      assertThat(found.target().labels().get("job")).isEqualTo("vllm");
    });
    // a bean of the application: Spring closes it with the context
    assertThat(discovery.closed()).isTrue();
  }

  @Test
  void anEmfSinkOfTheApplicationGetsTheKpisWithTheNamespaceAndDimensions() {
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    StreamSink own = new StreamSink(events, false);
    runner.withPropertyValues(vllmTarget()).withPropertyValues("infermetrics.emf.namespace=Test/Inference",
        "infermetrics.emf.dimensions.cluster=ci", "infermetrics.emf.sink=stdout")
        .withBean(EmfSink.class, () -> own).run(context -> {
          // the application's sink wins over infermetrics.emf.sink
          assertThat(context).hasSingleBean(EmfSink.class);
          await(() -> {
            own.flush();
            return events.toString(StandardCharsets.UTF_8).contains("request_rate_per_second");
          });
          String first = events.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
          assertThat(first).contains("\"Namespace\":\"Test/Inference\"", "\"cluster\":\"ci\"", "\"target\":\"vllm\"");
        });
  }

  @Test
  void emfToAFileFromProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("emf.ndjson");
    runner.withPropertyValues(vllmTarget()).withPropertyValues("infermetrics.emf.sink=" + file,
        "infermetrics.emf.target-dimension=false").run(context -> {
          EmfSink sink = context.getBean(EmfSink.class);
          await(() -> {
            sink.flush();
            return Files.readString(file).contains("request_rate_per_second");
          });
        });
    // closed with the context, after the pipeline: whole lines, each one event
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}").contains("\"_aws\":{"));
    assertThat(lines.get(0)).contains("\"Namespace\":\"infermetrics\"");
  }

  @Test
  void theHealthIndicatorCanBeTurnedOffOrReplaced() {
    runner.withPropertyValues("management.health.infermetrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("infermetricsHealthIndicator"));
    HealthIndicator own = () -> Health.outOfService().build();
    runner.withBean("infermetricsHealthIndicator", HealthIndicator.class, () -> own)
        .run(context -> assertThat(context.getBean("infermetricsHealthIndicator")).isSameAs(own));
  }

  @Test
  void disabledTheStarterMakesNothing() {
    runner.withPropertyValues("infermetrics.enabled=false").withPropertyValues(vllmTarget())
        .run(context -> assertThat(context).doesNotHaveBean(KpiPipeline.class)
            .doesNotHaveBean(InfermetricsProperties.class).doesNotHaveBean(WindowMetrics.class));
  }

  @Test
  void healthIsDownWhenEveryTargetIsDownAndUnknownWithoutTargets() {
    runner.withPropertyValues("infermetrics.targets[0].url=" + FLEET.dead(), "infermetrics.targets[0].name=dead")
        .run(context -> {
          HealthIndicator health = context.getBean("infermetricsHealthIndicator", HealthIndicator.class);
          await(() -> health.health().getStatus().equals(Status.DOWN));
          assertThat(health.health().getDetails()).containsEntry("down", 1).containsEntry("up", 0);
        });
    runner.run(context -> {
      HealthIndicator health = context.getBean("infermetricsHealthIndicator", HealthIndicator.class);
      assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(health.health().getDetails()).containsEntry("targets", Map.of());
    });
  }

  private static String[] vllmTarget() {
    return new String[] {"infermetrics.targets[0].url=" + FLEET.vllm(), "infermetrics.targets[0].name=vllm",
        "infermetrics.targets[0].source=vllm"};
  }

  static void await(ThrowingCondition condition) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PATIENCE);
      }
      Thread.sleep(100);
    }
  }

  /** A condition that may read a file. */
  @FunctionalInterface
  interface ThrowingCondition {
    boolean holds() throws Exception;
  }

  /** A discovery of the application's own: one fixed list, given at start. */
  static final class FixedDiscovery implements TargetDiscovery {
    private final List<DiscoveredTarget> targets;
    private volatile boolean closed;

    FixedDiscovery(List<DiscoveredTarget> targets) {
      this.targets = targets;
    }

    @Override
    public void start(Consumer<List<DiscoveredTarget>> listener) {
      listener.accept(targets);
    }

    @Override
    public List<DiscoveredTarget> current() {
      return targets;
    }

    @Override
    public String description() {
      return "fixed " + targets.size();
    }

    @Override
    public long errors() {
      return 0;
    }

    @Override
    public Optional<String> lastError() {
      return Optional.empty();
    }

    @Override
    public int droppedTargets() {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
    }

    boolean closed() {
      return closed;
    }
  }
}

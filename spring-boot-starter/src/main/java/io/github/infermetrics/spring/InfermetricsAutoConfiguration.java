package io.github.infermetrics.spring;

import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.EmfSinks;
import io.github.infermetrics.core.discovery.FileSdDiscovery;
import io.github.infermetrics.core.discovery.HttpSdDiscovery;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Watches inference servers from a Spring Boot application: a {@link KpiPipeline} over the targets of
 * {@link InfermetricsProperties} (listed and discovered), started and stopped with the application context; its
 * KPIs in every {@link MeterRegistry} the application has (Prometheus, CloudWatch, OTLP, ...), through a
 * {@link WindowMetrics}; a health indicator, {@code infermetrics}; and, when configured, CloudWatch EMF and
 * Prometheus remote write. Three lines of {@code application.yml} watch a vLLM fleet:
 *
 * <pre>
 * infermetrics:
 *   kubernetes:
 *     pods: namespace=serving,selector=app=vllm,port=metrics
 * </pre>
 *
 * <p>Beans of the application win: a {@link KpiPipeline} replaces the starter's (which then builds and runs none),
 * a {@link WindowMetrics}, an {@link EmfSink} or a {@link RemoteWriteSink} replaces the one the starter would make,
 * and a bean named {@code infermetricsHealthIndicator} replaces the health indicator. Every {@link KpiConsumer}
 * bean gets the windows; every {@link TargetDiscovery} bean is started with the pipeline and adds its targets;
 * {@link KpiPipelineCustomizer} beans change the pipeline before it is built. {@code infermetrics.enabled=false}
 * turns it all off, {@code management.health.infermetrics.enabled=false} the health indicator.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "infermetrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(InfermetricsProperties.class)
public class InfermetricsAutoConfiguration {
  private static final System.Logger LOG = System.getLogger(InfermetricsAutoConfiguration.class.getName());

  InfermetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "infermetrics.emf", name = "sink")
  EmfSink infermetricsEmfSink(InfermetricsProperties properties) {
    String spec = properties.getEmf().getSink();
    try {
      return EmfSinks.parse(spec);
    } catch (UncheckedIOException e) {
      // checked at binding but opened only now: a directory that does not exist, a file that may not be written
      throw new IllegalStateException("infermetrics.emf.sink: cannot open " + spec.strip() + ": "
          + e.getCause().getMessage(), e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "infermetrics.remote-write", name = "url")
  RemoteWriteSink infermetricsRemoteWriteSink(InfermetricsProperties properties) {
    return Settings.require(properties).remoteWrite().orElseThrow().build();
  }

  /** The starter's own pipeline and what runs it, unless the application has a pipeline of its own. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(KpiPipeline.class)
  static class PipelineConfiguration {
    @Bean
    KpiPipeline infermetricsPipeline(InfermetricsProperties properties, ObjectProvider<KpiConsumer> consumers,
        ObjectProvider<EmfSink> emfSink, ObjectProvider<RemoteWriteSink> remoteWriteSink,
        ObjectProvider<KpiPipelineCustomizer> customizers) {
      Settings settings = Settings.require(properties);
      if (!settings.sources().problems().isEmpty()) {
        // a broken plugin jar: its targets will be unrecognised, so say why once, at start
        LOG.log(System.Logger.Level.WARNING, () -> "infermetrics: KPI sources that failed to load: "
            + String.join("; ", settings.sources().problems()));
      }
      KpiPipeline.Builder b = KpiPipeline.builder().interval(settings.interval()).threads(settings.threads())
          .sources(settings.sources()).slos(settings.slos()).shard(settings.shard());
      settings.targets().forEach(b::target);
      // each behind a LateWindowFilter: no window of a removed target reaches it after it was told
      consumers.orderedStream().forEach(c -> b.consumer(LateWindowFilter.of(c)));
      emfSink.ifAvailable(sink -> b.consumer(LateWindowFilter.of(SinkConsumers.emf(settings.emfWriter(sink)))));
      remoteWriteSink.ifAvailable(sink -> b.consumer(LateWindowFilter.of(SinkConsumers.remoteWrite(sink))));
      customizers.orderedStream().forEach(c -> c.customize(b));
      return b.build();
    }

    @Bean
    PipelineLifecycle infermetricsPipelineLifecycle(KpiPipeline infermetricsPipeline,
        InfermetricsProperties properties, ObjectProvider<TargetDiscovery> applicationDiscoveries,
        ObjectProvider<KubernetesDiscoveries> kubernetes) {
      Settings settings = Settings.require(properties);
      return new PipelineLifecycle(infermetricsPipeline, settings.targets(), () -> {
        List<TargetDiscovery> own = new ArrayList<>();
        try {
          settings.fileSd().ifPresent(c -> own.add(new FileSdDiscovery(c)));
          settings.httpSd().forEach(c -> own.add(new HttpSdDiscovery(c)));
          kubernetes.ifAvailable(k -> own.addAll(k.open()));
        } catch (RuntimeException e) {
          own.forEach(TargetDiscovery::close);
          throw e;
        }
        return own;
      }, applicationDiscoveries.orderedStream().toList(), settings.timeout(), settings.limits());
    }
  }

  /** The KPIs as meters, bound by Spring Boot to every registry (or to their composite) like any MeterBinder. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    WindowMetrics infermetricsWindowMetrics() {
      // common tags come from management.metrics.tags, which Spring Boot applies to every registry
      return new WindowMetrics(Tags.empty());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("infermetrics")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "infermetricsHealthIndicator")
    HealthIndicator infermetricsHealthIndicator(KpiPipeline pipeline, ObjectProvider<PipelineLifecycle> lifecycle) {
      return new InfermetricsHealthIndicator(pipeline, () -> {
        PipelineLifecycle l = lifecycle.getIfAvailable();
        return l == null ? List.of() : l.discoveries();
      });
    }
  }

  /** {@code infermetrics.kubernetes.*}, when the optional Kubernetes module is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Settings.KUBERNETES_CLASS)
  static class KubernetesConfiguration {
    @Bean
    KubernetesDiscoveries infermetricsKubernetesDiscoveries(InfermetricsProperties properties) {
      return new KubernetesDiscoveries(properties.getKubernetes());
    }
  }
}

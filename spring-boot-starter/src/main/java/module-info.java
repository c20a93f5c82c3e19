/**
 * infermetrics Spring Boot starter: the auto-configuration of a KPI pipeline, its meters, its health indicator and
 * its sinks. Spring Boot runs applications on the class path, where this descriptor is ignored; it is here so that
 * the module's dependencies are checked when it is compiled, and for applications on the module path. Spring's
 * jars are automatic modules with stable names ({@code Automatic-Module-Name}).
 */
@SuppressWarnings("requires-transitive-automatic") // Spring publishes no module descriptors; its names are stable
module io.github.infermetrics.spring {
  requires transitive io.github.infermetrics.core; // KpiPipelineCustomizer takes a KpiPipeline.Builder
  requires io.github.infermetrics.cloudwatch;
  requires io.github.infermetrics.remotewrite;
  requires static io.github.infermetrics.kubernetes; // optional: only KubernetesDiscoveries uses it
  // the public classes carry Spring Boot's annotations; InfermetricsProperties is a Spring Validator and
  // BeanClassLoaderAware
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires spring.core;
  requires spring.boot.health;
  requires micrometer.core;

  exports io.github.infermetrics.spring;

  // Spring instantiates the package-private configurations and beans, and binds the properties, reflectively
  opens io.github.infermetrics.spring to spring.core, spring.beans, spring.context;
}

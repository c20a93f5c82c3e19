package io.github.infermetrics.spring;

import io.github.infermetrics.core.pipeline.KpiPipeline;

/**
 * Changes the starter's pipeline before it is built, for what properties cannot say: a scraper with your own TLS
 * trust, your own set of sources, more consumers. Declare it as a bean; customizers run in {@code @Order}, after the
 * properties have been applied.
 *
 * <pre>{@code
 * @Bean  // closed by Spring: a pipeline does not close a scraper it was given
 * Scraper privateCaScraper() throws Exception {
 *   return Scraper.builder().sslContext(TrustStore.fromPem(Path.of("/etc/infermetrics/ca.pem"))).build();
 * }
 *
 * @Bean
 * KpiPipelineCustomizer scrapeWithPrivateCa(Scraper privateCaScraper) {
 *   return pipeline -> pipeline.scraper(privateCaScraper).threads(16);
 * }
 * }</pre>
 *
 * <p>To replace the pipeline instead, declare a {@link KpiPipeline} bean: the starter then neither builds nor runs
 * one, and {@code infermetrics.targets} and discovery are not used.
 */
@FunctionalInterface
public interface KpiPipelineCustomizer {
  /**
   * Changes the builder.
   *
   * @param pipeline the builder, with the properties' interval, threads, SLOs, targets and consumers set
   */
  void customize(KpiPipeline.Builder pipeline);
}

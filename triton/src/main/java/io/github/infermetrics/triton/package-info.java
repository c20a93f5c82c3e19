/**
 * Typed view and KPIs over NVIDIA Triton Inference Server metrics (port 8002, {@code nv_*} families).
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * TritonSnapshot before = TritonSnapshot.of(reader.read(previousScrapeBytes));
 * TritonSnapshot after = TritonSnapshot.of(reader.read(currentScrapeBytes));
 * TritonKpis kpis = TritonKpis.between(before, after, 15);         // seconds between the scrapes
 * kpis.model(ModelKey.of("resnet50", "1")).ifPresent(m ->
 *     System.out.println(m.requestRate() + " req/s, queue " + m.queueTimeSeconds() + " s"));
 * List<KpiTable> forPeople = kpis.tables();                        // models, gpus, server (, trt_llm)
 * KpiSet shared = kpis.toKpiSet("triton-0:8002", Instant.now());   // the common KPI vocabulary
 *
 * TritonMetrics meters = new TritonMetrics(Tags.of("cluster", "prod"));
 * meters.bindTo(registry);
 * meters.update(kpis);
 * }</pre>
 *
 * <p>Start with {@link io.github.infermetrics.triton.TritonSnapshot} (one scrape) and
 * {@link io.github.infermetrics.triton.TritonKpis} (two scrapes). {@link io.github.infermetrics.triton.TritonMetrics}
 * needs micrometer-core on the class or module path; nothing else does.
 */
package io.github.infermetrics.triton;

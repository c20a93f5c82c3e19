/**
 * Typed view and KPIs over NVIDIA GPUs through NVIDIA's dcgm-exporter ({@code DCGM_FI_*} families, port 9400),
 * per GPU, MIG instance, node and Kubernetes pod, and the CloudWatch Container Insights GPU metrics.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * DcgmSnapshot before = DcgmSnapshot.of(reader.read(previousScrapeBytes));
 * DcgmSnapshot after = DcgmSnapshot.of(reader.read(currentScrapeBytes));
 * DcgmKpis kpis = DcgmKpis.between(before, after, Duration.ofSeconds(15));
 * kpis.gpus().forEach(g -> System.out.println(g.device() + " " + g.get(DcgmMeasure.UTILIZATION)));
 * kpis.pod("serving/qwen-0").ifPresent(p -> System.out.println(p.get(DcgmMeasure.AVERAGE_POWER) + " W"));
 * KpiSet shared = kpis.toKpiSet("gpu-node-1:9400", Instant.now());
 * }</pre>
 *
 * <p>Start with {@link io.github.infermetrics.dcgm.DcgmSnapshot} (one scrape) and
 * {@link io.github.infermetrics.dcgm.DcgmKpis} (two scrapes); {@link io.github.infermetrics.dcgm.DcgmSource} is the
 * KPI source, {@link io.github.infermetrics.dcgm.ContainerInsightsMapping} the agent's GPU metrics for EMF.
 * {@link io.github.infermetrics.dcgm.DcgmMetrics} needs micrometer-core on the class or module path; nothing else
 * does.
 */
package io.github.infermetrics.dcgm;

/**
 * A typed view over a scrape of AWS's {@code neuron-monitor-prometheus.py} (the converter that serves
 * neuron-monitor's reports on port 8000 or 9010), and the serving KPIs between two such scrapes.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * NeuronPrometheusSnapshot before = NeuronPrometheusSnapshot.of(reader.read(previousBytes));
 * NeuronPrometheusSnapshot after = NeuronPrometheusSnapshot.of(reader.read(currentBytes));
 * NeuronPrometheusKpis kpis = NeuronPrometheusKpis.between(before, after, 15);
 * KpiSet set = kpis.toKpiSet("http://10.0.0.7:8000/metrics", Instant.now());
 * }</pre>
 */
package io.github.infermetrics.neuron.scrape;

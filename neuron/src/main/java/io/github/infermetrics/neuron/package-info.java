/**
 * AWS neuron-monitor (Trainium, Inferentia): the JSON report model ({@link io.github.infermetrics.neuron.NeuronReport})
 * and its newline-delimited stream reader ({@link io.github.infermetrics.neuron.NeuronReportReader}), a supervisor
 * that runs {@code neuron-monitor} as a child process ({@link io.github.infermetrics.neuron.NeuronMonitorProcess}),
 * and the mappings: to the Prometheus exposition of {@code neuron-monitor-prometheus.py}
 * ({@link io.github.infermetrics.neuron.NeuronPrometheusExporter}, with a {@code /metrics} endpoint), to the
 * CloudWatch Container Insights metrics ({@link io.github.infermetrics.neuron.ContainerInsightsMapping}), to the
 * shared serving KPIs ({@link io.github.infermetrics.neuron.NeuronKpis}) and to Micrometer
 * ({@link io.github.infermetrics.neuron.NeuronMetrics}).
 *
 * <pre>{@code
 * NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
 * try (var endpoint = exporter.serve(8000); var reader = NeuronReportReader.of(System.in)) {
 *   for (NeuronReport report : reader) {
 *     exporter.update(report);
 *     NeuronKpis.of(report).tables();
 *   }
 * }
 * }</pre>
 */
package io.github.infermetrics.neuron;

/** The neuron-monitor JSON report model, its stream reader and its Prometheus and Container Insights mappings. */
package io.github.infermetrics.neuron;

/**
 * The per-target pipeline: scrape, keep the previous scrape, pick the sources, compute the window, hand the KPIs to
 * consumers. {@link io.github.infermetrics.core.pipeline.KpiPipeline} runs a fleet;
 * {@link io.github.infermetrics.core.pipeline.TargetPipeline} is one target's state.
 */
package io.github.infermetrics.core.pipeline;

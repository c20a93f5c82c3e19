/**
 * Micrometer integration (optional dependency {@code io.micrometer:micrometer-core}):
 * {@link io.github.infermetrics.core.micrometer.ScrapedMetrics} re-exposes a scraped target's series as meters.
 */
package io.github.infermetrics.core.micrometer;

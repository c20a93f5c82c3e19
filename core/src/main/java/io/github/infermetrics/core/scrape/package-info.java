/**
 * Scraping Prometheus-style {@code /metrics} endpoints: {@link io.github.infermetrics.core.scrape.Scraper} scrapes
 * one {@link io.github.infermetrics.core.scrape.ScrapeTarget} into a
 * {@link io.github.infermetrics.core.scrape.ScrapeResult} under a total deadline and size, sample and redirect
 * limits; {@link io.github.infermetrics.core.scrape.ScrapeScheduler} scrapes many targets on jittered intervals
 * with a bounded number of threads. Uses only the JDK's {@code java.net.http}.
 */
package io.github.infermetrics.core.scrape;

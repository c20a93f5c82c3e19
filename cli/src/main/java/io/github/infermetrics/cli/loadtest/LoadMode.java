package io.github.infermetrics.cli.loadtest;

import java.util.Locale;

/** How a step makes load. */
enum LoadMode {
  /** Requests arrive as a Poisson process at a rate, whatever the server does (an open system, like real users). */
  RATE("rate", "req/s"),
  /** A fixed number of requests is always in flight: each one ended starts the next (a closed system). */
  CONCURRENCY("concurrency", "in flight");

  private final String text;
  private final String unit;

  LoadMode(String text, String unit) {
    this.text = text;
    this.unit = unit;
  }

  /** {@code rate} or {@code concurrency}, as in the report. */
  String text() {
    return text;
  }

  /** A load for people: {@code rate 4 req/s}, {@code concurrency 16 in flight}. */
  String describe(double load) {
    return text + " " + Figures.load(load) + " " + unit;
  }

  static LoadMode of(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}

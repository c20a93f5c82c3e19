package io.github.infermetrics.core.scrape;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as people and Prometheus write them. */
final class Durations {
  private Durations() {}

  /** For messages: {@code 10s}, {@code 500ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** Seconds as Prometheus sends them in {@code X-Prometheus-Scrape-Timeout-Seconds}: {@code 10}, {@code 0.5}. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
  }

  static Duration positive(String field, Duration d) {
    if (d == null) {
      throw new NullPointerException(field);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive: " + d);
    }
    return d;
  }
}

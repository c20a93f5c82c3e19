package io.github.infermetrics.cli.simulate;

import java.time.Duration;
import java.util.Locale;

/**
 * How many requests per second a simulator or a {@link LoadDriver} produces over time.
 *
 * <pre>{@code
 * LoadPattern p = LoadPattern.parse("burst:2-30/20s/5s");  // 30 req/s for the first 5 s of every 20 s, else 2
 * double now = p.rateAt(Duration.ofSeconds(3));            // 30.0
 * }</pre>
 *
 * <p>The text forms, read by {@link #parse(String)} and written by {@code toString()}:
 * <ul>
 *   <li>{@code steady:RATE}, for example {@code steady:5};
 *   <li>{@code ramp:FROM-TO/DURATION}, for example {@code ramp:1-20/60s}: linear from FROM to TO over DURATION, then
 *       TO;
 *   <li>{@code burst:BASE-PEAK/PERIOD/LENGTH}, for example {@code burst:2-30/20s/5s}: PEAK for the first LENGTH of
 *       every PERIOD, BASE for the rest.
 * </ul>
 * Rates are requests per second (decimals allowed); durations take {@code ms}, {@code s}, {@code m} or {@code h}.
 *
 * @since 0.1.0
 */
public sealed interface LoadPattern permits LoadPattern.Steady, LoadPattern.Ramp, LoadPattern.Burst {

  /** The forms {@link #parse(String)} reads, for error messages and help texts. */
  String FORMS = "steady:RATE, ramp:FROM-TO/DURATION or burst:BASE-PEAK/PERIOD/LENGTH"
      + " (for example steady:5, ramp:1-20/60s, burst:2-30/20s/5s)";

  /**
   * The rate at a moment of the run.
   *
   * @param sinceStart time since the load started; negative counts as zero
   * @return requests per second, never negative
   */
  double rateAt(Duration sinceStart);

  /**
   * The same rate all the time.
   *
   * @param requestsPerSecond the rate, finite and not negative
   * @return the pattern
   * @throws IllegalArgumentException when the rate is negative or not finite
   */
  static LoadPattern steady(double requestsPerSecond) {
    return new Steady(requestsPerSecond);
  }

  /**
   * A linear ramp, then the final rate.
   *
   * @param from the rate at the start
   * @param to the rate at the end of the ramp and after
   * @param duration the ramp's length, positive
   * @return the pattern
   * @throws IllegalArgumentException when a rate is negative or not finite, or the duration is not positive
   */
  static LoadPattern ramp(double from, double to, Duration duration) {
    return new Ramp(from, to, duration);
  }

  /**
   * Bursts at {@code peak} for {@code burstLength} at the start of every {@code period}, {@code base} otherwise.
   *
   * @param base the rate between bursts
   * @param peak the rate during a burst
   * @param period the time from one burst's start to the next, positive
   * @param burstLength the length of a burst, positive and not longer than the period
   * @return the pattern
   * @throws IllegalArgumentException when a rate is negative or not finite, or the durations are invalid
   */
  static LoadPattern burst(double base, double peak, Duration period, Duration burstLength) {
    return new Burst(base, peak, period, burstLength);
  }

  /**
   * Reads a pattern from its text form (see the class comment).
   *
   * @param text for example {@code steady:5}, {@code ramp:1-20/60s} or {@code burst:2-30/20s/5s}
   * @return the pattern
   * @throws IllegalArgumentException with the text and the expected forms when it cannot be read
   */
  static LoadPattern parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    if (colon < 0) {
      throw PatternText.error(text, "no kind before ':'");
    }
    String kind = t.substring(0, colon);
    String[] parts = t.substring(colon + 1).split("/", -1);
    try {
      switch (kind) {
        case "steady":
          PatternText.count(text, parts, 1);
          return steady(PatternText.rate(text, parts[0]));
        case "ramp": {
          PatternText.count(text, parts, 2);
          double[] r = PatternText.rates(text, parts[0]);
          return ramp(r[0], r[1], PatternText.duration(text, parts[1]));
        }
        case "burst": {
          PatternText.count(text, parts, 3);
          double[] r = PatternText.rates(text, parts[0]);
          return burst(r[0], r[1], PatternText.duration(text, parts[1]), PatternText.duration(text, parts[2]));
        }
        default:
          throw PatternText.error(text, "unknown kind '" + kind + "'");
      }
    } catch (PatternText.Invalid e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw PatternText.error(text, e.getMessage());
    }
  }

  /**
   * The same rate all the time.
   *
   * @param requestsPerSecond the rate
   */
  record Steady(double requestsPerSecond) implements LoadPattern {
    /** Validates. */
    public Steady {
      PatternText.checkRate("requestsPerSecond", requestsPerSecond);
    }

    @Override
    public double rateAt(Duration sinceStart) {
      return requestsPerSecond;
    }

    @Override
    public String toString() {
      return "steady:" + PatternText.number(requestsPerSecond);
    }
  }

  /**
   * A linear ramp, then the final rate.
   *
   * @param from the rate at the start
   * @param to the rate at the end and after
   * @param duration the ramp's length
   */
  record Ramp(double from, double to, Duration duration) implements LoadPattern {
    /** Validates. */
    public Ramp {
      PatternText.checkRate("from", from);
      PatternText.checkRate("to", to);
      PatternText.checkPositive("duration", duration);
    }

    @Override
    public double rateAt(Duration sinceStart) {
      double f = Math.max(0, PatternText.seconds(sinceStart)) / PatternText.seconds(duration);
      return f >= 1 ? to : from + (to - from) * f;
    }

    @Override
    public String toString() {
      return "ramp:" + PatternText.number(from) + "-" + PatternText.number(to) + "/" + PatternText.text(duration);
    }
  }

  /**
   * Periodic bursts.
   *
   * @param base the rate between bursts
   * @param peak the rate during a burst
   * @param period from one burst's start to the next
   * @param burstLength the length of a burst
   */
  record Burst(double base, double peak, Duration period, Duration burstLength) implements LoadPattern {
    /** Validates. */
    public Burst {
      PatternText.checkRate("base", base);
      PatternText.checkRate("peak", peak);
      PatternText.checkPositive("period", period);
      PatternText.checkPositive("burstLength", burstLength);
      if (burstLength.compareTo(period) > 0) {
        throw new IllegalArgumentException("burstLength: " + PatternText.text(burstLength)
            + " is longer than the period " + PatternText.text(period));
      }
    }

    @Override
    public double rateAt(Duration sinceStart) {
      long nanos = Math.max(0, sinceStart.toNanos());
      return nanos % period.toNanos() < burstLength.toNanos() ? peak : base;
    }

    @Override
    public String toString() {
      return "burst:" + PatternText.number(base) + "-" + PatternText.number(peak) + "/" + PatternText.text(period)
          + "/" + PatternText.text(burstLength);
    }
  }
}

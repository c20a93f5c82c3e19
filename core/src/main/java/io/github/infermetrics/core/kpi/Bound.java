package io.github.infermetrics.core.kpi;

import java.util.Objects;

/**
 * Says that a value is only bounded, not estimated: a histogram quantile that falls in the first bucket (which
 * starts at 0) or in the {@code +Inf} bucket. PromQL's {@code histogram_quantile} still gives a number there (it
 * interpolates inside the first bucket and returns the largest finite bound for the last), and the KPI keeps that
 * number so that it agrees with dashboards; the bound tells people how little it says. Triton's default
 * time-to-first-response buckets, for example, start at {@code le="100"} ms: a p95 of "95 ms" in every window is
 * only "at most 100 ms".
 *
 * <pre>{@code
 * kpiValue.bound().ifPresent(b -> System.out.println(b.symbol() + " " + b.limit()));   // "≤ 0.1"
 * }</pre>
 *
 * @param side which side the limit bounds the true value from
 * @param limit the bucket bound, in the value's unit
 */
public record Bound(Side side, double limit) {
  /** Which side a {@link Bound} limits. */
  public enum Side {
    /** The true value is at most the limit (the quantile fell in the first bucket). */
    UPPER("upper", "≤", "<="),
    /** The true value is above the limit (the quantile fell in the {@code +Inf} bucket). */
    LOWER("lower", ">", ">");

    private final String id;
    private final String symbol;
    private final String ascii;

    Side(String id, String symbol, String ascii) {
      this.id = id;
      this.symbol = symbol;
      this.ascii = ascii;
    }

    /**
     * The name in JSON output ({@code "bound": "upper"}).
     *
     * @return {@code upper} or {@code lower}
     */
    public String id() {
      return id;
    }

    /**
     * The sign for people.
     *
     * @return {@code ≤} or {@code >}
     */
    public String symbol() {
      return symbol;
    }

    /**
     * The sign in ASCII, for terminals and logs that cannot show {@link #symbol()}.
     *
     * @return {@code <=} or {@code >}
     */
    public String ascii() {
      return ascii;
    }
  }

  /**
   * Validates.
   *
   * @param side the side
   * @param limit the limit; finite
   */
  public Bound {
    Objects.requireNonNull(side, "side");
    if (!Double.isFinite(limit)) {
      throw new IllegalArgumentException("bound limit must be finite: " + limit);
    }
  }

  /**
   * The true value is at most {@code limit}.
   *
   * @param limit the limit
   * @return the bound
   */
  public static Bound atMost(double limit) {
    return new Bound(Side.UPPER, limit);
  }

  /**
   * The true value is above {@code limit}.
   *
   * @param limit the limit
   * @return the bound
   */
  public static Bound above(double limit) {
    return new Bound(Side.LOWER, limit);
  }

  /**
   * The same bound in another unit, for example seconds from a histogram in milliseconds.
   *
   * @param factor what to multiply the limit by; positive
   * @return the scaled bound
   */
  public Bound scaled(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be positive and finite: " + factor);
    }
    return new Bound(side, limit * factor);
  }

  /**
   * The sign for people.
   *
   * @return {@code ≤} or {@code >}
   */
  public String symbol() {
    return side.symbol();
  }
}

package io.github.infermetrics.cloudwatch.insights;

/**
 * The earlier window a {@code diff} command compares with; without one, {@code diff} takes the window of equal
 * length just before the query's.
 *
 * @since 0.1
 */
public enum DiffPeriod {
  /** The same window a day earlier. */
  PREVIOUS_DAY("previousDay"),
  /** The same window a week earlier. */
  PREVIOUS_WEEK("previousWeek"),
  /** The same window a month earlier. */
  PREVIOUS_MONTH("previousMonth");

  private final String keyword;

  DiffPeriod(String keyword) {
    this.keyword = keyword;
  }

  /**
   * The keyword in query text.
   *
   * @return for example {@code previousDay}
   */
  public String keyword() {
    return keyword;
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What to run: the query text and language, the log groups (names or ARNs, or none when a Logs Insights query
 * starts with {@code SOURCE} or an SQL query names them), the time range (whole seconds, both ends inclusive) and
 * the row limit.
 *
 * <pre>{@code
 * QueryRequest r = QueryRequest.builder(query)
 *     .logGroupNames(List.of("/aws/containerinsights/inference/performance"))
 *     .last(Duration.ofHours(1), Instant.now())
 *     .build();
 * }</pre>
 *
 * @param queryString the query text
 * @param language its language
 * @param logGroupNames log group names, or empty
 * @param logGroupIdentifiers log group names or ARNs, or empty
 * @param start the start of the range
 * @param end the end of the range
 * @param limit the most rows, or empty for the service's default
 * @since 0.1
 */
public record QueryRequest(String queryString, QueryLanguage language, List<String> logGroupNames,
    List<String> logGroupIdentifiers, Instant start, Instant end, OptionalInt limit) {
  /** Most log groups by name or identifier in one query. */
  public static final int MAX_LOG_GROUPS = 50;

  /**
   * Validates.
   *
   * @param queryString the query text, at most {@value Query#MAX_QUERY_CHARS} characters
   * @param language its language
   * @param logGroupNames log group names
   * @param logGroupIdentifiers names or ARNs; ARNs must not end with {@code *}
   * @param start the start
   * @param end the end, not before the start
   * @param limit 1 to {@value Query#MAX_ROWS}
   * @throws IllegalArgumentException naming the component that breaks a rule
   */
  public QueryRequest {
    Objects.requireNonNull(queryString, "queryString");
    Objects.requireNonNull(language, "language");
    logGroupNames = List.copyOf(logGroupNames);
    logGroupIdentifiers = List.copyOf(logGroupIdentifiers);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(limit, "limit");
    if (queryString.isBlank()) {
      throw new IllegalArgumentException("queryString: must not be blank");
    }
    if (queryString.length() > Query.MAX_QUERY_CHARS) {
      throw new IllegalArgumentException("queryString: " + queryString.length() + " characters, more than "
          + Query.MAX_QUERY_CHARS);
    }
    if (!logGroupNames.isEmpty() && !logGroupIdentifiers.isEmpty()) {
      throw new IllegalArgumentException("logGroupNames, logGroupIdentifiers: give one of them, not both");
    }
    boolean selectsItself = language == QueryLanguage.SQL
        || language == QueryLanguage.CWLI && queryString.stripLeading().startsWith("SOURCE");
    if (logGroupNames.isEmpty() && logGroupIdentifiers.isEmpty() && !selectsItself) {
      throw new IllegalArgumentException("logGroupNames: no log groups; name them, or start the query with SOURCE");
    }
    if (logGroupNames.size() > MAX_LOG_GROUPS || logGroupIdentifiers.size() > MAX_LOG_GROUPS) {
      throw new IllegalArgumentException((logGroupNames.isEmpty() ? "logGroupIdentifiers" : "logGroupNames")
          + ": at most " + MAX_LOG_GROUPS + " log groups; select more with SOURCE");
    }
    for (String id : logGroupIdentifiers) {
      if (id.startsWith("arn:") && id.endsWith("*")) {
        throw new IllegalArgumentException("logGroupIdentifiers: an ARN must not end with '*': " + id);
      }
    }
    for (String n : logGroupNames) {
      if (n.isBlank()) {
        throw new IllegalArgumentException("logGroupNames: a name is blank");
      }
    }
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("end: " + end + " is before start " + start);
    }
    if (limit.isPresent() && (limit.getAsInt() < 1 || limit.getAsInt() > Query.MAX_ROWS)) {
      throw new IllegalArgumentException("limit: must be between 1 and " + Query.MAX_ROWS + ", was "
          + limit.getAsInt());
    }
  }

  /**
   * A builder for a Logs Insights query.
   *
   * @param query the query
   * @return the builder
   */
  public static Builder builder(Query query) {
    return new Builder(query.text(), QueryLanguage.CWLI);
  }

  /**
   * A builder for query text in any language.
   *
   * @param queryString the text
   * @param language its language
   * @return the builder
   */
  public static Builder builder(String queryString, QueryLanguage language) {
    return new Builder(queryString, language);
  }

  /** Builds a {@link QueryRequest}; not thread-safe. */
  public static final class Builder {
    private final String queryString;
    private final QueryLanguage language;
    private List<String> logGroupNames = List.of();
    private List<String> logGroupIdentifiers = List.of();
    private Instant start;
    private Instant end;
    private OptionalInt limit = OptionalInt.empty();

    private Builder(String queryString, QueryLanguage language) {
      this.queryString = queryString;
      this.language = language;
    }

    /**
     * The log groups by name.
     *
     * @param names up to {@value QueryRequest#MAX_LOG_GROUPS}
     * @return this
     */
    public Builder logGroupNames(List<String> names) {
      this.logGroupNames = List.copyOf(names);
      return this;
    }

    /**
     * The log groups by name or ARN (for other accounts).
     *
     * @param identifiers up to {@value QueryRequest#MAX_LOG_GROUPS}
     * @return this
     */
    public Builder logGroupIdentifiers(List<String> identifiers) {
      this.logGroupIdentifiers = List.copyOf(identifiers);
      return this;
    }

    /**
     * The time range.
     *
     * @param start the start (sent as whole seconds)
     * @param end the end (sent as whole seconds)
     * @return this
     */
    public Builder timeRange(Instant start, Instant end) {
      this.start = Objects.requireNonNull(start, "start");
      this.end = Objects.requireNonNull(end, "end");
      return this;
    }

    /**
     * The time range that ends now and lasts this long.
     *
     * @param length how far back
     * @param now the end
     * @return this
     */
    public Builder last(Duration length, Instant now) {
      if (length.isNegative() || length.isZero()) {
        throw new IllegalArgumentException("last: the range must be positive, was " + length);
      }
      return timeRange(now.minus(length), now);
    }

    /**
     * The most rows.
     *
     * @param rows 1 to {@value Query#MAX_ROWS}
     * @return this
     */
    public Builder limit(int rows) {
      this.limit = OptionalInt.of(rows);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the request
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public QueryRequest build() {
      if (start == null) {
        throw new IllegalArgumentException("start: missing; set a time range");
      }
      return new QueryRequest(queryString, language, logGroupNames, logGroupIdentifiers, start, end, limit);
    }
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One row of query results: field name to value, in the order the service returned them. Values are strings, as
 * the service sends them; the row's pointer {@code @ptr} (for GetLogRecord) is one of the fields.
 *
 * @param fields the fields, in order
 * @since 0.1
 */
public record ResultRow(Map<String, String> fields) {
  /** The field that points at the log record. */
  public static final String PTR = "@ptr";

  /**
   * Copies the fields, keeping their order.
   *
   * @param fields the fields
   */
  public ResultRow {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * A field's value.
   *
   * @param field the name
   * @return the value, or empty when the row does not have the field
   */
  public Optional<String> get(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /**
   * The pointer to the log record.
   *
   * @return {@code @ptr}, or empty (rows of {@code stats} queries have none)
   */
  public Optional<String> ptr() {
    return get(PTR);
  }
}

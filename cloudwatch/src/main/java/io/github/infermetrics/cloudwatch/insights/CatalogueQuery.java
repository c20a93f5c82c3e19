package io.github.infermetrics.cloudwatch.insights;

import java.util.List;
import java.util.Objects;

/**
 * A catalogue query made concrete: the query and the log groups it runs over.
 *
 * @param name the catalogue entry's name
 * @param logGroupNames the log groups to pass to StartQuery
 * @param query the query
 * @since 0.1
 */
public record CatalogueQuery(String name, List<String> logGroupNames, Query query) {
  /**
   * Validates.
   *
   * @param name the entry's name
   * @param logGroupNames at least one log group
   * @param query the query
   */
  public CatalogueQuery {
    Objects.requireNonNull(name, "name");
    logGroupNames = List.copyOf(logGroupNames);
    Objects.requireNonNull(query, "query");
    if (logGroupNames.isEmpty()) {
      throw new IllegalArgumentException("logGroupNames: at least one");
    }
  }

  /**
   * The query for a CloudWatch dashboard log widget, which names its log groups in the text:
   * {@code SOURCE 'lg' | fields ...}.
   *
   * @return the widget's query text
   */
  public String widgetText() {
    StringBuilder sb = new StringBuilder();
    for (String lg : logGroupNames) {
      // log group names are validated by CatalogueParameters: no quotes to escape, but be safe anyway
      sb.append("SOURCE ");
      io.github.infermetrics.cloudwatch.insights.internal.QueryText.appendString(sb, lg, '\'');
      sb.append(" | ");
    }
    return sb.append(query.text()).toString();
  }
}

package io.github.infermetrics.cloudwatch.insights;

import java.util.Objects;
import java.util.function.Function;

/**
 * One ready query of the {@link ContainerInsightsQueries catalogue}: a name, the question it answers, and how to
 * make it for a cluster.
 *
 * @since 0.1
 */
public final class CatalogueEntry {
  private final String name;
  private final String description;
  private final Function<CatalogueParameters, CatalogueQuery> factory;

  CatalogueEntry(String name, String description, Function<CatalogueParameters, CatalogueQuery> factory) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /**
   * The entry's name.
   *
   * @return for example {@code nodes-over-cpu}
   */
  public String name() {
    return name;
  }

  /**
   * What the query answers, in one line.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The query for these parameters.
   *
   * @param parameters the cluster, namespace, pod pattern and threshold
   * @return the query and its log groups
   */
  public CatalogueQuery query(CatalogueParameters parameters) {
    return factory.apply(Objects.requireNonNull(parameters, "parameters"));
  }

  @Override
  public String toString() {
    return name;
  }
}

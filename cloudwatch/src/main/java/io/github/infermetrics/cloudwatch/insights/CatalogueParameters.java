package io.github.infermetrics.cloudwatch.insights;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the {@link ContainerInsightsQueries catalogue}'s queries are about: the EKS cluster (which names the log
 * groups), optionally a Kubernetes namespace and a regex of pod names, and a threshold in percent.
 *
 * @param cluster the cluster name
 * @param namespace only pods of this namespace, or empty for all
 * @param podPattern only pods whose name matches this regex, or empty for all
 * @param threshold a percentage (0 to 100) for the queries that have one
 * @since 0.1
 */
public record CatalogueParameters(String cluster, Optional<String> namespace, Optional<String> podPattern,
    double threshold) {
  /** The threshold when none is given: 80 percent. */
  public static final double DEFAULT_THRESHOLD = 80;
  // EKS: starts with a letter or digit, then letters, digits, hyphens, underscores; 100 at most
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
  // Kubernetes namespace: a DNS label
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * Validates.
   *
   * @param cluster the EKS cluster name
   * @param namespace a Kubernetes namespace, or empty
   * @param podPattern a regex, or empty
   * @param threshold 0 to 100
   * @throws IllegalArgumentException naming the component that is wrong
   */
  public CatalogueParameters {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(podPattern, "podPattern");
    if (!CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException("cluster: not an EKS cluster name: '" + cluster + "'");
    }
    if (namespace.isPresent() && !NAMESPACE.matcher(namespace.get()).matches()) {
      throw new IllegalArgumentException("namespace: not a Kubernetes namespace: '" + namespace.get() + "'");
    }
    if (podPattern.isPresent()) {
      try {
        Expr.regex(podPattern.get());
        // an unbalanced group or class would be sent as is and fail in CloudWatch, or match what nobody meant
        Pattern.compile(podPattern.get());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("podPattern: not a valid regular expression: '" + podPattern.get() + "': "
            + e.getDescription().toLowerCase(java.util.Locale.ROOT)
            + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("podPattern: " + e.getMessage(), e);
      }
    }
    if (!(threshold >= 0 && threshold <= 100)) {
      throw new IllegalArgumentException("threshold: a percentage from 0 to 100, was " + threshold);
    }
  }

  /**
   * All pods of the cluster, the default threshold.
   *
   * @param cluster the cluster name
   * @return the parameters
   */
  public static CatalogueParameters of(String cluster) {
    return new CatalogueParameters(cluster, Optional.empty(), Optional.empty(), DEFAULT_THRESHOLD);
  }

  /**
   * The same, for one namespace.
   *
   * @param ns the namespace
   * @return new parameters
   */
  public CatalogueParameters withNamespace(String ns) {
    return new CatalogueParameters(cluster, Optional.of(ns), podPattern, threshold);
  }

  /**
   * The same, for pods whose names match.
   *
   * @param regex the pattern
   * @return new parameters
   */
  public CatalogueParameters withPodPattern(String regex) {
    return new CatalogueParameters(cluster, namespace, Optional.of(regex), threshold);
  }

  /**
   * The same, with another threshold.
   *
   * @param percent 0 to 100
   * @return new parameters
   */
  public CatalogueParameters withThreshold(double percent) {
    return new CatalogueParameters(cluster, namespace, podPattern, percent);
  }

  /**
   * The Container Insights application log group of the cluster (container stdout and stderr, by Fluent Bit).
   *
   * @return {@code /aws/containerinsights/<cluster>/application}
   */
  public String applicationLogGroup() {
    return "/aws/containerinsights/" + cluster + "/application";
  }

  /**
   * The Container Insights performance log group of the cluster (the EMF events behind its metrics).
   *
   * @return {@code /aws/containerinsights/<cluster>/performance}
   */
  public String performanceLogGroup() {
    return "/aws/containerinsights/" + cluster + "/performance";
  }
}

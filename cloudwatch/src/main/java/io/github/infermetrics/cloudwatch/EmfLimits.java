package io.github.infermetrics.cloudwatch;

import java.util.Set;

/**
 * The rules of the CloudWatch Embedded Metric Format that {@link EmfWriter} enforces, in one place. The published
 * JSON schema checks only some of them; CloudWatch still stores an event that breaks the others, but extracts no
 * metric from it and only counts the failure in {@code AWS/Logs EMFValidationErrors}, so the writer never emits
 * one.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">
 *     Specification: Embedded metric format</a>
 * @since 0.1.0
 */
public final class EmfLimits {
  /** Metric definitions in one directive; more go into further events. */
  public static final int MAX_METRICS_PER_DIRECTIVE = 100;
  /** Values in one metric array; more go into further events. */
  public static final int MAX_VALUES_PER_METRIC = 100;
  /** Keys in one dimension set (9 before August 2022). */
  public static final int MAX_DIMENSION_SET_SIZE = 30;
  /** Characters of a dimension key (the schema's limit). */
  public static final int MAX_DIMENSION_KEY_LENGTH = 250;
  /** Characters of a dimension value. */
  public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
  /** Characters of a metric name (the schema's limit; PutMetricData allows 255). */
  public static final int MAX_METRIC_NAME_LENGTH = 1024;
  /** Characters of a namespace (CloudWatch's limit for custom namespaces). */
  public static final int MAX_NAMESPACE_LENGTH = 255;
  /** Bytes of one event: a CloudWatch Logs event since 2025. */
  public static final int MAX_EVENT_BYTES = 1024 * 1024;
  /** Bytes of one event for older pipelines (CloudWatch Logs before 2025, older agents). */
  public static final int LEGACY_MAX_EVENT_BYTES = 256 * 1024;
  /** How far in the past CloudWatch accepts a metric timestamp: 14 days, in milliseconds. */
  public static final long MAX_TIMESTAMP_AGE_MILLIS = 14L * 24 * 3600 * 1000;
  /** How far in the future CloudWatch accepts a metric timestamp: 2 hours, in milliseconds. */
  public static final long MAX_TIMESTAMP_AHEAD_MILLIS = 2L * 3600 * 1000;

  /** The 27 CloudWatch units ({@code StandardUnit}); the schema accepts nothing else. */
  public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");

  /**
   * Root members that CloudWatch reads as something other than a metric, dimension or property: {@code _aws}, and
   * the entity fields it uses when {@code PutLogEvents} carries no entity. A writer that used one of them as a
   * name would change what CloudWatch does with the event, so the writer refuses them.
   */
  public static final Set<String> RESERVED_KEYS = Set.of("_aws", "Service", "Environment", "ResourceType",
      "Identifier", "K8s.Cluster", "K8s.Namespace", "K8s.Workload", "K8s.Node", "K8s.Pod", "EKS.Cluster",
      "ECS.Cluster", "ECS.Service", "ECS.Task", "EC2.InstanceId", "EC2.AutoScalingGroup", "Lambda.Function", "Host");

  private EmfLimits() {}
}

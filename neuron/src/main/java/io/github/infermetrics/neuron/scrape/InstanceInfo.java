package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;
import java.util.Optional;

/**
 * The EC2 instance the converter runs on: the labels of {@code instance_info} (which every neuron family also
 * carries).
 *
 * @param labels all labels, including ones newer converters add (such as {@code ultraserver_id})
 */
public record InstanceInfo(Labels labels) {
  /**
   * Validates.
   *
   * @param labels the labels
   */
  public InstanceInfo {
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * The instance id.
   *
   * @return label {@code instance_id}, or empty when absent or empty
   */
  public Optional<String> instanceId() {
    return label("instance_id");
  }

  /**
   * The instance type.
   *
   * @return label {@code instance_type}, for example {@code inf2.xlarge}
   */
  public Optional<String> instanceType() {
    return label("instance_type");
  }

  /**
   * The availability zone.
   *
   * @return label {@code availability_zone}
   */
  public Optional<String> availabilityZone() {
    return label("availability_zone");
  }

  /**
   * The region.
   *
   * @return label {@code region}
   */
  public Optional<String> region() {
    return label("region");
  }

  /**
   * The subnet.
   *
   * @return label {@code subnet_id}
   */
  public Optional<String> subnetId() {
    return label("subnet_id");
  }

  /**
   * The instance name (needs the AWS CLI on the host, so often empty).
   *
   * @return label {@code instance_name}
   */
  public Optional<String> instanceName() {
    return label("instance_name");
  }

  /**
   * Any label; an empty value counts as absent, as in PromQL.
   *
   * @param name the label name
   * @return its value, or empty
   */
  public Optional<String> label(String name) {
    String v = labels.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}

package io.github.infermetrics.ray;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One Ray Serve replica of a {@link RayServeSnapshot}, from {@code ray_serve_deployment_replica_healthy}.
 *
 * <pre>{@code
 * for (RayReplica r : snapshot.replicas()) {
 *   System.out.println(r.deployment() + " " + r.replica() + (r.healthy() ? " healthy" : " UNHEALTHY"));
 * }
 * }</pre>
 *
 * @param application the Serve application; empty before multi-application Serve
 * @param deployment the deployment, for example {@code LLMServer:Qwen--Qwen3-8B}
 * @param replica Ray's {@code replica} label: the unique id (recent releases) or {@code deployment#id} (older)
 * @param healthyValue the health gauge, 1 healthy, 0 not
 */
public record RayReplica(Optional<String> application, String deployment, String replica,
    OptionalDouble healthyValue) {
  /**
   * Validates.
   *
   * @param application the application
   * @param deployment the deployment
   * @param replica the replica
   * @param healthyValue the gauge
   */
  public RayReplica {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(healthyValue, "healthyValue");
  }

  /**
   * Whether the replica reports itself healthy.
   *
   * @return true when the gauge is 1
   */
  public boolean healthy() {
    return healthyValue.isPresent() && healthyValue.getAsDouble() >= 1;
  }

  /**
   * Whether this is the replica with a unique id, as vLLM's {@code ReplicaId} label gives it: the {@code replica}
   * label is the id (recent Ray) or ends with {@code #id} (older Ray).
   *
   * @param uniqueId the replica's unique id
   * @return true when it is this replica
   */
  public boolean hasUniqueId(String uniqueId) {
    return !uniqueId.isEmpty() && (replica.equals(uniqueId) || replica.endsWith("#" + uniqueId));
  }
}

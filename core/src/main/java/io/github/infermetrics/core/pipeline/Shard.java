package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.discovery.RelabelRule;
import java.net.URI;
import java.util.Objects;

/**
 * One of {@code count} processes that split a fleet between them with no coordination: each scrapes only the targets
 * whose hash falls in its shard, so {@code count} replicas (a StatefulSet's pods, say, each told its ordinal) cover
 * every target exactly once, and their KPIs meet again in the engines they ship to (remote write, CloudWatch).
 *
 * <pre>{@code
 * KpiPipeline pipeline = KpiPipeline.builder()
 *     .shard(Shard.parse(System.getenv("SHARD")))   // "0/4" .. "3/4"
 *     ...
 * }</pre>
 *
 * <p><b>The hash</b> is of the target's URL (what is scraped: scheme, host, port, path and query, as
 * {@link URI#toString()} writes it), not of its name: the same endpoint is in the same shard in every replica
 * whatever it is called and wherever its entry came from (the command line, file_sd, Kubernetes), and a name is a
 * label people rename. It is Prometheus's {@code hashmod}: the MD5 of the URL's UTF-8 bytes, its last eight bytes as
 * an unsigned big-endian integer, modulo {@code count}. MD5 is fixed by RFC 1321, so the split is the same in every
 * JVM, version and language, unlike {@link String#hashCode()} of a structure that may change; it is not used for
 * security.
 *
 * <p><b>Keeping a node together.</b> {@link #by(String) by("node")} hashes the value of a target label instead
 * (the same MD5 and modulo; targets without the label fall back to their URL). A model server and the GPU exporter
 * of its node then land in the same shard whenever both carry the node's name, so that {@link AcceleratorJoin} can
 * pair them: with Kubernetes discovery, relabel {@code __meta_kubernetes_pod_node_name} (pods) or
 * {@code __meta_kubernetes_endpointslice_endpoint_node_name} to {@code node}. Immutable.
 *
 * @param index this process's shard, from 0
 * @param count how many shards there are, at least 1
 * @param label the target label whose value is hashed; {@code null} to hash the URL
 */
public record Shard(int index, int count, String label) {
  /** Every target: one shard of one. */
  public static final Shard ALL = new Shard(0, 1);

  /**
   * Validates.
   *
   * @param index from 0 to {@code count - 1}
   * @param count at least 1
   * @param label a label name, or {@code null} for the URL
   */
  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be at least 1: " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard index must be from 0 to " + (count - 1) + ": " + index);
    }
    if (label != null && !isLabelName(label)) {
      throw new IllegalArgumentException("shard label must be a label name ([a-zA-Z_][a-zA-Z0-9_]*): '" + label
          + "'");
    }
  }

  /**
   * A shard that hashes each target's URL.
   *
   * @param index from 0 to {@code count - 1}
   * @param count at least 1
   */
  public Shard(int index, int count) {
    this(index, count, null);
  }

  /**
   * The same shard, hashing the value of a target label instead of the URL (the URL when a target lacks it).
   *
   * @param label a label name, for example {@code node}
   * @return the shard
   */
  public Shard by(String label) {
    return new Shard(index, count, Objects.requireNonNull(label, "label"));
  }

  /**
   * Reads {@code I/N}.
   *
   * @param spec for example {@code 0/2}
   * @return the shard
   * @throws IllegalArgumentException when it is not {@code I/N} with {@code 0 <= I < N}
   */
  public static Shard parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    int slash = spec.indexOf('/');
    if (slash <= 0 || slash == spec.length() - 1) {
      throw new IllegalArgumentException("shard must be I/N, for example 0/2: " + spec);
    }
    int i;
    int n;
    try {
      i = Integer.parseInt(spec.substring(0, slash).trim());
      n = Integer.parseInt(spec.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shard must be I/N, for example 0/2: " + spec);
    }
    return new Shard(i, n);
  }

  /**
   * Whether this shard scrapes a target.
   *
   * @param target the target
   * @return true when its URL's hash falls in this shard
   */
  public boolean owns(PipelineTarget target) {
    if (count == 1) {
      return true;
    }
    String key = label == null ? null : target.labels().get(label);
    return key == null || key.isEmpty() ? owns(target.uri()) : of(key, count) == index;
  }

  /**
   * Whether this shard scrapes the target at a URL.
   *
   * @param url the target's URL
   * @return true when its hash falls in this shard
   */
  public boolean owns(URI url) {
    return count == 1 || of(url, count) == index;
  }

  /**
   * The shard of a URL among {@code count}.
   *
   * @param url the URL
   * @param count the number of shards
   * @return from 0 to {@code count - 1}
   */
  public static int of(URI url, int count) {
    return of(url.toString(), count);
  }

  /**
   * The shard of a string (a URL, or a label's value) among {@code count}.
   *
   * @param key the string hashed, as UTF-8
   * @param count the number of shards
   * @return from 0 to {@code count - 1}
   */
  public static int of(String key, int count) {
    return (int) RelabelRule.hashmod(key, count);
  }

  private static boolean isLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return index + "/" + count + (label == null ? "" : " by " + label);
  }
}

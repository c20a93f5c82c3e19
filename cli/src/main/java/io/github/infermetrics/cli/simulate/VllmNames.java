package io.github.infermetrics.cli.simulate;

import java.util.Locale;
import java.util.SortedMap;

/**
 * How the vLLM simulator spells vLLM's metrics, as the stacks that serve vLLM do: vLLM itself ({@code vllm:}),
 * Ray Serve LLM up to Ray 2.50 ({@code ray_vllm:}, Ray's labels and {@code WorkerId}), Ray Serve LLM from Ray 2.51
 * ({@code ray_vllm_}, also {@code ReplicaId}), NVIDIA NIM (no prefix; finished requests by reason as
 * {@code request_finish_total}, beside NIM's own {@code request_success_total} and {@code request_failure_total}).
 * Under Ray each engine is its own replica, with engine index 0 as vLLM numbers a replica's engines.
 *
 * <pre>{@code
 * VllmSimulator.Config.builder().names(VllmNames.parse("ray-underscore")).build();
 * }</pre>
 */
public enum VllmNames {
  /** vLLM's own names. */
  VLLM("vllm", "vllm:"),
  /** Ray Serve LLM up to Ray 2.50. */
  RAY("ray", "ray_vllm:"),
  /** Ray Serve LLM from Ray 2.51 (vLLM PR 25439 replaced the colon). */
  RAY_UNDERSCORE("ray-underscore", "ray_vllm_"),
  /** NVIDIA NIM for LLMs. */
  NIM("nim", "");

  private final String id;
  private final String prefix;

  VllmNames(String id, String prefix) {
    this.id = id;
    this.prefix = prefix;
  }

  /**
   * A naming by its name.
   *
   * @param text {@code vllm}, {@code ray}, {@code ray-underscore} or {@code nim}
   * @return the naming
   * @throws IllegalArgumentException naming the accepted values
   */
  public static VllmNames parse(String text) {
    for (VllmNames n : values()) {
      if (n.id.equals(text.toLowerCase(Locale.ROOT))) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown vLLM naming '" + text + "': use vllm, ray, ray-underscore or nim");
  }

  /**
   * The name, as {@link #parse} takes it.
   *
   * @return for example {@code ray-underscore}
   */
  public String id() {
    return id;
  }

  /** A vLLM family name ({@code vllm:...}) in this spelling; other names as they are. */
  String family(String vllmName) {
    if (!vllmName.startsWith("vllm:")) {
      return vllmName;
    }
    String base = vllmName.substring("vllm:".length());
    return this == NIM && base.equals("request_success") ? "request_finish" : prefix + base;
  }

  /** An engine's labels: vLLM's, and under Ray the replica's (ids derived from the seed, stable per run). */
  SortedMap<String, String> engineLabels(int engine, String model, long seed) {
    if (this == VLLM || this == NIM) {
      return ExpositionText.labels("engine", String.valueOf(engine), "model_name", model);
    }
    java.util.Random ids = new java.util.Random(seed * 31 + engine);
    StringBuilder worker = new StringBuilder(56);
    while (worker.length() < 56) {
      worker.append(String.format(Locale.ROOT, "%08x", ids.nextInt()));
    }
    SortedMap<String, String> l = ExpositionText.labels("engine", "0", "model_name", model, "WorkerId",
        worker.substring(0, 56), "Component", "core_worker", "NodeAddress", "127.0.0.1", "SessionName",
        "session_simulated_" + seed, "Version", this == RAY ? "2.46.0" : "2.51.0");
    if (this == RAY_UNDERSCORE) {
      StringBuilder replica = new StringBuilder();
      String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
      for (int i = 0; i < 8; i++) {
        replica.append(alphabet.charAt(ids.nextInt(alphabet.length())));
      }
      l.put("ReplicaId", replica.toString());
    }
    return l;
  }
}

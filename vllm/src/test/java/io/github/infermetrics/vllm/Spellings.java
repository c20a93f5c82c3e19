package io.github.infermetrics.vllm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test data in every spelling of vLLM's names: the plain {@code vllm:} scrapes rewritten the way Ray Serve LLM,
 * NIM or another prefix writes them (from Ray's and vLLM's documentation and the fixtures), and a second capture
 * made from a first by adding known increments.
 */
final class Spellings {
  /** Ray's worker ids of the two replicas (56 hex digits, as Ray writes them). */
  static final String[] WORKERS = {"6ad5887a3c1c6cefcfa31b4f9a55bdca247686ca9bcd217726128dc8",
      "c37ea7b41f29bf90a64a416dc8d88cab2c3a74928614f15ef62a24fd"};
  /** Ray Serve's replica unique ids, which vLLM's Ray stat logger writes as {@code ReplicaId}. */
  static final String[] REPLICAS = {"hx2kq9ab", "p0w7zt3m"};

  /** The spellings, each with how it writes a plain scrape. */
  enum Spelling {
    /** vLLM's own. */
    VLLM(VllmNaming.VLLM),
    /** Ray Serve LLM up to Ray 2.50: ray_vllm:, WorkerId and Ray's labels, no ReplicaId. */
    RAY(VllmNaming.RAY),
    /** Ray Serve LLM from Ray 2.51: ray_vllm_, WorkerId, ReplicaId and Ray's labels. */
    RAY_UNDERSCORE(VllmNaming.RAY_UNDERSCORE),
    /** NIM: no prefix; finished requests by reason as request_finish_total, plus NIM's own success/failure. */
    NIM(VllmNaming.NIM),
    /** A prefix of another stack. */
    KSERVE(VllmNaming.prefix("kserve_vllm:"));

    final VllmNaming naming;

    Spelling(VllmNaming naming) {
      this.naming = naming;
    }

    /** A plain scrape (engines "0" and "1", one model) in this spelling. */
    String write(String plain) {
      switch (this) {
        case VLLM:
          return plain;
        case RAY:
          return ray(plain.replace("vllm:", "ray_vllm:"), "2.46.0", false);
        case RAY_UNDERSCORE:
          return ray(plain.replace("vllm:", "ray_vllm_"), "2.51.0", true);
        case NIM:
          return nim(plain);
        default:
          return plain.replace("vllm:", naming.prefix());
      }
    }
  }

  private Spellings() {}

  /**
   * Each plain engine becomes a Ray replica with engine 0: {@code engine="1"} becomes WorkerId (and ReplicaId) of
   * replica 1, Ray's labels, and {@code engine="0"}.
   */
  static String ray(String text, String version, boolean replicaId) {
    String out = text;
    for (int i = 0; i < 2; i++) {
      String labels = "Component=\"core_worker\",NodeAddress=\"10.0.0." + (7 + i) + "\","
          + (replicaId ? "ReplicaId=\"" + REPLICAS[i] + "\"," : "")
          + "SessionName=\"session_2026-11-20_09-12-44_801234_1\",Version=\"" + version + "\",WorkerId=\""
          + WORKERS[i] + "\",engine=\"0\"";
      out = out.replace("engine=\"" + i + "\"", labels);
    }
    return out;
  }

  /** NIM: no prefix, request_success (by reason) is request_finish, and NIM's own success/failure counters. */
  static String nim(String plain) {
    StringBuilder nimCounters = new StringBuilder();
    Matcher m = Pattern.compile("(?m)^vllm:request_success_total\\{engine=\"(\\d)\",finished_reason=\"\\w+\","
        + "model_name=\"([^\"]*)\"} ([0-9.]+)$").matcher(plain);
    Map<String, Double> perEngine = new LinkedHashMap<>();
    String model = null;
    while (m.find()) {
      perEngine.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
      model = m.group(2);
    }
    nimCounters.append("# HELP request_success_total Count of successful requests.\n")
        .append("# TYPE request_success_total counter\n");
    for (Map.Entry<String, Double> e : perEngine.entrySet()) {
      nimCounters.append("request_success_total{engine=\"").append(e.getKey()).append("\",model_name=\"")
          .append(model).append("\"} ").append(e.getValue()).append('\n');
    }
    nimCounters.append("# HELP request_failure_total Count of failed requests.\n")
        .append("# TYPE request_failure_total counter\n");
    for (String e : perEngine.keySet()) {
      nimCounters.append("request_failure_total{engine=\"").append(e).append("\",model_name=\"").append(model)
          .append("\"} 7.0\n");
    }
    return plain.replace("vllm:request_success_total", "request_finish_total").replace("vllm:", "")
        + nimCounters;
  }

  /**
   * A second capture: every sample whose name (and {@code le}, for a key {@code name|le}) is a key of
   * {@code increments} gets that much more; a key of {@code values} sets the sample to that value (gauges).
   */
  static String later(String text, Map<String, Double> increments, Map<String, Double> values) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("#")) {
        out.append(line).append('\n');
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = line.substring(0, brace >= 0 ? brace : line.indexOf(' '));
      Matcher le = LE.matcher(line);
      String key = le.find() ? name + "|" + le.group(1) : name;
      double v = Double.parseDouble(line.substring(space + 1));
      if (values.containsKey(key)) {
        v = values.get(key);
      } else if (increments.containsKey(key)) {
        v += increments.get(key);
      }
      out.append(line, 0, space + 1).append(v).append('\n');
    }
    return out.toString().replaceAll("\n+$", "\n");
  }

  private static final Pattern LE = Pattern.compile("le=\"([^\"]*)\"");

  /** Cumulative bucket increments of a histogram: one per bound in order, the last for +Inf and the count. */
  static Map<String, Double> histogram(String name, String[] bounds, double[] cumulative, double sum) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < bounds.length; i++) {
      m.put(name + "_bucket|" + bounds[i], cumulative[i]);
    }
    m.put(name + "_count", cumulative[cumulative.length - 1]);
    m.put(name + "_sum", sum);
    return m;
  }
}

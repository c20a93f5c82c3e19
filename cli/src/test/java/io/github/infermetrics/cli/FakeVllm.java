package io.github.infermetrics.cli;

import java.io.IOException;

/**
 * A vLLM V1 {@code /metrics} on loopback serving {@code Qwen/Qwen3-8B}, whose numbers are known by hand: every scrape
 * adds 10 finished requests and 500 generated tokens, the 10 requests' times to first token fall 2 at most 0.1 s,
 * 3 in (0.1, 0.25], 3 in (0.25, 0.5], 1 in (0.5, 1] and 1 in (1, 2.5], so {@code ttft=500ms} goodput is exactly
 * 0.8; 2 requests wait and 6 run (queue pressure 0.25) and the KV cache is half full, so saturation is 0.5.
 */
final class FakeVllm implements AutoCloseable {
  static final String MODEL = "Qwen/Qwen3-8B";

  private final ExpositionServer server;

  FakeVllm() throws IOException {
    server = new ExpositionServer("/metrics", FakeVllm::body);
  }

  String url() {
    return server.url("/metrics");
  }

  private static String body(int n) {
    String l = "engine=\"0\",model_name=\"" + MODEL + "\"";
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{").append(l).append("} 6.0\n");
    sb.append("# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{").append(l).append("} 2.0\n");
    sb.append("# TYPE vllm:kv_cache_usage_perc gauge\nvllm:kv_cache_usage_perc{").append(l).append("} 0.5\n");
    sb.append("# TYPE vllm:generation_tokens_total counter\nvllm:generation_tokens_total{").append(l).append("} ")
        .append(500 * n).append(".0\n");
    sb.append("# TYPE vllm:request_success_total counter\nvllm:request_success_total{").append(l)
        .append(",finished_reason=\"stop\"} ").append(10 * n).append(".0\n");
    sb.append("# TYPE vllm:time_to_first_token_seconds histogram\n");
    String[] le = {"0.1", "0.25", "0.5", "1.0", "2.5", "+Inf"};
    int[] perScrape = {2, 5, 8, 9, 10, 10};
    for (int i = 0; i < le.length; i++) {
      sb.append("vllm:time_to_first_token_seconds_bucket{").append(l).append(",le=\"").append(le[i]).append("\"} ")
          .append(perScrape[i] * n).append(".0\n");
    }
    sb.append("vllm:time_to_first_token_seconds_count{").append(l).append("} ").append(10 * n).append(".0\n");
    sb.append("vllm:time_to_first_token_seconds_sum{").append(l).append("} ").append(3.1 * n).append('\n');
    return sb.toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
